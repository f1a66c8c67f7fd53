/**
 * 4.5 — the stationary distribution of an irreducible chain, by solving πT = π.
 *
 * πT = π is the linear system (Tᵀ − I) πᵀ = 0. Its equations are dependent (each column of T − I sums
 * to 0), so one of them is replaced by the normalisation Σ π = 1; for an irreducible chain the system
 * then has exactly one solution. Gaussian elimination with partial pivoting solves it.
 *
 *     stationaryDistribution([[0.9, 0.1], [0.5, 0.5]]);   // [0.8333…, 0.1666…]
 */
export function stationaryDistribution(T: number[][]): number[] {
  const n = T.length;
  // Row j of the system: Σ_i (T[i][j] − δ_ij) π_i = 0; the last row becomes Σ_i π_i = 1.
  const A = Array.from({ length: n }, (_, j) => [...T.map((row, i) => row[j] - (i === j ? 1 : 0)), 0]);
  A[n - 1] = [...new Array<number>(n).fill(1), 1];
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(A[r][col]) > Math.abs(A[pivot][col])) pivot = r;
    if (A[pivot][col] === 0) throw new RangeError("T must be irreducible: πT = π has more than one solution");
    [A[col], A[pivot]] = [A[pivot], A[col]];
    for (let r = 0; r < n; r++) {
      if (r === col || A[r][col] === 0) continue;
      const factor = A[r][col] / A[col][col];
      for (let c = col; c <= n; c++) A[r][c] -= factor * A[col][c];
    }
  }
  return A.map((row, i) => row[n] / row[i]);
}
