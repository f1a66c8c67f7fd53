/**
 * The Kneser–Ney model and the tuple table against brute force written here from the formulas:
 * n-gram counts kept in string-keyed Maps, continuation counts as sets of left neighbours, the
 * discount n₁/(n₁ + 2n₂) from counts of counts, and the recursion of Chen & Goodman (1998) evaluated
 * token by token over the whole vocabulary. Both variants (the documented one and NLTK's) are checked.
 *
 *     npx vitest run test/lm/kneser-ney.test.ts
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { KneserNeyModel, NgramCounts, TupleTable, brownFileText, cachedCounts } from "../../src/index";
import { randInt, seeded } from "../lib/support";

/** A reference interpolated Kneser–Ney, straight from the formulas, over string keys. */
function bruteForce(tokens: number[], n: number, V: number, variant: "chen-goodman" | "nltk", fixedD?: number) {
  const key = (a: number[]) => a.join(",");
  const raw = new Map<string, number>(); // n-gram → count, all orders
  const left = new Map<string, Set<number>>(); // gram → distinct tokens seen before it
  for (let L = 1; L <= n; L++) {
    for (let i = 0; i + L <= tokens.length; i++) {
      const g = tokens.slice(i, i + L);
      raw.set(key(g), (raw.get(key(g)) ?? 0) + 1);
      if (i > 0 && L < n) {
        if (!left.has(key(g))) left.set(key(g), new Set());
        left.get(key(g))!.add(tokens[i - 1]);
      }
    }
  }
  // c_m(h w): raw at the top order, continuation below.
  const cm = (gram: number[]) => (gram.length === n ? (raw.get(key(gram)) ?? 0) : (left.get(key(gram))?.size ?? 0));
  const grams = (L: number) => [...raw.keys()].filter((s) => s.split(",").length === L).map((s) => s.split(",").map(Number));
  const D: number[] = [NaN];
  for (let m = 1; m <= n; m++) {
    if (fixedD !== undefined || variant === "nltk") {
      D.push(fixedD ?? 0.1);
      continue;
    }
    let n1 = 0, n2 = 0;
    for (const g of grams(m)) {
      const c = cm(g);
      if (c === 1) n1++;
      if (c === 2) n2++;
    }
    D.push(n1 + 2 * n2 > 0 ? n1 / (n1 + 2 * n2) : 0.5);
  }
  const prob = (w: number, context: number[]): number => {
    // order 1
    let total0 = 0, types0 = 0;
    for (let v = 0; v < V; v++) {
      const c = cm([v]);
      total0 += c;
      if (c > 0 || (variant === "nltk" && raw.has(key([v])))) types0++;
    }
    let p: number;
    if (variant === "nltk") p = cm([w]) / total0;
    else p = Math.max(cm([w]) - D[1], 0) / total0 + ((D[1] * types0) / total0) * (1 / V);
    for (let m = 2; m <= n; m++) {
      const h = context.slice(context.length - (m - 1));
      let total = 0, types = 0;
      for (let v = 0; v < V; v++) {
        const c = cm([...h, v]);
        total += c;
        if (c > 0 || (variant === "nltk" && raw.has(key([...h, v])))) types++;
      }
      if (total === 0) continue;
      p = Math.max(cm([...h, w]) - D[m], 0) / total + ((D[m] * types) / total) * p;
    }
    return p;
  };
  return { prob, D };
}

function randomStream(seed: string, length: number, V: number): number[] {
  const rand = seeded(seed);
  // A sticky source, so some n-grams repeat often and others once.
  const out: number[] = [];
  for (let i = 0; i < length; i++) out.push(i > 1 && rand() < 0.6 ? (out[i - 1] * 3 + out[i - 2] + 1) % V : randInt(rand, V));
  return out;
}

