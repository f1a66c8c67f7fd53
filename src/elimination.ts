/**
 * Sparse state reduction: GTH elimination on a sparse block, with a fill-reducing order.
 *
 * Eliminating a state k from a chain replaces every path i → k → j by a direct edge of weight
 * T[i, k] T[k, j] / s_k, where s_k is the probability of leaving k for any other remaining state (or
 * leaving the block). This is Gaussian elimination on I − T written so that it only multiplies, divides
 * and adds non-negative numbers (Grassmann, Taksar and Heyman 1985; the same idea for linear systems
 * is `mMatrixSolve` in hitting.ts): every pivot s_k is summed from the off-diagonal weights instead of
 * being computed as 1 − T[k, k], so no step cancels, and every entry of the answer keeps full relative
 * accuracy however nearly decomposable the block is (O'Cinneide 1993, "Entrywise perturbation theory
 * and error analysis for Markov chains", Numer. Math. 65). The answer is direct: there is no stopping
 * rule to fool.
 *
 * Done on a sparse block, elimination creates new edges (fill). The order matters: states are
 * eliminated by a greedy minimum Markowitz count (remaining in-degree × out-degree), the classical
 * fill-reducing order for unsymmetric sparse elimination. A cycle, a chain of cliques, a path or a
 * tree is eliminated with no fill at all. When the remaining block has become dense enough (a quarter
 * of its entries filled, and at most `denseSwitch` states), it is gathered into a dense array and
 * finished by the dense routine, as multifrontal solvers do. When the fill or the work would exceed
 * the budget (expander-like blocks such as full-support page chains have separators of size
 * Θ(n / log n), so no ordering helps), the routine gives up and returns `null`; the callers then
 * turn to an iterative method with a certified error bound, or fail with an explanation.
 *
 *     // (D − Q) x = b on a 3-state transient block: q[i] lists [j, T[i, j]] inside the block
 *     const r = sparseEliminate(blockFromLists([[[1, 0.5]], [[2, 0.5]], []], [0.5, 0.5, 1], [0.5, 0.5, 1]), "solve");
 *     r?.x;   // Float64Array [1, 1, 1]: every state is absorbed outside the block with probability 1
 */
import { gthDense } from "./stationary";
import { mMatrixSolve } from "./hitting";

/** A block in local numbering: off-diagonal weights inside the block (CSR), exit mass and right side. */
export interface SparseBlock {
  m: number;
  rowStart: Int32Array;
  col: Int32Array;
  value: Float64Array;
  /** Probability of leaving the block from each state (0 for a closed class). */
  exit: Float64Array;
  /** Right-hand side (`solve` mode only). */
  b?: Float64Array;
}

export interface EliminationOptions {
  /** Give up when stored entries (remaining block plus recorded eliminations) exceed this. */
  fillBudget?: number;
  /** Give up when the elementary operations exceed this. */
  workBudget?: number;
  /** Largest remaining block handed to the dense routine. */
  denseSwitch?: number;
}

export const DEFAULT_FILL_BUDGET = 40_000_000;
export const DEFAULT_WORK_BUDGET = 4e10;
export const DEFAULT_DENSE_SWITCH = 4000;

export interface EliminationResult {
  /** `solve`: x; `stationary`: π normalised to sum 1. */
  x: Float64Array;
  /** Entries stored at the peak (remaining block plus recorded eliminations). */
  peakEntries: number;
  /** States finished by the dense routine (0 when none). */
  denseTail: number;
  /** Elementary operations spent (the sparse part; the dense tail adds about r³/3). */
  work: number;
}

/** Builds a SparseBlock from per-row lists of [column, weight] (for tests and small callers). */
export function blockFromLists(rows: readonly (readonly (readonly [number, number])[])[], exit: ArrayLike<number>, b?: ArrayLike<number>): SparseBlock {
  const m = rows.length;
  const rowStart = new Int32Array(m + 1);
  const col: number[] = [], value: number[] = [];
  rows.forEach((r, i) => {
    for (const [j, v] of r) if (j !== i && v > 0) {
      col.push(j);
      value.push(v);
    }
    rowStart[i + 1] = col.length;
  });
  return { m, rowStart, col: Int32Array.from(col), value: Float64Array.from(value), exit: Float64Array.from(exit), b: b === undefined ? undefined : Float64Array.from(b) };
}

/**
 * Growable adjacency lists in one pool: list s is `col/val[start[s] … start[s] + len[s])`. A list
 * that outgrows its slot moves to the end of the pool; the pool is compacted when it fills.
 */
