/**
 * The page network (src/network.ts): its edges are re-derived here straight from the model
 * function and the definition s → s_2 … s_k t, not from the chain's matrix.
 *
 *     npx vitest run test/course-lib/network.test.ts
 */
import { describe, expect, it } from "vitest";
import { networkPlot, pageNetwork } from "../../src/network";
import { pageChain } from "../../src/pageChain";
import { logitModel } from "../../src/textModels";

const vocab = ["A", "B"];
const model = logitModel(vocab, (page) => [page.filter((t) => t === "A").length, 1]);

describe("pageNetwork", () => {
  const net = pageNetwork(pageChain(model, vocab, 3));

  it("has one edge per page and token, labelled as the definition says", () => {
    const expected: string[] = [];
    for (const a of vocab) for (const b of vocab) for (const c of vocab) {
      const p = Array.from(model([a, b, c]) as ArrayLike<number>);
      vocab.forEach((t, i) => expected.push(`${a}${b}${c} ${t} ${b}${c}${t} ${p[i].toFixed(12)}`));
    }
    const got = net.edges.map((e) => `${e.fromLabel} ${e.token} ${e.toLabel} ${e.probability.toFixed(12)}`);
    expect(got.sort()).toEqual(expected.sort());
    for (const e of net.edges) expect(net.nodes[e.to].label).toBe(e.toLabel);
  });

  it("places nodes on the unit circle, the first at the top", () => {
    expect(net.nodes).toHaveLength(8);
    for (const v of net.nodes) expect(Math.hypot(v.x, v.y)).toBeCloseTo(1, 12);
    expect(net.nodes[0].y).toBeCloseTo(1, 12);
  });

  it("drops edges at or below minProbability and refuses huge chains", () => {
    const greedy = pageNetwork(pageChain(logitModel(vocab, () => [1, 0], 0), vocab, 2));
    expect(greedy.edges.map((e) => `${e.fromLabel}>${e.toLabel}`)).toEqual(["AA>AA", "AB>BA", "BA>AA", "BB>BA"]);
    expect(pageNetwork(pageChain(model, vocab, 2), { minProbability: 0.5 }).edges.every((e) => e.probability > 0.5)).toBe(true);
    expect(() => pageNetwork(pageChain(model, vocab, 9))).toThrow(/chain.size must be an integer in \[1, 256\]; got 512/);
  });
});

describe("networkPlot", () => {
  it("draws an arrowhead per edge, a loop per self-edge and a label per edge", () => {
    const net = pageNetwork(pageChain(model, vocab, 3));
    const { data, layout } = networkPlot(net, { title: "t" });
    const loops = net.edges.filter((e) => e.from === e.to).length;
    expect(loops).toBe(2);
    expect((layout.annotations as object[]).length).toBe(net.edges.length - loops);
    // Each loop carries one visible arrowhead marker.
    const sizes = (data[0] as { marker: { size: number[] } }).marker.size;
    expect(sizes.filter((v) => v > 0)).toHaveLength(loops);
    const labels = data[1] as { text: string[] };
    expect(labels.text).toHaveLength(net.edges.length);
    expect(labels.text[0]).toMatch(/^[AB] 0\.\d\d$/);
    const loopTrace = data[0] as { x: (number | null)[] };
    expect(loopTrace.x.filter((x) => x === null)).toHaveLength(2 * loops);
  });

  it("prints no two edge labels over each other, nor over a node, for |V| = 2 with k = 2, 3, 4 and |V| = 3 with k = 2", () => {
    // Text boxes estimated independently of the layout code: 6.5 px per character, 15 px tall, in the
    // 640-pixel drawing whose axes span 2.9 units (the margins and title take about 20 px).
    const unit = 2.9 / 620;
    for (const [v, k] of [[2, 2], [2, 3], [2, 4], [3, 2]]) {
      const tokens = ["A", "B", "C"].slice(0, v);
      const net = pageNetwork(pageChain(logitModel(tokens, (page) => tokens.map((t, i) => (page[0] === t ? 1 : 0) + 0.3 * i)), tokens, k));
      const labels = networkPlot(net).data[1] as { x: number[]; y: number[]; text: string[] };
      const boxes = labels.text.map((t, i) => ({ x: labels.x[i], y: labels.y[i], w: (t.length * 6.5 * unit) / 2, h: (15 * unit) / 2 }));
      for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
          const [a, b] = [boxes[i], boxes[j]];
          expect(Math.abs(a.x - b.x) < a.w + b.w && Math.abs(a.y - b.y) < a.h + b.h, `|V| = ${v}, k = ${k}: labels "${labels.text[i]}" and "${labels.text[j]}" overlap`).toBe(false);
        }
        for (const node of net.nodes) {
          const a = boxes[i];
          expect(Math.abs(a.x - node.x) < a.w + 0.06 && Math.abs(a.y - node.y) < a.h + 0.06, `|V| = ${v}, k = ${k}: label "${labels.text[i]}" covers page ${node.label}`).toBe(false);
        }
      }
    }
  });
});
