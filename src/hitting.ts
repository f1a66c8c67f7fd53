/**
 * Hitting probabilities, absorption probabilities and expected hitting times.
 *
 * Both are first-step equations `x(i) = c + Σ_j T[i, j] x(j)` on the states outside a target set
 * (c = 0 for probabilities, c = 1 for times). Instead of one large sparse solve, the equations are
 * solved class by class in the order of the class decomposition: every edge leaves a class towards
 * one already solved, so each class needs only its own block `(I − T_UU) x_U = b`. Page chains are
 * nearly acyclic, so almost every block is a single state and the whole solve is one pass over the
 * edges; blocks up to `DENSE_LIMIT` states use Gaussian elimination with partial pivoting, larger ones
 * Gauss–Seidel with a checked residual.
 *
 *     const c = communicatingClasses(T);
 *     expectedHittingTimes(T, c, [2]);   // expected steps from each state until it first sits in state 2
 */
import type { ClassDecomposition } from "./classes";
import type { SparseStochasticMatrix } from "./sparse";
import { checkInteger } from "./validate";

export const DENSE_LIMIT = 2500;

function targetMask(n: number, target: ArrayLike<number> | Uint8Array, argName: string): Uint8Array {
  if (target instanceof Uint8Array && target.length === n) return target;
  const mask = new Uint8Array(n);
  for (let a = 0; a < target.length; a++) mask[checkInteger(`${argName}[${a}]`, target[a], 0, n - 1)] = 1;
  return mask;
}

/**
 * Solves x(i) = constant + Σ_j T[i, j] x(j) for every state with known[i] = 0; states with
 * known[i] = 1 keep the value already in x. Requires that no class of unknowns is closed.
 */
function solveByClasses(T: SparseStochasticMatrix, classes: ClassDecomposition, known: Uint8Array, x: Float64Array, constant: number): void {
  const { rowStart, col, value } = T;
  for (let c = 0; c < classes.count; c++) {
    const all = classes.members(c);
    const unknown: number[] = [];
    for (let a = 0; a < all.length; a++) if (!known[all[a]]) unknown.push(all[a]);
    const m = unknown.length;
    if (m === 0) continue;
    if (m === 1) {
      const i = unknown[0];
      let b = constant, diag = 0;
      for (let e = rowStart[i]; e < rowStart[i + 1]; e++) {
        const j = col[e];
        if (j === i) diag += value[e];
        else if (value[e] !== 0) b += value[e] * x[j];
      }
      x[i] = b / (1 - diag);
    } else {
      solveBlock(T, unknown, classes.of, c, x, constant);
    }
    for (const i of unknown) known[i] = 1;
  }
}

function solveBlock(T: SparseStochasticMatrix, unknown: number[], of: Int32Array, c: number, x: Float64Array, constant: number): void {
  const { rowStart, col, value } = T;
  const m = unknown.length;
  const pos = new Map<number, number>();
  unknown.forEach((s, a) => pos.set(s, a));
  const b = new Float64Array(m).fill(constant);
  if (m <= DENSE_LIMIT) {
    const A = new Float64Array(m * m);
    for (let a = 0; a < m; a++) {
      A[a * m + a] = 1;
      const i = unknown[a];
      for (let e = rowStart[i]; e < rowStart[i + 1]; e++) {
        const j = col[e], v = value[e];
        if (v === 0) continue;
        const p = pos.get(j);
        if (p !== undefined) A[a * m + p] -= v;
        else b[a] += v * x[j];
      }
    }
    const sol = luSolve(A, b, m);
    unknown.forEach((s, a) => (x[s] = sol[a]));
    return;
  }
  // Gauss–Seidel: (I − T_UU) is an M-matrix here, so the sweep converges.
  unknown.forEach((s) => (x[s] = 0));
  for (let sweep = 0; sweep < 100_000; sweep++) {
    let change = 0, scale = 0;
    for (const i of unknown) {
      let s = constant, diag = 0;
      for (let e = rowStart[i]; e < rowStart[i + 1]; e++) {
        const j = col[e];
        if (j === i) diag += value[e];
        else s += value[e] * x[j];
      }
      const next = s / (1 - diag);
      change = Math.max(change, Math.abs(next - x[i]));
      scale = Math.max(scale, Math.abs(next));
      x[i] = next;
    }
    if (change <= 1e-14 * Math.max(1, scale)) return;
  }
  throw new RangeError(`hitting equations: Gauss–Seidel did not converge on class ${c} (${m} states)`);
}

