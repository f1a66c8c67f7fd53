/**
 * Page chains for large vocabularies against independent routes: a breadth-first search written here
 * over dense next-token distributions with each decoding rule applied by sorting (greedy, top-m,
 * top-p, temperature); the library's own `pageChain` on the same rule for closed classes and periods;
 * `greedyOrbit` for greedy runs (also on the real Brown model through the `NextTokenModel` view);
 * and the closed-form dwell time on a cycle for the `region` option.
 *
 *     npx vitest run test/lm/large-page-chain.test.ts
 */
import { describe, expect, it } from "vitest";
import {
  type DecodingRule, KneserNeyModel, NgramCounts, asNextTokenModel, followGreedy, gpt2IdVocabulary, greedyOrbit,
  largePageChain, loadBrownModel, pageChain,
} from "../../src/index";
import { randInt, seeded } from "../lib/support";

const V = 8, K = 2;
function toyModel(seed: string): KneserNeyModel {
  const rand = seeded(seed);
  const stream: number[] = [];
  for (let i = 0; i < 400; i++) stream.push(i > 1 && rand() < 0.5 ? (stream[i - 1] + 2 * stream[i - 2] + 1) % V : randInt(rand, V));
  return new KneserNeyModel(NgramCounts.build(stream, K + 1), V);
}

/** The rule applied to a dense distribution, by sorting: token → probability. */
function applyRule(dist: Float64Array, rule: DecodingRule): Map<number, number> {
  const order = Array.from(dist, (p, t) => ({ p, t })).filter((x) => x.p > 0).sort((a, b) => b.p - a.p || a.t - b.t);
  let kept = order;
  let tau = 1;
  if (rule.rule === "greedy") return new Map([[order[0].t, 1]]);
  if (rule.rule === "top-m") {
    kept = order.slice(0, rule.m);
    tau = rule.temperature ?? 1;
  } else if (rule.rule === "top-p") {
    let mass = 0, n = 0;
    while (n < order.length && mass < rule.p) mass += order[n++].p;
    kept = order.slice(0, n);
    tau = rule.temperature ?? 1;
  } else tau = rule.temperature;
  const w = kept.map((x) => Math.pow(x.p, 1 / tau));
  const z = w.reduce((a, b) => a + b, 0);
  return new Map(kept.map((x, i) => [x.t, w[i] / z]));
}

const rules: DecodingRule[] = [
  { rule: "greedy" },
  { rule: "top-m", m: 2 },
  { rule: "top-m", m: 3, temperature: 0.7 },
  { rule: "top-p", p: 0.5 },
  { rule: "temperature", temperature: 0.8 },
];

