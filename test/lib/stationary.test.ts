/**
 * Stationary distributions: the accuracy case that motivates GTH (and a plain eigen-solver, mathjs
 * `eigs`, failing on it), properties on seeded random chains checked against a dense linear solve
 * written in the test, and the large-class route (sparse elimination above GTH_LIMIT) against the
 * closed form for a random walk on a weighted graph, π_i ∝ the weight at i.
 *
 *     npx vitest run test/lib/stationary.test.ts
 */
import { eigs, transpose } from "mathjs";
import { describe, expect, it } from "vitest";
import { GTH_LIMIT, MarkovChain, SparseStochasticMatrix, gth } from "../../src/index";
import { type Dense, denseSolve, expectClose, randInt, randomChain, randomPeriodicChain, seeded, shuffle, vecMat } from "./support";

describe("the accuracy case [[1−(p+e), p, e], [p, 1−(p+e), e], [e, e, 1−2e]], p = 0.5, e = 1e-16", () => {
  const p = 0.5, e = 1e-16;
  const T = [[1 - (p + e), p, e], [p, 1 - (p + e), e], [e, e, 1 - 2 * e]];

  it("GTH gives (1/3, 1/3, 1/3) to full relative accuracy", () => {
    // The chain is doubly stochastic in exact arithmetic, so the answer is uniform, however small e.
    const [pi] = MarkovChain.fromDense(T).stationaryDistributions;
    for (const x of pi) expect(Math.abs(x - 1 / 3) / (1 / 3)).toBeLessThanOrEqual(4 * Number.EPSILON);
    for (const x of gth(T)) expect(Math.abs(x - 1 / 3) / (1 / 3)).toBeLessThanOrEqual(4 * Number.EPSILON);
  });

  it("mathjs eigs, a plain eigen-solver, does not find it (why the library uses GTH)", () => {
    // In floating point 1 − (p + e) rounds to 0.5: the eigen-solver sees a double eigenvalue 1 with
    // the eigenvectors (0, 0, 1) and (1, 1, 0)/√2, and no uniform vector among them.
    let wrong = true;
    try {
      const { eigenvectors } = eigs(transpose(T));
      const candidates = eigenvectors.filter((v) => Math.abs((v.value as number) - 1) < 1e-9);
      for (const { vector } of candidates) {
        const v = (vector as number[]).map(Number);
        const z = v.reduce((a, b) => a + b, 0);
        if (v.every((x) => Math.abs(x / z - 1 / 3) < 1e-6)) wrong = false;
      }
    } catch {
      wrong = true; // failing outright is the other way to get it wrong
    }
    expect(wrong).toBe(true);
  });
});

/** π on a closed class by a dense solve of π(I − T_CC) = 0 with Σπ = 1 (one equation replaced). */
function denseStationary(P: Dense, members: number[]): number[] {
  const m = members.length;
  const A = members.map((_, r) => members.map((__, c) => (r === c ? 1 : 0) - P[members[c]][members[r]]));
  A[m - 1] = new Array<number>(m).fill(1);
  const b = new Array<number>(m).fill(0);
  b[m - 1] = 1;
  const x = denseSolve(A, b);
  const pi = new Array<number>(P.length).fill(0);
  members.forEach((s, a) => (pi[s] = x[a]));
  return pi;
}

