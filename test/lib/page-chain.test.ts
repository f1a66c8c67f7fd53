/**
 * Page chains induced by next-token models, against brute force by string manipulation: the dense
 * matrix built page by page with s → s.slice(1) + t, the reachable pages by a breadth-first search
 * over strings, the matrix-free de Bruijn step against the CSR step and a dense product, the forced
 * intermediate pages of T^n for n ≤ k, and T^k > 0 for a softmax model at temperature > 0.
 *
 *     npx vitest run test/lib/page-chain.test.ts
 */
import { describe, expect, it } from "vitest";
import { type NextTokenModel, SparseStochasticMatrix, WALUIGI_TOKENS, pageChain, pageChainFromDigits, softmax, waluigiChain, waluigiDigitModel } from "../../src/index";
import { type Dense, expectClose, expectMatrixClose, matPow, seeded, vecMat } from "./support";

/** All pages over `tokens` of length k, in canonical order (recursion, oldest token outermost). */
function allPages(tokens: string[], k: number): string[][] {
  if (k === 0) return [[]];
  return tokens.flatMap((t) => allPages(tokens, k - 1).map((rest) => [t, ...rest]));
}

const key = (page: readonly string[]) => page.join("\u0000");

/** A seeded model: each page gets its own random distribution, with some zero probabilities. */
function randomModel(seed: string, tokens: string[], zeros = 0.3): NextTokenModel {
  return (page) => {
    const r = seeded(`${seed}|${key(page)}`);
    const w = tokens.map(() => (r() < zeros ? 0 : r()));
    if (!w.some((x) => x > 0)) w[Math.floor(r() * tokens.length)] = 1;
    const z = w.reduce((a, b) => a + b, 0);
    return w.map((x) => x / z);
  };
}

/** The dense transition matrix by string manipulation over all pages. */
function bruteForce(model: NextTokenModel, tokens: string[], k: number): { pages: string[][]; T: Dense } {
  const pages = allPages(tokens, k);
  const index = new Map(pages.map((p, i) => [key(p), i]));
  const T: Dense = pages.map(() => new Array<number>(pages.length).fill(0));
  pages.forEach((page, i) => {
    const mu = model(page) as number[];
    tokens.forEach((t, ti) => {
      if (mu[ti] > 0) T[i][index.get(key([...page.slice(1), t]))!] += mu[ti];
    });
  });
  return { pages, T };
}

/** Pages reachable from the prompts, by breadth-first search over token arrays. */
function bruteForceReachable(model: NextTokenModel, tokens: string[], prompts: string[][]): Set<string> {
  const seen = new Set(prompts.map(key));
  const queue = [...prompts];
  while (queue.length) {
    const page = queue.shift()!;
    const mu = model(page) as number[];
    tokens.forEach((t, ti) => {
      const next = [...page.slice(1), t];
      if (mu[ti] > 0 && !seen.has(key(next))) {
        seen.add(key(next));
        queue.push(next);
      }
    });
  }
  return seen;
}

const spaces: [string[], number][] = [[["N", "F", "U"], 3], [["a", "b"], 5], [["the", "dog", "and", "."], 2], [["x"], 3], [["0", "1", "2"], 1]];

describe("the full-space chain equals the brute-force construction", () => {
  for (const [tokens, k] of spaces) {
    it(`|V| = ${tokens.length}, k = ${k}`, () => {
      const model = randomModel(`full-${tokens.join("")}-${k}`, tokens);
      const chain = pageChain(model, tokens, k);
      const { pages, T } = bruteForce(model, tokens, k);
      expect(chain.size).toBe(pages.length);
      expect(chain.isFullSpace).toBe(true);
      expect(chain.labels).toEqual(pages.map((p) => p.join(tokens.every((t) => t.length === 1) ? "" : " ")));
      expectMatrixClose(chain.toDense(), T, 0, "T");
      pages.forEach((p, i) => expect(chain.stateOf(p)).toBe(i));
    });
  }

  it("the fast digit form gives the same chain as the friendly form", () => {
    const tokens = ["N", "F", "U"];
    const model = randomModel("digits", tokens);
    const friendly = pageChain(model, tokens, 4);
    const fast = pageChainFromDigits((digits, out) => out.set(model(Array.from(digits, (d) => tokens[d])) as number[]), tokens, 4);
    expect(Array.from(fast.probs)).toEqual(Array.from(friendly.probs));
  });
});

