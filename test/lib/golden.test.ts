/**
 * The library against golden fixtures computed by two independent implementations: numpy/scipy
 * (test/fixtures/golden/make_golden.py) and R markovchain (make_golden.R), on the same seeded
 * random matrices — irreducible, periodic, reducible with transient classes, nearly decomposable.
 * Regenerate with `/usr/bin/python3 test/fixtures/golden/make_golden.py && Rscript
 * test/fixtures/golden/make_golden.R`; CI only reads the committed JSON.
 *
 *     npx vitest run test/lib/golden.test.ts
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MarkovChain } from "../../src/index";
import { type Dense, expectClose, expectSameSpectrum, sortClasses, vecMat } from "./support";

interface ScipyCase {
  name: string;
  n: number;
  matrix: Dense;
  communicatingClasses: number[][];
  closedClasses: number[][];
  periods: { members: number[]; period: number; cyclicClasses: number[][] }[];
  stationary: number[][];
  absorptionProbabilities: number[][];
  expectedAbsorptionTimes: number[];
  target: number[];
  hittingProbabilities: number[];
  expectedHittingTimes: (number | null)[];
  eigenvalues: [number, number][];
  /** The same quantities in exact rational arithmetic, rounded once (see make_golden.py). */
  exact: {
    stationary: number[][];
    absorptionProbabilities: number[][];
    expectedAbsorptionTimes: number[];
    hittingProbabilities: number[];
    expectedHittingTimes: (number | null)[];
  };
}

interface RCase {
  name: string;
  communicatingClasses: number[][];
  recurrentClasses: number[][];
  transientStates: number[];
  steadyStates: number[][];
  hittingProbabilities: number[][];
  absorptionTransient?: number[];
  absorptionRecurrent?: number[];
  absorptionProbabilities?: number[][];
  meanAbsorptionTimeStates?: number[];
  meanAbsorptionTime?: number[];
  period?: number;
}

const dir = join(__dirname, "..", "fixtures", "golden");
const scipy = JSON.parse(readFileSync(join(dir, "golden-scipy.json"), "utf8")) as { cases: ScipyCase[] };
const R = JSON.parse(readFileSync(join(dir, "golden-markovchain.json"), "utf8")) as { cases: RCase[] };

/**
 * How closely the float references pin the answers down: their null-space, eigen and LU routes lose
 * about log10(1/coupling) digits where two blocks are coupled by 1e-9 (scipy and markovchain differ by
 * 6e-9 there). The exact rational values hold the library to ~1e-13 relative in every case.
 */
const floatTol = (name: string) => (name.startsWith("nearly-decomposable") ? 1e-7 : 1e-11);
const EXACT_RTOL = 1e-13;
const nullToInf = (v: (number | null)[]) => v.map((t) => (t === null ? Infinity : t));

function bySupport(got: Float64Array[], want: number[]): number[] {
  const match = got.find((g) => want.every((x, i) => (x > 0) === (g[i] > 0)));
  expect(match, `no stationary distribution with support ${want.map((x, i) => (x > 0 ? i : -1)).filter((i) => i >= 0)}`).toBeDefined();
  return Array.from(match!);
}

