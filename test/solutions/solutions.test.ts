/**
 * Each reference solution against a route that shares none of its code (test/solutions/bruteForce.ts),
 * over many parameter draws with the edge cases p = 0, p = 1, λ near 0 and 1, k = 1 … 6.
 */
import { eigs } from "mathjs";
import { describe, expect, it } from "vitest";
import { MarkovChain } from "llm-dynamics";
import * as S from "../../solutions";
import { type Params, allPages, denseMatrix, lcg, matMul, parameterDraws, predictive } from "./bruteForce";

const draws = parameterDraws(24);
const close = (a: number, b: number, tol = 1e-10) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));
const expectMatrixClose = (actual: number[][], expected: number[][], tol = 1e-12) => {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, i) => {
    expect(row.length).toBe(expected[i].length);
    row.forEach((x, j) => {
      if (!close(x, expected[i][j], tol)) throw new Error(`entry [${i}][${j}]: ${x} ≠ ${expected[i][j]}`);
    });
  });
};
const fAt = (n: number, params: Params) => predictive("F".repeat(n), params).F;

describe("6.C.1 stayFriendlyPadded and 6.C.2 stayFriendlyFull, against brute-force Bayes", () => {
  it("equals the posterior predictive of F on N^(k−n) F^n", () => {
    for (const params of draws) for (let k = 1; k <= 8; k++) for (let n = 0; n < k; n++) {
      const page = "N".repeat(k - n) + "F".repeat(n);
      expect(close(S.stayFriendlyPadded(n, k, params), predictive(page, params).F, 1e-12)).toBe(true);
    }
  });

  it("equals the transition probability N^(k−n)F^n → N^(k−n−1)F^(n+1) of the string-built chain", () => {
    for (const params of draws.slice(0, 8)) for (let k = 1; k <= 4; k++) {
      const T = denseMatrix(k, params);
      const pages = allPages(k);
      for (let n = 0; n < k; n++) {
        const from = pages.indexOf("N".repeat(k - n) + "F".repeat(n));
        const to = pages.indexOf("N".repeat(k - n - 1) + "F".repeat(n + 1));
        expect(close(S.stayFriendlyPadded(n, k, params), T[from][to], 1e-12)).toBe(true);
      }
    }
  });

  it("stayFriendlyFull(k) = T[F^k, F^k] of the string-built chain, and = f(k) by Bayes", () => {
    for (const params of draws) for (let k = 1; k <= 10; k++) {
      expect(close(S.stayFriendlyFull(k, params), fAt(k, params), 1e-12)).toBe(true);
    }
    for (const params of draws.slice(0, 6)) for (let k = 1; k <= 4; k++) {
      const i = allPages(k).indexOf("F".repeat(k));
      expect(close(S.stayFriendlyFull(k, params), denseMatrix(k, params)[i][i], 1e-12)).toBe(true);
    }
  });

  it("the edge cases: p = 0 rules the waluigi out after one F; p = 1 never reveals", () => {
    expect(S.stayFriendlyPadded(0, 3, { luigiPrior: 0.3, pFriendly: 0 })).toBeCloseTo(0.3, 15);
    expect(S.stayFriendlyPadded(1, 3, { luigiPrior: 0.3, pFriendly: 0 })).toBe(1);
    expect(S.stayFriendlyFull(5, { luigiPrior: 0.3, pFriendly: 1 })).toBe(1);
  });

  it("rejects n ≥ k and bad parameters, naming them", () => {
    expect(() => S.stayFriendlyPadded(3, 3, { luigiPrior: 0.5, pFriendly: 0.5 })).toThrow(/n must be an integer in \[0, 2\]; got 3/);
    expect(() => S.stayFriendlyFull(2, { luigiPrior: 1, pFriendly: 0.5 })).toThrow(/luigiPrior must be in \(0, 1\); got 1/);
    expect(() => S.stayFriendlyFull(2, { luigiPrior: 0.5, pFriendly: -0.1 })).toThrow(/pFriendly must be in \[0, 1\]; got -0.1/);
  });
});

