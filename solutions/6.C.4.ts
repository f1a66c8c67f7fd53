/**
 * 6.C.4 — the transition matrix for k = 2: 9 × 9, rows and columns in the order
 * NN NF NU FN FF FU UN UF UU (spec §4). The same construction as 6.C.7 at k = 2, kept
 * self-contained so it can stand alone in a workbook cell.
 *
 *     transitionMatrixK2({ luigiPrior: 0.9, pFriendly: 0.8 })[0][1];   // P(NN → NF) = 0.98
 */
import { type WaluigiParams, waluigiChain } from "llm-dynamics";

export function transitionMatrixK2(params: WaluigiParams): number[][] {
  return waluigiChain(2, params).toDense();
}
