/**
 * 6.C.3 — the transition network of the toy model.
 *
 * One node per page of {N, F, U}^k, one edge per token the model can emit there: from s to
 * s_2 … s_k t, labelled with t and μ(t | s). N is never emitted, and a page holding a U emits U with
 * probability 1, so every page has one or two outgoing edges. The edges come from the library's page
 * chain; `drawTransitionNetwork` turns them into a figure.
 *
 *     transitionNetwork(2, { luigiPrior: 0.9, pFriendly: 0.8 })[0];
 *     // { from: "NN", to: "NF", token: "F", prob: 0.98 }
 */
import { type Figure, type Page, type WaluigiParams, checkInteger, figure, waluigiChain } from "llm-dynamics";

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

/** The network as a figure: pages on a circle in canonical order, edges as labelled arrows. */
export function drawTransitionNetwork(k: number, params: WaluigiParams): Figure {
  const edges = transitionNetwork(k, params);
  const pages = waluigiChain(k, params).labels;
  const at = new Map(pages.map((p, i) => [p, { x: Math.cos((2 * Math.PI * i) / pages.length), y: Math.sin((2 * Math.PI * i) / pages.length) }]));
  const annotations = edges.flatMap((e): Record<string, unknown>[] => {
    const a = at.get(e.from)!, b = at.get(e.to)!;
    const label = `${e.token} ${e.prob.toFixed(3)}`;
    if (e.from === e.to) {
      return [{ x: a.x * 1.22, y: a.y * 1.22, text: `↻ ${label}`, showarrow: false, font: { size: 10 } }];
    }
    return [
      { x: b.x, y: b.y, ax: a.x, ay: a.y, xref: "x", yref: "y", axref: "x", ayref: "y", showarrow: true, arrowhead: 2, standoff: 14, startstandoff: 14, text: "" },
      { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2, text: label, showarrow: false, font: { size: 10 }, bgcolor: "rgba(255,255,255,0.7)" },
    ];
  });
  const nodes = {
    type: "scatter",
    mode: "markers+text",
    x: pages.map((p) => at.get(p)!.x),
    y: pages.map((p) => at.get(p)!.y),
    text: pages,
    textposition: "middle center",
    marker: { size: 34, color: pages.map((p) => (p.includes("U") ? "#d62728" : p.includes("F") ? "#2ca02c" : "#bbbbbb")) },
    hoverinfo: "text",
  };
  return figure(`solution-6c3-network-k${k}`, [nodes], {
    title: { text: `Transition network of the waluigi toy model, k = ${k}` },
    showlegend: false,
    xaxis: { visible: false, range: [-1.5, 1.5] },
    yaxis: { visible: false, range: [-1.5, 1.5], scaleanchor: "x" },
    annotations,
    width: 640,
    height: 640,
  });
}
