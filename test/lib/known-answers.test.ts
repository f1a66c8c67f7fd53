/**
 * Known answers transcribed from the test suites of three public Markov-chain libraries, each case
 * with its source. Classes are compared as sets (each library orders them its own way); numbers
 * are compared to the precision the source publishes.
 *
 *     npx vitest run test/lib/known-answers.test.ts
 */
import { describe, expect, it } from "vitest";
import { MarkovChain } from "../../src/index";
import { type Dense, expectClose, sortClasses } from "./support";

interface Case {
  source: string;
  P: Dense;
  communicating?: number[][];
  closed?: number[][];
  transient?: number[];
  absorbing?: number[];
  /** Stationary distributions, one per closed class, in any order. */
  stationary?: number[][];
  stationaryTol?: number;
  /** Period of the class holding each listed state. */
  periods?: Record<number, number>;
  /** Cyclic classes of the class holding state `of`. */
  cyclic?: { of: number; classes: number[][] };
  /** Period of the whole chain: lcm of the closed classes' periods (quantecon's `period`). */
  chainPeriod?: number;
  determinant?: number;
  /** 1 − spectral gap = second-largest eigenvalue modulus (PyDTMC's `spectral_gap`). */
  slem?: number;
}

const lcm = (a: number, b: number): number => {
  const g = (x: number, y: number): number => (y ? g(y, x % y) : x);
  return (a * b) / g(a, b);
};

/** quantecon's KMR model matrix, transcribed from its test helper `KMR_Markov_matrix_sequential`. */
function kmr(N: number, p: number, epsilon: number): Dense {
  const P = Array.from({ length: N + 1 }, () => new Array<number>(N + 1).fill(0));
  P[0][0] = 1 - epsilon / 2;
  P[0][1] = epsilon / 2;
  const ind = (b: boolean) => (b ? 1 : 0);
  for (let n = 1; n < N; n++) {
    P[n][n - 1] = (n / N) * (epsilon / 2 + (1 - epsilon) * (ind((n - 1) / (N - 1) < p) + ind((n - 1) / (N - 1) === p) / 2));
    P[n][n + 1] = ((N - n) / N) * (epsilon / 2 + (1 - epsilon) * (ind(n / (N - 1) > p) + ind(n / (N - 1) === p) / 2));
    P[n][n] = 1 - P[n][n - 1] - P[n][n + 1];
  }
  P[N][N - 1] = epsilon / 2;
  P[N][N] = 1 - epsilon / 2;
  return P;
}

