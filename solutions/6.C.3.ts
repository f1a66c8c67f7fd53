/**
 * 6.C.3 — the transition network of the toy model.
 *
 * One node per page of {N, F, U}^k, one edge per token the model can emit there: from s to
 * s_2 … s_k t, labelled with t and μ(t | s). N is never emitted, and a page holding a U emits U with
 * probability 1, so every page has one or two outgoing edges. `drawTransitionNetwork` draws the
 * network with the library's page-network plot (`pageNetwork` and `networkPlot`).
 *
 *     transitionNetwork(2, { luigiPrior: 0.9, pFriendly: 0.8 })[0];
 *     // { from: "NN", to: "NF", token: "F", prob: 0.98 }
 */
import { type Figure, type Page, type WaluigiParams, PageSpace, checkInteger, checkWaluigiParams, figure, friendlyProbability, networkPlot, pageNetwork, revealProbability, waluigiChain } from "llm-dynamics";

export interface NetworkEdge {
  from: Page;
  to: Page;
  token: "F" | "U";
  prob: number;
}

export function transitionNetwork(k: number, params: WaluigiParams): NetworkEdge[] {
  checkInteger("k", k, 1);
  checkWaluigiParams(params);
  const space = new PageSpace(["N", "F", "U"], k);
  const edges: NetworkEdge[] = [];
  for (let s = 0; s < space.size; s++) {
    const from = space.label(s);
    const n = from.split("").filter((t) => t === "F").length;
    const probs: [token: "F" | "U", prob: number][] = from.includes("U") ? [["U", 1]] : [["F", friendlyProbability(n, params)], ["U", revealProbability(n, params)]];
    for (const [token, prob] of probs) if (prob > 0) edges.push({ from, to: from.slice(1) + token, token, prob });
  }
  return edges;
}

/** The network as a figure, drawn by the library's page-network plot (pages on a circle, labelled arrows). */
export function drawTransitionNetwork(k: number, params: WaluigiParams): Figure {
  const { data, layout } = networkPlot(pageNetwork(waluigiChain(k, params)), {
    title: `Transition network of the waluigi toy model, k = ${k}`,
    digits: 3,
  });
  return figure(`solution-6c3-network-k${k}`, data, layout);
}

export const writtenAnswer = `The picture shows where the toy model can go and how it cannot come back. From the empty page NN
the chain moves right through pages that only gain friendly tokens (NF, then FF), and from every
U-free page an arrow labelled U leads into the pages that hold a U. No arrow leaves that part again:
every page with a U is followed by U, so after at most k steps the chain sits on UU, which has only
its own loop. FF also has a loop, with probability f(2) close to 1, plus a thin arrow to FU: the
friendly page is sticky but leaks, so the waluigi wins in the end (for 0 < p < 1). Pages such as FN
or UN can only be starting prompts; nothing leads into them.`;