describe("the waluigi chain's full-space builder (compact rows: table on demand, T and the step from page statistics)", () => {
  // The fast builder keeps a byte of statistics per prefix, writes T itself and skips the
  // constructor's scan of every row, and steps from the statistics; the generic route asks the digit
  // model page by page, derives T from the table, validates every row and steps from the table.
  const cases = [
    { luigiPrior: 0.9, pFriendly: 0.8 },
    { luigiPrior: 0.3, pFriendly: 0 }, // P(F) = 0 after any F count: entries dropped
    { luigiPrior: 0.5, pFriendly: 1 }, // P(U) = 0 on U-free pages
    { luigiPrior: 0.999, pFriendly: 0.999 },
  ];
  for (const params of cases) {
    it(`equals the generic builder bit for bit, k = 1 … 7, λ = ${params.luigiPrior}, p = ${params.pFriendly}`, () => {
      for (let k = 1; k <= 7; k++) {
        const fast = waluigiChain(k, params);
        const generic = pageChainFromDigits(waluigiDigitModel(k, params), WALUIGI_TOKENS, k);
        expect(Array.from(fast.probs)).toEqual(Array.from(generic.probs));
        const A = fast.matrix, B = generic.matrix;
        expect(Array.from(A.rowStart), `rowStart, k = ${k}`).toEqual(Array.from(B.rowStart));
        expect(Array.from(A.col), `col, k = ${k}`).toEqual(Array.from(B.col));
        expect(Array.from(A.value), `value, k = ${k}`).toEqual(Array.from(B.value));
        expect(A.storedZeros).toBe(0);
        expect(A).toBeInstanceOf(SparseStochasticMatrix);
        // The validating constructor accepts the same arrays.
        expect(new SparseStochasticMatrix(A.n, A.rowStart, A.col, A.value).storedZeros).toBe(0);
        // The step from the statistics equals the table's step bit for bit, from a point mass, a
        // uniform π and seeded random non-negative vectors with some and with mostly zeros (the
        // step takes a zero-skipping route when a sample of π is mostly zero: the point mass and
        // the sparse vector go that way, the uniform π the other).
        const r = seeded(`waluigi-step-${k}-${params.pFriendly}`);
        const starts = [
          generic.delta(0),
          new Float64Array(generic.size).fill(1 / generic.size),
          Float64Array.from({ length: generic.size }, () => (r() < 0.3 ? 0 : r())),
          Float64Array.from({ length: generic.size }, () => (r() < 0.97 ? 0 : r())),
        ];
        for (const start of starts) {
          let x = start, y = start;
          for (let step = 0; step < 2 * k + 2; step++) {
            x = fast.step(x, new Float64Array(x.length).fill(NaN)); // every entry must be written
            y = generic.step(y);
            expect(Array.from(x), `step ${step}, k = ${k}`).toEqual(Array.from(y));
          }
        }
        expect(Array.from(fast.evolve(generic.delta(0), 3 * k))).toEqual(Array.from(generic.evolve(generic.delta(0), 3 * k)));
      }
    });
  }

  it("equals the brute-force construction by strings at k = 3", () => {
    const params = { luigiPrior: 0.7, pFriendly: 0.6 };
    const model: NextTokenModel = (page) => {
      if (page.includes("U")) return [0, 0, 1];
      const w = (1 - params.luigiPrior) * params.pFriendly ** page.filter((t) => t === "F").length;
      return [0, (params.luigiPrior + w * params.pFriendly) / (params.luigiPrior + w), (w * (1 - params.pFriendly)) / (params.luigiPrior + w)];
    };
    expectMatrixClose(waluigiChain(3, params).toDense(), bruteForce(model, ["N", "F", "U"], 3).T, 1e-15, "T");
  });
});

