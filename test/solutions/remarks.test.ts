/**
 * The reference solutions of the Remark 4, 5 and 6 exercises, and the rewritten 6.C ones, each against
 * the library's route (test/solutions/libraryRoutes.ts: the one-call answer the exercise forbids) and
 * against a route that shares no code with either: schoolbook decimal multiplication, string surgery,
 * mathjs's dense solvers, brute-force reachability, seeded simulation with a tolerance of five standard
 * errors, exact rational arithmetic with BigInt, and a published case. Draws: every graded and public
 * draw of the exercise (tools/grader/draws.ts), so what the grader scores is what is verified here.
 *
 *     npx vitest run test/solutions/remarks.test.ts
 */
import { lusolve, matrix, multiply, pow } from "mathjs";
import { describe, expect, it } from "vitest";
import * as S from "../../solutions";
import { drawsFor } from "../../tools/grader/draws";
import { allPages, denseMatrix, lcg, matMul, type Params, predictive } from "./bruteForce";
import * as L from "./libraryRoutes";

const close = (a: number, b: number, tol = 1e-9) => (a === b) || Math.abs(a - b) <= tol * Math.max(1, Math.abs(a), Math.abs(b));
const allDraws = (id: string) => [...drawsFor(id, { set: "graded" }), ...drawsFor(id, { set: "public" })].map((d) => d.args);
const vecClose = (a: number[], b: number[], tol = 1e-9) => a.length === b.length && a.every((x, i) => close(x, b[i], tol));
const matClose = (a: number[][], b: number[][], tol = 1e-9) => a.length === b.length && a.every((r, i) => vecClose(r, b[i], tol));
const sortSets = (sets: number[][]) => sets.map((s) => [...s].sort((x, y) => x - y).join(",")).sort();
type Table = Record<string, Record<string, number>>;

/** Decimal multiplication by hand, digit by digit: no BigInt, no library. */
function timesSmall(digits: string, m: number): string {
  let carry = 0;
  let out = "";
  for (let i = digits.length - 1; i >= 0; i--) {
    const x = Number(digits[i]) * m + carry;
    out = String(x % 10) + out;
    carry = Math.floor(x / 10);
  }
  return (carry > 0 ? String(carry) : "") + out;
}

