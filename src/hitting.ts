/**
 * Hitting probabilities, absorption probabilities and expected hitting times.
 *
 * Both are first-step equations `x(i) = c + Σ_j T[i, j] x(j)` on the states outside a target set
 * (c = 0 for probabilities, c = 1 for times). Instead of one large sparse solve, the equations are
 * solved class by class in the order of the class decomposition: every edge leaves a class towards
 * one already solved, so each class needs only its own block `(I − T_UU) x_U = b`. Page chains are
 * nearly acyclic, so almost every block is a single state and the whole solve is one pass over the
 * edges; blocks up to `DENSE_LIMIT` states use Gaussian elimination in the manner of GTH (see
 * `mMatrixSolve`), larger ones the same elimination on the sparse block in a fill-reducing order
 * (src/elimination.ts), and blocks too large for that Gauss–Seidel with a proven error bound
 * (src/certified.ts) — or an error naming the block, never an unchecked answer. Every pivot is the probability of
 * leaving a state, summed from the off-diagonal entries rather than computed as 1 − T[i, i]: when a
 * state almost never leaves (a self-loop of 1 − 1e-12, a block coupled to the rest by 1e-9), 1 − T[i, i]
 * has lost most of its digits, while the entries it stands for still hold all of theirs.
 *
 *     const c = communicatingClasses(T);
 *     expectedHittingTimes(T, c, [2]);   // expected steps from each state until it first sits in state 2
 */
import type { ClassDecomposition } from "./classes";
import type { SparseBlock } from "./elimination";
import type { SparseStochasticMatrix } from "./sparse";
import { type ResolvedSolverOptions, type SolveReport, type SolverOptions, resolveSolverOptions, solveBigBlock } from "./solverReport";
import { checkInteger, describe } from "./validate";

export { DENSE_LIMIT } from "./solverReport";

function targetMask(n: number, target: ArrayLike<number> | Uint8Array, argName: string): Uint8Array {
  // A bare number, a Set or a string has no numeric entries to read: it would mean an empty target
  // and every answer 0 or Infinity.
  if (!Array.isArray(target) && !ArrayBuffer.isView(target)) {
    throw new TypeError(`${argName} must be an array of states or a Uint8Array mask of length ${n}; got ${describe(target)}${target instanceof Set ? " (a Set: pass [...set])" : ""}`);
  }
  if (target instanceof Uint8Array && target.length === n) {
    const { head, w, tail } = words(target);
    if (!onlyZerosAndOnes(target, head, w, tail)) {
      for (let i = 0; i < n; i++) if (target[i] > 1) throw new RangeError(`${argName} as a mask must hold only 0 and 1; got ${target[i]} at state ${i}`);
    }
    return target;
  }
  const mask = new Uint8Array(n);
  for (let a = 0; a < target.length; a++) mask[checkInteger(`${argName}[${a}]`, target[a], 0, n - 1)] = 1;
  return mask;
}

/**
 * The aligned middle of a byte array as 32-bit words, with the unaligned head and tail lengths:
 * the mask scans below read four states per load, which on a page chain of millions of states is
 * most of what the hitting solvers do besides their few unknowns.
 */
function words(mask: Uint8Array): { head: number; w: Uint32Array; tail: number } {
  const head = Math.min(mask.length, (4 - (mask.byteOffset % 4)) % 4);
  const count = (mask.length - head) >> 2;
  return { head, w: new Uint32Array(mask.buffer, mask.byteOffset + head, count), tail: head + 4 * count };
}

/**
 * True when every byte is 0 or 1. The words come from the caller: V8 gives a function no type
 * feedback for what it does before its loop on its first call (feedback is allocated once the function
 * has run for a while), so a call there would deoptimise the code optimised during that first call.
 */
function onlyZerosAndOnes(mask: Uint8Array, head: number, w: Uint32Array, tail: number): boolean {
  let high = 0;
  for (let a = 0; a < w.length; a++) high |= w[a];
  let bad = 0;
  for (let i = 0; i < head; i++) bad |= mask[i];
  for (let i = tail; i < mask.length; i++) bad |= mask[i];
  return (bad & 0xfe) === 0 && (high & 0xfefefefe) === 0;
}

/**
 * Solves x(i) = constant + Σ_j T[i, j] x(j) for every state with known[i] = 0; states with
 * known[i] = 1 keep the value already in x. Requires that no class of unknowns is closed.
 */
