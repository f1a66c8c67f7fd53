/**
 * `freshCopy` (src/freshCopy.ts): a closure factory recompiled from its own text, so that each
 * instance of a hot loop (the waluigi chain's step) is a function literal of its own. Checked: the
 * copies compute what the factory computes; a factory that names something outside itself fails
 * loudly; that a waluigi chain moves to its own copy only after long work, stepping bit for bit as
 * the generic table-based step before and after; and, in a child Node with V8's optimisation trace,
 * that two such chains' steps are optimised as functions of their own (their own SharedFunctionInfos)
 * — the property the speed rests on; that check failed, as it should, with the chain's step built by
 * the factory itself (one literal).
 *
 *     npx vitest run test/lib/fresh-copy.test.ts
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { copiesMade, freshCopy } from "../../src/freshCopy";
import { WALUIGI_TOKENS, pageChainFromDigits, waluigiChain, waluigiDigitModel } from "../../src/index";
import { seeded } from "./support";

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

  it("a waluigi chain moves to its own step only after long work, with the same numbers bit for bit", () => {
    const params = { luigiPrior: 0.9, pFriendly: 0.8 };
    // Short work (a notebook's small chains) keeps the shared step: no copy.
    const before = copiesMade();
    const small = waluigiChain(4, params);
    small.evolve(small.delta(0), 1000);
    expect(copiesMade()).toBe(before);
    // k = 9 (19,683 pages): the own copy comes after 5 · 10⁷ page-steps, within 2,541 steps. Every step,
    // before and after the move, equals the table-based generic step bit for bit.
    const k = 9, fast = waluigiChain(k, params), generic = pageChainFromDigits(waluigiDigitModel(k, params), WALUIGI_TOKENS, k);
    const r = seeded("fresh-copy-switch");
    let x = Float64Array.from({ length: fast.size }, () => r());
    let y = x;
    let moved = -1;
    for (let s = 0; s < 2700; s++) {
      x = fast.step(x, new Float64Array(x.length).fill(NaN));
      y = generic.step(y);
      if (moved < 0 && copiesMade() > before) moved = s;
      if (s % 400 === 0 || (moved >= 0 && s <= moved + 3)) expect(Array.from(x), `step ${s}`).toEqual(Array.from(y));
    }
    expect(copiesMade()).toBe(before + 1);
    expect(moved).toBe(Math.ceil(5e7 / fast.size) - 1);
    expect(Array.from(x)).toEqual(Array.from(y));
  });

  // The library as built in dist/ (npm test builds it first), in a child with --trace-opt.
  const dist = join(__dirname, "../../dist/src/index.js");
  it.skipIf(!existsSync(dist))("two waluigi chains that step a lot run two steps of their own, optimised apart from the shared one", () => {
    // k = 12: 531,441 pages; each chain moves to its own step at its 95th step and runs 305 more.
    const script = `
      const { waluigiChain } = require(${JSON.stringify(dist)});
      for (const params of [{ luigiPrior: 0.9, pFriendly: 0.8 }, { luigiPrior: 0.5, pFriendly: 0.3 }]) {
        const pc = waluigiChain(12, params);
        const u = new Float64Array(pc.size).fill(1 / pc.size), v = new Float64Array(pc.size);
        for (let i = 0; i < 400; i++) pc.step(u, v);
      }`;
    const run = spawnSync(process.execPath, ["--trace-opt", "-e", script], { encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    const sfis = new Set([...run.stdout.matchAll(/completed optimizing .*?<JSFunction denseStep \(sfi = (0x[0-9a-f]+)\)>/g)].map((m) => m[1]));
    // The shared step's function and one per chain.
    expect(sfis.size, run.stdout.slice(0, 2000)).toBe(3);
  });
});
