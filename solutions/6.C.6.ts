/**
 * 6.C.6 — what k → ∞ means, measured: the least context window k ≥ 1 whose friendly page F^k has an
 * expected dwell time 1 / (1 − f(k)) of at least `steps`.
 *
 * Closed form. With u(k) = 1 − f(k) = (1 − λ) pᵏ (1 − p) / (λ + (1 − λ) pᵏ), the dwell time is
 *
 *     D(k) = 1 / u(k) = λ / ((1 − λ)(1 − p)) · p⁻ᵏ + 1 / (1 − p),
 *
 * increasing in k for 0 < p < 1, so D(k) ≥ steps ⇔ p⁻ᵏ ≥ R with R = (steps (1 − p) − 1)(1 − λ) / λ,
 * i.e. k ≥ log R / log(1/p). The logarithm gives the answer up to rounding; the final check walks to
 * the least k whose D(k), computed without cancellation, meets the bound. For p = 0 or p = 1,
 * u(k) = 0 for every k ≥ 1: the dwell time is infinite and k = 1 already suffices. For 0 < p < 1 and
 * steps = Infinity no finite k suffices, and the answer is Infinity.
 *
 *     contextForStickiness(100, { luigiPrior: 0.9, pFriendly: 0.8 });   // 4
 */
import { type WaluigiParams, checkWaluigiParams, describe } from "llm-dynamics";

export function contextForStickiness(steps: number, params: WaluigiParams): number {
  if (typeof steps !== "number" || Number.isNaN(steps)) throw new TypeError(`steps must be a number; got ${describe(steps)}`);
  const { luigiPrior: lambda, pFriendly: p } = checkWaluigiParams(params);
  const dwell = (k: number) => (lambda + (1 - lambda) * p ** k) / ((1 - lambda) * p ** k * (1 - p));
  if (p === 0 || p === 1) return 1;
  if (steps === Infinity) return Infinity;
  const ratio = ((steps * (1 - p) - 1) * (1 - lambda)) / lambda;
  let k = ratio <= 1 ? 1 : Math.max(1, Math.ceil(Math.log(ratio) / -Math.log(p)));
  while (k > 1 && dwell(k - 1) >= steps) k--;
  while (dwell(k) < steps) k++;
  return k;
}

export const writtenAnswer = `Letting k grow without bound gives the model a perfect memory: nothing it has written is ever
deleted, so each friendly token is permanent evidence. Then f(n) → 1 as the page fills with F, the
chance of a reveal shrinks step after step, and with probability λ (the prior on Luigi) the waluigi
is never revealed at all. Static GPT, with
generation but no deletion, lives in this limit. For every finite k the evidence is capped at k
friendly tokens, so P(F^k → F^k) = f(k) < 1 stays fixed and the reveal eventually happens with
probability 1; a longer window only makes the friendly page stickier (dwell time ~ p^(-k)). The limit
k → ∞ and the limit n → ∞ (running the chain for longer) do not commute.`;