// QuantEcon.py, quantecon/markov/tests/test_core.py (commit 3279cf646487c6ccd237ffa931c4f503d7a03dbe):
// test_markovchain_pmatrices and TestMCStateValues.
const QE_Q: Dense = [
  [0, 1, 0, 0, 0, 0],
  [1, 0, 0, 0, 0, 0],
  [0.5, 0, 0, 0.5, 0, 0],
  [0, 0, 0, 0, 1, 0],
  [0, 0, 0, 0, 0, 1],
  [0, 0, 0, 1, 0, 0],
];
const quantecon: Case[] = [
  { source: "quantecon test_core [[0.4,0.6],[0.2,0.8]]", P: [[0.4, 0.6], [0.2, 0.8]], stationary: [[0.25, 0.75]], communicating: [[0, 1]], closed: [[0, 1]], chainPeriod: 1, cyclic: { of: 0, classes: [[0, 1]] } },
  { source: "quantecon test_core [[0,1],[1,0]]", P: [[0, 1], [1, 0]], stationary: [[0.5, 0.5]], communicating: [[0, 1]], closed: [[0, 1]], chainPeriod: 2, cyclic: { of: 0, classes: [[0], [1]] } },
  { source: "quantecon test_core eye(2)", P: [[1, 0], [0, 1]], stationary: [[1, 0], [0, 1]], communicating: [[0], [1]], closed: [[0], [1]], chainPeriod: 1 },
  { source: "quantecon test_core [[1,0],[1,0]]", P: [[1, 0], [1, 0]], stationary: [[1, 0]], communicating: [[0], [1]], closed: [[0]], transient: [1], chainPeriod: 1 },
  {
    source: "quantecon test_core Q (recurrent classes of periods 2 and 3)",
    P: QE_Q,
    stationary: [[0.5, 0.5, 0, 0, 0, 0], [0, 0, 0, 1 / 3, 1 / 3, 1 / 3]],
    communicating: [[0, 1], [2], [3, 4, 5]],
    closed: [[0, 1], [3, 4, 5]],
    periods: { 0: 2, 3: 3 },
    chainPeriod: 6,
  },
  { source: "quantecon TestMCStateValues reducible", P: [[1, 0, 0], [1, 0, 0], [0, 0, 1]], communicating: [[0], [1], [2]], closed: [[0], [2]], chainPeriod: 1 },
  { source: "quantecon TestMCStateValues periodic", P: [[0, 1, 0], [0, 0, 1], [1, 0, 0]], communicating: [[0, 1, 2]], closed: [[0, 1, 2]], chainPeriod: 3, cyclic: { of: 0, classes: [[0], [1], [2]] } },
  // quantecon/tests/test_graph_tools.py (commit 0176d3e4360b820141299ef14a2339264afe82e4): the
  // graphs there, with each row's edges given equal probability (classes and periods depend only on
  // the graph).
  { source: "quantecon test_graph_tools 4-node aperiodic graph", P: [[0, 1, 0, 0], [0, 0, 1, 0], [0.5, 0, 0, 0.5], [0, 0, 1, 0]], communicating: [[0, 1, 2, 3]], chainPeriod: 1, cyclic: { of: 0, classes: [[0, 1, 2, 3]] } },
  { source: "quantecon test_graph_tools [[1,0,0],[1,0,1],[0,0,1]]", P: [[1, 0, 0], [0.5, 0, 0.5], [0, 0, 1]], communicating: [[0], [1], [2]], closed: [[0], [2]] },
  { source: "quantecon test_graph_tools weighted [[0,0.5],[2,0]]", P: [[0, 1], [1, 0]], chainPeriod: 2, cyclic: { of: 0, classes: [[0], [1]] } },
];

