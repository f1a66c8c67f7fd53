/**
 * First passage into a set of states, exactly and by seeded simulation (Remarks 5 and 6).
 *
 * For a start state (or distribution) and a target set, τ = min{ n ≥ 0 : X_n ∈ target }.
 * `firstPassageCdf` gives P(τ ≤ n) for n = 0 … horizon by evolving the distribution with the target
 * made absorbing (mass that arrives is counted once and removed). `simulateFirstPassage` draws τ for
 * many runs from one seeded generator, as `simulateEndpoints` does, so the same seed gives the same
 * times on every machine; a run that has not entered the target after `maxSteps` steps reports -1.
 * The two are meant to be set side by side: the exact curve is what the simulated frequencies
 * estimate.
 *
 *     const T = SparseStochasticMatrix.fromDense([[0.5, 0.5], [0, 1]]);
 *     firstPassageCdf(T, 0, [1], 3);                      // Float64Array [0, 0.5, 0.75, 0.875]
 *     simulateFirstPassage(T, 0, [1], 1000, 100, "seed");  // Int32Array of 1000 times, mean ≈ 2
 */
import { rng, sampleNext } from "./simulate";
import { checkSparseMatrix, type SparseStochasticMatrix } from "./sparse";
import { checkDistribution, checkInteger, describe } from "./validate";

/** The target as a 0/1 mask over the n states: from a list of states or from a mask of length n. */
function targetMask(n: number, target: ArrayLike<number> | Uint8Array, argName: string): Uint8Array {
  if (target === null || typeof target !== "object" || typeof (target as ArrayLike<number>).length !== "number") {
    throw new TypeError(`${argName} must be a list of states or a Uint8Array mask of length ${n}; got ${describe(target)}`);
  }
  if (target instanceof Uint8Array && target.length === n) {
    for (let i = 0; i < n; i++) {
      if (target[i] > 1) throw new RangeError(`${argName} as a mask must hold only 0 and 1; got ${target[i]} at state ${i}`);
    }
    return target;
  }
  const mask = new Uint8Array(n);
  for (let a = 0; a < target.length; a++) mask[checkInteger(`${argName}[${a}]`, target[a], 0, n - 1)] = 1;
  return mask;
}

/**
 * P(τ ≤ n) for n = 0 … horizon, where τ is the first step at which the chain started from `start`
 * (a state index or a distribution over the states) is in `target`.
 */
export function firstPassageCdf(
  T: SparseStochasticMatrix,
  start: number | ArrayLike<number>,
  target: ArrayLike<number> | Uint8Array,
  horizon: number,
): Float64Array {
  checkSparseMatrix("T", T, "SparseStochasticMatrix.fromDense(rows), or chain.T");
  const n = T.n;
  checkInteger("horizon", horizon, 0);
  const isTarget = targetMask(n, target, "target");
  let pi: Float64Array<ArrayBufferLike>;
  if (typeof start === "number") {
    pi = new Float64Array(n);
    pi[checkInteger("start", start, 0, n - 1)] = 1;
  } else {
    pi = Float64Array.from(checkDistribution("start", start, n));
  }
  let next: Float64Array<ArrayBufferLike> = new Float64Array(n);
  const cdf = new Float64Array(horizon + 1);
  let arrived = 0;
  // Mass is removed from the target as it arrives, so each path is counted at its first visit only.
  const collect = (dist: Float64Array<ArrayBufferLike>) => {
    for (let i = 0; i < n; i++) {
      if (isTarget[i] && dist[i] !== 0) {
        arrived += dist[i];
        dist[i] = 0;
      }
    }
  };
  collect(pi);
  cdf[0] = arrived;
  for (let step = 1; step <= horizon; step++) {
    T.step(pi, next);
    [pi, next] = [next, pi];
    collect(pi);
    cdf[step] = Math.min(1, arrived);
  }
  return cdf;
}

/**
 * The first-passage time into `target` of `runs` independent runs from `start`, each followed for at
 * most `maxSteps` steps (-1 when the target was not reached). One generator seeded by `seed` serves
 * every run, in order.
 */
export function simulateFirstPassage(
  T: SparseStochasticMatrix,
  start: number,
  target: ArrayLike<number> | Uint8Array,
  runs: number,
  maxSteps: number,
  seed: string | number,
): Int32Array {
  checkSparseMatrix("T", T, "SparseStochasticMatrix.fromDense(rows), or chain.T");
  const n = T.n;
  checkInteger("start", start, 0, n - 1);
  const isTarget = targetMask(n, target, "target");
  checkInteger("runs", runs, 1);
  checkInteger("maxSteps", maxSteps, 0, 2 ** 31 - 1);
  const random = rng(seed);
  const out = new Int32Array(runs);
  for (let r = 0; r < runs; r++) {
    let s = start, step = 0;
    while (!isTarget[s] && step < maxSteps) {
      s = sampleNext(T, s, random());
      step++;
    }
    out[r] = isTarget[s] ? step : -1;
  }
  return out;
}