describe("largePageChain", () => {
  it.each(rules)("reaches the same pages with the same probabilities as a dense breadth-first search (%o)", (rule) => {
    const model = toyModel("lpc-" + JSON.stringify(rule));
    for (const prompt of [[0, 1], [5, 3]]) {
      const chain = largePageChain(model, [prompt], rule);
      // Reference search
      const expected = new Map<string, Map<string, number>>();
      const queue = [prompt.join(",")];
      while (queue.length) {
        const key = queue.shift()!;
        if (expected.has(key)) continue;
        const page = key.split(",").map(Number);
        const row = new Map<string, number>();
        for (const [t, p] of applyRule(model.distribution(page), rule)) {
          const next = [...page.slice(1), t].join(",");
          row.set(next, p);
          if (!expected.has(next)) queue.push(next);
        }
        expected.set(key, row);
      }
      expect(chain.size).toBe(expected.size);
      for (const [key, row] of expected) {
        const s = chain.stateOf(key.split(",").map(Number));
        expect(s).toBeGreaterThanOrEqual(0);
        const got = new Map<string, number>();
        for (let e = chain.matrix.rowStart[s]; e < chain.matrix.rowStart[s + 1]; e++) got.set(Array.from(chain.page(chain.matrix.col[e])).join(","), chain.matrix.value[e]);
        expect([...got.keys()].sort()).toEqual([...row.keys()].sort());
        for (const [next, p] of row) expect(got.get(next)).toBeCloseTo(p, 12);
      }
    }
  });

  it.each(rules.slice(0, 4))("has the closed classes and periods the library's pageChain finds for the same rule (%o)", (rule) => {
    const model = toyModel("lpc-classes-" + JSON.stringify(rule));
    const vocab = Array.from({ length: V }, (_, t) => String.fromCharCode(97 + t));
    const ruleModel = (page: readonly string[]) => {
      const p = applyRule(model.distribution(page.map((c) => c.charCodeAt(0) - 97)), rule);
      return Array.from({ length: V }, (_, t) => p.get(t) ?? 0);
    };
    const prompt = [2, 6];
    const ours = largePageChain(model, [prompt], rule);
    const reference = pageChain(ruleModel, vocab, K, { prompt: prompt.map((t) => vocab[t]).join("") });
    const label = (page: ArrayLike<number>) => Array.from(page, (t) => vocab[t]).join("");
    const ourClasses = ours.chain.closedClasses.map((c) => c.map((s) => label(ours.page(s))).sort().join(" ")).sort();
    const refClasses = reference.chain.closedClasses.map((c) => c.map((s) => reference.label(s)).sort().join(" ")).sort();
    expect(ourClasses).toEqual(refClasses);
    for (const c of ours.chain.closedClasses) {
      const refState = reference.stateOf(label(ours.page(c[0])));
      expect(ours.chain.periodOf(c[0]).period).toBe(reference.chain.periodOf(refState).period);
    }
  });

  it("stops with an error naming the budget and the rule when the reachable pages exceed it", () => {
    const model = toyModel("lpc-budget");
    expect(() => largePageChain(model, [[0, 1]], { rule: "temperature", temperature: 1 }, { budget: 10 })).toThrow(
      /the pages reachable from prompt \[0, 1\] under sampling at temperature τ = 1 exceed the page budget of 10 pages \(options.budget\)/,
    );
    expect(largePageChain(model, [[0, 1]], { rule: "temperature", temperature: 1 }, { budget: 64 }).size).toBe(64);
  });

  it("with a region, the dwell time on a greedy cycle under temperature equals the closed form", () => {
    const model = toyModel("lpc-region");
    const orbit = followGreedy(model, [1, 4]);
    const region = orbit.cycle.map((p) => Array.from(p));
    const tau = 0.6;
    const watched = largePageChain(model, [region[0]], { rule: "temperature", temperature: tau }, { region });
    expect(watched.size).toBe(region.length + 1);
    const q = region.map((page, i) => applyRule(model.distribution(page), { rule: "temperature", temperature: tau }).get(orbit.cycleTokens[i])!);
    let lap = 1, steps = 0;
    for (const qi of q) {
      steps += lap;
      lap *= qi;
    }
    expect(watched.chain.expectedHittingTimes([watched.outside])[watched.stateOf(region[0])]).toBeCloseTo(steps / (1 - lap), 9);
    expect(watched.chain.absorbingStates).toEqual([watched.outside]);
  });

  it("rejects bad input, naming the argument", () => {
    const model = toyModel("lpc-errors");
    expect(() => largePageChain(model, [[0]], { rule: "greedy" })).toThrow(/prompts\[0\] must hold k = 2 token ids; got 1/);
    expect(() => largePageChain(model, [[0, 9]], { rule: "greedy" })).toThrow(/prompts\[0\]\[1\]/);
    expect(() => largePageChain(model, [[0, 1]], { rule: "top-m", m: 0 })).toThrow(/rule.m/);
    expect(() => largePageChain(model, [[0, 1]], { rule: "top-p", p: 0 })).toThrow(/rule.p must be in \(0, 1\]; got 0/);
    expect(() => largePageChain(model, [[0, 1]], { rule: "beam" } as unknown as DecodingRule)).toThrow(/rule.rule must be/);
    expect(() => largePageChain(model, [[0, 1]], { rule: "greedy" }, { region: [[2, 2]] })).toThrow(/prompts\[0\] \[0, 1\] must be one of options.region's pages/);
  });
});

describe("followGreedy", () => {
  it("gives the transient, period and cycle of the library's greedyOrbit on the same model (toy)", () => {
    const model = toyModel("fg-toy");
    const vocab = Array.from({ length: V }, (_, t) => String.fromCharCode(97 + t));
    const chain = pageChain((page) => model.distribution(page.map((c) => c.charCodeAt(0) - 97)), vocab, K);
    for (let a = 0; a < V; a++) for (let b = 0; b < V; b++) {
      const ours = followGreedy(model, [a, b]);
      const ref = greedyOrbit(chain, vocab[a] + vocab[b]);
      expect([ours.transient, ours.period]).toEqual([ref.transient, ref.period]);
      expect(ours.cycle.map((p) => Array.from(p, (t) => vocab[t]).join(""))).toEqual(ref.cycle);
    }
  });

  it("on the real Brown model (k = 2), through the NextTokenModel view over GPT-2's 50,257 ids, agrees with greedyOrbit", () => {
    const { model, corpus } = loadBrownModel(2);
    const next = asNextTokenModel(model);
    // Greedy as a NextTokenModel: all mass on the dense argmax (first on ties) — no ranked search.
    const greedyNext = (page: readonly string[]) => {
      const d = next(page) as Float64Array;
      let best = 0;
      for (let t = 1; t < d.length; t++) if (d[t] > d[best]) best = t;
      return { [String(best)]: 1 };
    };
    for (const start of [100, 40000, 90000]) {
      const page = Array.from(corpus.heldOut.subarray(start, start + 2));
      const chain = pageChain(greedyNext, gpt2IdVocabulary().tokens, 2, { prompt: page.map(String) });
      const ref = greedyOrbit(chain, page.map(String));
      const ours = followGreedy(model, page);
      expect([ours.transient, ours.period]).toEqual([ref.transient, ref.period]);
      expect(ours.cycle.map((p) => Array.from(p).join(" "))).toEqual(ref.cycle.map((label) => label.replace(/,/g, " ")));
    }
  });
});
