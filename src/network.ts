/**
 * The page-state network (Remark 4.B): pages as nodes, one edge per token with positive probability,
 * labelled with the token and its probability — and a plotly drawing of it for small chains.
 *
 * Nodes sit on a circle in canonical page order. Edges are straight arrows (plotly annotations),
 * pushed a little to their right so that the two directions between a pair of pages stay apart;
 * a self-loop (a page that can follow itself, like "AAA" → "AAA") is drawn as a small circle outside
 * the node.
 *
 *     const net = pageNetwork(pageChain(model, ["A", "B"], 3));
 *     net.edges[0];   // { from: 0, to: 0, fromLabel: "AAA", toLabel: "AAA", token: "A", probability: 0.9 }
 *     const { data, layout } = networkPlot(net, { title: "B(2, 3)" });
 *     show(figure("remark4-network", data, layout));
 */
import type { PageChain } from "./pageChain";
import { checkInteger, checkInterval } from "./validate";

export interface NetworkNode {
  state: number;
  label: string;
  x: number;
  y: number;
}

export interface NetworkEdge {
  from: number;
  to: number;
  fromLabel: string;
  toLabel: string;
  token: string;
  probability: number;
}

export interface PageNetwork {
  nodes: NetworkNode[];
  edges: NetworkEdge[];
}

/** Largest chain `pageNetwork` will lay out: a drawing of more pages is unreadable anyway. */
export const NETWORK_LIMIT = 256;

/** Nodes on the unit circle (first page at the top, clockwise) and every edge with probability > minProbability. */
export function pageNetwork(chain: PageChain, options: { minProbability?: number } = {}): PageNetwork {
  const n = chain.size;
  checkInteger("chain.size", n, 1, NETWORK_LIMIT);
  const minProbability = checkInterval("options.minProbability", options.minProbability ?? 0, 0, 1);
  const V = chain.vocabulary.size;
  const nodes: NetworkNode[] = [];
  for (let s = 0; s < n; s++) {
    const angle = Math.PI / 2 - (2 * Math.PI * s) / n;
    nodes.push({ state: s, label: chain.label(s), x: Math.cos(angle), y: Math.sin(angle) });
  }
  const edges: NetworkEdge[] = [];
  for (let s = 0; s < n; s++) {
    for (let t = 0; t < V; t++) {
      const p = chain.probs[s * V + t];
      if (!(p > minProbability)) continue;
      const page = chain.space.successor(chain.pageIndex(s), t);
      const to = chain.isFullSpace ? page : chain.stateOf(page);
      edges.push({ from: s, to, fromLabel: nodes[s].label, toLabel: nodes[to].label, token: chain.vocabulary.tokens[t], probability: p });
    }
  }
  return { nodes, edges };
}

/** Plotly traces and layout drawing a page network; probabilities are shown with `digits` decimals. */
export function networkPlot(net: PageNetwork, options: { title?: string; digits?: number } = {}): { data: object[]; layout: Record<string, unknown> } {
  const digits = checkInteger("options.digits", options.digits ?? 2, 0, 6);
  const nodeRadius = 0.09, shift = 0.035, loopRadius = 0.09;
  const annotations: object[] = [];
  const labelX: number[] = [], labelY: number[] = [], labelText: string[] = [], hover: string[] = [];
  const loopX: (number | null)[] = [], loopY: (number | null)[] = [];
  for (const e of net.edges) {
    const a = net.nodes[e.from], b = net.nodes[e.to];
    const text = `${e.token} ${e.probability.toFixed(digits)}`;
    hover.push(`${e.fromLabel} → ${e.toLabel}: token ${e.token}, probability ${e.probability.toPrecision(6)}`);
    if (e.from === e.to) {
      // A circle just outside the node, away from the centre of the drawing.
      const r = Math.hypot(a.x, a.y) || 1;
      const cx = a.x + (a.x / r) * (nodeRadius + loopRadius * 0.6), cy = a.y + (a.y / r) * (nodeRadius + loopRadius * 0.6);
      for (let i = 0; i <= 24; i++) {
        loopX.push(cx + loopRadius * Math.cos((2 * Math.PI * i) / 24));
        loopY.push(cy + loopRadius * Math.sin((2 * Math.PI * i) / 24));
      }
      loopX.push(null);
      loopY.push(null);
      labelX.push(a.x + (a.x / r) * (nodeRadius + 2.4 * loopRadius));
      labelY.push(a.y + (a.y / r) * (nodeRadius + 2.4 * loopRadius));
      labelText.push(text);
      continue;
    }
    const dx = b.x - a.x, dy = b.y - a.y, len = Math.hypot(dx, dy);
    const ux = dx / len, uy = dy / len;
    // Right-hand normal: the reverse edge gets the opposite shift.
    const nx = uy * shift, ny = -ux * shift;
    const x0 = a.x + ux * nodeRadius + nx, y0 = a.y + uy * nodeRadius + ny;
    const x1 = b.x - ux * nodeRadius + nx, y1 = b.y - uy * nodeRadius + ny;
    annotations.push({ x: x1, y: y1, ax: x0, ay: y0, xref: "x", yref: "y", axref: "x", ayref: "y", showarrow: true, arrowhead: 2, arrowsize: 1, arrowwidth: 1.2, arrowcolor: "#7f8c8d", text: "" });
    labelX.push(x0 + 0.6 * (x1 - x0) + nx * 1.5);
    labelY.push(y0 + 0.6 * (y1 - y0) + ny * 1.5);
    labelText.push(text);
  }
  const data: object[] = [
    { type: "scatter", mode: "lines", x: loopX, y: loopY, line: { color: "#7f8c8d", width: 1.2 }, hoverinfo: "skip", showlegend: false },
    { type: "scatter", mode: "text", x: labelX, y: labelY, text: labelText, hovertext: hover, hoverinfo: "text", textfont: { size: 10, color: "#c0392b" }, showlegend: false },
    {
      type: "scatter", mode: "markers+text", x: net.nodes.map((v) => v.x), y: net.nodes.map((v) => v.y), text: net.nodes.map((v) => v.label),
      textposition: "middle center", marker: { size: 38, color: "#eaf2f8", line: { color: "#2e86c1", width: 1.5 } }, hoverinfo: "text", showlegend: false,
    },
  ];
  const axis = { visible: false, range: [-1.45, 1.45] };
  const layout: Record<string, unknown> = {
    annotations,
    xaxis: axis,
    yaxis: { ...axis, scaleanchor: "x" },
    width: 640,
    height: 640,
    margin: { l: 10, r: 10, t: options.title ? 50 : 10, b: 10 },
    plot_bgcolor: "white",
  };
  if (options.title) layout.title = { text: options.title };
  return { data, layout };
}
