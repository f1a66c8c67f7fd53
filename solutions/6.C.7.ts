/**
 * 6.C.7 — the transition matrix T as a function of k.
 *
 * T is 3^k × 3^k over the pages in canonical order (lexicographic over N < F < U, oldest token most
 * significant; spec §4). Row s has μ(F | s) in the column of s_2 … s_k F and μ(U | s) in the column
 * of s_2 … s_k U. The library builds the chain from the model; the dense rows are its matrix.
 *
 *     transitionMatrix(1, { luigiPrior: 0.5, pFriendly: 0.5 });
 *     // [[0, 0.75, 0.25], [0, 0.8333…, 0.1666…], [0, 0, 1]]
 */
import { type WaluigiParams, checkInteger, waluigiChain } from "llm-dynamics";

export function transitionMatrix(k: number, params: WaluigiParams): number[][] {
  checkInteger("k", k, 1, 8);
  return waluigiChain(k, params).toDense();
}