function solveByClasses(T: SparseStochasticMatrix, classes: ClassDecomposition, known: Uint8Array, x: Float64Array, constant: number, options: ResolvedSolverOptions, report: SolveReport): void {
  // When few states are unknown (the pages without a U, say, among millions), find them in memory
  // order and sort them by class, instead of visiting every class: a walk in class order reads the
  // states' `known` flags at random. The classes are then solved in the same order as below, with
  // the same unknown members, so the numbers are the same.
  const n = T.n;
  const unknown = n <= 2 ** 26 ? unknownStates(known, Math.floor(n / 16)) : null;
  if (unknown) {
    // key = class · n + state < 2^52: exact in a double, and a numeric sort orders by class, then state.
    const keys = new Float64Array(unknown.length);
    const of = classes.of;
    for (let a = 0; a < unknown.length; a++) keys[a] = of[unknown[a]] * n + unknown[a];
    keys.sort();
    solveInKeyOrder(T, keys, x, known, constant, options, report);
    return;
  }
  const { order, start } = classes;
  const { rowStart, col, value } = T;
  for (let c = 0; c < classes.count; c++) {
    // Almost every class of a page chain is a single page: take it without building member lists,
    // which on a million-state chain would be a million small allocations.
    let unknown: number[] | null = null, i = order[start[c]];
    if (start[c + 1] - start[c] > 1) {
      unknown = [];
      const all = classes.members(c);
      for (let a = 0; a < all.length; a++) if (!known[all[a]]) unknown.push(all[a]);
      if (unknown.length === 1) [i, unknown] = [unknown[0], null];
      else if (unknown.length === 0) continue;
    } else if (known[i]) continue;
    if (unknown === null) solveState(rowStart, col, value, x, known, constant, i);
    else {
      solveBlock(T, unknown, x, constant, options, report);
      for (const s of unknown) known[s] = 1;
    }
  }
}

/**
 * x(i) = (constant + Σ_{j ≠ i} T[i, j] x(j)) / Σ_{j ≠ i} T[i, j] for a state that is a class of its
 * own (the pivot summed from the entries that leave it; see the module comment). A function of the
 * module, not a closure made per solve: its optimised code then serves every solve.
 */
function solveState(rowStart: Int32Array | Float64Array, col: Int32Array, value: Float64Array, x: Float64Array, known: Uint8Array, constant: number, i: number): void {
  let b = constant, leave = 0;
  for (let e = rowStart[i]; e < rowStart[i + 1]; e++) {
    const j = col[e];
    if (j !== i && value[e] !== 0) {
      b += value[e] * x[j];
      leave += value[e];
    }
  }
  x[i] = b / leave;
  known[i] = 1;
}

/** Solves the unknown states class by class in the order of their sorted keys (class · n + state). */
function solveInKeyOrder(T: SparseStochasticMatrix, keys: Float64Array, x: Float64Array, known: Uint8Array, constant: number, options: ResolvedSolverOptions, report: SolveReport): void {
  const { n, rowStart, col, value } = T;
  const count = keys.length;
  for (let a = 0; a < count; ) {
    const c = Math.floor(keys[a] / n);
    let b = a + 1;
    while (b < count && Math.floor(keys[b] / n) === c) b++;
    if (b - a === 1) solveState(rowStart, col, value, x, known, constant, keys[a] - c * n);
    else {
      const unknown: number[] = [];
      for (let q = a; q < b; q++) unknown.push(keys[q] - c * n);
      solveBlock(T, unknown, x, constant, options, report);
      for (const s of unknown) known[s] = 1;
    }
    a = b;
  }
}

/**
 * The states with known[i] = 0, ascending; null when there are more than `limit`. Found with
 * TypedArray#indexOf, a native scan: a loop over the bytes in JavaScript would run in the
 * interpreter on a first call (where a solve at k = 12 spent 5–15 ms in such loops, against under
 * 1 ms here), and the unknowns are few when this route is worth taking.
 */
function unknownStates(known: Uint8Array, limit: number): Int32Array | null {
  let count = 0;
  for (let i = known.indexOf(0); i >= 0; i = known.indexOf(0, i + 1)) if (++count > limit) return null;
  const out = new Int32Array(count);
  for (let a = 0, i = known.indexOf(0); i >= 0; i = known.indexOf(0, i + 1)) out[a++] = i;
  return out;
}

