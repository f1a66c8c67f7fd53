/**
 * Measures of how "boring" a chain's long run is (Remark 5.E): there is no single right one, which
 * is the remark's point, so the course compares two.
 *
 * - The entropy rate: the average surprise per token once the chain has settled,
 *   H = Σ_s π(s) Σ_t μ(t | s) log2 (1 / μ(t | s)) bits per token, for a stationary π. A periodic
 *   orbit scores 0; a fair coin on bitstrings scores 1 — the most "interesting" text by this
 *   measure, though nobody would read it.
 * - The period of the greedy orbit (see `greedyOrbit`): how many tokens before the text repeats.
 *
 *     const pi = chain.chain.stationaryDistributions[0];
 *     entropyRate(chain, pi);   // bits per token
 */
import type { PageChain } from "./pageChain";
import { checkDistribution } from "./validate";

/** Entropy rate in bits per token of a page chain started in the distribution `pi` (stationary for the rate). */
export function entropyRate(chain: PageChain, pi: ArrayLike<number>): number {
  checkDistribution("pi", pi, chain.size);
  const V = chain.vocabulary.size, probs = chain.probs;
  let h = 0;
  for (let s = 0; s < chain.size; s++) {
    const w = pi[s];
    if (w === 0) continue;
    let hs = 0;
    for (let t = 0; t < V; t++) {
      const p = probs[s * V + t];
      if (p > 0) hs -= p * Math.log2(p);
    }
    h += w * hs;
  }
  return h;
}
