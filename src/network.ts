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

/** Half-width and half-height, in data units of the default 640-pixel drawing, of a label's text box. */
function labelBox(text: string, fontSize: number): { w: number; h: number } {
  // About 0.6 em per character plus padding; the drawing spans 2.9 units over about 620 pixels.
  const unitsPerPixel = 2.9 / 620;
  return { w: ((text.length * 0.6 + 0.6) * fontSize * unitsPerPixel) / 2, h: (fontSize * 1.45 * unitsPerPixel) / 2 };
}

/**
 * Plotly traces and layout drawing a page network; probabilities are shown with `digits` decimals.
 *
 * Each arrow's label is placed at the first of several points along the arrow (middle first, then
 * towards either end) where its text box overlaps neither a node nor a label already placed, so the
 * labels of arrows that cross in the middle of the circle do not print over each other.
 */
export function networkPlot(net: PageNetwork, options: { title?: string; digits?: number } = {}): { data: object[]; layout: Record<string, unknown> } {
  const digits = checkInteger("options.digits", options.digits ?? 2, 0, 6);
  const nodeRadius = 0.09, shift = 0.035, loopRadius = 0.09, fontSize = 11;
  const annotations: object[] = [];
  const labelX: number[] = [], labelY: number[] = [], labelText: string[] = [], hover: string[] = [];
  const loopX: (number | null)[] = [], loopY: (number | null)[] = [];
  const loopSize: number[] = [], loopAngle: number[] = [];
  const placed: { x: number; y: number; w: number; h: number }[] = [];
  const overlap = (x: number, y: number, w: number, h: number): number => {
    let bad = 0;
    for (const b of placed) if (Math.abs(b.x - x) < b.w + w && Math.abs(b.y - y) < b.h + h) bad++;
    for (const v of net.nodes) if (Math.abs(v.x - x) < nodeRadius + w && Math.abs(v.y - y) < nodeRadius + h) bad++;
    return bad;
  };
  const place = (candidates: [number, number][], text: string) => {
    const { w, h } = labelBox(text, fontSize);
    let best = candidates[0], bestBad = Infinity;
    for (const c of candidates) {
      const bad = overlap(c[0], c[1], w, h);
      if (bad < bestBad) [best, bestBad] = [c, bad];
      if (bad === 0) break;
    }
    placed.push({ x: best[0], y: best[1], w, h });
    labelX.push(best[0]);
    labelY.push(best[1]);
    labelText.push(text);
  };
  // Loops first: their labels have one good place, outside the circle.
  const order = [...net.edges.keys()].sort((i, j) => Number(net.edges[j].from === net.edges[j].to) - Number(net.edges[i].from === net.edges[i].to));
  const labelAt = new Map<number, number>();
  for (const index of order) {
    const e = net.edges[index];
    const a = net.nodes[e.from], b = net.nodes[e.to];
    const text = `${e.token} ${e.probability.toFixed(digits)}`;
    labelAt.set(index, labelText.length);
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
      // Arrowhead where the loop comes back into the node: a triangle marker on the loop trace (an
      // annotation there would be drawn over the loop's line), pointing along the loop.
      const ux = a.x / r, uy = a.y / r, tx = -uy, ty = ux;
      const onLoop = (deg: number): [number, number] => {
        const th = (deg * Math.PI) / 180;
        return [cx + loopRadius * (-ux * Math.cos(th) + tx * Math.sin(th)), cy + loopRadius * (-uy * Math.cos(th) + ty * Math.sin(th))];
      };
      const [tipX, tipY] = onLoop(60), [backX, backY] = onLoop(70);
      loopX.push(tipX, null);
      loopY.push(tipY, null);
      loopSize.push(...new Array(26).fill(0), 11, 0);
      loopAngle.push(...new Array(26).fill(0), (Math.atan2(tipX - backX, tipY - backY) * 180) / Math.PI, 0);
      place([1, 1.25, 1.5].map((f) => [a.x + (a.x / r) * (nodeRadius + 2.4 * loopRadius * f), a.y + (a.y / r) * (nodeRadius + 2.4 * loopRadius * f)] as [number, number]), text);
      continue;
    }
    const dx = b.x - a.x, dy = b.y - a.y, len = Math.hypot(dx, dy);
    const ux = dx / len, uy = dy / len;
    // Right-hand normal: the reverse edge gets the opposite shift.
    const nx = uy * shift, ny = -ux * shift;
    const x0 = a.x + ux * nodeRadius + nx, y0 = a.y + uy * nodeRadius + ny;
    const x1 = b.x - ux * nodeRadius + nx, y1 = b.y - uy * nodeRadius + ny;
    annotations.push({ x: x1, y: y1, ax: x0, ay: y0, xref: "x", yref: "y", axref: "x", ayref: "y", showarrow: true, arrowhead: 2, arrowsize: 1.4, arrowwidth: 1.5, arrowcolor: "#566573", text: "" });
    const { w, h } = labelBox(text, fontSize);
    // Beside the arrow, on its right, far enough that the text does not sit on the line.
    const off = (Math.abs(nx) * w + Math.abs(ny) * h) / shift + 0.01;
    // Middle first, then outwards; beside the arrow on its right, then (a last resort) further out.
    const along = [0.5, 0.42, 0.58, 0.34, 0.66, 0.27, 0.73, 0.2, 0.8, 0.15, 0.85];
    const candidates = [1, 2.2].flatMap((side) => along.map((t) => [x0 + t * (x1 - x0) + (nx / shift) * off * side, y0 + t * (y1 - y0) + (ny / shift) * off * side] as [number, number]));
    place(candidates, text);
  }
  // Labels in the order of net.edges, as callers expect.
  const byEdge = net.edges.map((_, i) => labelAt.get(i)!);
  const data: object[] = [
    {
      type: "scatter", mode: "lines+markers", x: loopX, y: loopY, line: { color: "#566573", width: 1.5 },
      marker: { symbol: "triangle-up", size: loopSize, angle: loopAngle, color: "#566573" }, hoverinfo: "skip", showlegend: false,
    },
    {
      type: "scatter", mode: "text", x: byEdge.map((i) => labelX[i]), y: byEdge.map((i) => labelY[i]), text: byEdge.map((i) => labelText[i]), hovertext: byEdge.map((i) => hover[i]),
      hoverinfo: "text", textfont: { size: fontSize, color: "#a93226" }, showlegend: false,
    },
    {
      type: "scatter", mode: "markers+text", x: net.nodes.map((v) => v.x), y: net.nodes.map((v) => v.y), text: net.nodes.map((v) => v.label),
      textposition: "middle center", marker: { size: 40, color: "#eaf2f8", line: { color: "#2e86c1", width: 1.5 } }, hoverinfo: "text", showlegend: false,
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
