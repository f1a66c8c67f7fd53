/**
 * The maintainers' cross-checks that used to sit in the Remark 6 notebook, as tests: each compares the
 * library with a route that does not use it (token-by-token Bayes, dense matrix powers, a dense linear
 * solve with mathjs, a closed form derived by hand).
 *
 *     npx vitest run test/lib/waluigi-remark6.test.ts
 */
import { describe, expect, it } from "vitest";
import { lusolve } from "mathjs";
import { firstPassageCdf, friendlyProbability, waluigiChain, waluigiCountChain, waluigiPosterior } from "llm-dynamics";
import { allPages, denseMatrix, matMul, parameterDraws } from "../solutions/bruteForce";

const interior = parameterDraws(40, 2026).filter((d) => d.pFriendly > 0.05 && d.pFriendly < 0.995).slice(0, 8);

/** The likelihood of a page under one author: leading padding N, then text that this author writes token by token. */
function strictLikelihood(page: string, author: "L" | "W", p: number): number {
  const text = page.replace(/^N+/, "");
  if (text.includes("N")) return 0;
  if (author === "L") return /^F*$/.test(text) ? 1 : 0;
  let likelihood = 1, revealed = false;
  for (const token of text) {
    if (token === "U") {
      likelihood *= revealed ? 1 : 1 - p;
      revealed = true;
    } else likelihood *= revealed ? 0 : p;
  }
  return likelihood;
}

describe("Remark 6 cross-checks: the convention against strict Bayes", () => {
  it("on every page an author could write, P(W | page) is the strict Bayes posterior; those pages are exactly the ones reachable from N^k", () => {
    for (const params of interior) {
      const { luigiPrior: l, pFriendly: p } = params;
      for (let k = 1; k <= 5; k++) {
        const writable: string[] = [];
        for (const page of allPages(k)) {
          const evidence = l * strictLikelihood(page, "L", p) + (1 - l) * strictLikelihood(page, "W", p);
          if (evidence === 0) continue;
          writable.push(page);
          expect(Math.abs((1 - l) * strictLikelihood(page, "W", p) / evidence - waluigiPosterior(page, params))).toBeLessThan(1e-12);
        }
        expect(waluigiChain(k, params, { prompt: "N".repeat(k) }).labels.sort()).toEqual(writable.sort());
        expect(allPages(k).length - writable.length).toBe(3 ** k - (k + 1) * (k + 2) / 2);
      }
    }
  });
});

describe("Remark 6 cross-checks: the spectrum and the edge cases", () => {
  it("tr(T^n) = 1 + f(k)^n for n = 1 … 3^k (dense powers of the string-built T): by Newton's identities the eigenvalues are 1, f(k) and 0", () => {
    for (const params of interior.slice(0, 4)) {
      const k = 3;
      const T = denseMatrix(k, params);
      const f = friendlyProbability(k, params);
      let power = T;
      for (let n = 1; n <= 3 ** k; n++) {
        const trace = power.reduce((s, row, i) => s + row[i], 0);
        expect(Math.abs(trace - (1 + f ** n))).toBeLessThan(1e-12);
        power = matMul(power, T);
      }
    }
  });

  it("p = 0: from N^k the first token decides, U^k with probability 1 − ℓ and F^k with ℓ; p = 1: always F^k", () => {
    for (const luigiPrior of [0.1, 0.5, 0.8]) {
      for (const pFriendly of [0, 1]) {
        const k = 4;
        const chain = waluigiChain(k, { luigiPrior, pFriendly });
        const classes = chain.chain.closedClasses.map((c) => c.map((s) => chain.label(s)));
        expect(classes.map((c) => c.join()).sort()).toEqual(["FFFF", "UUUU"]);
        const u = classes.findIndex((c) => c[0] === "UUUU");
        const toU = chain.chain.absorptionProbabilities[u][chain.stateOf("NNNN")];
        expect(Math.abs(toU - (pFriendly === 0 ? 1 - luigiPrior : 0))).toBeLessThan(1e-13);
      }
    }
  });
});

describe("Remark 6 cross-checks: the lumped F-count chain against the page chain", () => {
  it("expected steps from N^k to the first U agree, k = 1 … 12", () => {
    for (const params of interior.slice(0, 4)) {
      for (let k = 1; k <= 12; k++) {
        const pages = waluigiChain(k, params, { prompt: "N".repeat(k) });
        const withU = pages.labels.flatMap((label, i) => (label.includes("U") ? [i] : []));
        const viaPages = pages.chain.expectedHittingTimes(withU)[pages.stateOf("N".repeat(k))];
        const counts = waluigiCountChain(k, params);
        const viaCounts = counts.chain.expectedHittingTimes([counts.revealed])[0];
        expect(Math.abs(viaPages / viaCounts - 1)).toBeLessThan(1e-9);
      }
    }
  });

  it("a page chain whose window K = 30 outlasts the run gives the no-deletion curve P(a U within H) = (1 − ℓ)(1 − p^H)", () => {
    const params = { luigiPrior: 0.8, pFriendly: 0.9 };
    const K = 30;
    const pages = waluigiChain(K, params, { prompt: "N".repeat(K) });
    const withU = pages.labels.flatMap((label, i) => (label.includes("U") ? [i] : []));
    const cdf = firstPassageCdf(pages.matrix, pages.stateOf("N".repeat(K)), withU, K);
    const counts = waluigiCountChain(200, params);
    const countCdf = firstPassageCdf(counts.chain.T, 0, [counts.revealed], K);
    for (let h = 0; h <= K; h++) {
      expect(Math.abs(cdf[h] - countCdf[h])).toBeLessThan(1e-12);
      expect(Math.abs(cdf[h] - 0.2 * (1 - 0.9 ** h))).toBeLessThan(1e-12);
    }
  });
});

describe("Remark 6.D: the dwell time on F^k", () => {
  it("D(k) = ℓ/((1 − ℓ)(1 − p))·p^(−k) + 1/(1 − p) solves (I − Q)h = 1 on the full page chain (mathjs dense solve), k = 1 … 4", () => {
    for (const params of interior.slice(0, 4)) {
      const { luigiPrior: l, pFriendly: p } = params;
      for (let k = 1; k <= 4; k++) {
        const pages = allPages(k);
        const T = denseMatrix(k, params);
        const transient = pages.flatMap((s, i) => (s.includes("U") ? [] : [i]));
        const A = transient.map((i) => transient.map((j) => (i === j ? 1 : 0) - T[i][j]));
        const h = lusolve(A, transient.map(() => 1)) as number[][];
        const fromF = h[transient.indexOf(pages.indexOf("F".repeat(k)))][0];
        const closedForm = (l / ((1 - l) * (1 - p))) * p ** -k + 1 / (1 - p);
        expect(Math.abs(fromF / closedForm - 1)).toBeLessThan(1e-9);
      }
    }
  });
});
