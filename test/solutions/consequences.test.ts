/**
 * The consequences listed in spec §3, each a property over many parameter draws, checked on the
 * library's waluigi chain against brute-force constructions (test/solutions/bruteForce.ts).
 */
import { describe, expect, it } from "vitest";
import { MarkovChain, friendlyProbability, revealProbability, waluigiChain, waluigiModel, waluigiPosterior } from "llm-dynamics";
import { allPages, denseMatrix, matMul, parameterDraws, predictive } from "./bruteForce";

const draws = parameterDraws(30, 777);
const interior = draws.filter((d) => d.pFriendly > 0 && d.pFriendly < 1);

describe("spec §3: the waluigi model itself", () => {
  it("the library's model equals brute-force Bayes on every page, k = 1 … 5", () => {
    for (const params of draws.slice(0, 12)) {
      const model = waluigiModel(params);
      for (let k = 1; k <= 5; k++) for (const page of allPages(k)) {
        const mu = model(Array.from(page)) as Record<string, number>;
        const bf = predictive(page, params);
        for (const t of ["N", "F", "U"] as const) expect(Math.abs(mu[t] - bf[t])).toBeLessThan(1e-13);
      }
    }
  });

  it("P(W | page) is the brute-force posterior, and 1 on pages with a U", () => {
    const params = { luigiPrior: 0.7, pFriendly: 0.6 };
    for (const page of allPages(4)) {
      const n = [...page].filter((t) => t === "F").length;
      const expected = page.includes("U") ? 1 : (0.3 * 0.6 ** n) / (0.7 + 0.3 * 0.6 ** n);
      expect(waluigiPosterior(page, params)).toBeCloseTo(expected, 14);
    }
  });

  it("rejects bad parameters with a RangeError naming the parameter and value", () => {
    const k = 2;
    expect(() => waluigiChain(k, { luigiPrior: 0, pFriendly: 0.5 })).toThrow(/params\.luigiPrior must be in \(0, 1\); got 0/);
    expect(() => waluigiChain(k, { luigiPrior: 0.5, pFriendly: 1.5 })).toThrow(/params\.pFriendly must be in \[0, 1\]; got 1\.5/);
    expect(() => waluigiChain(k, { luigiPrior: Number.NaN, pFriendly: 0.5 })).toThrow(RangeError);
    expect(() => waluigiChain(0, { luigiPrior: 0.5, pFriendly: 0.5 })).toThrow(/k must be an integer ≥ 1; got 0/);
    expect(() => friendlyProbability(-1, { luigiPrior: 0.5, pFriendly: 0.5 })).toThrow(/n must be an integer ≥ 0; got -1/);
  });
});

