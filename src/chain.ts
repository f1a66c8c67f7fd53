/**
 * Finite Markov chains and their analysis (Remarks 4.E and 5).
 *
 * A chain is a validated sparse stochastic matrix T with distributions as row vectors
 * (`π_{n+1} = π_n T`). Its analyses — classes, closed classes, periods, stationary distributions,
 * hitting times, eigenvalues — are computed on first use and cached, since notebooks ask for the
 * same facts many times and a page chain can hold millions of states.
 *
 *     const chain = MarkovChain.fromDense([[0.9, 0.1], [0, 1]]);
 *     chain.closedClasses;             // [[1]]
 *     chain.absorbingStates;           // [1]
 *     chain.stationaryDistributions;   // [Float64Array [0, 1]]
 *     chain.expectedHittingTimes([1]); // Float64Array [10, 0]
 */
import { type ClassDecomposition, classPeriod, communicatingClasses } from "./classes";
import { type Complex, blockEigenvalues, largestModuli } from "./eigen";
import { expectedHittingTimes, hittingProbabilities } from "./hitting";
import { simulate } from "./simulate";
import { checkSparseMatrix, SparseStochasticMatrix } from "./sparse";
import { type BlockSolve, type SolveReport, type SolverOptions, newSolveReport, resolveSolverOptions } from "./solverReport";
import { classStationaryReport } from "./stationary";
import { checkInteger, describe } from "./validate";

export interface MarkovChainOptions {
  /** Limits and budgets of the linear-algebra solvers (see src/solverReport.ts). */
  solver?: SolverOptions;
}

export class MarkovChain {
  readonly T: SparseStochasticMatrix;
  readonly solverOptions: SolverOptions;
  private cache = new Map<string, unknown>();

  constructor(T: SparseStochasticMatrix, options: MarkovChainOptions = {}) {
    checkSparseMatrix("T", T, "use MarkovChain.fromDense for rows");
    if (options === null || typeof options !== "object") throw new TypeError(`options must be an object { solver }; got ${describe(options)}`);
    resolveSolverOptions(options.solver, "options.solver");
    this.T = T;
    this.solverOptions = { ...options.solver };
  }

  static fromDense(rows: readonly (readonly number[])[], argName = "matrix", options?: MarkovChainOptions): MarkovChain {
    return new MarkovChain(SparseStochasticMatrix.fromDense(rows, argName), options);
  }

  get n(): number {
    return this.T.n;
  }

  private cached<V>(key: string, compute: () => V): V {
    if (!this.cache.has(key)) this.cache.set(key, compute());
    return this.cache.get(key) as V;
  }

  /** The class decomposition (strongly connected components, sinks first). */
  get classes(): ClassDecomposition {
    return this.cached("classes", () => communicatingClasses(this.T));
  }

  /** Communicating classes as sorted lists of states. */
  get communicatingClasses(): number[][] {
    const c = this.classes;
    return this.cached("communicating", () => Array.from({ length: c.count }, (_, i) => Array.from(c.members(i))));
  }

  /** Closed classes: the minimal absorbing sets. */
  get closedClasses(): number[][] {
    const c = this.classes;
    return this.cached("closed", () => {
      const out: number[][] = [];
      for (const id of c.closedIds) out.push(Array.from(c.members(id)));
      return out;
    });
  }

  /** States i with T[i, i] = 1. */
  get absorbingStates(): number[] {
    return this.cached("absorbing", () => this.closedClasses.filter((cl) => cl.length === 1).map((cl) => cl[0]));
  }

  /** States outside every closed class. */
  get transientStates(): number[] {
    const c = this.classes;
    return this.cached("transient", () => {
      const out: number[] = [];
      for (let i = 0; i < this.n; i++) if (!c.closed[c.of[i]]) out.push(i);
      return out;
    });
  }

  get isIrreducible(): boolean {
    return this.classes.count === 1;
  }

