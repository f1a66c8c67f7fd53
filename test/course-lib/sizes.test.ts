/**
 * Exact page-space sizes (src/sizes.ts), checked by independent routes: floating-point logarithms,
 * brute-force enumeration of small spaces, and the published figures of the course spec §1.
 *
 *     npx vitest run test/course-lib/sizes.test.ts
 */
import { describe, expect, it } from "vitest";
import { bitLength, decimalDigits, leadingDigits, maxNonZeroFraction, pageSpaceSize } from "../../src/sizes";
import { pageChain } from "../../src/pageChain";
import { logitModel } from "../../src/textModels";

describe("decimalDigits, bitLength, leadingDigits", () => {
  it("agree with logarithms for powers away from digit boundaries", () => {
    for (const [v, k] of [[3, 7], [7, 30], [101, 55], [50257, 40], [2, 100]]) {
      const n = BigInt(v) ** BigInt(k);
      expect(decimalDigits(n)).toBe(Math.floor(k * Math.log10(v)) + 1);
      if (v !== 2) expect(bitLength(n)).toBe(Math.floor(k * Math.log2(v)) + 1);
    }
  });

  it("bitLength counts binary digits exactly at the boundaries 2^b − 1, 2^b", () => {
    for (let b = 1; b < 200; b += 7) {
      const p = 2n ** BigInt(b);
      expect(bitLength(p)).toBe(p.toString(2).length);
      expect(bitLength(p - 1n)).toBe(b);
      expect(bitLength(p)).toBe(b + 1);
    }
    expect(bitLength(1n)).toBe(1);
  });

  it("leadingDigits truncates and matches 10^frac(log10 n)", () => {
    expect(leadingDigits(123456n, 3)).toBe("1.23");
    expect(leadingDigits(199999n, 2)).toBe("1.9");
    expect(leadingDigits(7n, 4)).toBe("7");
    const logs = 2048 * Math.log10(50257);
    const mantissa = 10 ** (logs - Math.floor(logs));
    expect(Number(leadingDigits(50257n ** 2048n, 11))).toBeCloseTo(mantissa, 7);
  });

  it("names the bad argument", () => {
    expect(() => decimalDigits(0n)).toThrow(/n must be a BigInt ≥ 1n; got 0n/);
    expect(() => bitLength(5 as unknown as bigint)).toThrow(/n must be a BigInt; got 5/);
    expect(() => leadingDigits(5n, 0)).toThrow(/count must be an integer ≥ 1; got 0/);
  });
});

describe("pageSpaceSize", () => {
  it("counts pages like a brute-force enumeration", () => {
    for (const [v, k] of [[2, 5], [3, 4], [5, 3]]) {
      let count = 0;
      const page = new Array<number>(k).fill(0);
      for (;;) {
        count++;
        let p = k - 1;
        while (p >= 0 && ++page[p] === v) page[p--] = 0;
        if (p < 0) break;
      }
      const s = pageSpaceSize(v, k);
      expect(s.pages).toBe(BigInt(count));
      // Bits to number pages 0 … N − 1: the smallest b with 2^b ≥ N.
      let b = 0;
      while (2 ** b < count) b++;
      expect(s.bitsToIndex).toBe(b);
    }
  });

  it("reproduces the spec §1 figures for GPT-2's tokenizer with a 2048-token window", () => {
    const s = pageSpaceSize(50257, 2048);
    expect(s.digits).toBe(9629);
    expect(s.exponent).toBe(9628);
    expect(s.leading.startsWith("1.12345617373".slice(0, 12))).toBe(true);
    expect(s.bitsToIndex).toBe(Math.ceil(2048 * Math.log2(50257)));
    expect(s.bitsToIndex).toBe(31984);
    expect(s.bytesToIndex).toBe(3998);
    expect(s.bitsPerTokenRounded).toBe(16);
    expect(s.bitsTokenByToken).toBe(32768);
  });

  it("handles the one-token vocabulary and rejects bad arguments", () => {
    expect(pageSpaceSize(1, 5)).toMatchObject({ pages: 1n, digits: 1, bitsToIndex: 0 });
    expect(() => pageSpaceSize(0, 3)).toThrow(/vocabularySize must be an integer ≥ 1; got 0/);
    expect(() => pageSpaceSize(3, 1.5)).toThrow(/k must be an integer ≥ 1; got 1.5/);
  });
});

describe("maxNonZeroFraction", () => {
  it("is |V|^(k+1) non-zeros over |V|^(2k) entries", () => {
    for (const [v, k] of [[2, 3], [3, 4], [10, 2]]) {
      const f = maxNonZeroFraction(v, k);
      expect(BigInt(v) ** BigInt(2 * k)).toBe(f.denominator * BigInt(v) ** BigInt(k + 1));
      expect(f.log10).toBeCloseTo(Math.log10(1 / Number(f.denominator)), 12);
    }
  });
});

describe("the bound on real page chains (moved here from the Remark 4 notebook)", () => {
  it("a softmax model attains 1/|V|^(k−1); a greedy one has one non-zero per row", () => {
    for (const [v, k] of [[2, 3], [2, 6], [3, 3], [3, 5], [4, 4], [5, 3]]) {
      const vocab = "ABCDE".slice(0, v).split("");
      const scores = (page: readonly string[]) => vocab.map((t, i) => (page[page.length - 1] === t ? 1 : 0) + 0.1 * i);
      const soft = pageChain(logitModel(vocab, scores, 1), vocab, k);
      const greedy = pageChain(logitModel(vocab, scores, 0), vocab, k);
      const n = soft.size;
      // Counted from the matrix, against the bound from exact integers.
      expect(BigInt(soft.matrix.nnz) * maxNonZeroFraction(v, k).denominator).toBe(BigInt(n) * BigInt(n));
      expect(greedy.matrix.nnz).toBe(n);
    }
  });
});
