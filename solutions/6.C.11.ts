/**
 * 6.C.11 — the absorbing sets of T: its minimal absorbing sets, the closed communicating classes.
 *
 * From the matrix of 6.C.7: a search from every page gives what it reaches; a page whose every
 * reachable page reaches it back starts a closed class, made of everything it reaches. For 0 < p < 1
 * the only one is {U^k}; for p = 0 or p = 1 it is {F^k} and {U^k}. (Any union of closed classes, with
 * whatever leads into it, is absorbing too; the minimal ones are the answer.)
 *
 *     closedClasses(2, { luigiPrior: 0.9, pFriendly: 0.8 });   // [["UU"]]
 */
import { type Page, type WaluigiParams, PageSpace, checkInteger } from "llm-dynamics";
import { transitionMatrix } from "./6.C.7";

export function closedClasses(k: number, params: WaluigiParams): Page[][] {
  checkInteger("k", k, 1, 8);
  const T = transitionMatrix(k, params);
  const space = new PageSpace(["N", "F", "U"], k);
  const n = T.length;
  // Each row has at most two non-zero entries: keep them as adjacency lists.
  const next = T.map((row) => row.flatMap((x, t) => (x > 0 ? [t] : [])));
  const reachFrom = (s: number): Set<number> => {
    const seen = new Set([s]);
    const stack = [s];
    while (stack.length > 0) for (const v of next[stack.pop()!]) if (!seen.has(v)) { seen.add(v); stack.push(v); }
    return seen;
  };
  const reach = Array.from({ length: n }, (_, s) => reachFrom(s));
  const classes: Page[][] = [];
  const done = new Set<number>();
  for (let s = 0; s < n; s++) {
    if (done.has(s) || ![...reach[s]].every((t) => reach[t].has(s))) continue;
    classes.push([...reach[s]].sort((a, b) => a - b).map((t) => space.label(t)));
    for (const t of reach[s]) done.add(t);
  }
  return classes;
}

export const writtenAnswer = `For 0 < p < 1 the only minimal absorbing set is {U^k}: a page with a U can only be followed by U,
so within k steps it becomes U^k and stays, while every U-free page has a positive chance of a U
next. The friendly page F^k is not absorbing: it loops with probability f(k) < 1. In the two
degenerate cases F^k becomes a second closed set: at p = 1 the waluigi never reveals itself, and at
p = 0 one friendly token proves the writer is Luigi. So in the toy model the waluigi is the only
long-run outcome, and the friendly persona is at best metastable.`;
