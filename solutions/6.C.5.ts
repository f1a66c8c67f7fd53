/**
 * 6.C.5 — qualitative differences as k grows, measured: the expected number of steps from the empty
 * page N^k until the page first holds a U (the waluigi reveals itself).
 *
 * E[T] = Σ_{t ≥ 0} P(T > t), and T > t means the first t tokens were all F. Before the page is full
 * (t ≤ k) nothing is deleted, the factors f(0) … f(t−1) telescope and P(T > t) = ℓ + (1 − ℓ) pᵗ. After
 * that the page is F^k and each step keeps it with probability f(k), so the tail is geometric:
 *
 *     E[T] = Σ_{t=0}^{k−1} (ℓ + (1 − ℓ) pᵗ) + (ℓ + (1 − ℓ) pᵏ) / (1 − f(k)),
 *
 * with 1 − f(k) = (1 − ℓ) pᵏ (1 − p) / (ℓ + (1 − ℓ) pᵏ) written without cancellation. It is Infinity
 * when 1 − f(k) = 0 (p = 0 or p = 1: F^k is absorbing and the reveal may never come).
 *
 *     expectedStepsToReveal(1, { luigiPrior: 0.5, pFriendly: 0.5 });   // 5.5
 */
import { type WaluigiParams, checkInteger, checkWaluigiParams } from "llm-dynamics";

export function expectedStepsToReveal(k: number, params: WaluigiParams): number {
  checkInteger("k", k, 1);
  const { luigiPrior: l, pFriendly: p } = checkWaluigiParams(params);
  const stillFriendly = (t: number) => l + (1 - l) * p ** t;
  const leave = ((1 - l) * p ** k * (1 - p)) / stillFriendly(k);
  if (leave === 0) return Infinity;
  let sum = 0;
  for (let t = 0; t < k; t++) sum += stillFriendly(t);
  return sum + stillFriendly(k) / leave;
}

export const writtenAnswer = `For a small window the model forgets quickly: with few friendly tokens on the page, its posterior
keeps real weight on the waluigi, so each step has a noticeable chance of emitting U and the reveal
comes soon. As k grows the page holds more friendly evidence, the posterior on the waluigi shrinks
like p^k, and the friendly page F^k becomes stickier: the expected time to the reveal grows roughly
geometrically, like p^(-k). The structure does not change with k — U^k is still the only absorbing
set for 0 < p < 1 and the waluigi still wins in the end — only the time scale does. The number of
pages grows as 3^k, but the pages that matter from the empty prompt are only the (k+1)(k+2)/2
pages N^j F^a U^b.`;
