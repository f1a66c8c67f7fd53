/**
 * First-passage distributions and simulated first-passage times (src/firstPassage.ts), checked
 * against brute-force path enumeration, an elementary closed form, and the library's hitting-time
 * solver with tolerances derived from the sample size.
 *
 *     npx vitest run test/course-lib/firstPassage.test.ts
 */
import { describe, expect, it } from "vitest";
import { MarkovChain, SparseStochasticMatrix, firstPassageCdf, rng, simulateFirstPassage } from "../../src";

/** A seeded random stochastic matrix with some zero entries. */
function randomRows(n: number, seed: string): number[][] {
  const random = rng(seed);
  return Array.from({ length: n }, () => {
    const row = Array.from({ length: n }, () => (random() < 0.3 ? 0 : random()));
    if (row.every((v) => v === 0)) row[0] = 1;
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((v) => v / total);
  });
}

/** P(τ ≤ horizon) by enumerating every path of `horizon` steps (independent of the library). */
function bruteForceCdf(rows: number[][], start: number, target: Set<number>, horizon: number): number {
  let total = 0;
  const walk = (state: number, prob: number, steps: number) => {
    if (prob === 0) return;
    if (target.has(state)) {
      total += prob;
      return;
    }
    if (steps === horizon) return;
    rows[state].forEach((p, next) => walk(next, prob * p, steps + 1));
  };
  walk(start, 1, 0);
  return total;
}

