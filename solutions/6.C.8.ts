/**
 * 6.C.8 — the left eigenvectors of T with eigenvalue 1: the stationary distributions.
 *
 * Every stationary distribution is a mixture of the stationary distributions of the closed classes,
 * one per class, and outside its class each of them is 0. So: take the matrix of 6.C.7, find its
 * closed classes (pages whose every reachable page reaches them back), and on each class solve
 * πT = π with Σπ = 1 by Gaussian elimination (one equation replaced by the normalisation). For
 * 0 < p < 1 there is one: the point mass on U^k. For p = 1 or p = 0, F^k is absorbing too.
 *
 *     stationaryDistributions(1, { luigiPrior: 0.5, pFriendly: 0.5 });   // [[0, 0, 1]]
 */
import { type WaluigiParams, checkInteger } from "llm-dynamics";
import { transitionMatrix } from "./6.C.7";

export function stationaryDistributions(k: number, params: WaluigiParams): number[][] {
  checkInteger("k", k, 1, 8);
  const T = transitionMatrix(k, params);
  const n = T.length;
  const next = T.map((row) => row.flatMap((x, t) => (x > 0 ? [t] : [])));
  const reachFrom = (s: number): Set<number> => {
    const seen = new Set([s]);
    const stack = [s];
    while (stack.length > 0) for (const v of next[stack.pop()!]) if (!seen.has(v)) { seen.add(v); stack.push(v); }
    return seen;
  };
  const reach = Array.from({ length: n }, (_, s) => reachFrom(s));
  const out: number[][] = [];
  const done = new Set<number>();
  for (let s = 0; s < n; s++) {
    if (done.has(s) || ![...reach[s]].every((t) => reach[t].has(s))) continue;
    const members = [...reach[s]].sort((a, b) => a - b);
    members.forEach((t) => done.add(t));
    // Row j: Σ_i π_i (T[i][j] − δ_ij) = 0 on the class; the last row is Σ π_i = 1.
    const m = members.length;
    const A = members.map((j) => [...members.map((i) => T[i][j] - (i === j ? 1 : 0)), 0]);
    A[m - 1] = [...new Array<number>(m).fill(1), 1];
    for (let col = 0; col < m; col++) {
      let pivot = col;
      for (let r = col + 1; r < m; r++) if (Math.abs(A[r][col]) > Math.abs(A[pivot][col])) pivot = r;
      [A[col], A[pivot]] = [A[pivot], A[col]];
      for (let r = 0; r < m; r++) {
        if (r === col || A[r][col] === 0) continue;
        const factor = A[r][col] / A[col][col];
        for (let c = col; c <= m; c++) A[r][c] -= factor * A[col][c];
      }
    }
    const pi = new Array<number>(n).fill(0);
    members.forEach((t, i) => (pi[t] = A[i][m] / A[i][i]));
    out.push(pi);
  }
  return out;
}

export const writtenAnswer = `A stationary distribution is a belief about the page that one more step of generation does not
change. For 0 < p < 1 the only one is all mass on U^k: whatever the prompt, Dynamic GPT ends up
writing nothing but unfriendly tokens, and stays there, because U^k is the only closed class. Every
friendly page leaks a little probability towards U at every step, and nothing flows back. So the
long-run behaviour of this chain is the waluigi, from any start: the friendly persona is transient.
Only in the degenerate cases p = 1 (the waluigi never reveals itself) and p = 0 (one friendly token
rules the waluigi out) is the friendly page F^k absorbing too, giving a second stationary distribution.`;
