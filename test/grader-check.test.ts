/**
 * `check` and its shipped data: the committed data/check/<workbook>.json files are what the generator
 * builds from solutions/ (so they cannot drift), their draws are not graded draws, `check` passes every
 * reference solution and fails every stub and a wrong answer, with a message naming the draw, and
 * fails an answer that calls a forbidden library function, naming it (this needs the traced CommonJS
 * build, so that part loads dist/src). The draws
 * themselves: seeded (same seed, same draws), edge cases present, and the reference answers agree
 * with an independent route on them (closed forms and a series for the expected reveal time).
 *
 *     npx vitest run test/grader-check.test.ts
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it, vi } from "vitest";
import * as solutions from "../solutions";
import { check, checkResult, loadCheckData, parseCheckData } from "../src/check";
import { numbersClose } from "../src/compare";
import { drawsFor } from "../tools/grader/draws";
import { EXERCISE_SPECS, WORKBOOKS } from "../tools/grader/exercises";
import { buildCheckData } from "../tools/grader/make-check-data";
import { expectedAnswer } from "../tools/grader/reference";

const ROOT = resolve(__dirname, "..");
const fn = (name: string) => (solutions as unknown as Record<string, (...a: unknown[]) => unknown>)[name];

describe("the shipped check data", () => {
  it.each(WORKBOOKS.map((w) => [w.id]))("is exactly what the generator builds from solutions/ (workbook %s)", (w) => {
    expect(readFileSync(join(ROOT, `data/check/${w}.json`), "utf8")).toBe(buildCheckData(w));
  });

  it("holds no graded draw", () => {
    const key = (a: unknown[]) => JSON.stringify(a, (_k, v) => (v === Infinity ? "Inf" : v));
    for (const e of EXERCISE_SPECS) {
      const graded = new Set(drawsFor(e.id, { set: "graded" }).map((d) => key(d.args)));
      for (const d of loadCheckData(e.workbook).exercises[e.id].draws) expect(graded.has(key(d.args)), `${e.id} ${key(d.args)}`).toBe(false);
    }
  });

  it("carries each exercise's forbidden library calls", () => {
    for (const e of EXERCISE_SPECS) expect(loadCheckData(e.workbook).exercises[e.id].forbidden).toEqual(e.forbidden);
  });

  it("has public checks with k ≥ 3 for the 6.C matrix and set exercises", () => {
    for (const id of ["6.C.3", "6.C.7", "6.C.8", "6.C.10", "6.C.11"]) expect(Math.max(...loadCheckData("6C").exercises[id].draws.map((d) => d.args[0] as number)), id).toBeGreaterThanOrEqual(3);
  });

  it("rejects malformed data with a message naming the field", () => {
    expect(() => parseCheckData({ format: "x" })).toThrow(/format must be "llm-dynamics-check\/2"/);
    expect(() => parseCheckData({ format: "llm-dynamics-check/2", tolerance: { rel: 1e-9, abs: 1e-9 }, exercises: { "6.C.1": { id: "6.C.2" } } })).toThrow(/id must be "6.C.1"/);
  });
});

describe("check", () => {
  it.each(EXERCISE_SPECS.map((e) => [e.id, e.functionName] as const))("passes the reference solution of %s", (id, name) => {
    const r = checkResult(id, fn(name));
    expect(r.draws.filter((d) => !d.pass).map((d) => d.message)).toEqual([]);
    expect(r.total).toBeGreaterThanOrEqual(3);
  });

  it.each(EXERCISE_SPECS.map((e) => [e.id, e.functionName] as const))("fails the stub of %s", (id, name) => {
    const r = checkResult(id, () => {
      throw new Error(`not implemented: ${name}`);
    });
    expect(r.passed).toBe(0);
    expect(r.draws[0].message).toBe(`your function threw Error: not implemented: ${name}`);
  });

  it("prints PASS or FAIL, the draws, and the first failure with expected and actual values", () => {
    const lines: string[] = [];
    const spy = vi.spyOn(console, "log").mockImplementation((s: string) => void lines.push(s));
    try {
      check("6.C.2", solutions.stayFriendlyFull);
      check("6.C.2", (k: number) => k / (k + 1));
    } finally {
      spy.mockRestore();
    }
    expect(lines[0]).toMatch(/^6\.C\.2 stayFriendlyFull: PASS \(4 of 4 checks\)\n {2}✓ k = \d+, ℓ = [\d.]+, p = [\d.]+/);
    expect(lines[1]).toMatch(/^6\.C\.2 stayFriendlyFull: FAIL \(\d of 4 checks\)/);
    expect(lines[1]).toMatch(/First failing check: stayFriendlyFull\(k = \d+, ℓ = [\d.]+, p = [\d.]+\)\n {2}expected [\d.]+, got [\d.]+\n {2}expected: [\d.]+\n {2}yours: {4}[\d.]+/);
  });

  it("names an unknown exercise id", () => {
    expect(() => checkResult("6.C.12", () => 0)).toThrow(/id must be one of 6\.C\.1, .*; got "6\.C\.12"/);
  });
});

describe("the graded draws", () => {
  it("are the same for the same seed and differ for another seed", () => {
    expect(drawsFor("6.C.5", { set: "graded" })).toEqual(drawsFor("6.C.5", { set: "graded" }));
    expect(drawsFor("6.C.5", { set: "graded", seed: "other" })).not.toEqual(drawsFor("6.C.5", { set: "graded" }));
  });

  it("include the edge cases p = 0, p = 1, k = 1 and ℓ near 0 and 1 for every 6.C exercise", () => {
    for (const e of EXERCISE_SPECS.filter((x) => x.workbook === "6C")) {
      const draws = drawsFor(e.id, { set: "graded" });
      const params = draws.map((d) => d.args[d.args.length - 1] as { luigiPrior: number; pFriendly: number });
      expect(params.some((p) => p.pFriendly === 0), e.id).toBe(true);
      expect(params.some((p) => p.pFriendly === 1), e.id).toBe(true);
      expect(params.some((p) => p.luigiPrior === 0.001), e.id).toBe(true);
      expect(params.some((p) => p.luigiPrior === 0.999), e.id).toBe(true);
      if (e.argNames[0] === "k") {
        expect(draws.some((d) => d.args[0] === 1), e.id).toBe(true);
        const ks = draws.map((d) => d.args[0] as number);
        if (e.answer === "matrix" || e.answer === "vector-set" || e.answer === "page-set-set") expect(Math.max(...ks), e.id).toBeLessThanOrEqual(6);
      }
    }
  });

  it("have reference answers that agree with an independent route", () => {
    const f = (n: number, l: number, p: number) => (l + (1 - l) * p ** (n + 1)) / (l + (1 - l) * p ** n);
    for (const d of drawsFor("6.C.5", { set: "graded" })) {
      // E[steps to the first U] = Σ_m P(no U in the first m steps), the tail summed as a geometric series.
      const [k, { luigiPrior: l, pFriendly: p }] = d.args as [number, { luigiPrior: number; pFriendly: number }];
      let survive = 1;
      let total = 0;
      for (let m = 0; m < k; m++) {
        total += survive;
        survive *= f(m, l, p);
      }
      const stay = f(k, l, p);
      const expected = stay === 1 && survive > 0 ? Infinity : total + survive / (1 - stay);
      expect(numbersClose(expected, expectedAnswer("6.C.5", d.args) as number, { rel: 1e-9, abs: 1e-9 }), JSON.stringify(d.args)).toBe(true);
    }
    for (const d of drawsFor("6.C.9", { set: "graded" })) {
      const [k, { luigiPrior: l, pFriendly: p }] = d.args as [number, { luigiPrior: number; pFriendly: number }];
      expect(expectedAnswer("6.C.9", d.args)).toBeCloseTo(f(k, l, p), 12);
    }
    for (const d of drawsFor("6.C.11", { set: "graded" })) {
      const [k, { pFriendly: p }] = d.args as [number, { pFriendly: number }];
      const expected = p === 0 || p === 1 ? [["F".repeat(k)], ["U".repeat(k)]] : [["U".repeat(k)]];
      expect((expectedAnswer("6.C.11", d.args) as string[][]).map((c) => c.join()).sort()).toEqual(expected.map((c) => c.join()).sort());
    }
  });
});
