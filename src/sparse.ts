/**
 * Sparse stochastic matrices in compressed sparse row (CSR) form.
 *
 * A page chain has at most |V| non-zeros per row among |V|^k columns, so it is stored as three typed
 * arrays: `rowStart` (n + 1 offsets), `col` and `value` (one entry per non-zero). Construction
 * validates the matrix once — square, finite, non-negative, each row summing to 1 within
 * `STOCHASTIC_TOLERANCE` — so the analyses never meet a malformed matrix.
 *
 *     const T = SparseStochasticMatrix.fromDense([[0.5, 0.5], [0, 1]]);
 *     T.step([1, 0]);           // Float64Array [0.5, 0.5]
 */
import { STOCHASTIC_TOLERANCE, checkDistribution, checkInteger, describe } from "./validate";

/** A vector of the chain's length: a wrong length would silently give NaN or drop entries. */
export function checkVectorLength(name: string, v: unknown, n: number): void {
  const length = (v as { length?: unknown } | null)?.length;
  if (typeof length !== "number") throw new TypeError(`${name} must be an array of ${n} numbers; got ${describe(v)}`);
  if (length !== n) throw new RangeError(`${name} must have length ${n} (one entry per state); got length ${length}: ${describe(v)}`);
}

/**
 * Throws unless `value` is a SparseStochasticMatrix; `hint` says how to get one (a learner who passes
 * dense rows should read that, not "T.step is not a function").
 */
export function checkSparseMatrix(name: string, value: unknown, hint: string): asserts value is SparseStochasticMatrix {
  if (!(value instanceof SparseStochasticMatrix)) throw new TypeError(`${name} must be a SparseStochasticMatrix (${hint}); got ${describe(value)}`);
}

export class SparseStochasticMatrix {
  readonly n: number;
  readonly rowStart: Int32Array | Float64Array;
  readonly col: Int32Array;
  readonly value: Float64Array;
  /** Number of stored entries equal to 0 (counted at validation; the graph analyses skip reading values when there are none). */
  readonly storedZeros: number;

  /**
   * Wraps CSR arrays after validating them. Zero entries are allowed in `value` (they are kept as
   * stored entries but carry no edge in the graph analyses).
   */
  constructor(n: number, rowStart: Int32Array | Float64Array, col: Int32Array, value: Float64Array, argName = "matrix") {
    this.n = checkInteger(`${argName} dimension`, n, 1, 2 ** 31 - 1);
    if (rowStart.length !== n + 1) throw new RangeError(`${argName}.rowStart must have length n + 1 = ${n + 1}; got ${rowStart.length}`);
    if (col.length !== value.length) throw new RangeError(`${argName}.col and ${argName}.value must have equal lengths; got ${col.length} and ${value.length}`);
    if (rowStart[0] !== 0 || rowStart[n] !== col.length) {
      throw new RangeError(`${argName}.rowStart must run from 0 to ${col.length}; got ${rowStart[0]} … ${rowStart[n]}`);
    }
    let zeros = 0;
    for (let i = 0; i < n; i++) {
      const a = rowStart[i], b = rowStart[i + 1];
      if (b < a) throw new RangeError(`${argName}.rowStart must be non-decreasing; got ${a} then ${b} at row ${i}`);
      let sum = 0;
      for (let e = a; e < b; e++) {
        const j = col[e], v = value[e];
        if (!(j >= 0 && j < n)) throw new RangeError(`${argName} row ${i} has column ${j} outside [0, ${n - 1}]`);
        if (Number.isNaN(v)) throw new TypeError(`${argName}[${i}][${j}] must be a number; got NaN`);
        if (!(v >= 0) || v === Infinity) throw new RangeError(`${argName}[${i}][${j}] must be a probability ≥ 0; got ${describe(v)}`);
        if (v === 0) zeros++;
        sum += v;
      }
      if (Math.abs(sum - 1) > STOCHASTIC_TOLERANCE) {
        throw new RangeError(`${argName} row ${i} must sum to 1 (±${STOCHASTIC_TOLERANCE}); got ${sum}`);
      }
    }
    this.rowStart = rowStart;
    this.col = col;
    this.value = value;
    this.storedZeros = zeros;
  }

  /** From a dense square array of rows. */
  static fromDense(rows: readonly (readonly number[])[] | readonly Float64Array[], argName = "matrix"): SparseStochasticMatrix {
    if (!Array.isArray(rows)) throw new TypeError(`${argName} must be an array of rows; got ${describe(rows)}`);
    const n = rows.length;
    if (n === 0) throw new RangeError(`${argName} must have at least one row; got ${describe(rows)}`);
    const rowStart = new Int32Array(n + 1);
    const cols: number[] = [];
    const vals: number[] = [];
    rows.forEach((row, i) => {
      if (!Array.isArray(row) && !(row instanceof Float64Array)) throw new TypeError(`${argName}[${i}] must be an array; got ${describe(row)}`);
      if (row.length !== n) throw new RangeError(`${argName} must be square: row ${i} has length ${row.length}, expected ${n}`);
      for (let j = 0; j < n; j++) {
        const v = row[j];
        if (typeof v !== "number" || Number.isNaN(v)) throw new TypeError(`${argName}[${i}][${j}] must be a number; got ${describe(v)}`);
        if (v !== 0) {
          cols.push(j);
          vals.push(v);
        }
      }
      rowStart[i + 1] = cols.length;
    });
    return new SparseStochasticMatrix(n, rowStart, Int32Array.from(cols), Float64Array.from(vals), argName);
  }

