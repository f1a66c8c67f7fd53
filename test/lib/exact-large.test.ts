/**
 * Exact answers above the dense limit (issue 15). Each chain is one the old fallbacks (power
 * iteration, Gauss–Seidel stopping on small change) got silently wrong; each answer is checked
 * against a closed form derived in the test from the chain's symmetry (lumpability) or structure,
 * evaluated from the very floating-point entries the library sees. Every case runs just below and
 * just above the dense limit (DENSE_LIMIT = 2500 states per block), and the sparse/iterative switch
 * is probed on both sides of a fill budget set from the measured peak. Where no solver can vouch
 * for an answer, the library must throw, naming the block's size and what to do.
 *
 *     npx vitest run test/lib/exact-large.test.ts
 */
import { describe, expect, it } from "vitest";
import { DENSE_LIMIT, MarkovChain, type MarkovChainOptions, SparseStochasticMatrix, logitModel, pageChain } from "../../src/index";

/** A chain from per-row lists of [column, probability]. */
function chainOf(rows: [number, number][][], options?: MarkovChainOptions): MarkovChain {
  const n = rows.length;
  const rowStart = new Int32Array(n + 1);
  let nnz = 0;
  rows.forEach((r, i) => (rowStart[i + 1] = nnz += r.length));
  const col = new Int32Array(nnz), value = new Float64Array(nnz);
  let e = 0;
  for (const r of rows) for (const [j, v] of [...r].sort((a, b) => a[0] - b[0])) {
    col[e] = j;
    value[e++] = v;
  }
  return new MarkovChain(new SparseStochasticMatrix(n, rowStart, col, value), options);
}

function maxRelError(got: ArrayLike<number>, want: (i: number) => number): number {
  let worst = 0;
  for (let i = 0; i < got.length; i++) {
    const w = want(i);
    const d = got[i] === w ? 0 : Math.abs(got[i] - w) / Math.abs(w);
    if (!(d <= worst)) worst = d;
  }
  return worst;
}

/**
 * Two blocks A = 0 … m−1 and B = m … 2m−1, each a complete graph (uniform over the block, self
 * included); state i of A also moves to its partner in B with probability `ab`, and B's states to
 * their partners in A with `ba`. The blocks are lumpable, so π(A) = ba / (ab + ba), uniform within.
 */
function weaklyCoupledBlocks(m: number, ab: number, ba: number, options?: MarkovChainOptions): MarkovChain {
  const rows: [number, number][][] = [];
  for (let i = 0; i < 2 * m; i++) {
    const inA = i < m, base = inA ? 0 : m, out = inA ? ab : ba;
    const r: [number, number][] = [];
    for (let j = 0; j < m; j++) r.push([base + j, (1 - out) / m]);
    r.push([inA ? i + m : i - m, out]);
    rows.push(r);
  }
  return chainOf(rows, options);
}

describe("two weakly coupled blocks (coupling 1e-13 one way, 1e-14 the other): π(A) = 1/11", () => {
  const ab = 1e-13, ba = 1e-14;
  for (const m of [DENSE_LIMIT / 2, DENSE_LIMIT / 2 + 1]) {
    it(`${m} states per block (${2 * m} in the class, ${2 * m > DENSE_LIMIT ? "above" : "at"} the dense limit)`, () => {
      const chain = weaklyCoupledBlocks(m, ab, ba);
      const [pi] = chain.stationaryDistributions;
      const piA = ba / (ab + ba);
      // The exact value is ba/(ab + ba) for the entries as stored; the GTH family keeps every entry
      // to a small multiple of the unit roundoff times the number of states.
      expect(maxRelError(pi, (i) => (i < m ? piA : 1 - piA) / m)).toBeLessThan(1e-11);
      expect(chain.stationaryReports[0].method).toBe(2 * m > DENSE_LIMIT ? "sparse elimination" : "dense elimination");
    }, 900_000);
  }

  it("with elimination disallowed, the certified iteration refuses (a residual of 1e-14 certifies nothing here)", () => {
    const chain = weaklyCoupledBlocks(DENSE_LIMIT / 2 + 1, ab, ba, { solver: { fillBudget: 1000, iterativeWork: 2e8 } });
    expect(() => chain.stationaryDistributions).toThrow(/closed class of 2502 states.*What to do/s);
  }, 900_000);
});

/**
 * Two cliques A and B of m transient states (uniform within), coupled by `c` to the partner state in
 * the other clique, each leaking `leak` to its own absorbing state (a for A, b for B). Lumping gives
 * P(absorbed in a | start in A) = (leak + c) / (leak + 2c) and an expected absorption time of 1/leak
 * from every clique state (every step leaks with probability `leak`, wherever the chain is).
 */
