/**
 * 6.C.3 — the transition network of the toy model.
 *
 * One node per page of {N, F, U}^k, one edge per token the model can emit there: from s to
 * s_2 … s_k t, labelled with t and μ(t | s). N is never emitted, and a page holding a U emits U with
 * probability 1, so every page has one or two outgoing edges. The edges come from the library's page
 * chain; `drawTransitionNetwork` draws them with the library's network plot.
 *
 *     transitionNetwork(2, { luigiPrior: 0.9, pFriendly: 0.8 })[0];
 *     // { from: "NN", to: "NF", token: "F", prob: 0.98 }
 */
import { type Figure, type Page, type WaluigiParams, checkInteger, figure, networkPlot, pageNetwork, waluigiChain } from "llm-dynamics";

export interface NetworkEdge {
  from: Page;
  to: Page;
  token: "F" | "U";
  prob: number;
}

export function transitionNetwork(k: number, params: WaluigiParams): NetworkEdge[] {
  checkInteger("k", k, 1);
  const chain = waluigiChain(k, params);
  const V = chain.vocabulary.size;
  const edges: NetworkEdge[] = [];
  for (let s = 0; s < chain.size; s++) {
    for (let t = 0; t < V; t++) {
      const prob = chain.probs[s * V + t];
      if (prob > 0) {
        const token = chain.vocabulary.tokens[t] as "F" | "U";
        edges.push({ from: chain.label(s), to: chain.label(chain.space.successor(s, t)), token, prob });
      }
    }
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
