/**
 * Stationary distributions (Remark 4.E), one per closed class.
 *
 * Every stationary distribution of a finite chain is a mixture of the stationary distributions of its
 * closed classes, each of which is unique (the class restricted chain is irreducible). On a class we
 * use the Grassmann–Taksar–Heyman (GTH) elimination: Gaussian elimination on `I − T` rearranged so it
 * never subtracts, which keeps full relative accuracy even where an eigen-solver loses every digit
 * (the 1e-16 test case in test/lib/stationary.test.ts). The same algorithm as quantecon's `gth_solve`.
 *
 * Classes above `GTH_LIMIT` states go to the sparse form of the same elimination with a fill-reducing
 * order (src/elimination.ts), and when that would need more memory or time than its budget, to power
 * iteration with a proven error bound (src/certified.ts). When neither can vouch for an answer, the
 * call throws with the class's size and what to change — it never returns an unchecked one. See
 * src/solverReport.ts for what guarantees each answer.
 *
 *     gth([[0.5, 0.5], [0.2, 0.8]]);   // Float64Array [2/7, 5/7]
 */
import type { SparseBlock } from "./elimination";
import type { SparseStochasticMatrix } from "./sparse";
import { type BlockSolve, DENSE_LIMIT, type SolverOptions, resolveSolverOptions, solveBigBlock } from "./solverReport";
import { STOCHASTIC_TOLERANCE, describe } from "./validate";

/** Largest class solved by dense GTH (the dense limit of src/solverReport.ts). */
export const GTH_LIMIT = DENSE_LIMIT;

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

/**
 * GTH on a small dense irreducible stochastic matrix given as rows: the rows must form a square
 * array of finite non-negative numbers, each row summing to 1 (±1e-9), and the chain must be
 * irreducible (otherwise the stationary distribution is not unique and this throws).
 */
export function gth(rows: readonly (readonly number[])[]): Float64Array {
  if (!Array.isArray(rows) || rows.length === 0) throw new TypeError(`rows must be a non-empty array of rows; got ${describe(rows)}`);
  const m = rows.length;
  const a = new Float64Array(m * m);
  rows.forEach((r, i) => {
    if (!Array.isArray(r) && !(r instanceof Float64Array)) throw new TypeError(`rows[${i}] must be an array of ${m} probabilities; got ${describe(r)}`);
    if (r.length !== m) throw new RangeError(`rows must be square: rows[${i}] has length ${r.length}, expected ${m}`);
    let sum = 0;
    for (let j = 0; j < m; j++) {
      const v = r[j];
      if (typeof v !== "number" || Number.isNaN(v)) throw new TypeError(`rows[${i}][${j}] must be a number; got ${describe(v)}`);
      if (!(v >= 0) || v === Infinity) throw new RangeError(`rows[${i}][${j}] must be a probability ≥ 0; got ${describe(v)}`);
      a[i * m + j] = v;
      sum += v;
    }
    if (Math.abs(sum - 1) > STOCHASTIC_TOLERANCE) throw new RangeError(`rows[${i}] must sum to 1 (±${STOCHASTIC_TOLERANCE}); got ${sum}: ${describe(r)}`);
  });
  return gthDense(a, m);
}

/** The off-diagonal entries of T inside `members`, in local numbering, and each state's exit mass. */
export function blockOf(T: SparseStochasticMatrix, members: ArrayLike<number>): { block: SparseBlock; local: Int32Array } {
  const m = members.length;
  const local = new Int32Array(T.n).fill(-1);
  for (let a = 0; a < m; a++) local[members[a]] = a;
  const { rowStart, col, value } = T;
  let nnz = 0;
  for (let a = 0; a < m; a++) {
    const i = members[a];
    for (let e = rowStart[i]; e < rowStart[i + 1]; e++) if (col[e] !== i && value[e] > 0 && local[col[e]] >= 0) nnz++;
  }
  const rs = new Int32Array(m + 1), c = new Int32Array(nnz), v = new Float64Array(nnz), exit = new Float64Array(m);
  let p = 0;
  for (let a = 0; a < m; a++) {
    const i = members[a];
    for (let e = rowStart[i]; e < rowStart[i + 1]; e++) {
      const j = col[e], w = value[e];
      if (j === i || !(w > 0)) continue;
      const b = local[j];
      if (b >= 0) {
        c[p] = b;
        v[p++] = w;
      } else exit[a] += w;
    }
    rs[a + 1] = p;
  }
  return { block: { m, rowStart: rs, col: c, value: v, exit }, local };
}

/** The stationary distribution of T restricted to a closed class, over the class's members. */
export function classStationary(T: SparseStochasticMatrix, members: ArrayLike<number>, options?: SolverOptions): Float64Array {
  return classStationaryReport(T, members, options).pi;
}

/** As `classStationary`, with the method used and, for an iterative answer, its proven L1 error bound. */
export function classStationaryReport(T: SparseStochasticMatrix, members: ArrayLike<number>, options?: SolverOptions): { pi: Float64Array; solve: BlockSolve } {
  const resolved = resolveSolverOptions(options);
  const m = members.length;
  if (m === 1) return { pi: Float64Array.of(1), solve: { states: 1, method: "dense elimination" } };
  if (m <= resolved.denseLimit) return { pi: gthDense(T.denseBlock(members), m), solve: { states: m, method: "dense elimination" } };
  const { block } = blockOf(T, members);
  const { x, solve } = solveBigBlock(block, "stationary", resolved, "stationary distribution of a closed class");
  return { pi: x, solve };
}
