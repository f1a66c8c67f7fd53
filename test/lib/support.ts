/**
 * Shared helpers for the library tests: seeded random chains, and dense reference routes (matrix
 * products, Gaussian elimination, brute-force reachability) written here from scratch so that no
 * expected value is produced by the code under test.
 *
 *     const rand = seeded("classes-1");
 *     const T = randomChain(rand, { n: 30, perRow: 2, absorbing: 2 });   // number[][]
 *     const T2 = matMul(T, T);
 */
import seedrandom from "seedrandom";
import { expect } from "vitest";

export type Rand = () => number;
export type Dense = number[][];

export const seeded = (seed: string): Rand => seedrandom.alea(seed);

export function randInt(rand: Rand, n: number): number {
  return Math.floor(rand() * n);
}

export function shuffle<T>(rand: Rand, items: T[]): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = randInt(rand, i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

export interface RandomChainOptions {
  n: number;
  /** Random positive entries per row (before the structure below is added). */
  perRow?: number;
  /** Make these many states absorbing (T[s, s] = 1). */
  absorbing?: number;
  /** Add a random Hamiltonian cycle (makes the chain irreducible unless states are absorbing). */
  cycle?: boolean;
  /** Permute states at the end so no structure is contiguous. */
  permute?: boolean;
}

/** A random stochastic matrix (dense rows); sparse unless perRow ≥ n. */
export function randomChain(rand: Rand, options: RandomChainOptions): Dense {
  const { n, perRow = 2, absorbing = 0, cycle = false, permute = true } = options;
  const a: Dense = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < perRow; r++) a[i][randInt(rand, n)] += 0.05 + rand();
  }
  if (cycle) {
    const order = shuffle(rand, [...Array(n).keys()]);
    for (let i = 0; i < n; i++) a[order[i]][order[(i + 1) % n]] += 0.05 + rand();
  }
  for (let s = 0; s < Math.min(absorbing, n); s++) {
    a[s].fill(0);
    a[s][s] = 1;
  }
  for (const row of a) {
    const z = row.reduce((x, y) => x + y, 0);
    for (let j = 0; j < n; j++) row[j] /= z;
  }
  return permute ? permuteDense(a, shuffle(rand, [...Array(n).keys()])) : a;
}

/** A chain whose only closed class is a cyclic block of `period` groups, plus transient states. */
export function randomPeriodicChain(rand: Rand, period: number, groupSize: number, transient: number): Dense {
  const m = period * groupSize, n = m + transient;
  const a: Dense = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let g = 0; g < period; g++) {
    const next = (g + 1) % period;
    for (let i = 0; i < groupSize; i++) {
      const s = g * groupSize + i;
      a[s][next * groupSize + i] += 0.5;
      a[s][next * groupSize + randInt(rand, groupSize)] += rand();
    }
  }
  for (let t = m; t < n; t++) {
    a[t][randInt(rand, t)] += 0.1 + rand(); // towards an earlier state: the transient states drain
    a[t][randInt(rand, n)] += rand();
  }
  for (const row of a) {
    const z = row.reduce((x, y) => x + y, 0);
    for (let j = 0; j < n; j++) row[j] /= z;
  }
  return permuteDense(a, shuffle(rand, [...Array(n).keys()]));
}

/** B[i][j] = A[p[i]][p[j]]: relabels state p[i] as i. */
export function permuteDense(a: Dense, p: number[]): Dense {
  return p.map((pi) => p.map((pj) => a[pi][pj]));
}

export function matMul(a: Dense, b: Dense): Dense {
  const n = a.length, m = b[0].length, k = b.length;
  const out: Dense = Array.from({ length: n }, () => new Array<number>(m).fill(0));
  for (let i = 0; i < n; i++) {
    for (let l = 0; l < k; l++) {
      const x = a[i][l];
      if (x === 0) continue;
      for (let j = 0; j < m; j++) out[i][j] += x * b[l][j];
    }
  }
  return out;
}

export function matPow(a: Dense, e: number): Dense {
  let out: Dense = a.map((_, i) => a.map((__, j) => (i === j ? 1 : 0)));
  for (let s = 0; s < e; s++) out = matMul(out, a);
  return out;
}

export function vecMat(v: ArrayLike<number>, a: Dense): number[] {
  return matMul([Array.from(v)], a)[0];
}