describe("TupleTable", () => {
  it("gives every distinct tuple one id, in insertion order, across rehashes (against a Map)", () => {
    const rand = seeded("tuples");
    const table = new TupleTable(3, 4);
    const ref = new Map<string, number>();
    for (let i = 0; i < 20000; i++) {
      const t = [randInt(rand, 40), randInt(rand, 40), randInt(rand, 50257)];
      const id = table.intern(t);
      const k = t.join(",");
      if (!ref.has(k)) {
        ref.set(k, ref.size);
        expect(table.isNew).toBe(true);
      } else expect(table.isNew).toBe(false);
      expect(id).toBe(ref.get(k));
    }
    expect(table.size).toBe(ref.size);
    for (const [k, id] of ref) {
      expect(table.find(k.split(",").map(Number))).toBe(id);
      expect(Array.from(table.tuple(id)).join(",")).toBe(k);
    }
    expect(table.find([41, 0, 0])).toBe(-1);
    const pairs = new TupleTable(2);
    pairs.intern([7, 9]);
    expect(pairs.findPair(7, 9)).toBe(0);
    expect(pairs.findPair(9, 7)).toBe(-1);
  });

  it("refuses entries that are not non-negative int32 and tuples beyond a limit", () => {
    const table = new TupleTable(2);
    expect(() => table.intern([1, -1])).toThrow(/integers in \[0, 2\^31\); got -1/);
    table.intern([1, 1], 0, 1);
    expect(() => table.intern([1, 2], 0, 1)).toThrow(/at most 1 tuples/);
  });
});