describe("6.C.3 / 6.C.4 / 6.C.7: network and matrices agree with each other, with string surgery and with sampling", () => {
  it("transitionMatrix(k) equals the string-built matrix for k = 1 … 5", () => {
    for (const params of draws.slice(0, 10)) for (let k = 1; k <= 5; k++) expectMatrixClose(S.transitionMatrix(k, params), denseMatrix(k, params));
  });

  it("transitionMatrixK2 is the 9 × 9 matrix in the order NN NF NU FN FF FU UN UF UU", () => {
    expect(allPages(2)).toEqual(["NN", "NF", "NU", "FN", "FF", "FU", "UN", "UF", "UU"]);
    for (const params of draws) {
      expectMatrixClose(S.transitionMatrixK2(params), S.transitionMatrix(2, params));
      expectMatrixClose(S.transitionMatrixK2(params), denseMatrix(2, params));
    }
  });

  it("the network's edges are exactly the non-zero entries of T, with tokens matching the appended letter", () => {
    for (const params of draws.slice(0, 10)) for (let k = 1; k <= 4; k++) {
      const pages = allPages(k);
      const T = S.transitionMatrix(k, params);
      const edges = S.transitionNetwork(k, params);
      const rebuilt = pages.map(() => new Array<number>(pages.length).fill(0));
      for (const e of edges) {
        expect(e.prob).toBeGreaterThan(0);
        expect(e.to).toBe(e.from.slice(1) + e.token);
        rebuilt[pages.indexOf(e.from)][pages.indexOf(e.to)] += e.prob;
      }
      expectMatrixClose(rebuilt, T, 0);
      expect(edges.length).toBe(T.flat().filter((x) => x > 0).length);
    }
  });

  it("transition frequencies of the sampled model agree with T (5 standard errors)", () => {
    const params = { luigiPrior: 0.6, pFriendly: 0.7 };
    const random = lcg(2024);
    const T = S.transitionMatrix(2, params);
    const pages = allPages(2);
    const samples = 20000;
    for (const [i, s] of pages.entries()) {
      const mu = predictive(s, params);
      const counts = new Map<string, number>();
      for (let r = 0; r < samples; r++) {
        const next = s.slice(1) + (random() < mu.F ? "F" : "U");
        counts.set(next, (counts.get(next) ?? 0) + 1);
      }
      pages.forEach((t, j) => {
        const freq = (counts.get(t) ?? 0) / samples;
        const se = Math.sqrt((T[i][j] * (1 - T[i][j])) / samples);
        expect(Math.abs(freq - T[i][j])).toBeLessThanOrEqual(5 * se + 1e-12);
      });
    }
  });

  it("drawTransitionNetwork makes a figure with one node per page and one label per edge", () => {
    const params = { luigiPrior: 0.9, pFriendly: 0.8 };
    const fig = S.drawTransitionNetwork(2, params);
    const traces = fig.data as { mode: string; text?: string[] }[];
    expect(traces.find((t) => t.mode === "markers+text")!.text).toEqual(allPages(2));
    const edges = S.transitionNetwork(2, params);
    expect(traces.find((t) => t.mode === "text")!.text).toEqual(edges.map((e) => `${e.token} ${e.prob.toFixed(3)}`));
  });
});

