/**
 * Hitting probabilities, expected hitting times and absorption: on seeded random chains they satisfy
 * their first-step equations and agree with a dense solve written in the test, with 0, 1 and ∞ placed
 * by brute-force reachability; cases with closed forms check the accuracy of nearly-sure self-loops
 * and the route for blocks above DENSE_LIMIT (sparse elimination; the certified iteration is tested in exact-large.test.ts).
 *
 *     npx vitest run test/lib/hitting.test.ts
 */
import { describe, expect, it } from "vitest";
import { DENSE_LIMIT, MarkovChain, SparseStochasticMatrix } from "../../src/index";
import { type Dense, denseSolve, expectClose, randInt, randomChain, randomPeriodicChain, reachability, seeded, shuffle } from "./support";

/** States from which `to` (a set) is reachable while moving only through `through` states. */
function canReach(P: Dense, to: Set<number>, through: (i: number) => boolean): boolean[] {
  const n = P.length;
  const ok = Array.from({ length: n }, (_, i) => to.has(i));
  let changed = true;
  while (changed) {
    changed = false;
    for (let i = 0; i < n; i++) {
      if (ok[i] || !through(i)) continue;
      if (P[i].some((p, j) => p > 0 && ok[j])) ok[i] = changed = true;
    }
  }
  return ok;
}

/** Reference values by brute-force reachability plus a dense solve on the undetermined states. */
function reference(P: Dense, target: number[]): { prob: number[]; time: number[] } {
  const n = P.length;
  const isTarget = new Set(target);
  const can = canReach(P, isTarget, () => true);
  const never = new Set([...Array(n).keys()].filter((i) => !can[i]));
  // reaching a never-state while avoiding the target: probability < 1, time ∞
  const risky = canReach(P, never, (i) => !isTarget.has(i));
  const prob = new Array<number>(n).fill(0);
  const time = new Array<number>(n).fill(0);
  const solve = (unknown: number[], constant: number, known: (j: number) => number): number[] => {
    const pos = new Map(unknown.map((s, a) => [s, a]));
    const A = unknown.map((i, a) => unknown.map((j, b) => (a === b ? 1 : 0) - P[i][j]));
    const b = unknown.map((i) => constant + P[i].reduce((s, p, j) => (pos.has(j) || p === 0 ? s : s + p * known(j)), 0));
    return denseSolve(A, b);
  };
  const probUnknown = [...Array(n).keys()].filter((i) => can[i] && !isTarget.has(i) && risky[i]);
  const px = solve(probUnknown, 0, (j) => (isTarget.has(j) ? 1 : can[j] && !risky[j] ? 1 : 0));
  for (let i = 0; i < n; i++) prob[i] = isTarget.has(i) ? 1 : !can[i] ? 0 : risky[i] ? px[probUnknown.indexOf(i)] : 1;
  const timeUnknown = [...Array(n).keys()].filter((i) => !isTarget.has(i) && !risky[i]);
  const tx = solve(timeUnknown, 1, () => 0);
  for (let i = 0; i < n; i++) time[i] = isTarget.has(i) ? 0 : risky[i] ? Infinity : tx[timeUnknown.indexOf(i)];
  return { prob, time };
}

const rand = seeded("hitting");
const cases: { P: Dense; target: number[] }[] = [];
for (let t = 0; t < 40; t++) {
  const n = 2 + randInt(rand, 40);
  const P = t % 4 === 3 ? randomPeriodicChain(rand, 2 + randInt(rand, 3), 1 + randInt(rand, 3), randInt(rand, 8)) : randomChain(rand, { n, perRow: 1 + randInt(rand, 3), absorbing: randInt(rand, 3), cycle: t % 5 === 0 });
  const target = shuffle(rand, [...Array(P.length).keys()]).slice(0, 1 + randInt(rand, Math.max(1, P.length >> 2)));
  cases.push({ P, target });
}