class ListPool {
  start: Float64Array;
  len: Int32Array;
  cap: Int32Array;
  col: Int32Array;
  val: Float64Array | null;
  top = 0;
  /** Entries copied by compactions so far (counted as work by the caller). */
  moved = 0;
  /** Entries for which this returns true are dropped at compaction (stale neighbours). */
  drop: ((j: number) => boolean) | null = null;

  constructor(m: number, initial: number, withValues: boolean) {
    this.start = new Float64Array(m);
    this.len = new Int32Array(m);
    this.cap = new Int32Array(m);
    const size = Math.max(16, initial);
    this.col = new Int32Array(size);
    this.val = withValues ? new Float64Array(size) : null;
  }

  reserve(s: number, capacity: number): void {
    if (this.top + capacity > this.col.length) this.compact(capacity);
    this.start[s] = this.top;
    this.cap[s] = capacity;
    this.top += capacity;
  }

  push(s: number, j: number, v: number): void {
    if (this.len[s] === this.cap[s]) {
      const newCap = Math.max(4, 2 * this.cap[s]);
      const oldStart = this.start[s], n = this.len[s];
      if (this.top + newCap > this.col.length) this.compact(newCap);
      const from = this.start[s] === oldStart ? oldStart : this.start[s];
      const to = this.top;
      this.col.copyWithin(to, from, from + n);
      if (this.val) this.val.copyWithin(to, from, from + n);
      this.start[s] = to;
      this.cap[s] = newCap;
      this.top += newCap;
    }
    const p = this.start[s] + this.len[s]++;
    this.col[p] = j;
    if (this.val) this.val[p] = v;
  }

  /** Frees list s (its slot is reclaimed at the next compaction). */
  clear(s: number): void {
    this.len[s] = 0;
    this.cap[s] = 0;
  }

  /** Rewrites every live list with slack, leaving room for `extra` more entries. */
  private compact(extra: number): void {
    const m = this.len.length;
    let need = extra;
    for (let s = 0; s < m; s++) if (this.cap[s] > 0) need += Math.max(4, 2 * this.len[s]);
    const size = Math.max(need, Math.ceil(1.5 * need));
    const col = new Int32Array(size);
    const val = this.val ? new Float64Array(size) : null;
    let top = 0;
    const drop = this.drop;
    for (let s = 0; s < m; s++) {
      if (this.cap[s] === 0) continue;
      let n = this.len[s];
      const from = this.start[s];
      if (drop) {
        let w = 0;
        for (let p = from; p < from + n; p++) if (!drop(this.col[p])) col[top + w++] = this.col[p];
        n = w;
        this.len[s] = n;
      } else {
        col.set(this.col.subarray(from, from + n), top);
        if (val) val.set(this.val!.subarray(from, from + n), top);
      }
      const cap = Math.max(4, 2 * n);
      this.start[s] = top;
      this.cap[s] = cap;
      top += cap;
      this.moved += n;
    }
    this.col = col;
    this.val = val;
    this.top = top;
  }
}

/** A binary min-heap of (key, state) pairs with lazy deletion (stale pairs are skipped on pop). */
class LazyHeap {
  key = new Float64Array(1024);
  item = new Int32Array(1024);
  size = 0;

  push(k: number, s: number): void {
    if (this.size === this.key.length) {
      const key = new Float64Array(2 * this.size), item = new Int32Array(2 * this.size);
      key.set(this.key);
      item.set(this.item);
      this.key = key;
      this.item = item;
    }
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.key[p] <= k) break;
      this.key[i] = this.key[p];
      this.item[i] = this.item[p];
      i = p;
    }
    this.key[i] = k;
    this.item[i] = s;
  }

  /** Pops the smallest pair into `out` ([key, state]); false when empty. */
  pop(out: [number, number]): boolean {
    if (this.size === 0) return false;
    out[0] = this.key[0];
    out[1] = this.item[0];
    const k = this.key[--this.size], s = this.item[this.size];
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= this.size) break;
      if (c + 1 < this.size && this.key[c + 1] < this.key[c]) c++;
      if (this.key[c] >= k) break;
      this.key[i] = this.key[c];
      this.item[i] = this.item[c];
      i = c;
    }
    this.key[i] = k;
    this.item[i] = s;
    return true;
  }
}

/**
 * Eliminates the block state by state. `mode = "solve"` solves (D − Q) x = b, D = diag(exit + row sums
 * of Q), for a block from which every state can leave (b ≥ 0 keeps every step subtraction-free);
 * `mode = "stationary"` returns the stationary distribution of a closed irreducible block (exit = 0).
 * Returns `null` when the fill or work budget is exceeded. Throws when a pivot is zero (a state that
 * cannot leave: the block is not what the mode requires).
 */
