/**
 * 6.C.10 — the k-step transition matrix T^k.
 *
 * After k steps every token on the page has been generated, so the pages in between are fixed by the
 * start s and the end s': after j steps the page is s[j…] followed by s'[…j). T^k[s][s'] is then one
 * product of k entries of T (the matrix of 6.C.7) along that path — no sum over paths, no matrix
 * power. Only pages F^a U^(k−a) can be written (once a U appears, only U follows), so only their
 * columns are non-zero: unlike a softmax model's, this T^k is not positive.
 *
 *     kStepMatrix(1, params);   // equals transitionMatrix(1, params)
 */
import { type WaluigiParams, PageSpace, checkInteger } from "llm-dynamics";
import { transitionMatrix } from "./6.C.7";

export function kStepMatrix(k: number, params: WaluigiParams): number[][] {
  checkInteger("k", k, 1, 7);
  const T = transitionMatrix(k, params);
  const space = new PageSpace(["N", "F", "U"], k);
  const labels = Array.from({ length: space.size }, (_, s) => space.label(s));
  const index = new Map(labels.map((page, s) => [page, s]));
  return labels.map((from) =>
    labels.map((to) => {
      let prob = 1;
      for (let j = 0; j < k && prob > 0; j++) prob *= T[index.get(from.slice(j) + to.slice(0, j))!][index.get(from.slice(j + 1) + to.slice(0, j + 1))!];
      return prob;
    }),
  );
}

export const writtenAnswer = `Only the columns of the pages F^a U^(k−a) (a = 0 … k) can be non-zero. After k steps the whole page
has been written by the model, and the model never writes N, so no column of a page with an N
survives. It also never writes F after U (a page holding a U is followed by U), so the written page
is some friendly tokens followed by unfriendly ones. The column of U^k is positive in every row,
since every page can reach U^k within k steps. So T^k has k + 1 non-zero columns out of 3^k, unlike a
softmax model, whose T^k is positive everywhere.`;
