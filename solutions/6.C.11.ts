/**
 * 6.C.11 — the absorbing sets of T: its minimal absorbing sets, the closed communicating classes.
 *
 * The library finds them as the sink components of the page graph. For 0 < p < 1 the only one is
 * {U^k}; for p = 0 or p = 1 it is {F^k} and {U^k}. (Any union of closed classes, with whatever leads
 * into it, is absorbing too; the minimal ones are the answer.)
 *
 *     closedClasses(2, { luigiPrior: 0.9, pFriendly: 0.8 });   // [["UU"]]
 */
import { type Page, type WaluigiParams, checkInteger, waluigiChain } from "llm-dynamics";

export function closedClasses(k: number, params: WaluigiParams): Page[][] {
  checkInteger("k", k, 1, 12);
  const chain = waluigiChain(k, params);
  return chain.chain.closedClasses.map((members) => members.map((s) => chain.label(s)));
}
