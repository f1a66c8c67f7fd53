/**
 * 5.5 — the probability of escaping a page at temperature τ.
 *
 * With logits ℓ_j and temperature τ > 0 the next token is j with probability softmax(ℓ/τ)_j. If token
 * `stay` keeps the page as it is (a page of "0"s followed by another "0"), the page is left with
 * probability Σ_{j ≠ stay} e^{ℓ_j/τ} / Σ_j e^{ℓ_j/τ}. Two things go wrong when this is coded naively:
 * e^{ℓ/τ} overflows for small τ (subtract the largest ℓ/τ first, which changes nothing), and
 * 1 − P(stay) rounds to 0 when the escape is tiny (sum the other tokens' weights instead). At τ = 0
 * decoding is greedy: the most likely token, the first one on ties, so the escape is 0 or 1.
 *
 *     escapeProbability([2, 0, 0], 0, 1);    // 2 / (e² + 2) ≈ 0.2131
 *     escapeProbability([2, 0, 0], 0, 0);    // 0
 */
import { checkInteger } from "llm-dynamics";

export function escapeProbability(logits: number[], stay: number, temperature: number): number {
  checkInteger("stay", stay, 0, logits.length - 1);
  if (!(temperature >= 0)) throw new RangeError(`temperature must be ≥ 0; got ${temperature}`);
  if (temperature === 0) {
    let best = 0;
    for (let j = 1; j < logits.length; j++) if (logits[j] > logits[best]) best = j;
    return best === stay ? 0 : 1;
  }
  const scaled = logits.map((l) => l / temperature);
  const top = Math.max(...scaled);
  let others = 0;
  let total = 0;
  scaled.forEach((x, j) => {
    const w = Math.exp(x - top);
    total += w;
    if (j !== stay) others += w;
  });
  return others / total;
}

export const writtenAnswer = `At high temperature the distribution flattens and the page is left often: no state is absorbing in
practice. As the temperature falls, the escape probability of a page whose staying token has the
largest logit shrinks like exp(−gap/τ), where gap is the distance to the next-best logit: halving τ
squares it. So the expected time spent on such a page, 1/escape, grows exponentially in 1/τ, and at
τ = 0 it becomes a true absorbing state (escape 0), the mode collapse of greedy decoding. If the
staying token is not the most likely one, the escape tends to 1 instead: the page is abandoned.`;