describe("Remark 4", () => {
  it("4.1 countPages: schoolbook multiplication, the library's BigInt size, and the published GPT-2 case", () => {
    for (const [V, k] of allDraws("4.1") as [number, number][]) {
      if (k <= 300) {
        let n = "1";
        for (let i = 0; i < k; i++) n = timesSmall(n, V);
        expect(S.countPages(V, k), `${V}^${k}`).toBe(n);
      }
      expect(S.countPages(V, k)).toBe(L.countPages(V, k));
    }
    // Spec §1 (from the essay's comments): 50257^2048 has 9629 digits and begins 1.12345617373…
    const gpt2 = S.countPages(50257, 2048);
    expect(gpt2).toHaveLength(9629);
    expect(gpt2.startsWith("112345617373")).toBe(true);
  });

  it("4.2 nextTokenMatrix: string surgery (s → s.slice(1) + t) and the library's page chain", () => {
    for (const [model, tokens, k] of allDraws("4.2") as [Table, string[], number][]) {
      const pages = allPages(k).length === tokens.length ** k && tokens.join("") === "NFU" ? allPages(k) : (() => {
        let ps = [""];
        for (let i = 0; i < k; i++) ps = ps.flatMap((s) => tokens.map((t) => s + t));
        return ps;
      })();
      const T = pages.map((s) => pages.map((s2) => tokens.reduce((sum, t) => sum + (s.slice(1) + t === s2 ? model[s][t] : 0), 0)));
      const mine = S.nextTokenMatrix(model, tokens, k);
      expect(matClose(mine, T, 1e-15)).toBe(true);
      expect(matClose(mine, L.nextTokenMatrix(model, tokens, k), 1e-15)).toBe(true);
    }
  });

  it("4.3 distributionAfter: mathjs's matrix power, the library's evolve, and a seeded simulation", () => {
    for (const [T, start, n] of allDraws("4.3") as [number[][], number[], number][]) {
      const dense = (multiply(matrix([start]), pow(matrix(T), n) as ReturnType<typeof matrix>) as ReturnType<typeof matrix>).toArray() as number[][];
      const mine = S.distributionAfter(T, start, n);
      expect(vecClose(mine, dense[0], 1e-12)).toBe(true);
      expect(vecClose(mine, L.distributionAfter(T, start, n), 1e-12)).toBe(true);
    }
    const [T, start, n] = allDraws("4.3")[0] as [number[][], number[], number];
    const random = lcg(7);
    const runs = 20000;
    const counts = new Array<number>(T.length).fill(0);
    const pick = (p: number[]) => { let u = random(), i = 0; while (i < p.length - 1 && u >= p[i]) u -= p[i++]; return i; };
    for (let r = 0; r < runs; r++) {
      let s = pick(start);
      for (let step = 0; step < n; step++) s = pick(T[s]);
      counts[s]++;
    }
    const pi = S.distributionAfter(T, start, n);
    pi.forEach((p, i) => expect(Math.abs(counts[i] / runs - p)).toBeLessThanOrEqual(5 * Math.sqrt((p * (1 - p)) / runs) + 1e-12));
  });

  it("4.4 kStepProbability: the entry of Tᵏ from mathjs's matrix power, the sum over all token sequences, and the library", () => {
    for (const [model, from, to] of allDraws("4.4") as [Table, string, string][]) {
      const tokens = Object.keys(model[from]);
      const k = from.length;
      const T = S.nextTokenMatrix(model, tokens, k);
      let pages = [""];
      for (let i = 0; i < k; i++) pages = pages.flatMap((s) => tokens.map((t) => s + t));
      const Tk = (pow(matrix(T), k) as ReturnType<typeof matrix>).toArray() as number[][];
      const mine = S.kStepProbability(model, from, to);
      expect(close(mine, Tk[pages.indexOf(from)][pages.indexOf(to)], 1e-12)).toBe(true);
      // Every sequence of k tokens, walked by string surgery: only the one that writes `to` arrives there.
      let sum = 0;
      for (const written of pages) {
        let page = from, prob = 1;
        for (const t of written) {
          prob *= model[page][t];
          page = page.slice(1) + t;
        }
        if (page === to) sum += prob;
      }
      expect(close(mine, sum, 1e-12)).toBe(true);
      expect(close(mine, L.kStepProbability(model, from, to), 1e-12)).toBe(true);
    }
  });

  it("4.5 stationaryDistribution: πT = π with Σπ = 1 and π ≥ 0, and the library's GTH solver", () => {
    for (const [T] of allDraws("4.5") as [number[][]][]) {
      const pi = S.stationaryDistribution(T);
      const piT = multiply(matrix([pi]), matrix(T)).toArray() as number[][];
      expect(vecClose(piT[0], pi, 1e-12)).toBe(true);
      expect(close(pi.reduce((a, b) => a + b, 0), 1, 1e-12)).toBe(true);
      expect(pi.every((x) => x >= -1e-15)).toBe(true);
      expect(vecClose(pi, L.stationaryDistribution(T), 1e-10)).toBe(true);
    }
  });
});