describe("interpolated Kneser–Ney", () => {
  const cases = [
    { seed: "kn-a", length: 400, V: 9, n: 2 },
    { seed: "kn-b", length: 600, V: 12, n: 3 },
    { seed: "kn-c", length: 900, V: 15, n: 4 },
    { seed: "kn-d", length: 300, V: 7, n: 5 },
  ];
  for (const variant of ["chen-goodman", "nltk"] as const) {
    it.each(cases)(`${variant}: p(w | h) equals the formula for every token and many contexts ($seed, n = $n)`, ({ seed, length, V, n }) => {
      const stream = randomStream(seed, length, V);
      const ref = bruteForce(stream, n, V, variant);
      const model = new KneserNeyModel(NgramCounts.build(stream, n), V, { variant });
      expect(Array.from(model.discounts).slice(1)).toEqual(ref.D.slice(1).map((d) => expect.closeTo(d, 15)));
      const rand = seeded(seed + "-contexts");
      const contexts: number[][] = [];
      for (let c = 0; c < 25; c++) {
        const i = randInt(rand, length - n);
        contexts.push(stream.slice(i, i + n - 1)); // seen contexts
        contexts.push(Array.from({ length: n - 1 }, () => randInt(rand, V))); // mostly unseen ones
      }
      for (const h of contexts) {
        const dist = model.distribution(h);
        let sum = 0;
        for (let w = 0; w < V; w++) {
          const expected = ref.prob(w, h);
          expect(model.prob(w, h)).toBeCloseTo(expected, 14);
          expect(dist[w]).toBe(model.prob(w, h));
          sum += dist[w];
        }
        expect(sum).toBeCloseTo(1, 12);
        if (variant === "chen-goodman") expect(Math.min(...dist)).toBeGreaterThan(0);
        // ranked order = the dense distribution sorted (p desc, id asc), with the same values
        const sorted = Array.from(dist, (p, w) => ({ p, w })).filter((x) => x.p > 0).sort((a, b) => b.p - a.p || a.w - b.w);
        const seen: { p: number; w: number }[] = [];
        model.ranked(h, (w, p) => (seen.push({ p, w }), true));
        expect(seen).toEqual(sorted);
        expect(model.greedy(h)).toBe(sorted[0].w);
      }
    });
  }

  it("mixes in the uniform distribution: a token never seen keeps probability > 0 (documented), 0 in NLTK's variant", () => {
    const stream = randomStream("kn-unseen", 200, 6); // tokens 0 … 5 only
    const doc = new KneserNeyModel(NgramCounts.build(stream, 3), 50257);
    const nltk = new KneserNeyModel(NgramCounts.build(stream, 3), 50257, { variant: "nltk" });
    expect(doc.prob(40000, stream.slice(0, 2))).toBeGreaterThan(0);
    expect(nltk.prob(40000, stream.slice(0, 2))).toBe(0);
    let sum = 0;
    for (const p of doc.distribution(stream.slice(5, 7))) sum += p;
    expect(sum).toBeCloseTo(1, 10); // 50,257 terms summed
  });

  it("perplexity is exp of the mean −log p of each token given its k predecessors", () => {
    const stream = randomStream("kn-ppl", 500, 10);
    const held = randomStream("kn-ppl-held", 80, 10);
    const model = new KneserNeyModel(NgramCounts.build(stream, 3), 10);
    let s = 0;
    for (let i = 2; i < held.length; i++) s -= Math.log(model.prob(held[i], held.slice(i - 2, i)));
    const r = model.perplexity(held);
    expect(r.scored).toBe(held.length - 2);
    expect(r.perplexity).toBeCloseTo(Math.exp(s / (held.length - 2)), 10);
  });

  it("counts survive the cache: a model from saved counts gives the same probabilities; another key is not reused", () => {
    const dir = mkdtempSync(join(tmpdir(), "kn-cache-"));
    try {
      const stream = randomStream("kn-cache", 700, 11);
      const first = cachedCounts(stream, 2, dir, "test-key");
      expect(first.fromCache).toBe(false);
      const second = cachedCounts(stream, 2, dir, "test-key");
      expect(second.fromCache).toBe(true);
      expect(cachedCounts(stream, 2, dir, "other-key").fromCache).toBe(false);
      const a = new KneserNeyModel(first.counts, 11), b = new KneserNeyModel(second.counts, 11);
      for (let i = 0; i < 50; i++) {
        const h = stream.slice(i, i + 2);
        expect(Array.from(b.distribution(h))).toEqual(Array.from(a.distribution(h)));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("rejects bad input, naming the argument", () => {
    const model = new KneserNeyModel(NgramCounts.build([1, 2, 3, 1, 2], 3), 5);
    expect(() => model.prob(1, [1])).toThrow(/context must hold at least k = 2 tokens; got 1/);
    expect(() => NgramCounts.build([1, -2], 2)).toThrow(/tokens\[1\] must be a token id/);
    expect(() => new KneserNeyModel(NgramCounts.build([1, 9], 2), 5)).toThrow(/token id 9, outside the vocabulary of size 5/);
    expect(() => new KneserNeyModel(NgramCounts.build([1, 2], 2), 5, { discount: 2 })).toThrow(/options.discount must be in \[0, 1\]; got 2/);
  });
});

describe("Brown text", () => {
  it("strips the part-of-speech tags and prints punctuation and quotes as in the book (a line worked by hand)", () => {
    const tagged = "\n\n\tThe/at jury/nn said/vbd ``/`` no/at evidence/nn ''/'' ,/, (/( he/pps ran/vbd )/) ./.\n\n\tAtlanta's/np$ best/jjt ./.\n";
    expect(brownFileText(tagged)).toBe('The jury said "no evidence", (he ran). Atlanta\'s best.');
  });
});

describe("one set of counts for several windows", () => {
  it("a model with window k read from counts of a larger window equals the model counted for k", () => {
    const stream = randomStream("kn-windows", 800, 13);
    const big = NgramCounts.build(stream, 5);
    for (const k of [1, 2, 3]) {
      const own = new KneserNeyModel(NgramCounts.build(stream, k + 1), 13);
      const shared = new KneserNeyModel(big, 13, { k });
      expect(shared.k).toBe(k);
      expect(Array.from(shared.discounts)).toEqual(Array.from(own.discounts));
      for (let i = 0; i < 60; i++) {
        const h = stream.slice(i, i + k);
        expect(Array.from(shared.distribution(h))).toEqual(Array.from(own.distribution(h)));
      }
    }
  });
});
