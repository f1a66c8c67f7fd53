/**
 * Page-states: the canonical order of spec §4, page ↔ index round trips, the de Bruijn successor
 * against string manipulation (s → s.slice(1) + t), indices against base-|V| numerals parsed by
 * `parseInt`, and the exact BigInt size of GPT-2's page space (spec §1: 50257^2048 has 9629 digits and
 * begins 1.12345617373) — computed without ever enumerating a page.
 *
 *     npx vitest run test/lib/pages.test.ts
 */
import { describe, expect, it } from "vitest";
import { PageSpace, Vocabulary } from "../../src/index";

/** All strings of length k over the tokens, by recursion (oldest token outermost). */
function allPages(tokens: string[], k: number): string[][] {
  if (k === 0) return [[]];
  return tokens.flatMap((t) => allPages(tokens, k - 1).map((rest) => [t, ...rest]));
}

describe("canonical order (spec §4)", () => {
  it("k = 2 over N < F < U: NN NF NU FN FF FU UN UF UU", () => {
    const space = new PageSpace(["N", "F", "U"], 2);
    const order = ["NN", "NF", "NU", "FN", "FF", "FU", "UN", "UF", "UU"];
    expect(Array.from({ length: 9 }, (_, i) => space.label(i))).toEqual(order);
    order.forEach((page, i) => expect(space.indexOf(page)).toBe(i));
    expect(space.size).toBe(9);
  });

  it("the index is the page read as a base-|V| numeral, oldest token most significant", () => {
    const cases: [string[], number][] = [[["N", "F", "U"], 6], [["a", "b", "c", "d", "e"], 4], [["0", "1"], 12]];
    for (const [tokens, k] of cases) {
      const space = new PageSpace(tokens, k);
      for (const page of allPages(tokens, k)) {
        const numeral = page.map((t) => tokens.indexOf(t).toString(tokens.length)).join("");
        expect(space.indexOf(page)).toBe(parseInt(numeral, tokens.length));
      }
    }
  });
});

describe("round trips", () => {
  it("index → page → index and page → index → page over whole small spaces", () => {
    const cases: [string[], number][] = [[["N", "F", "U"], 5], [["x"], 4], [["p", "q"], 1]];
    for (const [tokens, k] of cases) {
      const space = new PageSpace(tokens, k);
      const pages = allPages(tokens, k);
      expect(space.size).toBe(pages.length);
      pages.forEach((page, i) => {
        expect(space.indexOf(page)).toBe(i); // recursion order = canonical order
        expect(space.indexOf(page.join(""))).toBe(i);
        expect(space.pageAt(i)).toEqual(page);
        expect(space.label(i)).toBe(page.join(""));
        expect(space.digits(i)).toEqual(page.map((t) => tokens.indexOf(t)));
        page.forEach((t, pos) => expect(space.tokenAt(i, pos)).toBe(tokens.indexOf(t)));
        expect(space.indexOfBig(page)).toBe(BigInt(i));
      });
    }
  });

  it("multi-character tokens: pages as arrays or space-separated strings, labels space-separated", () => {
    const tokens = ["the", "dog", "and"];
    const space = new PageSpace(new Vocabulary(tokens), 3);
    expect(space.vocabulary.compact).toBe(false);
    allPages(tokens, 3).forEach((page, i) => {
      expect(space.indexOf(page)).toBe(i);
      expect(space.indexOf(page.join(" "))).toBe(i);
      expect(space.label(i)).toBe(page.join(" "));
    });
    expect(space.label(space.indexOf("the dog and"))).toBe("the dog and");
  });
});

describe("generation + deletion", () => {
  it("successor(s, t) is the index of s.slice(1) + t, for every page and token", () => {
    const cases: [string[], number][] = [[["N", "F", "U"], 4], [["a", "b"], 1], [["a", "b", "c", "d"], 3]];
    for (const [tokens, k] of cases) {
      const space = new PageSpace(tokens, k);
      for (const page of allPages(tokens, k)) {
        const s = page.join("");
        tokens.forEach((t, ti) => expect(space.successor(space.indexOf(s), ti), `${s} + ${t}`).toBe(space.indexOf(s.slice(1) + t)));
      }
    }
  });
});

describe("GPT-2's page space (spec §1)", () => {
  const tokens = Array.from({ length: 50257 }, (_, i) => `t${i}`);
  const space = new PageSpace(tokens, 2048);

  it("|V|^k = 50257^2048 has 9629 decimal digits and begins 1.12345617373", () => {
    const digits = space.sizeBig.toString();
    expect(digits.length).toBe(9629);
    expect(digits.startsWith("112345617373")).toBe(true);
  });

  it("is not indexable with numbers, but indexOfBig gives exact indices without enumerating", () => {
    expect(space.indexable).toBe(false);
    expect(() => space.size).toThrow(RangeError);
    const page = (first: number, last: number) => [`t${first}`, ...new Array<string>(2046).fill("t0"), `t${last}`];
    expect(space.indexOfBig(page(0, 0))).toBe(0n);
    expect(space.indexOfBig(page(0, 5))).toBe(5n);
    expect(space.indexOfBig(page(1, 0))).toBe(50257n ** 2047n);
    expect(space.indexOfBig(page(2, 7))).toBe(2n * 50257n ** 2047n + 7n);
    expect(space.indexOfBig(new Array<string>(2048).fill("t50256"))).toBe(space.sizeBig - 1n);
  });
});

describe("PageSpace with a huge window", () => {
  it("is constructed without computing |V|^k, and still answers indexable and sizeBig", () => {
    const space = new PageSpace(["a", "b"], 1e9);
    // Not a timing test: the BigInt power 2^(10^9) would take minutes, so finishing at all is the check.
    expect(space.indexable).toBe(false);
    expect(() => space.size).toThrow(/too large to index with numbers/);
    // Indexable means |V|^k ≤ Number.MAX_SAFE_INTEGER = 2^53 − 1.
    expect(new PageSpace(["a", "b"], 52).indexable).toBe(true);
    expect(new PageSpace(["a", "b"], 53).indexable).toBe(false);
    expect(new PageSpace(["a", "b", "c"], 33).indexable).toBe(true);
    expect(new PageSpace(["a", "b", "c"], 34).indexable).toBe(false);
  });
});
