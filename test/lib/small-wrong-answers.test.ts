/**
 * The smaller wrong answers of issue 15, item 4: each input that used to give a silent wrong result,
 * a hang or a bare engine error, checked against an independent answer or the error it must raise.
 *
 *     npx vitest run test/lib/small-wrong-answers.test.ts
 */
import { describe, expect, it } from "vitest";
import {
  MarkovChain,
  PageSpace,
  type DigitModel,
  eigenvaluesDense,
  gth,
  pageChain,
  pageChainFromDigits,
  pageSpaceSize,
  softmax,
  waluigiChain,
} from "../../src/index";

describe("hitting targets must be lists of states or masks", () => {
  const chain = MarkovChain.fromDense([[0.5, 0.5, 0], [0, 0.5, 0.5], [0, 0, 1]]);
  for (const [what, bad] of [["a bare number", 2], ["a Set", new Set([2])], ["a string", "2"], ["an object", { 0: 2, length: 1 }]] as const) {
    it(`${what} is rejected, naming the argument`, () => {
      expect(() => chain.hittingProbabilities(bad as never)).toThrow(/target must be an array of states/);
      expect(() => chain.expectedHittingTimes(bad as never)).toThrow(/target must be an array of states/);
    });
  }
  it("the list [2] still works: probability 1, times 2 + 2 = 4 and 2 by first-step analysis", () => {
    expect(Array.from(chain.hittingProbabilities([2]))).toEqual([1, 1, 1]);
    expect(Array.from(chain.expectedHittingTimes([2]))).toEqual([4, 2, 0]);
  });
});

describe("evolve over many steps keeps the total mass", () => {
  it("10⁷ steps on rows summing to 1 + 9e-10 stay at mass 1 and at the symmetric answer (1/2, 1/2)", () => {
    const chain = MarkovChain.fromDense([[0.5, 0.5 + 9e-10], [0.5 + 9e-10, 0.5]]);
    const pi = chain.evolve([1, 0], 10_000_000);
    expect(Math.abs(pi[0] + pi[1] - 1)).toBeLessThan(1e-12);
    // The row-normalised chain is symmetric and doubly stochastic: its limit is (1/2, 1/2).
    expect(Math.abs(pi[0] - 0.5)).toBeLessThan(1e-12);
  }, 60_000);
  it("an exactly stochastic chain is left bit-exact (π T by hand)", () => {
    const chain = MarkovChain.fromDense([[0.5, 0.5], [0.25, 0.75]]);
    expect(Array.from(chain.evolve([1, 0], 2))).toEqual([0.5 * 0.5 + 0.5 * 0.25, 0.5 * 0.5 + 0.5 * 0.75]);
  });
});

describe("softmax with logits whose difference overflows", () => {
  it("softmax([1e308, −1e308], 1e308) is [1/(1 + e⁻²), e⁻²/(1 + e⁻²)]", () => {
    const [a, b] = softmax([1e308, -1e308], 1e308);
    const e2 = Math.exp(-2);
    expect(Math.abs(a - 1 / (1 + e2)) / (1 / (1 + e2))).toBeLessThan(1e-15);
    expect(Math.abs(b - e2 / (1 + e2)) / (e2 / (1 + e2))).toBeLessThan(1e-15);
  });
  it("an infinite gap at a small temperature still gives the greedy answer", () => {
    expect(softmax([1e308, -1e308], 1)).toEqual([1, 0]);
  });
});

describe("a digit model that writes into its digits buffer", () => {
  it("cannot move the builder to another page: the chain equals the one from a model that does not", () => {
    const k = 4;
    // μ(1 | page) = (1 + number of 1s) / (k + 2), computed after sorting the buffer in place.
    const sorting: DigitModel = (digits, out) => {
      digits.sort();
      let ones = 0;
      for (const d of digits) ones += d;
      out[1] = (1 + ones) / (k + 2);
      out[0] = 1 - out[1];
    };
    const polite = (page: readonly string[]) => {
      const ones = page.filter((t) => t === "1").length;
      return [1 - (1 + ones) / (k + 2), (1 + ones) / (k + 2)];
    };
    const a = pageChainFromDigits(sorting, ["0", "1"], k);
    const b = pageChain(polite, ["0", "1"], k);
    expect(Array.from(a.probs)).toEqual(Array.from(b.probs));
    const ap = pageChainFromDigits(sorting, ["0", "1"], k, { prompt: ["0", "0", "0", "0"] });
    expect(Array.from(ap.probs)).toEqual(Array.from(pageChain(polite, ["0", "1"], k, { prompt: ["0", "0", "0", "0"] }).probs));
  });
});

