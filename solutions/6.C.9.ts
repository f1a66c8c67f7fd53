/**
 * 6.C.9 — the eigenvalue of T with the second-largest modulus.
 *
 * Closed form. The graph of T is acyclic apart from the self-loops at F^k and U^k, so in the class
 * ordering T is triangular and its eigenvalues are its diagonal entries: T[U^k, U^k] = 1,
 * T[F^k, F^k] = f(k), and 0 for every other page. Sorted by modulus with multiplicity, the second is
 * f(k) = (λ + (1 − λ) pᵏ⁺¹) / (λ + (1 − λ) pᵏ) (equal to 1 when p = 0 or p = 1).
 *
 *     secondEigenvalue(2, { luigiPrior: 0.9, pFriendly: 0.8 });   // f(2) ≈ 0.98672
 */
import { type WaluigiParams, checkInteger, checkWaluigiParams } from "llm-dynamics";

export function secondEigenvalue(k: number, params: WaluigiParams): number {
  checkInteger("k", k, 1);
  const { luigiPrior: lambda, pFriendly: p } = checkWaluigiParams(params);
  return (lambda + (1 - lambda) * p ** (k + 1)) / (lambda + (1 - lambda) * p ** k);
}

export const writtenAnswer = `The second eigenvalue sets how fast the chain forgets where it started: the distance to the
stationary distribution shrinks like f(k)^n after n steps. Here it is the probability of staying on
the all-friendly page F^k, so 1/(1 − f(k)) is the expected number of steps the model keeps up the
friendly act once its window is full of friendly text. It tends to 1 as k grows (like 1 − c·p^k):
longer windows make the friendly persona metastable, a state that looks absorbing on any practical
time scale but still leaks to the waluigi. When it equals 1 (p = 0 or p = 1) the friendly page is
truly absorbing and the chain never forgets its start.`;