function coupledCliques(m: number, c: number, leak: number, options?: MarkovChainOptions): MarkovChain {
  const a = 2 * m, b = 2 * m + 1;
  const rows: [number, number][][] = [];
  for (let i = 0; i < 2 * m; i++) {
    const inA = i < m, base = inA ? 0 : m;
    const r: [number, number][] = [];
    for (let j = 0; j < m; j++) r.push([base + j, (1 - c - leak) / m]);
    r.push([inA ? i + m : i - m, c], [inA ? a : b, leak]);
    rows.push(r);
  }
  rows.push([[a, 1]], [[b, 1]]);
  return chainOf(rows, options);
}

describe("two weakly coupled transient cliques (coupling 1e-9, leak 1e-15): absorption ≈ 1/2, time 1e15", () => {
  const c = 1e-9, leak = 1e-15;
  for (const m of [DENSE_LIMIT / 2, DENSE_LIMIT / 2 + 1]) {
    it(`${m} states per clique (${2 * m > DENSE_LIMIT ? "above" : "at"} the dense limit)`, () => {
      const chain = coupledCliques(m, c, leak);
      const { values: h, report } = chain.hittingProbabilitiesReport([2 * m]);
      const inA = (leak + c) / (leak + 2 * c);
      expect(maxRelError(h.subarray(0, 2 * m), (i) => (i < m ? inA : 1 - inA))).toBeLessThan(1e-11);
      expect(report.errorBound).toBe(0);
      expect(report.blocks.map((x) => x.method)).toEqual(2 * m > DENSE_LIMIT ? ["sparse elimination"] : []);
      const t = chain.expectedAbsorptionTimes;
      expect(maxRelError(t.subarray(0, 2 * m), () => 1 / leak)).toBeLessThan(1e-11);
    }, 900_000);
  }

  it("with elimination disallowed, Gauss–Seidel cannot bound the exit time of the nearly closed block, and says so", () => {
    const chain = coupledCliques(DENSE_LIMIT / 2 + 1, c, leak, { solver: { fillBudget: 1000, iterativeWork: 2e8 } });
    expect(() => chain.hittingProbabilities([DENSE_LIMIT + 2])).toThrow(/block of 2502 states.*nearly closed.*What to do/s);
  }, 900_000);
});

/**
 * A cycle 0 → 1 → … → n−1 → 0 where state `lazy` stays put with probability 1 − ε. The stationary
 * distribution is proportional to the expected holding time: 1/ε at the lazy state, 1 elsewhere.
 * Expected time to reach state 0 from state i: the holding times of i … n−1 (1/ε for the lazy one).
 */
function lazyCycle(n: number, lazy: number, eps: number, options?: MarkovChainOptions): MarkovChain {
  const rows: [number, number][][] = [];
  for (let i = 0; i < n; i++) rows.push(i === lazy ? [[i, 1 - eps], [(i + 1) % n, eps]] : [[(i + 1) % n, 1]]);
  return chainOf(rows, options);
}

describe("a long cycle with one lazy state (stay 1 − 1e-6): π ∝ holding time", () => {
  const eps = 1e-6;
  for (const n of [DENSE_LIMIT, DENSE_LIMIT + 1, 100_000]) {
    it(`${n} states`, () => {
      const lazy = n >> 1;
      const chain = lazyCycle(n, lazy, eps);
      const [pi] = chain.stationaryDistributions;
      const total = 1 / eps + (n - 1);
      expect(maxRelError(pi, (i) => (i === lazy ? 1 / eps : 1) / total)).toBeLessThan(1e-12);
      const t = chain.expectedHittingTimes([0]);
      // From i ≥ 1: n − i steps, plus 1/ε − 1 more if the lazy state is on the way.
      expect(maxRelError(t.subarray(1), (a) => n - (a + 1) + (a + 1 <= lazy ? 1 / eps - 1 : 0))).toBeLessThan(1e-12);
      expect(t[0]).toBe(0);
    }, 900_000);
  }
});

/**
 * The low-temperature softmax chain: 51 (or 50) tokens, k = 2, temperature 0.01, logits 1 for the
 * successor of the page's last token and 0 elsewhere; the successor of a is (a + 1) mod 3 for the first
 * three tokens and a mod 3 otherwise. In floating point every row holds 1 for the successor and
 * q = exp(−100) for every other token (the normaliser 1 + 50q rounds to 1). The page chain's π(ab) is
 * ρ(a) μ(b | a) with ρ the token chain's stationary distribution: every token sends q to each token of
 * index ≥ 3, so ρ = q there, and (1 − (V − 3)q)/3 on each of the first three tokens. (The old power
 * iteration returned the uniform distribution on 51 pages.)
 */
