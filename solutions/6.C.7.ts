/**
 * 6.C.7 — the transition matrix T as a function of k, built page by page.
 *
 * T is 3^k × 3^k over the pages in canonical order (lexicographic over N < F < U, oldest token most
 * significant). A page holding a U is followed by U for sure; a U-free page with n tokens F is followed
 * by F with probability f(n) and by U with probability 1 − f(n). The token t appended to page s gives
 * the page s_2 … s_k t, whose index `PageSpace.successor` computes (the de Bruijn shift).
 *
 *     transitionMatrix(1, { luigiPrior: 0.5, pFriendly: 0.5 });
 *     // [[0, 0.75, 0.25], [0, 0.8333…, 0.1666…], [0, 0, 1]]
 */
import { type WaluigiParams, PageSpace, checkInteger, checkWaluigiParams, friendlyProbability, revealProbability } from "llm-dynamics";

export function transitionMatrix(k: number, params: WaluigiParams): number[][] {
  checkInteger("k", k, 1, 8);
  checkWaluigiParams(params);
  const space = new PageSpace(["N", "F", "U"], k);
  const F = 1, U = 2;
  const T = Array.from({ length: space.size }, () => new Array<number>(space.size).fill(0));
  for (let s = 0; s < space.size; s++) {
    const page = space.label(s);
    if (page.includes("U")) {
      T[s][space.successor(s, U)] = 1;
      continue;
    }
    const n = page.split("").filter((t) => t === "F").length;
    // 1 − f(n) from its own product: it stays accurate when the reveal is very unlikely.
    T[s][space.successor(s, F)] = friendlyProbability(n, params);
    T[s][space.successor(s, U)] = revealProbability(n, params);
  }
  return T;
}