describe("hitting probabilities and expected hitting times on random chains", () => {
  it("agree with brute-force reachability plus a dense solve", () => {
    for (const { P, target } of cases) {
      const chain = MarkovChain.fromDense(P);
      const want = reference(P, target);
      expectClose(Array.from(chain.hittingProbabilities(target)), want.prob, 1e-12, 0, "probabilities");
      expectClose(Array.from(chain.expectedHittingTimes(target)), want.time, 1e-12, 1e-10, "times");
    }
  });

  it("agree with the reference when the target holds most states (few unknowns, solved in sorted class order)", () => {
    // With at most a sixteenth of the states unknown the solver finds them in memory order and sorts
    // them by class instead of walking every class (the waluigi chain's pages without a U).
    const r = seeded("hitting-large-targets");
    let blocks = 0, sortedRoute = 0;
    for (let t = 0; t < 60; t++) {
      const n = 48 + randInt(r, 200);
      const P = t % 3 === 2 ? randomPeriodicChain(r, 2 + randInt(r, 3), 2 + randInt(r, 3), randInt(r, 8)) : randomChain(r, { n, perRow: 1 + randInt(r, 3), absorbing: randInt(r, 3), cycle: t % 4 === 0 });
      const m = P.length;
      const unknown = Math.max(1, Math.floor(m / 16));
      if (unknown <= Math.floor(m / 16)) sortedRoute++;
      const target = shuffle(r, [...Array(m).keys()]).slice(0, m - unknown);
      const chain = MarkovChain.fromDense(P);
      const want = reference(P, target);
      expectClose(Array.from(chain.hittingProbabilities(target)), want.prob, 1e-12, 0, "probabilities");
      expectClose(Array.from(chain.expectedHittingTimes(target)), want.time, 1e-12, 1e-10, "times");
      const inTarget = new Set(target);
      if (chain.communicatingClasses.some((cl) => cl.filter((s) => !inTarget.has(s)).length > 1)) blocks++;
    }
    expect(sortedRoute, "most cases take the sorted route").toBeGreaterThan(30);
    expect(blocks, "some cases leave several unknown states in one class").toBeGreaterThan(3);
  });

  it("satisfy the first-step equations h = Th and t = 1 + Tt off the target", () => {
    for (const { P, target } of cases) {
      const chain = MarkovChain.fromDense(P);
      const h = chain.hittingProbabilities(target), t = chain.expectedHittingTimes(target);
      for (let i = 0; i < P.length; i++) {
        if (target.includes(i)) {
          expect(h[i]).toBe(1);
          expect(t[i]).toBe(0);
          continue;
        }
        const Th = P[i].reduce((s, p, j) => s + p * h[j], 0);
        expect(Math.abs(h[i] - Th), `h(${i})`).toBeLessThan(1e-13);
        if (Number.isFinite(t[i])) {
          const Tt = P[i].reduce((s, p, j) => (p === 0 ? s : s + p * t[j]), 0);
          expect(Math.abs(t[i] - 1 - Tt) / t[i], `t(${i})`).toBeLessThan(1e-12);
        } else {
          expect(h[i], `t(${i}) = ∞ only where hitting is not sure`).toBeLessThan(1);
        }
      }
    }
  });

  it("a target mask (Uint8Array of length n) means the same as the list of its states", () => {
    for (const { P, target } of cases.slice(0, 10)) {
      const chain = MarkovChain.fromDense(P);
      const mask = new Uint8Array(P.length);
      target.forEach((s) => (mask[s] = 1));
      expect(Array.from(chain.expectedHittingTimes(mask))).toEqual(Array.from(chain.expectedHittingTimes(target)));
      expect(Array.from(chain.hittingProbabilities(mask))).toEqual(Array.from(chain.hittingProbabilities(target)));
    }
  });

  it("a mask that is a view at any byte offset means the same, and a byte other than 0 or 1 anywhere in it is an error", () => {
    // The mask is read four bytes at a time from its first 4-byte boundary: every offset puts the
    // unaligned head, the words and the tail at different states.
    const r = seeded("hitting-mask-views");
    for (let t = 0; t < 24; t++) {
      const P = randomChain(r, { n: 5 + randInt(r, 40), perRow: 1 + randInt(r, 3), absorbing: randInt(r, 3), cycle: t % 3 === 0 });
      const n = P.length, chain = MarkovChain.fromDense(P);
      const target = shuffle(r, [...Array(n).keys()]).slice(0, 1 + randInt(r, n - 1));
      const times = Array.from(chain.expectedHittingTimes(target)), probs = Array.from(chain.hittingProbabilities(target));
      const offset = t % 4;
      const mask = new Uint8Array(n + 8).subarray(offset, offset + n);
      target.forEach((s) => (mask[s] = 1));
      expect(Array.from(chain.expectedHittingTimes(mask)), `offset ${offset}`).toEqual(times);
      expect(Array.from(chain.hittingProbabilities(mask)), `offset ${offset}`).toEqual(probs);
      for (const bad of [0, 1, Math.floor(n / 2), n - 1]) {
        const wrong = mask.slice(), value = [2, 3, 128, 255][randInt(r, 4)];
        wrong[bad] = value;
        const view = new Uint8Array(n + 8).subarray(offset, offset + n);
        view.set(wrong);
        expect(() => chain.expectedHittingTimes(view)).toThrow(`target as a mask must hold only 0 and 1; got ${value} at state ${bad}`);
      }
    }
  });
});

