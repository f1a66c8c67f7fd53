/**
 * 6.C.2 — P(F^k → F^k).
 *
 * The page is full of friendly tokens, so the step deletes a real F and appends one: the page is
 * unchanged exactly when the model emits F, and the model sees k friendly tokens. Closed form:
 *
 *     f(k) = (λ + (1 − λ) pᵏ⁺¹) / (λ + (1 − λ) pᵏ)
 *
 * Unlike 6.C.1, this probability does not grow step after step: deletion caps the evidence at k.
 *
 *     stayFriendlyFull(1, { luigiPrior: 0.5, pFriendly: 0.5 });   // 0.8333…
 */
import { type WaluigiParams, checkInteger, checkWaluigiParams } from "llm-dynamics";

export function stayFriendlyFull(k: number, params: WaluigiParams): number {
  checkInteger("k", k, 1);
  const { luigiPrior: lambda, pFriendly: p } = checkWaluigiParams(params);
  return (lambda + (1 - lambda) * p ** (k + 1)) / (lambda + (1 - lambda) * p ** k);
}