/** Dense LU with partial pivoting (row-major A, overwritten). */
export function luSolve(A: Float64Array, b: Float64Array, m: number): Float64Array {
  const x = Float64Array.from(b);
  for (let k = 0; k < m; k++) {
    let p = k, best = Math.abs(A[k * m + k]);
    for (let i = k + 1; i < m; i++) {
      const v = Math.abs(A[i * m + k]);
      if (v > best) [p, best] = [i, v];
    }
    if (best === 0) throw new RangeError(`linear solve: the system is singular at column ${k}`);
    if (p !== k) {
      for (let j = 0; j < m; j++) [A[k * m + j], A[p * m + j]] = [A[p * m + j], A[k * m + j]];
      [x[k], x[p]] = [x[p], x[k]];
    }
    const piv = A[k * m + k];
    for (let i = k + 1; i < m; i++) {
      const f = A[i * m + k] / piv;
      if (f === 0) continue;
      for (let j = k; j < m; j++) A[i * m + j] -= f * A[k * m + j];
      x[i] -= f * x[k];
    }
  }
  for (let k = m - 1; k >= 0; k--) {
    let s = x[k];
    for (let j = k + 1; j < m; j++) s -= A[k * m + j] * x[j];
    x[k] = s / A[k * m + k];
  }
  return x;
}

/** P(the chain started at i ever visits the target set), for every state i. */
export function hittingProbabilities(T: SparseStochasticMatrix, classes: ClassDecomposition, target: ArrayLike<number> | Uint8Array): Float64Array {
  const n = T.n;
  const isTarget = targetMask(n, target, "target");
  const x = new Float64Array(n);
  const known = new Uint8Array(n);
  for (let i = 0; i < n; i++) if (isTarget[i]) x[i] = known[i] = 1;
  for (let c = 0; c < classes.count; c++) {
    if (!classes.closed[c]) continue;
    const mem = classes.members(c);
    let hit = 0;
    for (let a = 0; a < mem.length; a++) hit |= isTarget[mem[a]];
    for (let a = 0; a < mem.length; a++) {
      x[mem[a]] = hit;
      known[mem[a]] = 1;
    }
  }
  solveByClasses(T, classes, known, x, 0);
  return x;
}

/**
 * Expected number of steps until the chain first sits in the target set (0 on the target), for every
 * state; `Infinity` where the chain avoids the target forever with positive probability.
 */
export function expectedHittingTimes(T: SparseStochasticMatrix, classes: ClassDecomposition, target: ArrayLike<number> | Uint8Array): Float64Array {
  const n = T.n;
  const isTarget = targetMask(n, target, "target");
  const x = new Float64Array(n);
  const known = new Uint8Array(n);
  // Infinite: can reach, avoiding the target, a closed class that holds no target state.
  const infinite = new Uint8Array(n);
  const queue: number[] = [];
  for (let c = 0; c < classes.count; c++) {
    if (!classes.closed[c]) continue;
    const mem = classes.members(c);
    let hit = 0;
    for (let a = 0; a < mem.length; a++) hit |= isTarget[mem[a]];
    if (hit) continue;
    for (let a = 0; a < mem.length; a++) {
      infinite[mem[a]] = 1;
      queue.push(mem[a]);
    }
  }
  if (queue.length > 0) {
    const reverse = transpose(T);
    for (let h = 0; h < queue.length; h++) {
      const j = queue[h];
      for (let e = reverse.start[j]; e < reverse.start[j + 1]; e++) {
        const i = reverse.from[e];
        if (!infinite[i] && !isTarget[i]) {
          infinite[i] = 1;
          queue.push(i);
        }
      }
    }
  }
  for (let i = 0; i < n; i++) {
    if (isTarget[i]) known[i] = 1;
    else if (infinite[i]) {
      x[i] = Infinity;
      known[i] = 1;
    }
  }
  solveByClasses(T, classes, known, x, 1);
  return x;
}

/** The live edges of T reversed, as CSR over targets. */
function transpose(T: SparseStochasticMatrix): { start: Int32Array | Float64Array; from: Int32Array } {
  const { n, rowStart, col, value } = T;
  const start = n + 1 < 2 ** 31 ? new Int32Array(n + 1) : new Float64Array(n + 1);
  for (let e = 0; e < col.length; e++) if (value[e] > 0) start[col[e] + 1]++;
  for (let j = 0; j < n; j++) start[j + 1] += start[j];
  const fill = start.slice(0, n);
  const from = new Int32Array(start[n]);
  for (let i = 0; i < n; i++) {
    for (let e = rowStart[i]; e < rowStart[i + 1]; e++) if (value[e] > 0) from[fill[col[e]]++] = i;
  }
  return { start, from };
}