describe("random chains", () => {
  const rand = seeded("stationary");
  const shapes: Dense[] = [];
  for (let t = 0; t < 30; t++) {
    const n = 1 + randInt(rand, 50);
    shapes.push(t % 3 === 0 ? randomPeriodicChain(rand, 1 + randInt(rand, 4), 1 + randInt(rand, 5), randInt(rand, 6)) : randomChain(rand, { n, perRow: 1 + randInt(rand, 3), absorbing: randInt(rand, 3) }));
  }

  it("one distribution per closed class, supported exactly on it, with πT = π", () => {
    for (const P of shapes) {
      const chain = MarkovChain.fromDense(P);
      const closed = chain.closedClasses;
      const dists = chain.stationaryDistributions;
      expect(dists.length).toBe(closed.length);
      dists.forEach((pi, k) => {
        const support = Array.from(pi).flatMap((x, i) => (x > 0 ? [i] : []));
        expect(support).toEqual(closed[k]);
        expect(pi.every((x) => x >= 0)).toBe(true);
        expect(Math.abs(pi.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-14);
        expectClose(vecMat(pi, P), Array.from(pi), 1e-15, 1e-13, "πT");
      });
    }
  });

  it("agrees with a dense linear solve on each closed class", () => {
    for (const P of shapes) {
      const chain = MarkovChain.fromDense(P);
      chain.closedClasses.forEach((cl, k) => expectClose(chain.stationaryDistributions[k], denseStationary(P, cl), 1e-12, 0, `class ${cl}`));
    }
  });

  it("on a periodic class, π is the long-run average of π_0 T^n (not a limit)", () => {
    // Cesàro averages converge for periodic chains too: mean of π_0 T^n over n < N, N = 6000.
    const P = randomPeriodicChain(seeded("cesaro"), 3, 3, 0);
    const chain = MarkovChain.fromDense(P);
    let v = new Array<number>(9).fill(0);
    v[0] = 1;
    const avg = new Array<number>(9).fill(0);
    const N = 6000;
    for (let s = 0; s < N; s++) {
      v.forEach((x, i) => (avg[i] += x / N));
      v = vecMat(v, P);
    }
    expectClose(chain.stationaryDistributions[0], avg, 1e-3, 0, "Cesàro average");
  });
});

describe(`classes above GTH_LIMIT = ${GTH_LIMIT} states`, () => {
  it("a random walk on a weighted graph of 3000 states has π_i = w_i / Σw (sparse elimination route)", () => {
    const rand = seeded("weighted-graph");
    const n = 3000;
    const w = new Map<string, number>();
    const key = (i: number, j: number) => (i < j ? `${i},${j}` : `${j},${i}`);
    const order = shuffle(rand, [...Array(n).keys()]);
    // a Hamiltonian cycle keeps it connected; random chords make it mix fast; self-loops make it aperiodic
    for (let a = 0; a < n; a++) w.set(key(order[a], order[(a + 1) % n]), 0.5 + rand());
    for (let c = 0; c < 3 * n; c++) {
      const i = randInt(rand, n), j = randInt(rand, n);
      w.set(key(i, j), (w.get(key(i, j)) ?? 0) + 0.5 + rand());
    }
    const nbrs: Map<number, number>[] = Array.from({ length: n }, () => new Map());
    for (const [k, x] of w) {
      const [i, j] = k.split(",").map(Number);
      nbrs[i].set(j, (nbrs[i].get(j) ?? 0) + x);
      if (i !== j) nbrs[j].set(i, (nbrs[j].get(i) ?? 0) + x);
    }
    const weight = nbrs.map((m) => [...m.values()].reduce((a, b) => a + b, 0));
    const rowStart = new Int32Array(n + 1), col: number[] = [], val: number[] = [];
    nbrs.forEach((m, i) => {
      for (const [j, x] of [...m].sort((a, b) => a[0] - b[0])) {
        col.push(j);
        val.push(x / weight[i]);
      }
      rowStart[i + 1] = col.length;
    });
    const chain = new MarkovChain(new SparseStochasticMatrix(n, rowStart, Int32Array.from(col), Float64Array.from(val)));
    expect(chain.closedClasses.length).toBe(1);
    expect(chain.closedClasses[0].length).toBeGreaterThan(GTH_LIMIT);
    const total = weight.reduce((a, b) => a + b, 0);
    expectClose(chain.stationaryDistributions[0], weight.map((x) => x / total), 0, 1e-9, "π vs w / Σw");
  });
});
