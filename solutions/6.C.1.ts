/**
 * 6.C.1 — P(N^(k−n) F^n → N^(k−n−1) F^(n+1)) for n < k.
 *
 * The page still has padding, so the step deletes an N and nothing the model has seen is lost: the
 * page keeps all n friendly tokens and gains one. The probability is the next-token probability of F
 * on a U-free page with n tokens F, in closed form (spec §3):
 *
 *     f(n) = (λ + (1 − λ) pⁿ⁺¹) / (λ + (1 − λ) pⁿ)
 *
 *     stayFriendlyPadded(0, 3, { luigiPrior: 0.5, pFriendly: 0.5 });   // 0.75
 */
import { type WaluigiParams, checkInteger, checkWaluigiParams } from "llm-dynamics";

export function stayFriendlyPadded(n: number, k: number, params: WaluigiParams): number {
  checkInteger("k", k, 1);
  checkInteger("n", n, 0, k - 1);
  const { luigiPrior: lambda, pFriendly: p } = checkWaluigiParams(params);
  return (lambda + (1 - lambda) * p ** (n + 1)) / (lambda + (1 - lambda) * p ** n);
}
