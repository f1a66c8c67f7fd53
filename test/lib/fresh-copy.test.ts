/**
 * `freshCopy` (src/freshCopy.ts): a closure factory recompiled from its own text, so that each
 * instance of a hot loop (the waluigi chain's step) is a function literal of its own. Checked: the
 * copies compute what the factory computes; a factory that names something outside itself fails
 * loudly; and, in a child Node with V8's optimisation trace, that two waluigi chains' steps are
 * optimised as two different functions (two SharedFunctionInfos) — the property the speed rests on;
 * that check failed, as it should, with the chain's step built by the factory itself (one literal).
 *
 *     npx vitest run test/lib/fresh-copy.test.ts
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { freshCopy } from "../../src/freshCopy";

function weightedSums(weights: Float64Array, scale: number): (x: Float64Array) => number {
  return (x) => {
    let s = 0;
    for (let i = 0; i < x.length; i++) s += weights[i] * x[i];
    return s * scale;
  };
}

const outside = 3;
function namesAnOuterBinding(): () => number {
  return () => outside;
}

describe("freshCopy", () => {
  it("copies compute what the factory computes, each with its own captures", () => {
    const w = Float64Array.from([1, 2, 3]), x = Float64Array.from([0.5, -1, 2]);
    const a = freshCopy(weightedSums)(w, 2), b = freshCopy(weightedSums)(w, -1);
    expect(a(x)).toBe(weightedSums(w, 2)(x));
    expect(b(x)).toBe(weightedSums(w, -1)(x));
    expect(freshCopy(weightedSums)).not.toBe(freshCopy(weightedSums));
  });

  it("a factory that names something outside itself fails loudly in the copy", () => {
    expect(namesAnOuterBinding()()).toBe(3);
    expect(() => freshCopy(namesAnOuterBinding)()()).toThrow(ReferenceError);
  });

  // The library as built in dist/ (npm test builds it first), in a child with --trace-opt.
  const dist = join(__dirname, "../../dist/src/index.js");
  it.skipIf(!existsSync(dist))("two waluigi chains' steps are optimised as two functions", () => {
    const script = `
      const { waluigiChain } = require(${JSON.stringify(dist)});
      for (const params of [{ luigiPrior: 0.9, pFriendly: 0.8 }, { luigiPrior: 0.5, pFriendly: 0.3 }]) {
        const pc = waluigiChain(9, params);
        const u = new Float64Array(pc.size).fill(1 / pc.size), v = new Float64Array(pc.size);
        for (let i = 0; i < 300; i++) pc.step(u, v);
      }`;
    const run = spawnSync(process.execPath, ["--trace-opt", "-e", script], { encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    const sfis = new Set([...run.stdout.matchAll(/completed optimizing .*?<JSFunction denseStep \(sfi = (0x[0-9a-f]+)\)>/g)].map((m) => m[1]));
    expect(sfis.size, run.stdout.slice(0, 2000)).toBe(2);
  });
});
