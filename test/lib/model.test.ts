/**
 * Next-token models: softmax with temperature against its definition (ratios exp((x_i − x_j)/T),
 * shift invariance, the greedy limit, no overflow on large logits), and the two output forms a
 * learner may return (array in vocabulary order, object keyed by token with missing tokens at 0).
 *
 *     npx vitest run test/lib/model.test.ts
 */
import { describe, expect, it } from "vitest";
import { Vocabulary, pageChain, readDistribution, softmax } from "../../src/index";
import { seeded } from "./support";

describe("softmax", () => {
  const rand = seeded("softmax");
  const cases = Array.from({ length: 20 }, () => Array.from({ length: 2 + Math.floor(rand() * 8) }, () => 10 * rand() - 5));

  it("sums to 1 and has ratios p_i / p_j = exp((x_i − x_j) / T)", () => {
    for (const logits of cases) {
      for (const T of [0.1, 0.5, 1, 3, 100]) {
        const p = softmax(logits, T);
        expect(Math.abs(p.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-15);
        for (let i = 1; i < logits.length; i++) {
          const want = Math.exp((logits[i] - logits[0]) / T);
          expect(Math.abs(p[i] / p[0] - want) / want).toBeLessThan(1e-12);
        }
      }
    }
  });

  it("temperature 1 is exp(x) / Σ exp(x); shifting every logit changes nothing", () => {
    for (const logits of cases) {
      const e = logits.map(Math.exp);
      const z = e.reduce((a, b) => a + b, 0);
      const p = softmax(logits);
      e.forEach((x, i) => expect(Math.abs(p[i] - x / z)).toBeLessThan(1e-15));
      const shifted = softmax(logits.map((x) => x + 123.25));
      shifted.forEach((x, i) => expect(Math.abs(x - p[i])).toBeLessThan(1e-14));
    }
  });

  it("temperature 0 is greedy: all mass on the largest logit, the first one on ties", () => {
    expect(softmax([1, 3, 2], 0)).toEqual([0, 1, 0]);
    expect(softmax([5, 1, 5], 0)).toEqual([1, 0, 0]);
    expect(softmax([-1, -1], 0)).toEqual([1, 0]);
    // and small temperatures approach it
    const p = softmax([1, 3, 2], 0.01);
    expect(p[0]).toBeLessThan(1e-80); // e^-200
    expect(p[2]).toBeLessThan(1e-40); // e^-100
    expect(p[1]).toBe(1);
  });

  it("does not overflow on large logits", () => {
    const p = softmax([1000, 999, -1000], 1);
    expect(p[0] / p[1]).toBeCloseTo(Math.E, 12);
    expect(p[2]).toBe(0);
    expect(Math.abs(p[0] + p[1] - 1)).toBeLessThan(1e-15);
  });
});

describe("model outputs", () => {
  const vocab = new Vocabulary(["N", "F", "U"]);

  it("an object keyed by token gives missing tokens probability 0", () => {
    const out = new Float64Array(3);
    readDistribution({ U: 0.25, N: 0.75 }, vocab, out, "NNN");
    expect(Array.from(out)).toEqual([0.75, 0, 0.25]);
  });

  it("arrays and Float64Arrays are read in vocabulary order", () => {
    const out = new Float64Array(3);
    readDistribution([0.2, 0.3, 0.5], vocab, out, "NNN");
    expect(Array.from(out)).toEqual([0.2, 0.3, 0.5]);
    readDistribution(Float64Array.of(0, 1, 0), vocab, out, "NNN");
    expect(Array.from(out)).toEqual([0, 1, 0]);
  });

  it("the model sees each page as its tokens, oldest first, once per page", () => {
    const seen: string[] = [];
    pageChain((page) => {
      seen.push(page.join(""));
      return { F: 1 };
    }, ["N", "F", "U"], 2);
    expect(seen).toEqual(["NN", "NF", "NU", "FN", "FF", "FU", "UN", "UF", "UU"]);
  });
});
