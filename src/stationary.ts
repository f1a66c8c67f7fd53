/**
 * Stationary distributions (Remark 4.E), one per closed class.
 *
 * Every stationary distribution of a finite chain is a mixture of the stationary distributions of its
 * closed classes, each of which is unique (the class restricted chain is irreducible). On a class we
 * use the Grassmann–Taksar–Heyman (GTH) elimination: Gaussian elimination on `I − T` rearranged so it
 * never subtracts, which keeps full relative accuracy even where an eigen-solver loses every digit
 * (the 1e-16 test case in test/lib/stationary.test.ts). The same algorithm as quantecon's `gth_solve`.
 *
 * Classes above `GTH_LIMIT` states (only met with full-support models on large page spaces) are
 * solved by power iteration on the lazy chain (I + T)/2, which converges for periodic classes too,
 * and the result is checked against `πT = π` before it is returned.
 *
 *     gth([[0.5, 0.5], [0.2, 0.8]]);   // Float64Array [2/7, 5/7]
 */
import type { SparseStochasticMatrix } from "./sparse";

export const GTH_LIMIT = 2500;

/** GTH on a dense irreducible stochastic block given row-major (modified in place). */
export function gthDense(a: Float64Array, m: number): Float64Array {
  for (let k = m - 1; k > 0; k--) {
    let scale = 0;
    for (let j = 0; j < k; j++) scale += a[k * m + j];
    if (!(scale > 0)) throw new RangeError(`gth: the block is not irreducible (row ${k} has no mass towards earlier states)`);
    for (let i = 0; i < k; i++) a[i * m + k] /= scale;
    for (let i = 0; i < k; i++) {
      const aik = a[i * m + k];
      if (aik === 0) continue;
      const ri = i * m, rk = k * m;
      for (let j = 0; j < k; j++) a[ri + j] += aik * a[rk + j];
    }
  }
  const x = new Float64Array(m);
  x[0] = 1;
  let total = 1;
  for (let k = 1; k < m; k++) {
    let s = 0;
    for (let i = 0; i < k; i++) s += x[i] * a[i * m + k];
    x[k] = s;
    total += s;
  }
  for (let k = 0; k < m; k++) x[k] /= total;
  return x;
}

/** GTH on a small dense irreducible stochastic matrix given as rows. */
export function gth(rows: readonly (readonly number[])[]): Float64Array {
  const m = rows.length;
  const a = new Float64Array(m * m);
  rows.forEach((r, i) => r.forEach((v, j) => (a[i * m + j] = v)));
  return gthDense(a, m);
}

/** The stationary distribution of T restricted to a closed class, over the class's members. */
export function classStationary(T: SparseStochasticMatrix, members: ArrayLike<number>): Float64Array {
  const m = members.length;
  if (m === 1) return Float64Array.of(1);
  if (m <= GTH_LIMIT) return gthDense(T.denseBlock(members), m);
  return lazyPowerIteration(T, members);
}

function lazyPowerIteration(T: SparseStochasticMatrix, members: ArrayLike<number>): Float64Array {
  const n = T.n, m = members.length;
  let pi = new Float64Array(n);
  for (let a = 0; a < m; a++) pi[members[a]] = 1 / m;
  let next = new Float64Array(n);
  const maxIterations = 1_000_000;
  for (let it = 0; it < maxIterations; it++) {
    T.step(pi, next);
    let diff = 0;
    for (let a = 0; a < m; a++) {
      const i = members[a];
      diff += Math.abs(next[i] - pi[i]);
      next[i] = 0.5 * (next[i] + pi[i]);
    }
    [pi, next] = [next, pi];
    if (diff < 1e-13) {
      const out = new Float64Array(m);
      let total = 0;
      for (let a = 0; a < m; a++) total += out[a] = pi[members[a]];
      for (let a = 0; a < m; a++) out[a] /= total;
      return out;
    }
  }
  throw new RangeError(`stationary distribution: power iteration on a class of ${m} states did not converge in ${maxIterations} steps`);
}
