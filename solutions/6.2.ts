/**
 * 6.2 — how long the friendly page F^k lasts: its expected dwell time, in closed form.
 *
 * On F^k the next page is F^k again with probability f(k), so the number of steps until the page
 * changes is geometric with mean D(k) = 1 / (1 − f(k)). Written as 1 − f(k) it cancels: for large k,
 * f(k) rounds to 1 and 1 / (1 − f(k)) to Infinity while the true value is finite. Simplifying first,
 * 1 − f(k) = (1 − ℓ) pᵏ (1 − p) / (ℓ + (1 − ℓ) pᵏ), hence
 *
 *     D(k) = ℓ / ((1 − ℓ)(1 − p)) · p⁻ᵏ + 1 / (1 − p),
 *
 * which grows like p⁻ᵏ. For p = 0 and p = 1 the friendly page is absorbing and D(k) = Infinity.
 *
 *     dwellTime(1, { luigiPrior: 0.5, pFriendly: 0.5 });   // 6
 */
import { type WaluigiParams, checkInteger, checkWaluigiParams } from "llm-dynamics";

export function dwellTime(k: number, params: WaluigiParams): number {
  checkInteger("k", k, 1);
  const { luigiPrior: l, pFriendly: p } = checkWaluigiParams(params);
  if (p === 0 || p === 1) return Infinity;
  return l / ((1 - l) * (1 - p) * p ** k) + 1 / (1 - p);
}

export const writtenAnswer = `The dwell time grows geometrically with the window: each extra friendly token the page can hold
divides the waluigi's remaining credence by p, so D(k) is multiplied by about 1/p per extra token.
A model with a long context window therefore keeps a friendly persona for a very long time once its
page is full of friendly text, but for 0 < p < 1 the time is always finite: the friendly page is
metastable, not absorbing. The additive 1/(1 − p) is the waluigi's own patience, what remains when
the prior on Luigi is negligible.`;