function solveBlock(T: SparseStochasticMatrix, unknown: number[], x: Float64Array, constant: number, options: ResolvedSolverOptions, report: SolveReport): void {
  const { rowStart, col, value } = T;
  const m = unknown.length;
  if (m > options.denseLimit) return solveLargeBlock(T, unknown, x, constant, options, report);
  const pos = new Map<number, number>();
  unknown.forEach((s, a) => pos.set(s, a));
  const b = new Float64Array(m).fill(constant);
  {
    const q = new Float64Array(m * m);
    const exit = new Float64Array(m);
    for (let a = 0; a < m; a++) {
      const i = unknown[a];
      for (let e = rowStart[i]; e < rowStart[i + 1]; e++) {
        const j = col[e], v = value[e];
        if (v === 0 || j === i) continue;
        const p = pos.get(j);
        if (p !== undefined) q[a * m + p] += v;
        else {
          exit[a] += v;
          b[a] += v * x[j];
        }
      }
    }
    const sol = mMatrixSolve(q, exit, b, m);
    unknown.forEach((s, a) => (x[s] = sol[a]));
    return;
  }
}

/** A block above the dense limit: sparse elimination, else certified Gauss–Seidel, else an error. */
function solveLargeBlock(T: SparseStochasticMatrix, unknown: number[], x: Float64Array, constant: number, options: ResolvedSolverOptions, report: SolveReport): void {
  const { rowStart, col, value } = T;
  const m = unknown.length;
  const local = new Int32Array(T.n).fill(-1);
  unknown.forEach((s, a) => (local[s] = a));
  let nnz = 0;
  for (const i of unknown) for (let e = rowStart[i]; e < rowStart[i + 1]; e++) if (col[e] !== i && value[e] > 0 && local[col[e]] >= 0) nnz++;
  const rs = new Int32Array(m + 1), c = new Int32Array(nnz), v = new Float64Array(nnz);
  const exit = new Float64Array(m), b = new Float64Array(m).fill(constant);
  let p = 0;
  unknown.forEach((i, a) => {
    for (let e = rowStart[i]; e < rowStart[i + 1]; e++) {
      const j = col[e], w = value[e];
      if (j === i || !(w > 0)) continue;
      if (local[j] >= 0) {
        c[p] = local[j];
        v[p++] = w;
      } else {
        exit[a] += w;
        b[a] += w * x[j];
      }
    }
    rs[a + 1] = p;
  });
  const block: SparseBlock = { m, rowStart: rs, col: c, value: v, exit, b };
  const r = solveBigBlock(block, "solve", options, "hitting equations");
  unknown.forEach((s, a) => (x[s] = r.x[a]));
  // Errors of earlier blocks reach this one only through averages over its exits (weights summing
  // to 1), so the bounds of all iterative blocks add up to a bound on every entry.
  report.errorBound += r.solve.errorBound ?? 0;
  report.blocks.push(r.solve);
}

/**
 * Solves (D − Q) x = b for a block of transient states: `q` (row-major m × m, zero diagonal) holds the
 * transition probabilities between them, `exit[a]` the probability of leaving the block from state a,
 * and D = diag(exit + row sums of q), so D − Q is I − T restricted to the block. The elimination is
 * GTH's idea applied to a linear system: each Schur complement keeps track of its own exit
 * probabilities, every pivot is rebuilt from them as a sum of non-negative terms, and with b ≥ 0 the
 * substitutions only add. No step subtracts, so the solution keeps full relative accuracy however
 * nearly closed the block is (where LU with pivoting loses about log10(1/coupling) digits). No
 * pivoting is needed: the pivots of an M-matrix are positive. Inputs are overwritten.
 */
export function mMatrixSolve(q: Float64Array, exit: Float64Array, b: Float64Array, m: number): Float64Array {
  const pivot = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    const rk = k * m;
    let d = exit[k];
    for (let j = k + 1; j < m; j++) d += q[rk + j];
    if (!(d > 0)) throw new RangeError(`linear solve: state ${k} of the block can never leave it (the system is singular)`);
    pivot[k] = d;
    for (let i = k + 1; i < m; i++) {
      const ri = i * m;
      const f = q[ri + k] / d;
      if (f === 0) continue;
      // Paths i → k → j become direct entries; i → k → i is a self-loop, which D leaves out.
      for (let j = k + 1; j < i; j++) q[ri + j] += f * q[rk + j];
      for (let j = i + 1; j < m; j++) q[ri + j] += f * q[rk + j];
      exit[i] += f * exit[k];
      b[i] += f * b[k];
    }
  }
  const x = new Float64Array(m);
  for (let k = m - 1; k >= 0; k--) {
    let s = b[k];
    for (let j = k + 1; j < m; j++) s += q[k * m + j] * x[j];
    x[k] = s / pivot[k];
  }
  return x;
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

