/**
 * 6.C.10 — the k-step transition matrix T^k.
 *
 * After k steps every token on the page has been generated, so T^k[s, s'] is the probability that the
 * model writes the whole page s' after s. The library computes it by k sparse steps from each page.
 * Only pages F^a U^(k−a) can be written (once a U appears, only U follows), so only their columns are
 * non-zero: unlike a softmax model's, this T^k is not positive.
 *
 *     kStepMatrix(1, params);   // equals transitionMatrix(1, params)
 */
import { type WaluigiParams, checkInteger, waluigiChain } from "llm-dynamics";

export function kStepMatrix(k: number, params: WaluigiParams): number[][] {
  checkInteger("k", k, 1, 7);
  return waluigiChain(k, params).matrix.power(k);
}