  /** The matrix as dense rows (for small chains and for exercises that ask for `number[][]`). */
  toDense(): number[][] {
    const out = Array.from({ length: this.n }, () => new Array<number>(this.n).fill(0));
    for (let i = 0; i < this.n; i++) {
      for (let e = this.rowStart[i]; e < this.rowStart[i + 1]; e++) out[i][this.col[e]] += this.value[e];
    }
    return out;
  }

  /** Entry T[i, j] (a scan of row i). */
  get(i: number, j: number): number {
    let s = 0;
    for (let e = this.rowStart[i]; e < this.rowStart[i + 1]; e++) if (this.col[e] === j) s += this.value[e];
    return s;
  }

  /** Number of stored non-zero entries. */
  get nnz(): number {
    let c = 0;
    for (let e = 0; e < this.value.length; e++) if (this.value[e] !== 0) c++;
    return c;
  }

  /**
   * One step of the distribution, π ↦ πT (row-vector convention). Only the length is checked (the
   * step runs in loops); `evolve` checks that π is a distribution.
   */
  step(pi: ArrayLike<number>, out?: Float64Array): Float64Array {
    checkVectorLength("pi", pi, this.n);
    if (out !== undefined) checkVectorLength("out", out, this.n);
    const next = out ?? new Float64Array(this.n);
    next.fill(0);
    const { rowStart, col, value } = this;
    for (let i = 0; i < this.n; i++) {
      const p = pi[i];
      if (p === 0) continue;
      for (let e = rowStart[i]; e < rowStart[i + 1]; e++) next[col[e]] += p * value[e];
    }
    return next;
  }

  /** π T^n, validating π once. */
  evolve(pi: ArrayLike<number>, steps: number): Float64Array {
    return evolveWith((a, b) => this.step(a, b), pi, this.n, steps);
  }

  /** T^n as dense rows: row i is e_i T^n (intended for small chains). */
  power(steps: number): number[][] {
    checkInteger("steps", steps, 0);
    const out: number[][] = [];
    let a = new Float64Array(this.n);
    let b = new Float64Array(this.n);
    for (let i = 0; i < this.n; i++) {
      a.fill(0);
      a[i] = 1;
      for (let s = 0; s < steps; s++) {
        this.step(a, b);
        [a, b] = [b, a];
      }
      out.push(Array.from(a));
    }
    return out;
  }

  /** The sub-matrix on `states` (a sorted or unsorted list), dense, as row-major Float64Array. */
  denseBlock(states: ArrayLike<number>): Float64Array {
    const m = states.length;
    const pos = new Map<number, number>();
    for (let a = 0; a < m; a++) pos.set(states[a], a);
    const out = new Float64Array(m * m);
    for (let a = 0; a < m; a++) {
      const i = states[a];
      for (let e = this.rowStart[i]; e < this.rowStart[i + 1]; e++) {
        const b = pos.get(this.col[e]);
        if (b !== undefined) out[a * m + b] += this.value[e];
      }
    }
    return out;
  }
}

/**
 * π T^steps for any step routine `step(π, out)`, validating π once and ping-ponging two buffers.
 *
 * Rows are validated to sum to 1 only within 1e-9, and over millions of steps such an excess
 * compounds (1 + 9e-10 per step is a mass of 1.009 after 10⁷ steps). So the total mass is put back to
 * that of π after every step, which is the chain with each row divided by its sum applied to a
 * distribution that keeps its mass (the difference from T itself is within the validation tolerance).
 */
export function evolveWith(step: (pi: Float64Array, out: Float64Array) => void, pi: ArrayLike<number>, n: number, steps: number): Float64Array {
  checkDistribution("pi", pi, n);
  checkInteger("steps", steps, 0);
  let a = Float64Array.from(pi);
  let b = new Float64Array(n);
  let mass = 0;
  for (let i = 0; i < n; i++) mass += a[i];
  for (let s = 0; s < steps; s++) {
    step(a, b);
    let total = 0;
    for (let i = 0; i < n; i++) total += b[i];
    // Rescale only when the drift is above rounding level, so exact chains stay bit-exact.
    if (Math.abs(total - mass) > 1e-15 * mass) {
      const f = mass / total;
      for (let i = 0; i < n; i++) b[i] *= f;
    }
    [a, b] = [b, a];
  }
  return a;
}