describe("absorption", () => {
  it("absorption probabilities sum to 1 from every state, are 1 on their own class, and times are 0 there", () => {
    for (const { P } of cases) {
      const chain = MarkovChain.fromDense(P);
      const probs = chain.absorptionProbabilities;
      const reach = reachability(P);
      for (let i = 0; i < P.length; i++) {
        expect(Math.abs(probs.reduce((s, v) => s + v[i], 0) - 1), `state ${i}`).toBeLessThan(1e-12);
        chain.closedClasses.forEach((cl, k) => {
          if (cl.includes(i)) expect(probs[k][i]).toBe(1);
          if (!cl.some((j) => reach[i][j])) expect(probs[k][i]).toBe(0);
        });
      }
      const times = chain.expectedAbsorptionTimes;
      for (const cl of chain.closedClasses) for (const s of cl) expect(times[s]).toBe(0);
      for (const s of chain.transientStates) expect(times[s]).toBeGreaterThanOrEqual(1);
    }
  });
});

describe("closed forms", () => {
  it("a self-loop of 1 − 1e-12 gives an expected stay of 1e12 to full precision", () => {
    // 1 − fl(1 − 1e-12) is off by ~1e-4 relative; the exit probability 1e-12 itself is exact.
    const chain = MarkovChain.fromDense([[1 - 1e-12, 1e-12], [0, 1]]);
    expect(Math.abs(chain.expectedAbsorptionTimes[0] - 1e12) / 1e12).toBeLessThan(1e-15);
  });

  it("a two-state transient block leaking 1e-12 per visit: t0 = 2/ε, t1 = 2 + 2/ε", () => {
    const eps = 1e-12;
    const chain = MarkovChain.fromDense([[0.5 - eps, 0.5, eps], [0.5, 0.5, 0], [0, 0, 1]]);
    const t = chain.expectedAbsorptionTimes;
    expect(Math.abs(t[0] - 2 / eps) / (2 / eps)).toBeLessThan(1e-14);
    expect(Math.abs(t[1] - (2 + 2 / eps)) / (2 / eps)).toBeLessThan(1e-14);
  });

  it(`a transient ring of 3000 > DENSE_LIMIT = ${DENSE_LIMIT} states (sparse elimination): time 1/e, even split`, () => {
    // Ring state i moves on with 1 − e and is absorbed in A or B with e/2 each: the time to
    // absorption is geometric with mean 1/e from every ring state, and A and B are equally likely.
    const n = 3000, e = 0.01, A = n, B = n + 1;
    const rowStart = new Int32Array(n + 3), col: number[] = [], val: number[] = [];
    for (let i = 0; i < n; i++) {
      col.push((i + 1) % n, A, B);
      val.push(1 - e, e / 2, e / 2);
      rowStart[i + 1] = col.length;
    }
    col.push(A, B);
    val.push(1, 1);
    rowStart[n + 1] = col.length - 1;
    rowStart[n + 2] = col.length;
    const chain = new MarkovChain(new SparseStochasticMatrix(n + 2, rowStart, Int32Array.from(col), Float64Array.from(val)));
    expect(chain.communicatingClasses.some((cl) => cl.length > DENSE_LIMIT)).toBe(true);
    const t = chain.expectedAbsorptionTimes;
    for (let i = 0; i < n; i++) expect(Math.abs(t[i] - 1 / e) / (1 / e)).toBeLessThan(1e-12);
    const toA = chain.absorptionProbabilities[chain.closedClasses.findIndex((cl) => cl[0] === A)];
    for (let i = 0; i < n; i++) expect(Math.abs(toA[i] - 0.5)).toBeLessThan(1e-12);
  });
});