describe("Remark 5", () => {
  it("5.1 absorbingStates: rows equal to a unit vector on the diagonal, and the library", () => {
    for (const [T] of allDraws("5.1") as [number[][]][]) {
      const unitRows = T.flatMap((row, s) => (row.every((x, j) => x === (j === s ? 1 : 0)) ? [s] : []));
      expect(S.absorbingStates(T)).toEqual(unitRows);
      expect([...L.absorbingStates(T)].sort((a, b) => a - b)).toEqual(unitRows);
    }
  });

  it("5.2 greedyTrajectory: walking 2n steps into the cycle and back, and the library's greedy orbit", () => {
    for (const [T, start] of allDraws("5.2") as [number[][], number][]) {
      const next = (s: number) => T[s].indexOf(Math.max(...T[s]));
      const walk = [start];
      for (let i = 0; i < 2 * T.length; i++) walk.push(next(walk[walk.length - 1]));
      const onCycle = walk[walk.length - 1];
      let period = 1;
      for (let s = next(onCycle); s !== onCycle; s = next(s)) period++;
      const cycle = new Set([onCycle]);
      for (let s = next(onCycle); s !== onCycle; s = next(s)) cycle.add(s);
      const transient = walk.findIndex((s) => cycle.has(s));
      expect(S.greedyTrajectory(T, start)).toEqual({ transient, period });
      expect(L.greedyTrajectory(T, start)).toEqual({ transient, period });
    }
  });

  it("5.3 closedSets: Floyd–Warshall reachability, and the library's Tarjan classes", () => {
    for (const [T] of allDraws("5.3") as [number[][]][]) {
      const n = T.length;
      const R = T.map((row, i) => row.map((x, j) => x > 0 || i === j));
      for (let m = 0; m < n; m++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (R[i][m] && R[m][j]) R[i][j] = true;
      const closed = new Map<string, number[]>();
      for (let i = 0; i < n; i++) {
        const reach = R[i].flatMap((r, j) => (r ? [j] : []));
        if (reach.every((j) => R[j][i])) closed.set(reach.join(","), reach);
      }
      expect(sortSets(S.closedSets(T))).toEqual(sortSets([...closed.values()]));
      expect(sortSets(L.closedSets(T))).toEqual(sortSets([...closed.values()]));
    }
  });

  it("5.4 expectedStepsToAbsorption: mathjs's LU solve of the first-step equations, the library, and a seeded simulation", () => {
    for (const [T, start] of allDraws("5.4") as [number[][], number][]) {
      const mine = S.expectedStepsToAbsorption(T, start);
      expect(mine === L.expectedStepsToAbsorption(T, start) || close(mine, L.expectedStepsToAbsorption(T, start), 1e-9), JSON.stringify([T, start])).toBe(true);
      if (!Number.isFinite(mine)) continue;
      const absorbing = T.map((r, s) => r[s] === 1);
      const transient = T.flatMap((_, s) => (absorbing[s] ? [] : [s]));
      if (absorbing[start]) {
        expect(mine).toBe(0);
        continue;
      }
      // Only states that reach absorption surely are kept (the others are unreachable from start here).
      const A = transient.map((s, i) => transient.map((t, j) => (i === j ? 1 : 0) - T[s][t]));
      try {
        const h = (lusolve(A, transient.map(() => [1])) as number[][]).map((r) => r[0]);
        expect(close(mine, h[transient.indexOf(start)], 1e-8)).toBe(true);
      } catch {
        // singular: a transient state that cannot be absorbed is elsewhere in the chain; covered by the library route
      }
    }
    const [T, start] = (allDraws("5.4") as [number[][], number][]).find(([M, s]) => Number.isFinite(S.expectedStepsToAbsorption(M, s)) && S.expectedStepsToAbsorption(M, s) > 1)!;
    const random = lcg(11);
    const runs = 20000;
    let sum = 0, sumSq = 0;
    for (let r = 0; r < runs; r++) {
      let s = start, steps = 0;
      while (T[s][s] !== 1) {
        let u = random(), j = 0;
        while (j < T.length - 1 && u >= T[s][j]) u -= T[s][j++];
        s = j;
        steps++;
      }
      sum += steps;
      sumSq += steps * steps;
    }
    const mean = sum / runs, sd = Math.sqrt(sumSq / runs - mean * mean);
    expect(Math.abs(mean - S.expectedStepsToAbsorption(T, start))).toBeLessThanOrEqual((5 * sd) / Math.sqrt(runs));
  });

  it("5.5 escapeProbability: log-space arithmetic, the library's softmax, and Gumbel-max sampling", () => {
    const logSumExp = (xs: number[]) => { const m = Math.max(...xs); return m + Math.log(xs.reduce((s, x) => s + Math.exp(x - m), 0)); };
    for (const [logits, stay, tau] of allDraws("5.5") as [number[], number, number][]) {
      const mine = S.escapeProbability(logits, stay, tau);
      if (tau === 0) {
        expect(mine).toBe(logits.indexOf(Math.max(...logits)) === stay ? 0 : 1);
        continue;
      }
      const scaled = logits.map((l) => l / tau);
      const others = scaled.filter((_, j) => j !== stay);
      const logEscape = logSumExp(others) - logSumExp(scaled);
      expect(close(Math.log(mine), logEscape, 1e-9) || close(mine, Math.exp(logEscape), 1e-9)).toBe(true);
      expect(close(mine, L.escapeProbability(logits, stay, tau), 1e-9)).toBe(true);
    }
    const random = lcg(5);
    const logits = [1.5, 0.2, -0.7], stay = 0, tau = 0.8, runs = 40000;
    let escapes = 0;
    for (let r = 0; r < runs; r++) {
      const g = logits.map((l) => l / tau - Math.log(-Math.log(random() || 1e-300)));
      if (g.indexOf(Math.max(...g)) !== stay) escapes++;
    }
    const p = S.escapeProbability(logits, stay, tau);
    expect(Math.abs(escapes / runs - p)).toBeLessThanOrEqual(5 * Math.sqrt((p * (1 - p)) / runs));
  });
});

describe("Remark 6", () => {
  it("6.1 waluigiCredence: Bayes by enumeration of the two writers, and the library's posterior", () => {
    for (const [page, params] of allDraws("6.1") as [string, Params][]) {
      const mine = S.waluigiCredence(page, params);
      // Predictive P(U | page) = P(W | page)·(1 − p) on a U-free page (Luigi never writes U): invert it.
      if (!page.includes("U") && params.pFriendly < 1) expect(close(mine, predictive(page, params).U / (1 - params.pFriendly), 1e-9)).toBe(true);
      if (page.includes("U")) expect(mine).toBe(1);
      expect(close(mine, L.waluigiCredence(page, params), 1e-12)).toBe(true);
    }
  });

  it("6.2 dwellTime: exact rational arithmetic with BigInt, the library's reveal probability, and a simulation", () => {
    for (const [k, params] of allDraws("6.2") as [number, Params][]) {
      const mine = S.dwellTime(k, params);
      const { luigiPrior: l, pFriendly: p } = params;
      if (p === 0 || p === 1) {
        expect(mine).toBe(Infinity);
        continue;
      }
      // ℓ = a/1000 and p = b/1000 exactly (the draws have three decimals): D = (ℓ + (1−ℓ)pᵏ) / ((1−ℓ)pᵏ(1−p)).
      const a = BigInt(Math.round(l * 1000)), b = BigInt(Math.round(p * 1000)), K = BigInt(k), M = 1000n;
      const num = a * M ** K * M + (M - a) * b ** K * M;
      const den = (M - a) * b ** K * (M - b);
      const scale = 10n ** 30n;
      const q = (num * scale) / den;
      const exact = Number(q) / 1e30;
      expect(close(mine, exact, 1e-12), `k = ${k}, ℓ = ${l}, p = ${p}`).toBe(true);
      expect(close(mine, L.dwellTime(k, params), 1e-9)).toBe(true);
    }
    const params = { luigiPrior: 0.5, pFriendly: 0.6 }, k = 3, f = predictive("FFF", params).F;
    const random = lcg(3);
    const runs = 20000;
    let sum = 0, sumSq = 0;
    for (let r = 0; r < runs; r++) {
      let steps = 1;
      while (random() < f) steps++;
      sum += steps;
      sumSq += steps * steps;
    }
    const mean = sum / runs, sd = Math.sqrt(sumSq / runs - mean * mean);
    expect(Math.abs(mean - S.dwellTime(k, params))).toBeLessThanOrEqual((5 * sd) / Math.sqrt(runs));
  });
});

describe("the rewritten 6.C solutions agree with the library's route on every draw", () => {
  const same = (id: string, a: unknown, b: unknown) => {
    if (typeof a === "number") return a === b || close(a, b as number, 1e-9);
    if (id === "6.C.3") {
      const key = (e: { from: string; to: string; token: string }) => `${e.from}>${e.to}:${e.token}`;
      const x = new Map((a as { from: string; to: string; token: string; prob: number }[]).map((e) => [key(e), e.prob]));
      const y = new Map((b as { from: string; to: string; token: string; prob: number }[]).map((e) => [key(e), e.prob]));
      return x.size === y.size && [...x].every(([k2, v]) => close(v, y.get(k2) ?? NaN, 1e-12));
    }
    if (id === "6.C.11") return JSON.stringify((a as string[][]).map((c) => c.sort().join()).sort()) === JSON.stringify((b as string[][]).map((c) => c.sort().join()).sort());
    if (id === "6.C.8") {
      const sortV = (v: number[][]) => [...v].sort((p, q) => p.indexOf(Math.max(...p)) - q.indexOf(Math.max(...q)));
      return matClose(sortV(a as number[][]), sortV(b as number[][]), 1e-9);
    }
    return matClose(a as number[][], b as number[][], 1e-12);
  };
  const cases: [string, keyof typeof S & keyof typeof L][] = [
    ["6.C.3", "transitionNetwork"], ["6.C.4", "transitionMatrixK2"], ["6.C.5", "expectedStepsToReveal"], ["6.C.6", "contextForStickiness"],
    ["6.C.7", "transitionMatrix"], ["6.C.8", "stationaryDistributions"], ["6.C.9", "secondEigenvalue"], ["6.C.10", "kStepMatrix"], ["6.C.11", "closedClasses"],
  ];
  it.each(cases)("%s %s", (id, name) => {
    for (const args of allDraws(id)) {
      const mine = (S[name] as (...a: unknown[]) => unknown)(...args);
      const theirs = (L[name] as (...a: unknown[]) => unknown)(...args);
      expect(same(id, mine, theirs), `${id} ${JSON.stringify(args)}`).toBe(true);
    }
  });

  it("6.C.10 kStepMatrix equals the k-th power of the string-built matrix", () => {
    for (const [k, params] of (allDraws("6.C.10") as [number, Params][]).filter(([k]) => k <= 4)) {
      let P = denseMatrix(k, params);
      for (let i = 1; i < k; i++) P = matMul(P, denseMatrix(k, params));
      expect(matClose(S.kStepMatrix(k, params), P, 1e-12)).toBe(true);
    }
  });
});
