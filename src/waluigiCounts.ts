/**
 * The waluigi model seen through the only two facts it reads from a page (Remarks 6.D and 6.E).
 *
 * The model's next-token distribution depends on a page only through the number of F it holds and
 * whether it holds a U (spec §3). Started from the empty page N^k, the window-k chain visits only the
 * pages N^(k−n) F^n (n ≤ k) and pages with a U, and every page with a U leads only to pages with a U.
 * Lumping them gives a chain on the F count with one extra state, "revealed": count n moves to
 * min(n + 1, cap) with probability f(n) and to "revealed" with 1 − f(n); "revealed" is absorbing.
 *
 * - With cap = k it is the window-k chain from N^k (generation + deletion): at the cap, the oldest F
 *   is deleted as a new one arrives, so the count stays at k.
 * - With cap at least the number of steps taken it is generation alone: the page only grows, the count
 *   never meets the cap, and nothing real is ever deleted.
 *
 * Its size is cap + 2, so it reaches windows far beyond k ≈ 33, where 3^k stops fitting the page
 * indices of a `PageChain`.
 *
 *     const counts = waluigiCountChain(40, { luigiPrior: 0.8, pFriendly: 0.9 });
 *     counts.chain.expectedHittingTimes([counts.revealed])[0];  // mean steps to the first U, window 40
 *     counts.labels[3];                                          // "3F"
 */
import { MarkovChain } from "./chain";
import { SparseStochasticMatrix } from "./sparse";
import { checkInteger } from "./validate";
import { type WaluigiParams, checkWaluigiParams, friendlyProbability, revealProbability } from "./waluigi";

export interface WaluigiCountChain {
  /** States 0 … cap: a page without U holding that many F; state cap + 1: a page holding a U. */
  chain: MarkovChain;
  cap: number;
  /** The state index of "the page holds a U" (cap + 1). */
  revealed: number;
  /** "0F", "1F", …, then "revealed". */
  labels: string[];
}

/** The F-count chain of the waluigi model with the count capped at `cap` (see the file comment). */
export function waluigiCountChain(cap: number, params: WaluigiParams): WaluigiCountChain {
  checkInteger("cap", cap, 1, 2 ** 28);
  const checked = checkWaluigiParams(params);
  const n = cap + 2, revealed = cap + 1;
  const rowStart = new Int32Array(n + 1);
  const col: number[] = [];
  const value: number[] = [];
  for (let count = 0; count <= cap; count++) {
    const f = friendlyProbability(count, checked);
    // P(U) from its own formula: it is far below 1 − f's rounding error when f is close to 1.
    const u = revealProbability(count, checked);
    if (f > 0) {
      col.push(Math.min(count + 1, cap));
      value.push(f);
    }
    if (u > 0) {
      col.push(revealed);
      value.push(u);
    }
    rowStart[count + 1] = col.length;
  }
  col.push(revealed);
  value.push(1);
  rowStart[n] = col.length;
  const T = new SparseStochasticMatrix(n, rowStart, Int32Array.from(col), Float64Array.from(value), "waluigi count chain");
  const labels = Array.from({ length: cap + 1 }, (_, count) => `${count}F`);
  labels.push("revealed");
  return { chain: new MarkovChain(T), cap, revealed, labels };
}
