/**
 * The class decomposition and the solvers built on it run without recursion: chains whose
 * depth-first search goes millions of states deep must not overflow the call stack (a recursive
 * Tarjan dies after ~10^4 levels in Node). Answers are checked against closed forms.
 *
 *     npx vitest run test/lib/deep-scc.test.ts
 */
import { describe, expect, it } from "vitest";
import { MarkovChain, SparseStochasticMatrix } from "../../src/index";

/** State i → i + 1 with probability 1 (and i → 0 with `back` if given); the last state is absorbing. */
function path(n: number, back = 0): SparseStochasticMatrix {
  const perRow = back > 0 ? 2 : 1;
  const rowStart = new Int32Array(n + 1);
  const col = new Int32Array(perRow * (n - 1) + 1);
  const value = new Float64Array(col.length);
  let e = 0;
  for (let i = 0; i < n - 1; i++) {
    if (back > 0) {
      col[e] = 0;
      value[e++] = back;
    }
    col[e] = i + 1;
    value[e++] = 1 - back;
    rowStart[i + 1] = e;
  }
  col[e] = n - 1;
  value[e++] = 1;
  rowStart[n] = e;
  return new SparseStochasticMatrix(n, rowStart, col, value);
}

/** The cycle 0 → 1 → … → n − 1 → 0. */
function cycle(n: number): SparseStochasticMatrix {
  const rowStart = Int32Array.from({ length: n + 1 }, (_, i) => i);
  const col = Int32Array.from({ length: n }, (_, i) => (i + 1) % n);
  return new SparseStochasticMatrix(n, rowStart, col, new Float64Array(n).fill(1));
}

describe("millions of states along one path", () => {
  it("2,000,000 states i → i + 1: every state its own class, only the last closed; absorption after n − 1 − i steps", () => {
    const n = 2_000_000;
    const chain = new MarkovChain(path(n));
    expect(chain.classes.count).toBe(n);
    expect(chain.closedClasses).toEqual([[n - 1]]);
    expect(chain.transientStates.length).toBe(n - 1);
    const t = chain.expectedAbsorptionTimes;
    for (const i of [0, 1, 12345, n - 2, n - 1]) expect(t[i]).toBe(n - 1 - i);
    expect(chain.secondLargestModulus).toBe(0);
  });

  it("1,000,000 states i → i + 1 with a way back to 0: one transient class a million deep", () => {
    // From every state but the last: to 0 with 1/2, on with 1/2. The states 0 … n − 2 form one class.
    const n = 1_000_000;
    const chain = new MarkovChain(path(n, 0.5));
    expect(chain.classes.count).toBe(2);
    expect(chain.closedClasses).toEqual([[n - 1]]);
    expect(chain.absorptionProbabilities[0][0]).toBe(1);
  });
});

describe("a cycle of 1,000,000 states", () => {
  it("is one closed class of period 1,000,000 with the uniform stationary distribution", () => {
    const n = 1_000_000;
    const chain = new MarkovChain(cycle(n));
    expect(chain.classes.count).toBe(1);
    const { period, cyclicClasses } = chain.periodOf(0);
    expect(period).toBe(n);
    expect(cyclicClasses.length).toBe(n);
    expect(cyclicClasses[12345]).toEqual([12345]);
    const [pi] = chain.stationaryDistributions;
    // all equal, and 1/n up to the rounding of a million-term sum (n·ε ≈ 1e-10 relative)
    expect(pi.every((x) => x === pi[0])).toBe(true);
    expect(Math.abs(pi[0] * n - 1)).toBeLessThan(n * Number.EPSILON);
  });
});