export function sparseEliminate(block: SparseBlock, mode: "solve" | "stationary", options: EliminationOptions = {}): EliminationResult | null {
  const fillBudget = options.fillBudget ?? DEFAULT_FILL_BUDGET;
  const workBudget = options.workBudget ?? DEFAULT_WORK_BUDGET;
  const denseSwitch = options.denseSwitch ?? DEFAULT_DENSE_SWITCH;
  const { m, rowStart, col, value } = block;
  const exit = Float64Array.from(block.exit);
  const b = mode === "solve" ? Float64Array.from(block.b ?? new Float64Array(m)) : null;
  const stationary = mode === "stationary";
  if (m === 1) {
    if (stationary) return { x: Float64Array.of(1), peakEntries: 0, denseTail: 0, work: 0 };
    if (!(exit[0] > 0)) throw new RangeError("linear solve: state 0 of the block can never leave it (the system is singular)");
    return { x: Float64Array.of(b![0] / exit[0]), peakEntries: 0, denseTail: 0, work: 0 };
  }

  const out = new ListPool(m, 2 * col.length + 4 * m, true);
  const inn = new ListPool(m, 2 * col.length + 4 * m, false);
  const outLive = new Int32Array(m), inLive = new Int32Array(m);
  for (let i = 0; i < m; i++) {
    let c = 0;
    for (let e = rowStart[i]; e < rowStart[i + 1]; e++) if (col[e] !== i && value[e] > 0) c++;
    out.reserve(i, Math.max(4, c + (c >> 1)));
  }
  const inCount = new Int32Array(m);
  for (let e = 0; e < col.length; e++) inCount[col[e]]++;
  for (let j = 0; j < m; j++) inn.reserve(j, Math.max(4, inCount[j] + (inCount[j] >> 1)));
  let live = 0;
  const seen = new Int32Array(m).fill(-1);
  for (let i = 0; i < m; i++) {
    for (let e = rowStart[i]; e < rowStart[i + 1]; e++) {
      const j = col[e], v = value[e];
      if (j === i || !(v > 0)) continue;
      if (seen[j] >= 0) {
        out.val![out.start[i] + seen[j]] += v; // a repeated column adds to its entry
        continue;
      }
      seen[j] = out.len[i];
      out.push(i, j, v);
      inn.push(j, i, 0);
      outLive[i]++;
      inLive[j]++;
      live++;
    }
    for (let p = out.start[i]; p < out.start[i] + out.len[i]; p++) seen[out.col[p]] = -1;
  }

  // Recorded eliminations, for the back substitution: for each eliminated state, in elimination
  // order, its pivot and either its remaining out-edges (solve) or its remaining in-edges (stationary).
  let recCol = new Int32Array(Math.max(1024, 2 * live));
  let recVal = new Float64Array(recCol.length);
  let recTop = 0;
  const recStart = new Float64Array(m + 1);
  const eliminatedOrder = new Int32Array(m);
  const pivot = new Float64Array(m);
  const rhs = stationary ? null : new Float64Array(m);
  const record = (j: number, v: number) => {
    if (recTop === recCol.length) {
      const c = new Int32Array(2 * recTop), w = new Float64Array(2 * recTop);
      c.set(recCol);
      w.set(recVal);
      recCol = c;
      recVal = w;
    }
    recCol[recTop] = j;
    recVal[recTop++] = v;
  };

  const gone = new Uint8Array(m);
  inn.drop = (j) => gone[j] === 1;
  const mark = new Int32Array(m).fill(-1);
  const heap = new LazyHeap();
  const cost = (s: number) => inLive[s] * outLive[s];
  for (let s = 0; s < m; s++) heap.push(cost(s), s);
  const top: [number, number] = [0, 0];
  let eliminated = 0, work = 0, peak = live;
  const last = stationary ? m - 1 : m; // GTH leaves one state: its pivot is 0 by construction
  let denseTail = 0;

  if (live > fillBudget) return null;
  while (eliminated < last) {
    const remaining = m - eliminated;
    if (remaining <= denseSwitch && remaining > 1 && live >= 0.25 * remaining * remaining) {
      // The dense tail stores r² entries beside the recorded eliminations and costs about r³/3
      // operations: within the budgets too.
      if (recTop + remaining * remaining > fillBudget || work + (remaining * remaining * remaining) / 3 > workBudget) return null;
      denseTail = remaining;
      break;
    }
    if (!heap.pop(top)) break;
    const k = top[1];
    if (gone[k] || top[0] !== cost(k)) continue;
    // Give up early when even the cheapest pivot, paid for every remaining state, would overrun the
    // work budget: on expander-like blocks the Markowitz counts only grow from here.
    if (top[0] * remaining > workBudget - work) return null;

    // k's out-list is copied: pushing fill into other lists may move it within the pool.
    const ok = out.start[k], nk = out.len[k];
    const kCol = out.col.slice(ok, ok + nk), kVal = out.val!.slice(ok, ok + nk);
    let s = exit[k];
    for (let p = 0; p < nk; p++) s += kVal[p];
    if (!(s > 0)) {
      throw new RangeError(stationary
        ? `gth: the block is not irreducible (state ${k} has no mass towards the remaining states)`
        : `linear solve: state ${k} of the block can never leave it (the system is singular)`);
    }
    pivot[eliminated] = s;
    eliminatedOrder[eliminated] = k;
    recStart[eliminated] = recTop;
    if (!stationary) {
      rhs![eliminated] = b![k];
      for (let p = 0; p < nk; p++) record(kCol[p], kVal[p]);
    }
    gone[k] = 1;

    const ik = inn.start[k];
    const kIn = inn.col.slice(ik, ik + inn.len[k]);
    work += kIn.length;
    for (let q = 0; q < kIn.length; q++) {
      const i = kIn[q];
      if (gone[i]) continue;
      // Find and remove k from out(i), taking its weight.
      let oi = out.start[i], ni = out.len[i];
      let w = 0;
      for (let p = oi; p < oi + ni; p++) {
        if (out.col[p] === k) {
          w = out.val![p];
          out.col[p] = out.col[oi + ni - 1];
          out.val![p] = out.val![oi + ni - 1];
          out.len[i] = --ni;
          break;
        }
      }
      outLive[i]--;
      live--;
      work += ni;
      const f = w / s;
      if (stationary) record(i, f);
      if (f === 0) continue;
      exit[i] += f * exit[k];
      if (b) b[i] += f * b[k];
      for (let p = oi; p < oi + ni; p++) mark[out.col[p]] = p - oi;
      for (let p = 0; p < nk; p++) {
        const j = kCol[p];
        if (j === i) continue; // i → k → i is a self-loop, which D leaves out
        const add = f * kVal[p];
        const at = mark[j];
        if (at >= 0) out.val![out.start[i] + at] += add;
        else {
          out.push(i, j, add);
          mark[j] = out.len[i] - 1;
          inn.push(j, i, 0);
          outLive[i]++;
          inLive[j]++;
          live++;
          heap.push(cost(j), j);
        }
      }
      oi = out.start[i];
      ni = out.len[i];
      for (let p = oi; p < oi + ni; p++) mark[out.col[p]] = -1;
      work += ni + nk;
      heap.push(cost(i), i);
    }
    for (let p = 0; p < nk; p++) {
      const j = kCol[p];
      inLive[j]--;
      live--;
      heap.push(cost(j), j);
    }
    out.clear(k);
    inn.clear(k);
    eliminated++;
    peak = Math.max(peak, live + recTop);
    if (live + recTop > fillBudget || work + out.moved + inn.moved > workBudget) return null;
  }
  recStart[eliminated] = recTop;

  // The states left: one (stationary), none (solve), or a dense tail.
  const rest: number[] = [];
  for (let s = 0; s < m; s++) if (!gone[s]) rest.push(s);
  const x = new Float64Array(m);
  if (rest.length > 0) {
    const r = rest.length;
    const pos = new Int32Array(m).fill(-1);
    rest.forEach((s, a) => (pos[s] = a));
    const q = new Float64Array(r * r);
    for (let a = 0; a < r; a++) {
      const s = rest[a];
      for (let p = out.start[s]; p < out.start[s] + out.len[s]; p++) q[a * r + pos[out.col[p]]] += out.val![p];
    }
    peak = Math.max(peak, recTop + r * r);
    if (stationary) {
      const pi = r === 1 ? Float64Array.of(1) : gthDense(q, r);
      rest.forEach((s, a) => (x[s] = pi[a]));
    } else {
      const ex = Float64Array.from(rest, (s) => exit[s]);
      const bb = Float64Array.from(rest, (s) => b![s]);
      const sol = mMatrixSolve(q, ex, bb, r);
      rest.forEach((s, a) => (x[s] = sol[a]));
    }
  }
  // Back substitution in reverse elimination order: every recorded neighbour is already known.
  for (let t = eliminated - 1; t >= 0; t--) {
    const k = eliminatedOrder[t];
    let acc = stationary ? 0 : rhs![t];
    for (let p = recStart[t]; p < recStart[t + 1]; p++) acc += recVal[p] * x[recCol[p]];
    x[k] = stationary ? acc : acc / pivot[t];
  }
  if (stationary) {
    let total = 0;
    for (let s = 0; s < m; s++) total += x[s];
    for (let s = 0; s < m; s++) x[s] /= total;
  }
  return { x, peakEntries: peak, denseTail, work };
}