describe("6.C.5 expectedStepsToReveal, against the closed-form sum and against simulation", () => {
  // P(no U in the first t steps from N^k) = λ + (1 − λ) p^t for t ≤ k (the product of f(0) … f(t−1)
  // telescopes); afterwards each step keeps F with probability f(k).
  // 1 − f(k) is written out as its own product: computed as a difference it loses every digit once
  // p^k is below ~1e-16, and the reference would be the inaccurate side.
  const closedForm = (k: number, { luigiPrior: l, pFriendly: p }: Params) => {
    const f = (l + (1 - l) * p ** (k + 1)) / (l + (1 - l) * p ** k);
    const leave = ((1 - l) * p ** k * (1 - p)) / (l + (1 - l) * p ** k);
    if (leave === 0) return Infinity;
    let sum = 0;
    for (let t = 0; t <= k; t++) sum += l + (1 - l) * p ** t;
    return sum + ((l + (1 - l) * p ** k) * f) / leave;
  };

  it("matches the closed-form sum over the friendly run", () => {
    for (const params of draws) for (let k = 1; k <= 12; k++) {
      const expected = closedForm(k, params);
      const actual = S.expectedStepsToReveal(k, params);
      if (expected === Infinity) expect(actual).toBe(Infinity);
      else expect(close(actual, expected, 1e-9)).toBe(true);
    }
  });

  it("is Infinity for p = 0 and p = 1 (F^k absorbing)", () => {
    expect(S.expectedStepsToReveal(3, { luigiPrior: 0.4, pFriendly: 0 })).toBe(Infinity);
    expect(S.expectedStepsToReveal(3, { luigiPrior: 0.4, pFriendly: 1 })).toBe(Infinity);
  });

  it("matches the mean of seeded simulations of the model (5 standard errors)", () => {
    for (const [params, k] of [[{ luigiPrior: 0.5, pFriendly: 0.6 }, 3], [{ luigiPrior: 0.2, pFriendly: 0.9 }, 2]] as const) {
      const random = lcg(99);
      const runs = 20000;
      let sum = 0, sumSq = 0;
      for (let r = 0; r < runs; r++) {
        let page = "N".repeat(k), steps = 0;
        while (!page.includes("U")) {
          const mu = predictive(page, params);
          page = page.slice(1) + (random() < mu.F ? "F" : "U");
          steps++;
        }
        sum += steps;
        sumSq += steps * steps;
      }
      const mean = sum / runs, sd = Math.sqrt(sumSq / runs - mean * mean);
      expect(Math.abs(S.expectedStepsToReveal(k, params) - mean)).toBeLessThanOrEqual((5 * sd) / Math.sqrt(runs));
    }
  });
});

describe("6.C.6 contextForStickiness, against a linear search on brute-force f(k)", () => {
  const search = (steps: number, params: Params) => {
    for (let k = 1; k <= 4000; k++) {
      const f = fAt(k, params);
      if (1 / (1 - f) >= steps) return k;
    }
    return Infinity;
  };

  it("gives the least k with 1 / (1 − f(k)) ≥ steps away from rounding boundaries", () => {
    const random = lcg(7);
    for (const params of draws) for (let i = 0; i < 6; i++) {
      const steps = 10 ** (random() * 6);
      const expected = search(steps, params);
      // Skip draws where steps sits within rounding of a dwell time (either answer is defensible).
      const near = [expected - 1, expected].some((k) => k >= 1 && Math.abs(1 / (1 - fAt(k, params)) - steps) < 1e-6 * steps);
      if (!near) expect(S.contextForStickiness(steps, params)).toBe(expected);
    }
  });

  it("handles the edges: steps ≤ 1, p ∈ {0, 1}, steps = Infinity", () => {
    const params = { luigiPrior: 0.9, pFriendly: 0.8 };
    expect(S.contextForStickiness(0.5, params)).toBe(1);
    expect(S.contextForStickiness(1e6, { luigiPrior: 0.9, pFriendly: 1 })).toBe(1);
    expect(S.contextForStickiness(1e6, { luigiPrior: 0.9, pFriendly: 0 })).toBe(1);
    expect(S.contextForStickiness(Infinity, params)).toBe(Infinity);
    expect(() => S.contextForStickiness(Number.NaN, params)).toThrow(/steps must be a number; got NaN/);
  });
});