/** Solves A x = b by Gaussian elimination with partial pivoting (dense, from scratch). */
export function denseSolve(a: Dense, b: number[]): number[] {
  const n = a.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(m[i][k]) > Math.abs(m[p][k])) p = i;
    [m[k], m[p]] = [m[p], m[k]];
    for (let i = k + 1; i < n; i++) {
      const f = m[i][k] / m[k][k];
      for (let j = k; j <= n; j++) m[i][j] -= f * m[k][j];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let k = n - 1; k >= 0; k--) {
    let s = m[k][n];
    for (let j = k + 1; j < n; j++) s -= m[k][j] * x[j];
    x[k] = s / m[k][k];
  }
  return x;
}

/** reach[i][j]: j reachable from i in zero or more steps (Floyd–Warshall on booleans). */
export function reachability(a: Dense): boolean[][] {
  const n = a.length;
  const r = a.map((row, i) => row.map((x, j) => x > 0 || i === j));
  for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) if (r[i][k]) for (let j = 0; j < n; j++) if (r[k][j]) r[i][j] = true;
  return r;
}

/** Communicating classes by brute force: i ~ j iff each reaches the other. Sorted. */
export function bruteForceClasses(a: Dense): number[][] {
  const r = reachability(a);
  const n = a.length;
  const seen = new Array<boolean>(n).fill(false);
  const out: number[][] = [];
  for (let i = 0; i < n; i++) {
    if (seen[i]) continue;
    const cls: number[] = [];
    for (let j = 0; j < n; j++) if (r[i][j] && r[j][i]) {
      cls.push(j);
      seen[j] = true;
    }
    out.push(cls);
  }
  return sortClasses(out);
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Period of a class by brute force: gcd of the n ≤ |class| with a closed walk of length n. */
export function bruteForcePeriod(a: Dense, members: number[]): number {
  const b = members.map((i) => members.map((j) => (a[i][j] > 0 ? 1 : 0)));
  let p = b.map((_, i) => b.map((__, j) => (i === j ? 1 : 0)));
  let g = 0;
  for (let n = 1; n <= members.length; n++) {
    p = matMul(p, b).map((row) => row.map((x) => (x > 0 ? 1 : 0)));
    if (p.some((row, i) => row[i] > 0)) g = gcd(g, n);
  }
  return g;
}

/** Classes as sorted lists, sorted by first member: a canonical form for comparison. */
export function sortClasses(classes: ArrayLike<number>[]): number[][] {
  return classes.map((c) => Array.from(c).sort((x, y) => x - y)).sort((x, y) => x[0] - y[0]);
}

/** Element-wise |a − b| ≤ atol + rtol·|b|, with the index of the first failure in the message. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, atol = 1e-12, rtol = 0, what = "value"): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i], b = expected[i];
    if (a === b) continue;
    const ok = Math.abs(a - b) <= atol + rtol * Math.abs(b);
    if (!ok) expect.fail(`${what}[${i}]: got ${a}, expected ${b} (atol ${atol}, rtol ${rtol})`);
  }
}

export function expectMatrixClose(actual: Dense, expected: Dense, atol = 1e-12, what = "matrix"): void {
  expect(actual.length, `${what}: rows`).toBe(expected.length);
  actual.forEach((row, i) => expectClose(row, expected[i], atol, 0, `${what}[${i}]`));
}

export interface Cx {
  re: number;
  im: number;
}

/**
 * Checks two multisets of complex numbers agree: each expected value is matched to the nearest
 * unmatched actual value within `tol`.
 */
export function expectSameSpectrum(actual: Cx[], expected: Cx[], tol: number, what = "eigenvalues"): void {
  expect(actual.length, `${what}: count`).toBe(expected.length);
  const used = new Array<boolean>(actual.length).fill(false);
  for (const z of expected) {
    let best = -1, dist = Infinity;
    actual.forEach((w, i) => {
      if (used[i]) return;
      const d = Math.hypot(w.re - z.re, w.im - z.im);
      if (d < dist) [best, dist] = [i, d];
    });
    if (!(dist <= tol)) expect.fail(`${what}: no match for ${z.re} + ${z.im}i within ${tol} (nearest at ${dist})`);
    used[best] = true;
  }
}