describe("the low-temperature softmax page chain", () => {
  for (const V of [50, 51]) {
    it(`${V} tokens, k = 2: ${V * V} pages in one closed class`, () => {
      const tokens = Array.from({ length: V }, (_, i) => `t${i}`);
      const next = (a: number) => (a < 3 ? (a + 1) % 3 : a % 3);
      const model = logitModel(tokens, (page) => {
        const a = tokens.indexOf(page[1]);
        return tokens.map((_, b) => (b === next(a) ? 1 : 0));
      }, 0.01);
      const chain = pageChain(model, tokens, 2).chain;
      expect(chain.closedClasses.length).toBe(1);
      const q = Math.exp(-100);
      const [pi] = chain.stationaryDistributions;
      const rho = (a: number) => (a < 3 ? (1 - (V - 3) * q) / 3 : q);
      expect(maxRelError(pi, (i) => rho(Math.floor(i / V)) * (i % V === next(Math.floor(i / V)) ? 1 : q))).toBeLessThan(1e-12);
      expect(chain.stationaryReports[0].method).toBe(V * V > DENSE_LIMIT ? "sparse elimination" : "dense elimination");
    }, 900_000);
  }
});

/** A random walk on a connected weighted graph: π_i = (weight at i) / (total weight), exactly. */
function weightedWalk(n: number, seed: number, options?: MarkovChainOptions): { chain: MarkovChain; pi: Float64Array } {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const edges = new Map<number, number>();
  const add = (i: number, j: number, w: number) => edges.set(i < j ? i * n + j : j * n + i, (edges.get(i < j ? i * n + j : j * n + i) ?? 0) + w);
  for (let i = 0; i < n; i++) add(i, (i + 1) % n, 0.5 + rand());
  for (let c = 0; c < 2 * n; c++) add(Math.floor(rand() * n), Math.floor(rand() * n), 0.5 + rand());
  const rows: [number, number][][] = Array.from({ length: n }, () => []);
  const weight = new Float64Array(n);
  for (const [key, w] of edges) {
    const i = Math.floor(key / n), j = key % n;
    weight[i] += w;
    if (i !== j) weight[j] += w;
  }
  for (const [key, w] of edges) {
    const i = Math.floor(key / n), j = key % n;
    rows[i].push([j, w / weight[i]]);
    if (i !== j) rows[j].push([i, w / weight[j]]);
  }
  const total = weight.reduce((a, b) => a + b, 0);
  return { chain: chainOf(rows, options), pi: weight.map((w) => w / total) };
}

describe("the switch from sparse elimination to certified iteration, on both sides of the fill budget", () => {
  const n = 3000;
  it("a budget at the measured peak eliminates; one entry less iterates, with a proven bound that holds", () => {
    const { chain, pi } = weightedWalk(n, 7);
    const peak = chain.stationaryReports[0].peakEntries!;
    expect(chain.stationaryReports[0].method).toBe("sparse elimination");
    expect(maxRelError(chain.stationaryDistributions[0], (i) => pi[i])).toBeLessThan(1e-11);

    const at = weightedWalk(n, 7, { solver: { fillBudget: peak } }).chain;
    expect(at.stationaryReports[0].method).toBe("sparse elimination");
    const below = weightedWalk(n, 7, { solver: { fillBudget: peak - 1 } }).chain;
    const report = below.stationaryReports[0];
    expect(report.method).toBe("certified iteration");
    let l1 = 0;
    below.stationaryDistributions[0].forEach((x, i) => (l1 += Math.abs(x - pi[i])));
    expect(report.errorBound!).toBeLessThanOrEqual(1e-9);
    expect(l1).toBeLessThanOrEqual(report.errorBound!);
  }, 900_000);

  it("hitting times on a transient ring above the limit: sparse elimination, and certified Gauss–Seidel within its bound", () => {
    // Ring state i moves on with 1 − e and is absorbed with e: the time to absorption is 1/e from every ring state.
    const m = DENSE_LIMIT + 1, e = 0.01;
    const rows: [number, number][][] = [];
    for (let i = 0; i < m; i++) rows.push([[(i + 1) % m, 1 - e], [m, e]]);
    rows.push([[m, 1]]);
    const direct = chainOf(rows).expectedHittingTimesReport([m]);
    expect(direct.report.blocks.map((b) => b.method)).toEqual(["sparse elimination"]);
    expect(maxRelError(direct.values.subarray(0, m), () => 1 / e)).toBeLessThan(1e-13);
    const iter = chainOf(rows, { solver: { fillBudget: 10 } }).expectedHittingTimesReport([m]);
    expect(iter.report.blocks.map((b) => b.method)).toEqual(["certified iteration"]);
    let worst = 0;
    for (let i = 0; i < m; i++) worst = Math.max(worst, Math.abs(iter.values[i] - 1 / e));
    expect(worst).toBeLessThanOrEqual(iter.report.errorBound);
    expect(iter.report.errorBound).toBeLessThan(1e-9 * (1 / e));
  }, 900_000);
});