describe("the reachable chain equals a brute-force breadth-first search", () => {
  for (const [tokens, k] of spaces) {
    it(`|V| = ${tokens.length}, k = ${k}`, () => {
      const model = randomModel(`reach-${tokens.join("")}-${k}`, tokens, 0.55);
      const { pages, T } = bruteForce(model, tokens, k);
      const r = seeded(`prompts-${k}`);
      const prompts = [pages[Math.floor(r() * pages.length)], pages[Math.floor(r() * pages.length)]];
      for (const options of [{ prompt: prompts[0] }, { prompts }]) {
        const chain = pageChain(model, tokens, k, options);
        const seen = bruteForceReachable(model, tokens, options.prompt ? [options.prompt] : prompts);
        const states = pages.flatMap((p, i) => (seen.has(key(p)) ? [i] : []));
        expect(chain.size).toBe(states.length);
        expect(Array.from({ length: chain.size }, (_, s) => chain.pageIndex(s))).toEqual(states);
        expectMatrixClose(chain.toDense(), states.map((i) => states.map((j) => T[i][j])), 0, "T on reachable pages");
        // the reachable set is closed: no probability leaves it
        for (const i of states) expect(states.reduce((s, j) => s + T[i][j], 0)).toBeCloseTo(1, 12);
      }
    });
  }
});

describe("π ↦ πT", () => {
  it("the matrix-free de Bruijn step equals the CSR step and a dense product", () => {
    for (const [tokens, k] of spaces) {
      const model = randomModel(`step-${tokens.join("")}-${k}`, tokens);
      const chain = pageChain(model, tokens, k);
      const { T } = bruteForce(model, tokens, k);
      const r = seeded(`pi-${k}`);
      const w = Array.from({ length: chain.size }, () => (r() < 0.5 ? 0 : r()));
      w[0] += 1;
      const z = w.reduce((a, b) => a + b, 0);
      const pi = w.map((x) => x / z);
      const free = chain.step(pi);
      expectClose(free, chain.matrix.step(pi), 1e-15, 0, "matrix-free vs CSR");
      expectClose(free, vecMat(pi, T), 1e-15, 0, "matrix-free vs dense");
      expectClose(chain.evolve(pi, 9), vecMat(pi, matPow(T, 9)), 1e-14, 0, "9 steps");
      // an output buffer full of garbage is overwritten
      expectClose(chain.step(pi, new Float64Array(chain.size).fill(3)), free, 0, 0, "into a buffer");
    }
  });

  it("the reachable chain's step follows its own matrix", () => {
    const tokens = ["N", "F", "U"];
    const model = randomModel("reach-step", tokens, 0.5);
    const chain = pageChain(model, tokens, 4, { prompt: "NNNN" });
    const pi = chain.delta("NNNN");
    expectClose(chain.evolve(pi, 6), vecMat(pi, matPow(chain.toDense(), 6)), 1e-15, 0, "6 steps");
  });
});

describe("T^n for n ≤ k: the intermediate pages are forced", () => {
  it("T^n[s, s'] is the product of μ along the one path through the overlapping pages, else 0", () => {
    const tokens = ["N", "F", "U"], k = 3;
    const model = randomModel("forced", tokens, 0.2);
    const { pages, T } = bruteForce(model, tokens, k);
    for (let n = 1; n <= k; n++) {
      const Tn = matPow(T, n);
      pages.forEach((s, i) => pages.forEach((t, j) => {
        // s' must start with s's last k − n tokens; the path is the windows of s followed by s'[k − n …]
        let want = 0;
        if (key(s.slice(n)) === key(t.slice(0, k - n))) {
          const text = [...s, ...t.slice(k - n)];
          want = 1;
          for (let m = 0; m < n; m++) want *= (model(text.slice(m, m + k)) as number[])[tokens.indexOf(text[m + k])];
        }
        expect(Math.abs(Tn[i][j] - want), `T^${n}[${s.join("")}, ${t.join("")}]`).toBeLessThan(1e-15);
      }));
    }
  });

  it("a softmax model at temperature > 0 makes every entry of T^k positive (but not of T^(k−1))", () => {
    const tokens = ["N", "F", "U"], k = 3;
    const logits = (page: readonly string[]) => {
      const r = seeded(`logits|${page.join("")}`);
      return tokens.map(() => 4 * r() - 2);
    };
    const T = pageChain((page) => softmax(logits(page), 0.7), tokens, k).toDense();
    expect(matPow(T, k).every((row) => row.every((x) => x > 0))).toBe(true);
    expect(matPow(T, k - 1).some((row) => row.some((x) => x === 0))).toBe(true);
    // greedy decoding (temperature 0) is a deterministic map: one 1 per row of T^k
    const G = pageChain((page) => softmax(logits(page), 0), tokens, k).toDense();
    for (const row of matPow(G, k)) expect(row.filter((x) => x > 0)).toEqual([1]);
  });
});
