/**
 * Entropy rate (src/boredom.ts) against closed forms (an i.i.d. coin: the binary entropy; a cycle: 0)
 * and against a seeded simulation whose tolerance comes from the sample size.
 *
 *     npx vitest run test/course-lib/boredom.test.ts
 */
import { describe, expect, it } from "vitest";
import { entropyRate } from "../../src/boredom";
import { pageChain } from "../../src/pageChain";
import { copyModel } from "../../src/textModels";

const h2 = (p: number) => -p * Math.log2(p) - (1 - p) * Math.log2(1 - p);

describe("entropyRate", () => {
  it("is the binary entropy for an i.i.d. coin, whatever the start", () => {
    for (const q of [0.5, 0.2, 0.01]) {
      const chain = pageChain(() => [q, 1 - q], ["0", "1"], 3);
      const uniform = new Float64Array(8).fill(1 / 8);
      expect(entropyRate(chain, uniform)).toBeCloseTo(h2(q), 12);
      expect(entropyRate(chain, chain.delta("010"))).toBeCloseTo(h2(q), 12);
    }
  });

  it("is 0 for a deterministic model", () => {
    const chain = pageChain(copyModel(["a", "b"], { temperature: 0 }), ["a", "b"], 3);
    expect(entropyRate(chain, chain.chain.stationaryDistributions[0])).toBe(0);
  });

  it("matches the average surprise of a long seeded run", () => {
    const vocab = ["a", "b", "c"];
    const model = copyModel(vocab, { strength: 1.5, temperature: 1 });
    const chain = pageChain(model, vocab, 3);
    const pi = chain.chain.stationaryDistributions[0];
    const path = chain.chain.simulate(0, 200_000, "boredom-test");
    const V = 3;
    let sum = 0, sumSq = 0, n = 0;
    for (let s = 1000; s < path.length - 1; s++) {
      const from = path[s], to = path[s + 1];
      const t = chain.pageIndex(to) % V;
      const surprise = -Math.log2(chain.probs[from * V + t]);
      sum += surprise;
      sumSq += surprise * surprise;
      n++;
    }
    const mean = sum / n, sd = Math.sqrt(sumSq / n - mean * mean);
    // Successive surprises are correlated through the page; 8 standard errors leaves room for that.
    expect(Math.abs(mean - entropyRate(chain, pi))).toBeLessThan(8 * sd / Math.sqrt(n));
  });

  it("names a bad distribution", () => {
    const chain = pageChain(() => [0.5, 0.5], ["0", "1"], 2);
    expect(() => entropyRate(chain, [1, 0, 0])).toThrow(/pi must have length 4; got length 3/);
  });
});