describe("spec §3 consequences", () => {
  it("from N^k the reachable pages are exactly N^j F^a U^b (j + a + b = k)", () => {
    for (const params of interior.slice(0, 10)) for (let k = 1; k <= 7; k++) {
      const reachable = waluigiChain(k, params, { prompt: "N".repeat(k) }).labels.sort();
      const expected = allPages(k).filter((s) => /^N*F*U*$/.test(s)).sort();
      expect(reachable).toEqual(expected);
    }
  });

  it("every page holding a U reaches U^k within k steps, and U^k is absorbing", () => {
    for (const params of draws.slice(0, 10)) for (let k = 1; k <= 4; k++) {
      const T = denseMatrix(k, params);
      let power = T;
      for (let i = 1; i < k; i++) power = matMul(power, T);
      const pages = allPages(k);
      const uk = pages.indexOf("U".repeat(k));
      expect(T[uk][uk]).toBe(1);
      pages.forEach((s, i) => {
        if (s.includes("U")) expect(power[i][uk]).toBeCloseTo(1, 12);
      });
    }
  });

  it("for 0 < p < 1, {U^k} is the only closed class and δ_{U^k} the unique stationary distribution", () => {
    for (const params of interior) for (let k = 1; k <= 6; k++) {
      const chain = waluigiChain(k, params);
      const uk = chain.stateOf("U".repeat(k));
      expect(chain.chain.closedClasses).toEqual([[uk]]);
      const [pi] = chain.chain.stationaryDistributions;
      expect(pi[uk]).toBe(1);
      // Independent: the long-run distribution from N^k converges to δ_{U^k} (slowly: rate f(k)).
      if (k <= 3) {
        const far = chain.evolve(chain.delta("N".repeat(k)), 20000);
        if (friendlyProbability(k, params) < 0.999) expect(far[uk]).toBeGreaterThan(0.999);
      }
    }
  });

  it("for p = 1, F^k is absorbing too: two closed classes", () => {
    for (const lambda of [0.01, 0.5, 0.99]) for (let k = 1; k <= 6; k++) {
      const chain = waluigiChain(k, { luigiPrior: lambda, pFriendly: 1 });
      const classes = chain.chain.closedClasses.map((c) => c.map((s) => chain.label(s)));
      expect(classes.map((c) => c.join()).sort()).toEqual(["F".repeat(k), "U".repeat(k)]);
    }
  });

  it("the graph is acyclic apart from the self-loops of F^k and U^k", () => {
    for (const params of draws.slice(0, 10)) for (let k = 1; k <= 6; k++) {
      const chain = waluigiChain(k, params);
      const classes = chain.chain.communicatingClasses;
      expect(classes.every((c) => c.length === 1)).toBe(true);
      const loops = chain.labels.filter((_, s) => chain.matrix.get(s, s) > 0).sort();
      const expected = (friendlyProbability(k, params) > 0 ? ["F".repeat(k)] : []).concat(["U".repeat(k)]);
      expect(loops).toEqual(expected.sort());
    }
  });

  it("the eigenvalues of T are 1, f(k) and 0 (dense QR on the string-built T), the second modulus is f(k)", () => {
    for (const params of draws.slice(4, 14)) for (let k = 1; k <= 3; k++) {
      const dense = MarkovChain.fromDense(denseMatrix(k, params));
      const f = predictive("F".repeat(k), params).F;
      const values = dense.eigenvalues.map((z) => Math.hypot(z.re, z.im));
      expect(values[0]).toBeCloseTo(1, 12);
      expect(values[1]).toBeCloseTo(f, 12);
      values.slice(2).forEach((v) => expect(v).toBeLessThan(1e-12));
      expect(waluigiChain(k, params).chain.secondLargestModulus).toBeCloseTo(f, 14);
    }
  });

  it("f(k) increases to 1 with k and 1 − f(k) shrinks like p^k (ratio → p)", () => {
    for (const params of interior) {
      // 1 − f(k) computed without cancellation, so monotonicity is not blurred by rounding near 1.
      let previous = Infinity;
      for (let k = 1; k <= 60; k++) {
        const u = revealProbability(k, params);
        expect(u).toBeLessThan(previous);
        expect(friendlyProbability(k, params)).toBeCloseTo(1 - u, 15);
        previous = u;
      }
      const u = (k: number) => predictive("F".repeat(k), params).U;
      // Far enough out that p^k < 1e-9 λ, the ratio u(k+1)/u(k) = p (λ + (1−λ)p^k)/(λ + (1−λ)p^(k+1))
      // is p to within ~1e-9.
      const k = Math.ceil((Math.log10(params.luigiPrior) - 9) / Math.log10(params.pFriendly));
      expect(Math.abs(u(k + 1) / u(k) - params.pFriendly)).toBeLessThan(1e-6);
    }
  });

  it("T^k has non-zero columns only at F^a U^(k−a), and is not positive", () => {
    for (const params of draws.slice(0, 10)) for (let k = 1; k <= 5; k++) {
      const chain = waluigiChain(k, params);
      const power = chain.matrix.power(k);
      const nonZero = chain.labels.filter((_, j) => power.some((row) => row[j] > 0));
      nonZero.forEach((page) => expect(page).toMatch(/^F*U*$/));
      expect(power.flat().some((x) => x === 0)).toBe(true);
    }
  });
});
