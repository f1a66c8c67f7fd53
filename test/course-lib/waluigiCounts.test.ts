/**
 * The F-count chain of the waluigi model (src/waluigiCounts.ts), checked against the page chain it
 * lumps (the library's waluigiChain, built page by page), the spec's formula for f(n) written out
 * independently here, and the mixture argument for generation alone.
 *
 *     npx vitest run test/course-lib/waluigiCounts.test.ts
 */
import { describe, expect, it } from "vitest";
import { type WaluigiParams, waluigiChain, waluigiCountChain } from "../../src";

/** Spec §3: f(n) = (λ + (1 − λ) p^(n+1)) / (λ + (1 − λ) p^n), written out again for the test. */
const f = (n: number, { luigiPrior: l, pFriendly: p }: WaluigiParams) => (l + (1 - l) * p ** (n + 1)) / (l + (1 - l) * p ** n);

const PARAMS: WaluigiParams[] = [
  { luigiPrior: 0.5, pFriendly: 0.9 },
  { luigiPrior: 0.9, pFriendly: 0.3 },
  { luigiPrior: 0.2, pFriendly: 0 },
  { luigiPrior: 0.7, pFriendly: 1 },
];

describe("waluigiCountChain", () => {
  it("is the exact lumping of the window-k page chain started from N^k", () => {
    for (const params of PARAMS) {
      for (const k of [1, 2, 3, 5]) {
        const pages = waluigiChain(k, params, { prompt: "N".repeat(k) });
        const counts = waluigiCountChain(k, params);
        const lump = (label: string) => (label.includes("U") ? counts.revealed : label.split("").filter((t) => t === "F").length);
        const T = pages.toDense(), C = counts.chain.T.toDense();
        pages.labels.forEach((from, i) => {
          const row = new Array<number>(counts.chain.n).fill(0);
          T[i].forEach((v, j) => (row[lump(pages.label(j))] += v));
          row.forEach((v, c) => expect(v).toBeCloseTo(C[lump(from)][c], 14));
        });
      }
    }
  });

  it("has f(n) and 1 − f(n) from the spec's formula, and labels its states", () => {
    const params = { luigiPrior: 0.6, pFriendly: 0.8 };
    const { chain, revealed, labels, cap } = waluigiCountChain(6, params);
    expect(cap).toBe(6);
    expect(revealed).toBe(7);
    expect(labels).toEqual(["0F", "1F", "2F", "3F", "4F", "5F", "6F", "revealed"]);
    for (let n = 0; n <= 6; n++) {
      expect(chain.T.get(n, Math.min(n + 1, 6))).toBeCloseTo(f(n, params), 14);
      expect(chain.T.get(n, revealed)).toBeCloseTo(1 - f(n, params), 14);
    }
    expect(chain.T.get(revealed, revealed)).toBe(1);
  });

  it("gives the page chain's expected steps to the first U, for windows up to 12", () => {
    const params = { luigiPrior: 0.8, pFriendly: 0.9 };
    for (const k of [1, 4, 8, 12]) {
      const pages = waluigiChain(k, params, { prompt: "N".repeat(k) });
      const withU = pages.labels.flatMap((label, i) => (label.includes("U") ? [i] : []));
      const fromPages = pages.chain.expectedHittingTimes(withU)[pages.stateOf("N".repeat(k))];
      const counts = waluigiCountChain(k, params);
      expect(counts.chain.expectedHittingTimes([counts.revealed])[0]).toBeCloseTo(fromPages, 8);
    }
  });

  it("is generation alone when the cap exceeds the steps: P(no U after H steps) = λ + (1 − λ) p^H", () => {
    // The mixture argument: draw the author from the prior, then Luigi never writes U and Waluigi
    // keeps quiet for H steps with probability p^H.
    const params = { luigiPrior: 0.8, pFriendly: 0.9 };
    const H = 150;
    const counts = waluigiCountChain(H, params);
    let pi = new Float64Array(counts.chain.n);
    pi[0] = 1;
    for (let h = 1; h <= H; h++) {
      pi = counts.chain.step(pi);
      expect(1 - pi[counts.revealed]).toBeCloseTo(0.8 + 0.2 * 0.9 ** h, 12);
    }
  });

  it("keeps tiny reveal probabilities accurate far beyond k = 33", () => {
    const params = { luigiPrior: 0.5, pFriendly: 0.5 };
    const counts = waluigiCountChain(60, params);
    const exact = (0.5 * 0.5 ** 60 * 0.5) / (0.5 + 0.5 * 0.5 ** 60);
    expect(counts.chain.T.get(60, counts.revealed) / exact).toBeCloseTo(1, 12);
  });

  it("names the argument in its errors", () => {
    expect(() => waluigiCountChain(0, PARAMS[0])).toThrow(/cap must be an integer in \[1, 268435456\]; got 0/);
    expect(() => waluigiCountChain(2.5, PARAMS[0])).toThrow(/cap must be an integer/);
    expect(() => waluigiCountChain(3, { luigiPrior: 1, pFriendly: 0.5 })).toThrow(/params.luigiPrior must be in \(0, 1\); got 1/);
  });
});
