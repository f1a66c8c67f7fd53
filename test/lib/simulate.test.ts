/**
 * Seeded simulation against exact probabilities: the end states of N runs of n steps against the
 * row of T^n (dense powers computed in the test), and the transitions out of each state along one
 * long trajectory against the rows of T. Every frequency must lie within 5 standard errors,
 * 5·sqrt(p(1 − p)/N), of its probability (plus 1/N for rounding), and states of probability 0 must
 * never appear. Seeds make every run reproducible.
 *
 *     npx vitest run test/lib/simulate.test.ts
 */
import { describe, expect, it } from "vitest";
import { MarkovChain, simulate, simulateEndpoints } from "../../src/index";
import { type Dense, matPow, randomChain, randomPeriodicChain, seeded } from "./support";

function expectFrequencies(counts: number[], total: number, probs: number[], what: string): void {
  probs.forEach((p, j) => {
    const f = counts[j] / total;
    if (p === 0) {
      expect(counts[j], `${what}: state ${j} has probability 0`).toBe(0);
      return;
    }
    const tol = 5 * Math.sqrt((p * (1 - p)) / total) + 1 / total;
    expect(Math.abs(f - p), `${what}: state ${j}, frequency ${f} vs probability ${p} (tolerance ${tol})`).toBeLessThanOrEqual(tol);
  });
}

const shapes: { name: string; P: Dense }[] = [
  { name: "dense 5", P: randomChain(seeded("sim-dense"), { n: 5, perRow: 5 }) },
  { name: "sparse reducible 15", P: randomChain(seeded("sim-sparse"), { n: 15, perRow: 2, absorbing: 2 }) },
  { name: "periodic 3×2 + 3 transient", P: randomPeriodicChain(seeded("sim-periodic"), 3, 2, 3) },
];

describe("end states of many runs against the rows of T^n", () => {
  for (const { name, P } of shapes) {
    it(name, () => {
      const chain = MarkovChain.fromDense(P);
      const runs = 20_000;
      for (const [start, steps] of [[0, 1], [1, 4], [P.length - 1, 9]]) {
        const ends = simulateEndpoints(chain.T, start, steps, runs, `${name}-${start}-${steps}`);
        const counts = new Array<number>(P.length).fill(0);
        for (const s of ends) counts[s]++;
        expectFrequencies(counts, runs, matPow(P, steps)[start], `${name}, ${steps} steps from ${start}`);
      }
    });
  }
});

describe("one long trajectory", () => {
  it("the transitions out of each state follow its row of T", () => {
    const P = randomChain(seeded("sim-long"), { n: 8, perRow: 3, cycle: true });
    const path = simulate(MarkovChain.fromDense(P).T, 0, 200_000, "long");
    const counts = P.map(() => new Array<number>(P.length).fill(0));
    for (let s = 1; s < path.length; s++) counts[path[s - 1]][path[s]]++;
    counts.forEach((row, i) => {
      const total = row.reduce((a, b) => a + b, 0);
      expect(total, `state ${i} is visited`).toBeGreaterThan(1000);
      expectFrequencies(row, total, P[i], `from ${i}`);
    });
  });

  it("starts at the start, has steps + 1 states and only uses edges of T", () => {
    const P = randomChain(seeded("sim-edges"), { n: 30, perRow: 2, absorbing: 1 });
    const chain = MarkovChain.fromDense(P);
    const path = chain.simulate(4, 500, 7);
    expect(path.length).toBe(501);
    expect(path[0]).toBe(4);
    for (let s = 1; s < path.length; s++) expect(P[path[s - 1]][path[s]], `step ${s}`).toBeGreaterThan(0);
  });

  it("is fixed by its seed: the same seed repeats it, another seed changes it", () => {
    const chain = MarkovChain.fromDense(randomChain(seeded("sim-seed"), { n: 10, perRow: 3, cycle: true }));
    const a = chain.simulate(0, 300, "seed-a");
    expect(Array.from(chain.simulate(0, 300, "seed-a"))).toEqual(Array.from(a));
    expect(Array.from(chain.simulate(0, 300, "seed-b"))).not.toEqual(Array.from(a));
    expect(Array.from(simulateEndpoints(chain.T, 0, 5, 50, 42))).toEqual(Array.from(simulateEndpoints(chain.T, 0, 5, 50, "42")));
  });

  it("zero steps stay put; an absorbing state is never left", () => {
    const chain = MarkovChain.fromDense([[0.5, 0.5], [0, 1]]);
    expect(Array.from(chain.simulate(0, 0, "x"))).toEqual([0]);
    expect(Array.from(chain.simulate(1, 50, "x")).every((s) => s === 1)).toBe(true);
  });
});
