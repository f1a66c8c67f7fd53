/**
 * Sparse stochastic matrices on seeded random chains: storage round trips, rows summing to 1, and
 * π ↦ πT, π T^n and T^n checked against dense products computed in the test (support.ts), including
 * Chapman–Kolmogorov: T^(m+n) = T^m T^n and evolve(π, m + n) = evolve(evolve(π, m), n).
 *
 *     npx vitest run test/lib/sparse.test.ts
 */
import { describe, expect, it } from "vitest";
import { MarkovChain, SparseStochasticMatrix } from "../../src/index";
import { type Dense, type Rand, expectClose, expectMatrixClose, matMul, matPow, randInt, randomChain, randomPeriodicChain, seeded, vecMat } from "./support";

function randomDistribution(rand: Rand, n: number, sparse = false): number[] {
  const v: number[] = Array.from({ length: n }, () => (sparse && rand() < 0.7 ? 0 : rand()));
  if (!v.some((x) => x > 0)) v[0] = 1;
  const z = v.reduce((a, b) => a + b, 0);
  return v.map((x) => x / z);
}

/** A family of seeded shapes: dense, sparse, reducible with absorbing states, periodic. */
function shapes(seed: string): { name: string; P: Dense }[] {
  const rand = seeded(seed);
  return [
    { name: "dense 7", P: randomChain(rand, { n: 7, perRow: 7 }) },
    { name: "sparse irreducible 25", P: randomChain(rand, { n: 25, perRow: 1, cycle: true }) },
    { name: "reducible 30 with 3 absorbing", P: randomChain(rand, { n: 30, perRow: 2, absorbing: 3 }) },
    { name: "periodic 3×4 + 6 transient", P: randomPeriodicChain(rand, 3, 4, 6) },
    { name: "one state", P: [[1]] },
  ];
}

describe("storage", () => {
  it("fromDense → toDense is the identity, get() reads entries, nnz counts non-zeros", () => {
    for (const { P } of shapes("storage")) {
      const T = SparseStochasticMatrix.fromDense(P);
      expect(T.toDense()).toEqual(P);
      const n = P.length;
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(T.get(i, j)).toBe(P[i][j]);
      expect(T.nnz).toBe(P.flat().filter((x) => x !== 0).length);
    }
  });

  it("denseBlock is the sub-matrix on the listed states, in the listed order", () => {
    const rand = seeded("block");
    const P = randomChain(rand, { n: 12, perRow: 4 });
    const T = SparseStochasticMatrix.fromDense(P);
    const states = [7, 2, 11, 5];
    const block = T.denseBlock(states);
    states.forEach((i, a) => states.forEach((j, b) => expect(block[a * 4 + b]).toBe(P[i][j])));
  });

  it("accepts rows that sum to 1 within 1e-9 and stores them as given", () => {
    const T = SparseStochasticMatrix.fromDense([[0.5, 0.5 + 5e-10], [0, 1]]);
    expect(T.get(0, 1)).toBe(0.5 + 5e-10);
  });

  it("a CSR matrix built by hand equals its dense form", () => {
    // 0 → {1: 0.25, 2: 0.75}; 1 → {1: 1}; 2 → {0: 1}
    const T = new SparseStochasticMatrix(3, Int32Array.of(0, 2, 3, 4), Int32Array.of(1, 2, 1, 0), Float64Array.of(0.25, 0.75, 1, 1));
    expect(T.toDense()).toEqual([[0, 0.25, 0.75], [0, 1, 0], [1, 0, 0]]);
  });
});

describe("distributions and powers against dense products", () => {
  for (const { name, P } of shapes("powers")) {
    it(`${name}: step, evolve and power agree with dense products; rows of T^n sum to 1`, () => {
      const rand = seeded(`powers-${name}`);
      const chain = MarkovChain.fromDense(P);
      const n = P.length;
      for (const steps of [0, 1, 2, 5, 13]) {
        const Pn = matPow(P, steps);
        const power = chain.power(steps);
        expectMatrixClose(power, Pn, 1e-13, `T^${steps}`);
        for (const row of power) expect(Math.abs(row.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-13);
        const pi = randomDistribution(rand, n, true);
        expectClose(chain.evolve(pi, steps), vecMat(pi, Pn), 1e-13, 0, `π T^${steps}`);
      }
      const pi = randomDistribution(rand, n);
      expectClose(chain.step(pi), vecMat(pi, P), 1e-15, 0, "πT");
      // The output buffer is overwritten, not accumulated into.
      const out = new Float64Array(n).fill(7);
      expectClose(chain.T.step(pi, out), vecMat(pi, P), 1e-15, 0, "πT into a buffer");
    });
  }
});

describe("Chapman–Kolmogorov", () => {
  it("T^(m+n) = T^m T^n and evolve(π, m+n) = evolve(evolve(π, m), n) on random chains", () => {
    const rand = seeded("chapman");
    for (let trial = 0; trial < 12; trial++) {
      const n = 2 + randInt(rand, 30);
      const P = trial % 3 === 2 ? randomPeriodicChain(rand, 2 + randInt(rand, 3), 1 + randInt(rand, 4), randInt(rand, 5)) : randomChain(rand, { n, perRow: 1 + randInt(rand, 3), absorbing: randInt(rand, 3) });
      const chain = MarkovChain.fromDense(P);
      const m = randInt(rand, 8), k = randInt(rand, 8);
      expectMatrixClose(chain.power(m + k), matMul(chain.power(m), chain.power(k)), 1e-13, `trial ${trial}`);
      const pi = randomDistribution(rand, P.length, true);
      expectClose(chain.evolve(pi, m + k), chain.evolve(chain.evolve(pi, m), k), 1e-13, 0, `trial ${trial} evolve`);
    }
  });

  it("mass is conserved over long runs (1000 steps, total within 1e-12)", () => {
    const rand = seeded("mass");
    const P = randomChain(rand, { n: 200, perRow: 3, absorbing: 5 });
    const pi = randomDistribution(rand, 200);
    const end = MarkovChain.fromDense(P).evolve(pi, 1000);
    expect(Math.abs(end.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-12);
    expect(end.every((x) => x >= 0)).toBe(true);
  });
});
