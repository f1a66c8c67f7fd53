/**
 * 6.C.5 — qualitative differences as k grows, measured: the expected number of steps from the empty
 * page N^k until the page first holds a U (the waluigi reveals itself).
 *
 * Computed with the library on the pages reachable from N^k (the pages N^j F^a U^b): the expected
 * hitting time of the set of pages holding a U, from the first-step equations. It is `Infinity` when
 * the chain can avoid that set forever with positive probability (p = 1, where F^k is absorbing, and
 * p = 0, where a first F rules the waluigi out). The reachable set has (k+1)(k+2)/2 pages, so large k
 * are cheap; page indices must fit in doubles, which bounds k at 33.
 *
 *     expectedStepsToReveal(1, { luigiPrior: 0.5, pFriendly: 0.5 });   // 5.5
 */
import { type WaluigiParams, checkInteger, waluigiChain } from "llm-dynamics";

export function expectedStepsToReveal(k: number, params: WaluigiParams): number {
  checkInteger("k", k, 1, 33);
  const empty = "N".repeat(k);
  const chain = waluigiChain(k, params, { prompt: empty });
  const revealed = chain.labels.flatMap((page, state) => (page.includes("U") ? [state] : []));
  return chain.chain.expectedHittingTimes(revealed)[chain.stateOf(empty)];
}

export const writtenAnswer = `For a small window the model forgets quickly: with few friendly tokens on the page, its posterior
keeps real weight on the waluigi, so each step has a noticeable chance of emitting U and the reveal
comes soon. As k grows the page holds more friendly evidence, the posterior on the waluigi shrinks
like p^k, and the friendly page F^k becomes stickier: the expected time to the reveal grows roughly
geometrically, like p^(-k). The structure does not change with k — U^k is still the only absorbing
set for 0 < p < 1 and the waluigi still wins in the end — only the time scale does. The number of
pages grows as 3^k, but the pages that matter from the empty prompt are only the (k+1)(k+2)/2
pages N^j F^a U^b.`;