// PyDTMC, tests/fixtures/fixtures_properties.json (commit 05c06309df4304036d48d3611b1de4b0dc1ad49c).
// Stationary distributions there are printed to 8 decimals; the spectral gap is 1 − SLEM.
const pydtmc: Case[] = [
  { source: "PyDTMC #1", P: [[0, 1], [1, 0]], determinant: -1, stationary: [[0.5, 0.5]], chainPeriod: 2 },
  { source: "PyDTMC #2", P: [[0.05, 0.95], [0.8, 0.2]], determinant: -0.75, stationary: [[0.45714286, 0.54285714]], stationaryTol: 5e-9, chainPeriod: 1, slem: 1 - 0.25 },
  { source: "PyDTMC #4", P: [[1, 0], [0.1, 0.9]], determinant: 0.9, stationary: [[1, 0]], communicating: [[0], [1]], closed: [[0]], absorbing: [0] },
  { source: "PyDTMC #6", P: [[0, 1, 0], [0, 0, 1], [1, 0, 0]], determinant: 1, stationary: [[1 / 3, 1 / 3, 1 / 3]], chainPeriod: 3 },
  { source: "PyDTMC #7", P: [[0, 0.3, 0.7], [0.1, 0.5, 0.4], [0.1, 0.2, 0.7]], determinant: -0.03, stationary: [[0.09090909, 0.2987013, 0.61038961]], stationaryTol: 5e-8, chainPeriod: 1, slem: 1 - 0.7000000000000001 },
  { source: "PyDTMC #8", P: [[0, 1, 0], [0.3, 0, 0.7], [0, 1, 0]], determinant: 0, stationary: [[0.15, 0.5, 0.35]], chainPeriod: 2 },
  { source: "PyDTMC #9", P: [[0.1, 0.1, 0.8], [0.3, 0.3, 0.4], [0.25, 0.5, 0.25]], determinant: 0.05, stationary: [[0.23214286, 0.33928571, 0.42857143]], stationaryTol: 5e-9, slem: 1 - 0.7763932022500208 },
  { source: "PyDTMC #10", P: [[0.05, 0.9, 0.05], [0.5, 0.4, 0.1], [0.3, 0.2, 0.5]], determinant: -0.19, stationary: [[0.3255814, 0.53488372, 0.13953488]], stationaryTol: 5e-8, slem: 1 - 0.5383937700856752 },
  { source: "PyDTMC #12", P: [[0.78, 0.22, 0], [0, 0.1, 0.9], [0.45, 0, 0.55]], determinant: 0.132, stationary: [[0.57692308, 0.14102564, 0.28205128]], stationaryTol: 5e-9, slem: 1 - 0.6366819575083007 },
  { source: "PyDTMC #17", P: [[0.9, 0.05, 0.05], [0.05, 0.9, 0.05], [0.05, 0.05, 0.9]], determinant: 0.7225, stationary: [[1 / 3, 1 / 3, 1 / 3]], slem: 1 - 0.1499999999999999 },
  {
    source: "PyDTMC #18",
    P: [[0, 0.5, 0.5, 0], [0, 1, 0, 0], [0, 0, 0, 1], [0, 0, 1, 0]],
    determinant: 0,
    stationary: [[0, 0, 0.5, 0.5], [0, 1, 0, 0]],
    communicating: [[0], [1], [2, 3]],
    closed: [[1], [2, 3]],
    transient: [0],
    periods: { 1: 1, 2: 2 },
  },
  { source: "PyDTMC #19", P: [[0, 0.9, 0.05, 0.05], [0.2, 0.8, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]], determinant: -0.18, stationary: [[0, 0, 1, 0], [0, 0, 0, 1]], communicating: [[0, 1], [2], [3]], absorbing: [2, 3] },
  { source: "PyDTMC #20", P: [[0, 0, 0.5, 0.5], [1, 0, 0, 0], [0, 1, 0, 0], [0, 1, 0, 0]], determinant: 0, stationary: [[1 / 3, 1 / 3, 1 / 6, 1 / 6]], chainPeriod: 3 },
  { source: "PyDTMC #21", P: [[0.7, 0.1, 0.1, 0.1], [0.85, 0.05, 0.05, 0.05], [0.2, 0.2, 0.5, 0.1], [0.3, 0.3, 0.3, 0.1]], determinant: 0.003, stationary: [[0.58878505, 0.13084112, 0.18691589, 0.09345794]], stationaryTol: 5e-9, slem: 1 - 0.6165561666728137 },
  { source: "PyDTMC #22", P: [[0, 1, 0, 0, 0], [0, 0, 1, 0, 0], [0.5, 0, 0, 0.5, 0], [0, 0, 0, 0, 1], [0, 0, 1, 0, 0]], determinant: 0, stationary: [[1 / 6, 1 / 6, 1 / 3, 1 / 6, 1 / 6]], chainPeriod: 3 },
  {
    source: "PyDTMC #23",
    P: [[0, 1, 0, 0, 0, 0], [0.25, 0.75, 0, 0, 0, 0], [0.2, 0, 0.4, 0.2, 0.2, 0], [0, 0, 0, 0.4, 0.6, 0], [0, 0, 0, 0.5, 0, 0.5], [0, 0, 0, 0.4, 0, 0.6]],
    determinant: 0.006,
    stationary: [[0, 0, 0, 0.42553191, 0.25531915, 0.31914894], [0.2, 0.8, 0, 0, 0, 0]],
    stationaryTol: 5e-9,
    communicating: [[0, 1], [2], [3, 4, 5]],
    closed: [[0, 1], [3, 4, 5]],
    transient: [2],
  },
  {
    source: "PyDTMC #24",
    P: [[0.2, 0.2, 0.2, 0.2, 0, 0.2], [0.05, 0.75, 0, 0.1, 0, 0.1], [0.4, 0.6, 0, 0, 0, 0], [0.1, 0.1, 0.2, 0.3, 0, 0.3], [0, 0, 0, 0, 1, 0], [0.3, 0, 0.1, 0.1, 0, 0.5]],
    determinant: -0.002,
    stationary: [[0.16749311, 0.38787879, 0.08319559, 0.13553719, 0, 0.22589532], [0, 0, 0, 0, 1, 0]],
    stationaryTol: 5e-9,
    communicating: [[0, 1, 2, 3, 5], [4]],
  },
  {
    source: "PyDTMC #25",
    P: [[1, 0, 0, 0, 0, 0], [0, 1, 0, 0, 0, 0], [0.6, 0, 0, 0.4, 0, 0], [0, 0, 0.6, 0, 0.4, 0], [0, 0, 0, 0.6, 0, 0.4], [0, 0.4, 0, 0, 0.6, 0]],
    determinant: 0.0576,
    stationary: [[1, 0, 0, 0, 0, 0], [0, 1, 0, 0, 0, 0]],
    communicating: [[0], [1], [2, 3, 4, 5]],
    absorbing: [0, 1],
    transient: [2, 3, 4, 5],
  },
];

