/**
 * A SparseStochasticMatrix from CSR arrays that a builder made valid by construction, without the
 * constructor's scan of every entry (at millions of rows that scan costs as much as building them).
 *
 * Internal to the library (not exported from src/index.ts, so a learner cannot build an unchecked
 * matrix with it). Every row must copy one of a few rows that the builder checked itself: columns in
 * [0, n), rowStart non-decreasing from 0 to nnz, probabilities finite and positive (no stored zero),
 * each row summing to 1 within STOCHASTIC_TOLERANCE. The waluigi chain's full-space builder
 * (src/waluigi.ts) is the user; test/lib/page-chain.test.ts compares its matrix with the validated
 * generic route.
 *
 *     const T = stochasticMatrixByConstruction(n, rowStart, col, value);   // rows checked by the caller
 */
import { SparseStochasticMatrix } from "./sparse";

export function stochasticMatrixByConstruction(n: number, rowStart: Int32Array, col: Int32Array, value: Float64Array): SparseStochasticMatrix {
  if (rowStart.length !== n + 1 || col.length !== value.length || rowStart[0] !== 0 || rowStart[n] !== col.length) {
    throw new RangeError(`stochasticMatrixByConstruction: CSR arrays do not fit n = ${n} (rowStart ${rowStart.length}, col ${col.length}, value ${value.length})`);
  }
  const m = Object.create(SparseStochasticMatrix.prototype) as { -readonly [K in keyof SparseStochasticMatrix]: SparseStochasticMatrix[K] };
  m.n = n;
  m.rowStart = rowStart;
  m.col = col;
  m.value = value;
  m.storedZeros = 0;
  return m as SparseStochasticMatrix;
}