describe("6.C.8 stationaryDistributions and 6.C.11 closedClasses, against generic class analysis and πT = π", () => {
  it("agree with the generic analysis of the string-built matrix, and each π satisfies πT = π", () => {
    for (const params of draws.slice(0, 12)) for (let k = 1; k <= 4; k++) {
      const T = denseMatrix(k, params);
      const generic = MarkovChain.fromDense(T);
      const pages = allPages(k);
      const expectedClasses = generic.closedClasses.map((c) => c.map((i) => pages[i]).sort()).sort();
      expect(S.closedClasses(k, params).map((c) => [...c].sort()).sort()).toEqual(expectedClasses);
      const pis = S.stationaryDistributions(k, params);
      expect(pis.length).toBe(expectedClasses.length);
      for (const pi of pis) {
        const piT = matMul([pi], T)[0];
        piT.forEach((x, j) => expect(Math.abs(x - pi[j])).toBeLessThan(1e-12));
        expect(pi.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
        expect(pi.every((x) => x >= 0)).toBe(true);
      }
    }
  });

  it("p = 0 and p = 1 have two closed classes {F^k} and {U^k}; otherwise {U^k} alone", () => {
    for (const k of [1, 3, 5]) {
      const sorted = (p: number) => S.closedClasses(k, { luigiPrior: 0.5, pFriendly: p }).map((c) => c.join()).sort();
      expect(sorted(0)).toEqual(["F".repeat(k), "U".repeat(k)]);
      expect(sorted(1)).toEqual(["F".repeat(k), "U".repeat(k)]);
      expect(sorted(0.5)).toEqual(["U".repeat(k)]);
      expect(S.stationaryDistributions(k, { luigiPrior: 0.5, pFriendly: 1 }).length).toBe(2);
    }
  });
});

describe("6.C.9 secondEigenvalue, against a dense eigen-solver and against f(k)", () => {
  it("equals the second-largest modulus from mathjs eigs on the string-built T (k ≤ 3)", () => {
    for (const params of draws.slice(4, 12)) for (let k = 1; k <= 3; k++) {
      const T = denseMatrix(k, params);
      const values = eigs(T, { eigenvectors: false }).values as unknown as (number | { re: number; im: number })[];
      const moduli = values.map((v) => (typeof v === "number" ? Math.abs(v) : Math.hypot(v.re, v.im)));
      moduli.sort((a, b) => b - a);
      // The zero eigenvalue is defective (nilpotent transient part): mathjs resolves it only to ~ε^(1/m).
      expect(Math.abs(S.secondEigenvalue(k, params) - moduli[1])).toBeLessThan(1e-6);
    }
  });

  it("equals f(k) by Bayes and the library's block-triangular second modulus", () => {
    for (const params of draws) for (let k = 1; k <= 5; k++) {
      expect(close(S.secondEigenvalue(k, params), fAt(k, params), 1e-12)).toBe(true);
      expect(close(S.secondEigenvalue(k, params), MarkovChain.fromDense(denseMatrix(Math.min(k, 4), params)).secondLargestModulus, 1e-12) || k > 4).toBe(true);
    }
  });
});

describe("6.C.10 kStepMatrix, against T multiplied k times", () => {
  it("equals the k-th power of the string-built T, with non-zero columns only at F^a U^(k−a)", () => {
    for (const params of draws.slice(0, 10)) for (let k = 1; k <= 4; k++) {
      const T = denseMatrix(k, params);
      let power = T;
      for (let i = 1; i < k; i++) power = matMul(power, T);
      const actual = S.kStepMatrix(k, params);
      expectMatrixClose(actual, power, 1e-12);
      const pages = allPages(k);
      pages.forEach((page, j) => {
        const column = actual.some((row) => row[j] > 0);
        if (column) expect(page).toMatch(/^F*U*$/);
      });
      // Each row is a distribution over whole pages written in k steps.
      actual.forEach((row) => expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12));
    }
  });
});
