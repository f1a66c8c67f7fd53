/**
 * 6.C.8 — the left eigenvectors of T with eigenvalue 1: the stationary distributions.
 *
 * Every stationary distribution is a mixture of the stationary distributions of the closed classes,
 * one per class. The library finds the closed classes of the page chain on {N, F, U}^k and solves
 * each by GTH. For 0 < p < 1 there is one: the point mass on U^k. For p = 1 or p = 0, F^k is
 * absorbing too, and there are two point masses.
 *
 *     stationaryDistributions(1, { luigiPrior: 0.5, pFriendly: 0.5 });   // [[0, 0, 1]]
 */
import { type WaluigiParams, checkInteger, waluigiChain } from "llm-dynamics";

export function stationaryDistributions(k: number, params: WaluigiParams): number[][] {
  checkInteger("k", k, 1, 10);
  return waluigiChain(k, params).chain.stationaryDistributions.map((pi) => Array.from(pi));
}

export const writtenAnswer = `A stationary distribution is a belief about the page that one more step of generation does not
change. For 0 < p < 1 the only one is all mass on U^k: whatever the prompt, Dynamic GPT ends up
writing nothing but unfriendly tokens, and stays there, because U^k is the only closed class. Every
friendly page leaks a little probability towards U at every step, and nothing flows back. So the
long-run behaviour of this chain is the waluigi, from any start: the friendly persona is transient.
Only in the degenerate cases p = 1 (the waluigi never reveals itself) and p = 0 (one friendly token
rules the waluigi out) is the friendly page F^k absorbing too, giving a second stationary distribution.`;
