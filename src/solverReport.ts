/**
 * What the library's linear-algebra answers rest on: the options that choose a solver for each block
 * of a chain, and the report that says which one ran and what guarantees its answer.
 *
 * Every stationary distribution, hitting probability and expected time is computed block by block
 * (closed classes for π, classes of undetermined states for the first-step equations), by the first
 * of these that applies:
 *
 * 1. **dense elimination** (blocks up to `denseLimit` states): GTH, or its linear-system form
 *    `mMatrixSolve`; subtraction-free, so every entry has small relative error whatever the
 *    conditioning (O'Cinneide 1993). Direct: no stopping rule.
 * 2. **sparse elimination** (larger blocks): the same elimination on the sparse block in a
 *    fill-reducing order, finished densely once the remainder fills in (src/elimination.ts). Same
 *    guarantee. Gives up when fill or work would exceed `fillBudget` / `workBudget`.
 * 3. **certified iteration**: power iteration (π) or Gauss–Seidel (systems) followed by a proof of an
 *    error bound that does not trust the residual alone (src/certified.ts); the bound is reported in
 *    `errorBound` and must be at most `tolerance`.
 *
 * If none applies the call throws a RangeError naming the block's size and what to change: a wrong
 * answer is never returned silently.
 *
 *     const report: SolveReport = newSolveReport();
 *     hittingProbabilities(T, classes, [0], {}, report);
 *     report.errorBound;   // 0 when every block was solved directly
 */
import { CertificationError, DEFAULT_CERTIFIED_TOLERANCE, DEFAULT_ITERATIVE_WORK, type IterativeOptions, certifiedSolve, certifiedStationary } from "./certified";
import { DEFAULT_DENSE_SWITCH, DEFAULT_FILL_BUDGET, DEFAULT_WORK_BUDGET, type EliminationOptions, type SparseBlock, sparseEliminate } from "./elimination";
import { checkInteger, describe } from "./validate";

export interface SolverOptions extends EliminationOptions {
  /** Largest block solved by dense elimination (O(m³) time, 8m² bytes). */
  denseLimit?: number;
  /** Largest certified error accepted from an iterative solve. */
  tolerance?: number;
  /** Work budget of an iterative solve (multiply-adds). */
  iterativeWork?: number;
}

export const DENSE_LIMIT = 2500;

export type SolveMethod = "dense elimination" | "sparse elimination" | "certified iteration";

export interface BlockSolve {
  /** States in the block. */
  states: number;
  method: SolveMethod;
  /** Proven bound on the error (L1 for π, max-norm for systems); only for certified iteration. */
  errorBound?: number;
  /** Entries stored at the peak of a sparse elimination. */
  peakEntries?: number;
}

export interface SolveReport {
  /** Blocks above the dense limit, with the method that solved each. */
  blocks: BlockSolve[];
  /**
   * Proven bound on the error of every returned entry coming from iteration (L1 for a distribution,
   * absolute max-norm for a vector of probabilities or times); 0 when every block was solved directly.
   */
  errorBound: number;
}

export const newSolveReport = (): SolveReport => ({ blocks: [], errorBound: 0 });

export interface ResolvedSolverOptions {
  denseLimit: number;
  elimination: Required<EliminationOptions>;
  iterative: Required<IterativeOptions>;
}

/** Validates solver options (naming the bad one) and fills in the defaults. */
export function resolveSolverOptions(options: SolverOptions | undefined, argName = "solver options"): ResolvedSolverOptions {
  if (options !== undefined && (options === null || typeof options !== "object")) throw new TypeError(`${argName} must be an object; got ${describe(options)}`);
  const o = options ?? {};
  const positive = (name: keyof SolverOptions, fallback: number) => {
    const v = o[name];
    if (v === undefined) return fallback;
    if (typeof v !== "number" || !(v > 0)) throw new RangeError(`${argName}.${name} must be a number > 0; got ${describe(v)}`);
    return v;
  };
  return {
    denseLimit: o.denseLimit === undefined ? DENSE_LIMIT : checkInteger(`${argName}.denseLimit`, o.denseLimit, 1),
    elimination: {
      fillBudget: positive("fillBudget", DEFAULT_FILL_BUDGET),
      workBudget: positive("workBudget", DEFAULT_WORK_BUDGET),
      denseSwitch: o.denseSwitch === undefined ? DEFAULT_DENSE_SWITCH : checkInteger(`${argName}.denseSwitch`, o.denseSwitch, 1),
    },
    iterative: { tolerance: positive("tolerance", DEFAULT_CERTIFIED_TOLERANCE), workBudget: positive("iterativeWork", DEFAULT_ITERATIVE_WORK) },
  };
}

/** The advice appended to every "cannot solve" error. */
export function adviceFor(m: number, resolved: ResolvedSolverOptions): string {
  return (
    `What to do: give the solver more room — options { fillBudget } above ${resolved.elimination.fillBudget} (≈ 24 bytes per entry) ` +
    `and { workBudget } above ${resolved.elimination.workBudget} let sparse elimination finish the ${m}-state block exactly; ` +
    `{ iterativeWork } above ${resolved.iterative.workBudget} or a looser { tolerance } than ${resolved.iterative.tolerance} help the certified iteration ` +
    `(pass them as new MarkovChain(T, { solver: {...} })); or make the block smaller (a prompt, a smaller window or vocabulary).`
  );
}

/** Work allowed to a first, quick attempt at eliminating a block too large for a dense tail. */
export const QUICK_ELIMINATION_WORK = 3e8;

/**
 * Solves a block above the dense limit: `stationary` (closed irreducible block, exit 0) or `solve`
 * ((D − Q)x = b on a transient block). Blocks that fit a dense tail are eliminated outright. Larger
 * ones get a quick elimination attempt (most sparse structures — cycles, paths, trees, banded or
 * planar blocks — finish in it), then certified iteration (fast when the block mixes or drains
 * fast), then elimination with the full budget; if all fail, a RangeError explains the block and the
 * options to change. `what` names the computation in that error.
 */
export function solveBigBlock(block: SparseBlock, mode: "stationary" | "solve", resolved: ResolvedSolverOptions, what: string): { x: Float64Array; solve: BlockSolve } {
  const m = block.m;
  const full = resolved.elimination;
  const quick = m <= full.denseSwitch ? full : { ...full, workBudget: Math.min(full.workBudget, QUICK_ELIMINATION_WORK) };
  let direct = sparseEliminate(block, mode, quick);
  if (direct) return { x: direct.x, solve: { states: m, method: "sparse elimination", peakEntries: direct.peakEntries } };
  let failure: CertificationError;
  try {
    if (mode === "stationary") {
      const r = certifiedStationary(block, resolved.iterative);
      return { x: r.pi, solve: { states: m, method: "certified iteration", errorBound: r.errorBound } };
    }
    const r = certifiedSolve(block, resolved.iterative);
    return { x: r.x, solve: { states: m, method: "certified iteration", errorBound: r.errorBound } };
  } catch (err) {
    if (!(err instanceof CertificationError)) throw err;
    failure = err;
  }
  if (quick !== full) {
    direct = sparseEliminate(block, mode, full);
    if (direct) return { x: direct.x, solve: { states: m, method: "sparse elimination", peakEntries: direct.peakEntries } };
  }
  throw new RangeError(
    `${what}: a block of ${m} states is beyond sparse elimination's budget (fill ${full.fillBudget} entries, work ${full.workBudget}), ` +
    `and ${failure.message}. ${adviceFor(m, resolved)}`,
  );
}