describe("PageSpace index arithmetic checks its arguments", () => {
  const space = new PageSpace(["a", "b", "c"], 3);
  it("successor and tokenAt reject out-of-range pages, tokens and positions", () => {
    expect(() => space.successor(27, 0)).toThrow(/index must be an integer in \[0, 26\]; got 27/);
    expect(() => space.successor(-1, 0)).toThrow(/index/);
    expect(() => space.successor(0.5, 0)).toThrow(/index/);
    expect(() => space.successor(5, 3)).toThrow(/token must be an integer in \[0, 2\]; got 3/);
    expect(() => space.tokenAt(27, 0)).toThrow(/index/);
    expect(() => space.tokenAt(5, 3)).toThrow(/position must be an integer in \[0, 2\]; got 3/);
    expect(() => space.tokenAt(5, -1)).toThrow(/position/);
  });
  it("in range they agree with the tokens of the page", () => {
    for (let i = 0; i < 27; i++) {
      const d = space.digits(i);
      for (let p = 0; p < 3; p++) expect(space.tokenAt(i, p)).toBe(d[p]);
      for (let t = 0; t < 3; t++) expect(space.digits(space.successor(i, t))).toEqual([d[1], d[2], t]);
    }
  });
});

describe("gth validates its rows", () => {
  it.each([
    ["not square", [[0.5, 0.5], [1]], /square/],
    ["a negative entry", [[1.5, -0.5], [0.5, 0.5]], /rows\[0\]\[1\] must be a probability ≥ 0; got -0.5/],
    ["NaN", [[NaN, 1], [0.5, 0.5]], /rows\[0\]\[0\] must be a number/],
    ["a row not summing to 1", [[0.5, 0.4], [0.5, 0.5]], /rows\[0\] must sum to 1/],
    ["not an array", 5, /rows must be a non-empty array/],
  ])("%s is rejected", (_, rows, message) => {
    expect(() => gth(rows as number[][])).toThrow(message);
  });
  it("a valid chain still gives (2/7, 5/7)", () => {
    const [a, b] = gth([[0.5, 0.5], [0.2, 0.8]]);
    expect(Math.abs(a - 2 / 7)).toBeLessThan(1e-16);
    expect(Math.abs(b - 5 / 7)).toBeLessThan(1e-15);
  });
});

describe("eigenvaluesDense refuses non-finite entries instead of looping", () => {
  it("[[0, Infinity], [1, 0]] throws naming the entry", () => {
    expect(() => eigenvaluesDense([[0, Infinity], [1, 0]])).toThrow(/matrix\[0\]\[1\] must be a finite number; got Infinity/);
    expect(() => eigenvaluesDense(Float64Array.of(0, NaN, 1, 0), 2)).toThrow(/matrix\[0\]\[1\]/);
  }, 10_000);
});

describe("page labels with tokens holding spaces", () => {
  it("are distinct and read back to the same page", () => {
    const space = new PageSpace(["a b", "c", "a", "b c"], 2);
    const labels = Array.from({ length: 16 }, (_, i) => space.label(i));
    expect(new Set(labels).size).toBe(16);
    labels.forEach((l, i) => expect(space.indexOf(l)).toBe(i));
  });
  it("vocabularies without spaces keep their labels", () => {
    expect(new PageSpace(["the", "dog"], 2).label(1)).toBe("the dog");
    expect(new PageSpace(["N", "F", "U"], 2).label(5)).toBe("FU");
  });
});

describe("sizes beyond the engine name k and the size needed", () => {
  it("waluigiChain(18) on the full space", () => {
    expect(() => waluigiChain(18, { luigiPrior: 0.9, pFriendly: 0.8 })).toThrow(/k = 18 gives 387,420,489 pages over 3 tokens.*8\.7 GiB/);
  });
  it("pageSpaceSize(2, 2**40), while 2**20 still works exactly", () => {
    expect(() => pageSpaceSize(2, 2 ** 40)).toThrow(/2\^1099511627776 has about 3\.31e\+11 decimal digits/);
    // 2^(2^20) has ⌊2^20 · log10 2⌋ + 1 = 315653 digits.
    expect(pageSpaceSize(2, 2 ** 20).digits).toBe(Math.floor(2 ** 20 * Math.log10(2)) + 1);
  });
});