  /** Period and cyclic classes of the class that holds `state`. */
  periodOf(state: number): { period: number; cyclicClasses: number[][] } {
    checkInteger("state", state, 0, this.n - 1);
    const c = this.classes;
    const id = c.of[state];
    return this.cached(`period:${id}`, () => classPeriod(this.T, c.members(id), c.of));
  }

  /** One stationary distribution per closed class (over all n states, zero outside the class). */
  get stationaryDistributions(): Float64Array[] {
    return this.stationaryWithReports.map((r) => r.pi);
  }

  /**
   * For each closed class, how its stationary distribution was computed: the method, and for an
   * iterative answer its proven bound on the L1 error (see src/solverReport.ts).
   */
  get stationaryReports(): BlockSolve[] {
    return this.stationaryWithReports.map((r) => r.solve);
  }

  private get stationaryWithReports(): { pi: Float64Array; solve: BlockSolve }[] {
    return this.cached("stationary", () =>
      this.closedClasses.map((members) => {
        const { pi: local, solve } = classStationaryReport(this.T, members, this.solverOptions);
        const pi = new Float64Array(this.n);
        members.forEach((s, a) => (pi[s] = local[a]));
        return { pi, solve };
      }),
    );
  }

  /**
   * P(ever reach the target set) from every state. The target is a list of states, or a mask: a
   * Uint8Array of length n with 1 on the target states.
   */
  hittingProbabilities(target: ArrayLike<number> | Uint8Array): Float64Array {
    return hittingProbabilities(this.T, this.classes, target, this.solverOptions);
  }

  /** Hitting probabilities with the report of how they were computed and their proven error bound. */
  hittingProbabilitiesReport(target: ArrayLike<number> | Uint8Array): { values: Float64Array; report: SolveReport } {
    const report = newSolveReport();
    return { values: hittingProbabilities(this.T, this.classes, target, this.solverOptions, report), report };
  }

  /**
   * Expected steps until the target set (a list of states, or a Uint8Array mask of length n) is first
   * reached, from every state; Infinity where reaching it is not certain.
   */
  expectedHittingTimes(target: ArrayLike<number> | Uint8Array): Float64Array {
    return expectedHittingTimes(this.T, this.classes, target, this.solverOptions);
  }

  /** Expected hitting times with the report of how they were computed and their proven error bound. */
  expectedHittingTimesReport(target: ArrayLike<number> | Uint8Array): { values: Float64Array; report: SolveReport } {
    const report = newSolveReport();
    return { values: expectedHittingTimes(this.T, this.classes, target, this.solverOptions, report), report };
  }

  /** `absorptionProbabilities[c][i]`: probability that the chain from i ends in closed class c. */
  get absorptionProbabilities(): Float64Array[] {
    return this.cached("absorption", () => this.closedClasses.map((members) => this.hittingProbabilities(members)));
  }

  /** Expected steps until the chain enters some closed class, from every state. */
  get expectedAbsorptionTimes(): Float64Array {
    return this.cached("absorptionTimes", () => this.expectedHittingTimes(this.closedClasses.flat()));
  }

  /** All eigenvalues with multiplicity, largest modulus first, from the block-triangular form. */
  get eigenvalues(): Complex[] {
    return this.cached("eigenvalues", () => blockEigenvalues(this.T, this.classes));
  }

  /** The second-largest eigenvalue modulus (moduli sorted descending, with multiplicity). */
  get secondLargestModulus(): number {
    return this.cached("slem", () => largestModuli(this.T, this.classes, 2)[1] ?? 0);
  }

  step(pi: ArrayLike<number>): Float64Array {
    return this.T.step(pi);
  }

  evolve(pi: ArrayLike<number>, steps: number): Float64Array {
    return this.T.evolve(pi, steps);
  }

  power(steps: number): number[][] {
    return this.T.power(steps);
  }

  simulate(start: number, steps: number, seed: string | number): Int32Array {
    return simulate(this.T, start, steps, seed);
  }
}
