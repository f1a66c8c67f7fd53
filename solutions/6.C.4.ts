/**
 * 6.C.4 — the transition matrix for k = 2: 9 × 9, rows and columns in the order
 * NN NF NU FN FF FU UN UF UU. Written out for this one window, so it stands alone before 6.C.7
 * generalises it: from page xy the model writes t, and the page becomes yt.
 *
 *     transitionMatrixK2({ luigiPrior: 0.9, pFriendly: 0.8 })[0][1];   // P(NN → NF) = 0.98
 */
import { type WaluigiParams, checkWaluigiParams } from "llm-dynamics";

export function transitionMatrixK2(params: WaluigiParams): number[][] {
  const { luigiPrior: l, pFriendly: p } = checkWaluigiParams(params);
  const pages = ["NN", "NF", "NU", "FN", "FF", "FU", "UN", "UF", "UU"];
  // f(n) and 1 − f(n) on a U-free page with n tokens F (Bayes over Luigi and the waluigi).
  const friendly = (n: number) => (l + (1 - l) * p ** (n + 1)) / (l + (1 - l) * p ** n);
  const reveal = (n: number) => ((1 - l) * p ** n * (1 - p)) / (l + (1 - l) * p ** n);
  return pages.map((page) => {
    const row = new Array<number>(9).fill(0);
    const to = (t: string) => pages.indexOf(page[1] + t);
    if (page.includes("U")) row[to("U")] = 1;
    else {
      const n = page.split("").filter((t) => t === "F").length;
      row[to("F")] = friendly(n);
      row[to("U")] = reveal(n);
    }
    return row;
  });
}