/**
 * P(the chain started at i ever visits the target set), for every state i. The graph decides every
 * state it can: 1 where the chain cannot avoid the target forever, 0 where it cannot reach it. Only
 * the states in between are solved for, so a certain hit is exactly 1 however long it takes (an
 * iterative solve would stall short of it where the expected wait is astronomically long).
 */
export function hittingProbabilities(
  T: SparseStochasticMatrix,
  classes: ClassDecomposition,
  target: ArrayLike<number> | Uint8Array,
  options?: SolverOptions,
  report: SolveReport = { blocks: [], errorBound: 0 },
): Float64Array {
  const resolved = resolveSolverOptions(options);
  const n = T.n;
  const isTarget = targetMask(n, target, "target");
  const reverse = transpose(T);
  const escapes = canEscape(classes, isTarget, reverse);
  const reaches = new Uint8Array(n);
  const queue: number[] = [];
  for (let i = 0; i < n; i++) if (isTarget[i]) {
    reaches[i] = 1;
    queue.push(i);
  }
  markPredecessors(reverse, queue, reaches, () => true);
  const x = new Float64Array(n);
  const known = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (isTarget[i] || !escapes || !escapes[i]) x[i] = known[i] = 1;
    else if (!reaches[i]) known[i] = 1;
  }
  solveByClasses(T, classes, known, x, 0, resolved, report);
  return x;
}

/**
 * Expected number of steps until the chain first sits in the target set (0 on the target), for every
 * state; `Infinity` where the chain avoids the target forever with positive probability.
 */
export function expectedHittingTimes(
  T: SparseStochasticMatrix,
  classes: ClassDecomposition,
  target: ArrayLike<number> | Uint8Array,
  options?: SolverOptions,
  report: SolveReport = { blocks: [], errorBound: 0 },
): Float64Array {
  const resolved = resolveSolverOptions(options);
  const n = T.n;
  const isTarget = targetMask(n, target, "target");
  const infinite = canEscape(classes, isTarget, () => transpose(T));
  const x = new Float64Array(n);
  // The target's states are known (0 steps); so are those that can avoid it forever (Infinity).
  const known = isTarget.slice();
  if (infinite) {
    for (let i = 0; i < n; i++) {
      if (!isTarget[i] && infinite[i]) {
        x[i] = Infinity;
        known[i] = 1;
      }
    }
  }
  solveByClasses(T, classes, known, x, 1, resolved, report);
  return x;
}

type Reverse = { start: Int32Array | Float64Array; from: Int32Array };

/**
 * The states that can reach, avoiding the target, a closed class holding no target state: exactly
 * those that miss the target forever with positive probability. Null when there are none (every
 * closed class holds a target state), which spares an n-state array and a pass over it.
 */
function canEscape(classes: ClassDecomposition, isTarget: Uint8Array, reverse: Reverse | (() => Reverse)): Uint8Array | null {
  let escapes: Uint8Array | null = null;
  const queue: number[] = [];
  const closedIds = classes.closedIds;
  for (let q = 0; q < closedIds.length; q++) {
    const mem = classes.members(closedIds[q]);
    let hit = 0;
    for (let a = 0; a < mem.length; a++) hit |= isTarget[mem[a]];
    if (hit) continue;
    escapes ??= new Uint8Array(classes.of.length);
    for (let a = 0; a < mem.length; a++) {
      escapes[mem[a]] = 1;
      queue.push(mem[a]);
    }
  }
  // The reverse graph is only built when some closed class misses the target.
  if (escapes && queue.length > 0) markPredecessors(typeof reverse === "function" ? reverse() : reverse, queue, escapes, (i) => !isTarget[i]);
  return escapes;
}

/** Breadth-first over reversed edges from the queued states, marking predecessors that pass `allowed`. */
function markPredecessors(reverse: Reverse, queue: number[], mark: Uint8Array, allowed: (i: number) => boolean): void {
  for (let h = 0; h < queue.length; h++) {
    const j = queue[h];
    for (let e = reverse.start[j]; e < reverse.start[j + 1]; e++) {
      const i = reverse.from[e];
      if (!mark[i] && allowed(i)) {
        mark[i] = 1;
        queue.push(i);
      }
    }
  }
}

/** The live edges of T reversed, as CSR over targets. */
function transpose(T: SparseStochasticMatrix): Reverse {
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