// R markovchain, tests/testthat/*.R (files and commits named per case).
const MATHEMATICA: Dense = [[0, 1 / 3, 0, 2 / 3, 0], [1 / 2, 0, 0, 0, 1 / 2], [0, 0, 1 / 2, 1 / 2, 0], [0, 0, 1 / 2, 1 / 2, 0], [0, 0, 0, 0, 1]];
const markovchain: Case[] = [
  // testStructuralAnalysisPublicExamples.R (37d27fa): Land of Oz (Grinstead & Snell ch. 11), 2-cycle, mathematicaMc.
  { source: "markovchain Land of Oz", P: [[1 / 2, 1 / 4, 1 / 4], [1 / 2, 0, 1 / 2], [1 / 4, 1 / 4, 1 / 2]], stationary: [[0.4, 0.2, 0.4]], communicating: [[0, 1, 2]], chainPeriod: 1, transient: [], absorbing: [] },
  { source: "markovchain 2-cycle", P: [[0, 1], [1, 0]], chainPeriod: 2 },
  { source: "markovchain mathematicaMc", P: MATHEMATICA, communicating: [[0, 1], [2, 3], [4]], closed: [[2, 3], [4]], transient: [0, 1] },
  // testPeriod.R (2437c55): examples from Anderson's notes, StochBioChapter3.
  { source: "markovchain testPeriod mcPeriodic", P: [[0, 1, 0], [0, 0, 1], [1, 0, 0]], chainPeriod: 3 },
  {
    source: "markovchain testPeriod mcPeriodic2",
    P: [
      [0, 0, 1 / 2, 1 / 4, 1 / 4, 0, 0],
      [0, 0, 1 / 3, 0, 2 / 3, 0, 0],
      [0, 0, 0, 0, 0, 1 / 3, 2 / 3],
      [0, 0, 0, 0, 0, 1 / 2, 1 / 2],
      [0, 0, 0, 0, 0, 3 / 4, 1 / 4],
      [1 / 2, 1 / 2, 0, 0, 0, 0, 0],
      [1 / 4, 3 / 4, 0, 0, 0, 0, 0],
    ],
    chainPeriod: 3,
  },
  { source: "markovchain testPeriod mcAperiodic", P: [[1 / 2, 1 / 2, 0, 0, 0], [1 / 2, 0, 1 / 2, 0, 0], [0, 1 / 2, 0, 1 / 2, 0], [0, 0, 1 / 2, 0, 1 / 2], [0, 0, 0, 1, 0]], chainPeriod: 1 },
  // testStatesClassification.R (0124113): mc3, mc4, the 8-state `A` (given there column-major,
  // transposed here into rows) and probMc.
  {
    source: "markovchain testStatesClassification mc3",
    P: [[0, 1, 0, 0, 0, 0], [0.4, 0.6, 0, 0, 0, 0], [0.3, 0, 0.4, 0.2, 0.1, 0], [0, 0, 0, 0.3, 0.7, 0], [0, 0, 0, 0.5, 0, 0.5], [0, 0, 0, 0.3, 0, 0.7]],
    closed: [[0, 1], [3, 4, 5]],
    transient: [2],
  },
  {
    source: "markovchain testStatesClassification mc4",
    P: [[0.5, 0.5, 0, 0, 0], [0.5, 0.5, 0, 0, 0], [0, 0, 1, 0, 0], [0, 0, 0.5, 0.5, 0], [1, 0, 0, 0, 0]],
    closed: [[0, 1], [2]],
    absorbing: [2],
    transient: [3, 4],
  },
  {
    source: "markovchain testStatesClassification A",
    P: [
      [0, 1, 0, 0, 0, 0, 0, 0],
      [0, 0, 0.5, 0.5, 0, 0, 0, 0],
      [0, 0, 0.3, 0.7, 0, 0, 0, 0],
      [0, 0, 0.3, 0.7, 0, 0, 0, 0],
      [0, 0, 0, 0, 0, 0.4, 0.6, 0],
      [0, 0, 0, 0, 0.3, 0, 0.7, 0],
      [0, 0, 0, 0, 0.4, 0.5, 0, 0.1],
      [0, 0, 0, 0, 0, 0, 0, 1],
    ],
    closed: [[2, 3], [7]],
    transient: [0, 1, 4, 5, 6],
    absorbing: [7],
  },
  {
    source: "markovchain testStatesClassification probMc (a … j)",
    P: [
      [1 / 2, 0, 1 / 2, 0, 0, 0, 0, 0, 0, 0],
      [0, 1 / 3, 0, 0, 0, 0, 2 / 3, 0, 0, 0],
      [1, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      [0, 0, 0, 0, 1, 0, 0, 0, 0, 0],
      [0, 0, 0, 1 / 3, 1 / 3, 0, 0, 0, 1 / 3, 0],
      [0, 0, 0, 0, 0, 1, 0, 0, 0, 0],
      [0, 0, 0, 0, 0, 0, 1 / 4, 0, 3 / 4, 0],
      [0, 0, 1 / 4, 1 / 4, 0, 0, 0, 1 / 4, 0, 1 / 4],
      [0, 1, 0, 0, 0, 0, 0, 0, 0, 0],
      [0, 1 / 3, 0, 0, 1 / 3, 0, 0, 0, 0, 1 / 3],
    ],
    closed: [[0, 2], [1, 6, 8], [5]],
    // transientClasses(probMc) = {d, e}, {h}, {j}
    communicating: [[0, 2], [1, 6, 8], [3, 4], [5], [7], [9]],
    transient: [3, 4, 7, 9],
  },
];

function checkCase(c: Case): void {
  const chain = MarkovChain.fromDense(c.P);
  if (c.communicating) expect(sortClasses(chain.communicatingClasses)).toEqual(sortClasses(c.communicating));
  if (c.closed) expect(sortClasses(chain.closedClasses)).toEqual(sortClasses(c.closed));
  if (c.transient) expect(chain.transientStates).toEqual(c.transient);
  if (c.absorbing) expect([...chain.absorbingStates].sort((a, b) => a - b)).toEqual(c.absorbing);
  if (c.stationary) {
    const got = chain.stationaryDistributions.map((v) => Array.from(v));
    expect(got.length).toBe(c.stationary.length);
    // Pair each published distribution with ours by support.
    for (const want of c.stationary) {
      const match = got.find((g) => g.every((x, i) => (x > 0) === (want[i] > 0)));
      expect(match, `no stationary distribution with the support of ${JSON.stringify(want)}`).toBeDefined();
      expectClose(match!, want, c.stationaryTol ?? 1e-14, 0, "stationary");
    }
  }
  if (c.periods) for (const [state, p] of Object.entries(c.periods)) expect(chain.periodOf(Number(state)).period).toBe(p);
  if (c.chainPeriod !== undefined) {
    const period = chain.closedClasses.map((cl) => chain.periodOf(cl[0]).period).reduce(lcm, 1);
    expect(period).toBe(c.chainPeriod);
  }
  if (c.cyclic) expect(sortClasses(chain.periodOf(c.cyclic.of).cyclicClasses)).toEqual(sortClasses(c.cyclic.classes));
  if (c.determinant !== undefined) {
    // det T = product of the eigenvalues (complex pairs multiply to a real number).
    let re = 1, im = 0;
    for (const z of chain.eigenvalues) [re, im] = [re * z.re - im * z.im, re * z.im + im * z.re];
    expect(Math.abs(re - c.determinant)).toBeLessThan(1e-12);
    expect(Math.abs(im)).toBeLessThan(1e-12);
  }
  if (c.slem !== undefined) expect(Math.abs(chain.secondLargestModulus - c.slem)).toBeLessThan(1e-12);
}

describe("published cases", () => {
  for (const [name, cases] of [["QuantEcon.py", quantecon], ["PyDTMC", pydtmc], ["R markovchain", markovchain]] as const) {
    describe(name, () => {
      for (const c of cases) it(c.source, () => checkCase(c));
    });
  }
});

describe("QuantEcon.py test_gth_solve.py (commit 1acad6d137296e977a829be1d4b1014fac28bfc2)", () => {
  it("KMR matrices: sums to one, non-negative, πP = π within 1e-15", () => {
    for (const [N, p, eps] of [[27, 1 / 3, 1e-2], [3, 1 / 3, 1e-14]]) {
      const P = kmr(N, p, eps);
      const [pi] = MarkovChain.fromDense(P).stationaryDistributions;
      expect(Math.abs(pi.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-15);
      expect(pi.every((x) => x >= 0)).toBe(true);
      const piP = P[0].map((_, j) => P.reduce((s, row, i) => s + pi[i] * row[j], 0));
      expectClose(piP, pi, 1e-15, 0, "πP");
    }
  });

  it("[[0.5,0.5],[0,1]] has stationary distribution exactly [0, 1]", () => {
    expect(Array.from(MarkovChain.fromDense([[0.5, 0.5], [0, 1]]).stationaryDistributions[0])).toEqual([0, 1]);
    expect(Array.from(MarkovChain.fromDense([[1]]).stationaryDistributions[0])).toEqual([1]);
  });
});

describe("absorption and hitting, published values", () => {
  it("PyDTMC #19 and #25: expected absorption times are the row sums of the published fundamental matrix", () => {
    const c19 = MarkovChain.fromDense(pydtmc.find((c) => c.source === "PyDTMC #19")!.P);
    expectClose(Array.from(c19.expectedAbsorptionTimes), [10 + 45, 10 + 50, 0, 0], 1e-12, 0, "#19 times");
    // B = N R with R = P[transient, absorbing] = [[0.05, 0.05], [0, 0]]: 0.5 each way from both states.
    const [to2, to3] = c19.absorptionProbabilities;
    expectClose(Array.from(to2), [0.5, 0.5, 1, 0], 1e-12, 0, "#19 into state 2");
    expectClose(Array.from(to3), [0.5, 0.5, 0, 1], 1e-12, 0, "#19 into state 3");

    const N25 = [
      [1.54028436, 0.90047393, 0.47393365, 0.18957346],
      [1.3507109, 2.25118483, 1.18483412, 0.47393365],
      [1.06635071, 1.77725118, 2.25118483, 0.90047393],
      [0.63981043, 1.06635071, 1.3507109, 1.54028436],
    ];
    const c25 = MarkovChain.fromDense(pydtmc.find((c) => c.source === "PyDTMC #25")!.P);
    expectClose(Array.from(c25.expectedAbsorptionTimes).slice(2), N25.map((r) => r.reduce((a, b) => a + b, 0)), 3e-8, 0, "#25 times");
  });

  // R markovchain tests/testthat/testHittingProbabilities.R (04a1967) and testMeanMeasures.R
  // (14e484d): the 5-state chain absorbing at a and e from the hittingProbabilities() docs.
  const M: Dense = [[1, 0, 0, 0, 0], [1 / 2, 0, 1 / 2, 0, 0], [0, 1 / 2, 0, 1 / 2, 0], [0, 1 / 2, 0, 0, 1 / 2], [0, 0, 0, 0, 1]];
  const F: Dense = [
    [1, 0, 0, 0, 0],
    [0.8, 0.375, 0.5, 1 / 3, 0.2],
    [0.6, 0.75, 0.375, 2 / 3, 0.4],
    [0.4, 0.5, 0.25, 1 / 6, 0.6],
    [0, 0, 0, 0, 1],
  ];

  it("markovchain hittingProbabilities: f(i, j) for i ≠ j is P(ever reach j from i)", () => {
    const chain = MarkovChain.fromDense(M);
    for (let j = 0; j < 5; j++) {
      const h = chain.hittingProbabilities([j]);
      for (let i = 0; i < 5; i++) if (i !== j) expect(Math.abs(h[i] - F[i][j]), `f(${i}, ${j})`).toBeLessThan(1e-12);
      expect(h[j]).toBe(1);
    }
  });

  it("markovchain absorptionProbabilities (mcHitting): 1/5·[[4,1],[3,2],[2,3]] from b, c, d", () => {
    const chain = MarkovChain.fromDense(M);
    const classes = sortClasses(chain.closedClasses);
    expect(classes).toEqual([[0], [4]]);
    const byFirst = new Map(chain.closedClasses.map((cl, k) => [cl[0], chain.absorptionProbabilities[k]]));
    expectClose(Array.from(byFirst.get(0)!).slice(1, 4), [4 / 5, 3 / 5, 2 / 5], 1e-12, 0, "into a");
    expectClose(Array.from(byFirst.get(4)!).slice(1, 4), [1 / 5, 2 / 5, 3 / 5], 1e-12, 0, "into e");
  });

  it("markovchain meanAbsorptionTime (mcDrunkard): 3, 4, 3 — the drunkard's walk of Grinstead & Snell, ch. 11", () => {
    const drunkard: Dense = [[1, 0, 0, 0, 0], [0.5, 0, 0.5, 0, 0], [0, 0.5, 0, 0.5, 0], [0, 0, 0.5, 0, 0.5], [0, 0, 0, 0, 1]];
    expectClose(Array.from(MarkovChain.fromDense(drunkard).expectedAbsorptionTimes), [0, 3, 4, 3, 0], 1e-12, 0, "times");
  });

  it("markovchain meanFirstPassageTime: the s/c/r chain and Land of Oz", () => {
    const P = MarkovChain.fromDense([[0.6, 0.3, 0.1], [0.2, 0.3, 0.5], [0.4, 0.1, 0.5]]);
    const full = [[0, 15 / 4, 50 / 11], [10 / 3, 0, 30 / 11], [8 / 3, 5, 0]];
    const oz = MarkovChain.fromDense([[2 / 4, 1 / 4, 1 / 4], [2 / 4, 0, 2 / 4], [1 / 4, 1 / 4, 2 / 4]]);
    const ozFull = [[0, 4, 10 / 3], [8 / 3, 0, 8 / 3], [10 / 3, 4, 0]];
    for (const [chain, want] of [[P, full], [oz, ozFull]] as const) {
      for (let j = 0; j < 3; j++) expectClose(Array.from(chain.expectedHittingTimes([j])), want.map((r) => r[j]), 1e-12, 0, `to ${j}`);
    }
  });
});