describe("golden fixtures", () => {
  it("cover the same matrices in both references", () => {
    expect(scipy.cases.length).toBeGreaterThanOrEqual(10);
    expect(R.cases.map((c) => c.name)).toEqual(scipy.cases.map((c) => c.name));
  });

  scipy.cases.forEach((g, index) => {
    const r = R.cases[index];
    describe(g.name, () => {
      const chain = MarkovChain.fromDense(g.matrix);

      it("communicating, closed and transient classes (scipy connected_components; markovchain)", () => {
        expect(sortClasses(chain.communicatingClasses)).toEqual(sortClasses(g.communicatingClasses));
        expect(sortClasses(chain.communicatingClasses)).toEqual(sortClasses(r.communicatingClasses));
        expect(sortClasses(chain.closedClasses)).toEqual(sortClasses(g.closedClasses));
        expect(sortClasses(chain.closedClasses)).toEqual(sortClasses(r.recurrentClasses));
        expect(chain.transientStates).toEqual([...r.transientStates].sort((a, b) => a - b));
        expect(chain.isIrreducible).toBe(g.communicatingClasses.length === 1);
      });

      it("period and cyclic classes of every class (boolean matrix powers; markovchain period)", () => {
        for (const p of g.periods) {
          const got = chain.periodOf(p.members[0]);
          expect(got.period, `class ${p.members}`).toBe(p.period);
          expect(sortClasses(got.cyclicClasses)).toEqual(sortClasses(p.cyclicClasses));
        }
        if (r.period !== undefined) expect(chain.periodOf(0).period).toBe(r.period);
      });

      it("stationary distributions (scipy null space; markovchain steadyStates) and πT = π", () => {
        const got = chain.stationaryDistributions;
        expect(got.length).toBe(g.stationary.length);
        expect(got.length).toBe(r.steadyStates.length);
        for (const want of g.stationary) expectClose(bySupport(got, want), want, floatTol(g.name), 0, "vs scipy");
        for (const want of r.steadyStates) expectClose(bySupport(got, want), want, floatTol(g.name), 0, "vs markovchain");
        for (const want of g.exact.stationary) expectClose(bySupport(got, want), want, 1e-300, EXACT_RTOL, "vs exact");
        for (const pi of got) {
          expectClose(vecMat(pi, g.matrix), Array.from(pi), 1e-15, 0, "πT");
          expect(Math.abs(pi.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-14);
        }
      });

      it("absorption probabilities and times (fundamental matrix by numpy.linalg; markovchain)", () => {
        const closed = chain.closedClasses;
        closed.forEach((cl, k) => {
          const want = g.absorptionProbabilities[g.closedClasses.findIndex((c) => c[0] === cl[0])];
          expectClose(Array.from(chain.absorptionProbabilities[k]), want, floatTol(g.name), 0, `into class ${cl}`);
          const exact = g.exact.absorptionProbabilities[g.closedClasses.findIndex((c) => c[0] === cl[0])];
          expectClose(Array.from(chain.absorptionProbabilities[k]), exact, 1e-300, EXACT_RTOL, `exactly into class ${cl}`);
        });
        expectClose(Array.from(chain.expectedAbsorptionTimes), g.expectedAbsorptionTimes, 0, floatTol(g.name), "absorption times vs numpy");
        expectClose(Array.from(chain.expectedAbsorptionTimes), g.exact.expectedAbsorptionTimes, 0, EXACT_RTOL, "absorption times vs exact");
        if (r.absorptionProbabilities) {
          const rec = r.absorptionRecurrent!;
          closed.forEach((cl, k) => {
            const cols = cl.map((s) => rec.indexOf(s));
            const want = r.absorptionProbabilities!.map((row) => cols.reduce((s, c) => s + row[c], 0));
            const got = r.absorptionTransient!.map((i) => chain.absorptionProbabilities[k][i]);
            expectClose(got, want, floatTol(g.name), 0, `markovchain into class ${cl}`);
          });
          const times = r.meanAbsorptionTimeStates!.map((i) => chain.expectedAbsorptionTimes[i]);
          expectClose(times, r.meanAbsorptionTime!, 0, floatTol(g.name), "absorption times vs markovchain");
        }
      });

      it("hitting probabilities and expected hitting times of a random target (dense solve; exact)", () => {
        const p = Array.from(chain.hittingProbabilities(g.target));
        const t = Array.from(chain.expectedHittingTimes(g.target));
        expectClose(p, g.hittingProbabilities, floatTol(g.name), 0, "probabilities vs numpy");
        expectClose(t, nullToInf(g.expectedHittingTimes), 0, floatTol(g.name), "times vs numpy");
        expectClose(p, g.exact.hittingProbabilities, 1e-300, EXACT_RTOL, "probabilities vs exact");
        expectClose(t, nullToInf(g.exact.expectedHittingTimes), 0, EXACT_RTOL, "times vs exact");
      });

      it("f(i, j) = P(reach j in ≥ 1 steps from i) for every pair (markovchain hittingProbabilities)", () => {
        for (let j = 0; j < g.n; j++) {
          const h = chain.hittingProbabilities([j]);
          // Leaving j, the chain must come back: one step from j, then hit j.
          const col = Array.from(h, (x, i) => (i === j ? g.matrix[j].reduce((s, p, k) => s + p * h[k], 0) : x));
          expectClose(col, r.hittingProbabilities.map((row) => row[j]), floatTol(g.name), 0, `f(·, ${j})`);
        }
      });

      it("eigenvalues (numpy.linalg.eigvals of the whole permuted matrix)", () => {
        const want = g.eigenvalues.map(([re, im]) => ({ re, im }));
        // numpy's own error on repeated eigenvalues of defective blocks can reach ~ε^(1/2).
        expectSameSpectrum(chain.eigenvalues, want, 1e-7);
      });
    });
  });
});