describe("firstPassageCdf", () => {
  it("matches brute-force path enumeration on random chains", () => {
    for (const seed of ["a", "b", "c"]) {
      const rows = randomRows(5, seed);
      const T = SparseStochasticMatrix.fromDense(rows);
      const target = [3, 4];
      for (const start of [0, 1, 2]) {
        const cdf = firstPassageCdf(T, start, target, 7);
        for (let n = 0; n <= 7; n++) expect(cdf[n]).toBeCloseTo(bruteForceCdf(rows, start, new Set(target), n), 12);
      }
    }
  });

  it("gives the geometric law 1 − (1 − q)^n for one leaky state", () => {
    const q = 0.3;
    const cdf = firstPassageCdf(SparseStochasticMatrix.fromDense([[1 - q, q], [0, 1]]), 0, [1], 20);
    cdf.forEach((v, n) => expect(v).toBeCloseTo(1 - (1 - q) ** n, 14));
  });

  it("mixes per-state curves for a start distribution, and is 1 from inside the target", () => {
    const rows = randomRows(4, "mix");
    const T = SparseStochasticMatrix.fromDense(rows);
    const a = firstPassageCdf(T, 0, [3], 6), b = firstPassageCdf(T, 1, [3], 6);
    const mixed = firstPassageCdf(T, [0.25, 0.75, 0, 0], [3], 6);
    mixed.forEach((v, n) => expect(v).toBeCloseTo(0.25 * a[n] + 0.75 * b[n], 14));
    expect(Array.from(firstPassageCdf(T, 3, [3], 4))).toEqual([1, 1, 1, 1, 1]);
    // A mask and a list of states describe the same target.
    expect(Array.from(firstPassageCdf(T, 0, Uint8Array.of(0, 0, 0, 1), 6))).toEqual(Array.from(a));
  });

  it("names the argument in its errors", () => {
    const T = SparseStochasticMatrix.fromDense([[0.5, 0.5], [0, 1]]);
    expect(() => firstPassageCdf(T, 2, [1], 3)).toThrow(/start must be an integer in \[0, 1\]; got 2/);
    expect(() => firstPassageCdf(T, 0, [5], 3)).toThrow(/target\[0\] must be an integer in \[0, 1\]; got 5/);
    expect(() => firstPassageCdf(T, 0, [1], -1)).toThrow(/horizon must be an integer ≥ 0; got -1/);
    expect(() => firstPassageCdf(T, [0.5, 0.6], [1], 3)).toThrow(/start must sum to 1/);
    expect(() => firstPassageCdf(T, 0, Uint8Array.of(0, 2), 3)).toThrow(/target as a mask must hold only 0 and 1; got 2/);
    expect(() => firstPassageCdf(T, 0, null as unknown as number[], 3)).toThrow(/target must be a list of states/);
    // Dense rows instead of the sparse matrix: the message names T, not a missing method.
    const rows = [[0.5, 0.5], [0, 1]] as unknown as typeof T;
    expect(() => firstPassageCdf(rows, 0, [1], 3)).toThrow(/T must be a SparseStochasticMatrix.*got \[\[0\.5/);
    expect(() => simulateFirstPassage(rows, 0, [1], 1, 5, 1)).toThrow(/T must be a SparseStochasticMatrix/);
  });
});

describe("simulateFirstPassage", () => {
  const rows = randomRows(6, "sim");
  // State 5 is a trap outside the target, so some runs never arrive.
  rows[5] = [0, 0, 0, 0, 0, 1];
  const chain = MarkovChain.fromDense(rows);
  const target = [4];
  const runs = 20_000;
  const times = simulateFirstPassage(chain.T, 0, target, runs, 10_000, "fp-seed");

  it("is reproducible from its seed and changes with it", () => {
    expect(Array.from(simulateFirstPassage(chain.T, 0, target, 200, 10_000, "fp-seed"))).toEqual(Array.from(times.slice(0, 200)));
    expect(Array.from(simulateFirstPassage(chain.T, 0, target, 200, 10_000, "other"))).not.toEqual(Array.from(times.slice(0, 200)));
  });

  it("has the exact first-passage law within 5 binomial standard errors", () => {
    const exact = firstPassageCdf(chain.T, 0, target, 12);
    for (let n = 0; n <= 12; n++) {
      const freq = times.filter((t) => t >= 0 && t <= n).length / runs;
      const se = Math.sqrt(Math.max(exact[n] * (1 - exact[n]), 1 / runs) / runs);
      expect(Math.abs(freq - exact[n])).toBeLessThanOrEqual(5 * se);
    }
    // Runs that never arrive: 1 − the hitting probability from the library's solver.
    const never = 1 - chain.hittingProbabilities(target)[0];
    const se = Math.sqrt(never * (1 - never) / runs);
    expect(Math.abs(times.filter((t) => t === -1).length / runs - never)).toBeLessThanOrEqual(5 * se);
  });

  it("has the library's expected hitting time as its mean, when arrival is sure", () => {
    const sure = randomRows(5, "sure");
    const c = MarkovChain.fromDense(sure);
    const t = simulateFirstPassage(c.T, 0, [4], runs, 100_000, 7);
    expect(t.every((x) => x >= 0)).toBe(true);
    const mean = t.reduce((a, b) => a + b, 0) / runs;
    const sd = Math.sqrt(t.reduce((a, b) => a + (b - mean) ** 2, 0) / (runs - 1));
    const exact = c.expectedHittingTimes([4])[0];
    expect(Math.abs(mean - exact)).toBeLessThanOrEqual(5 * sd / Math.sqrt(runs));
  });

  it("stops at maxSteps and reports -1, and names the argument in its errors", () => {
    const T = SparseStochasticMatrix.fromDense([[1, 0], [0, 1]]);
    expect(Array.from(simulateFirstPassage(T, 0, [1], 3, 50, 1))).toEqual([-1, -1, -1]);
    expect(Array.from(simulateFirstPassage(T, 1, [1], 2, 0, 1))).toEqual([0, 0]);
    expect(() => simulateFirstPassage(T, 0, [1], 0, 5, 1)).toThrow(/runs must be an integer ≥ 1; got 0/);
    expect(() => simulateFirstPassage(T, 0, [1], 1, -5, 1)).toThrow(/maxSteps must be an integer in \[0, 2147483647\]; got -5/);
    expect(() => simulateFirstPassage(T, 3, [1], 1, 5, 1)).toThrow(/start must be an integer in \[0, 1\]; got 3/);
  });
});
