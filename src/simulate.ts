/**
 * Seeded simulation of trajectories.
 *
 * Randomness comes from `seedrandom` (the Alea generator), so a seed fixes every trajectory: the
 * same call gives the same pages on every machine, which keeps figures and grades reproducible.
 *
 *     simulate(T, 0, 100, "seed-1");   // Int32Array of 101 states, starting with 0
 */
import seedrandom from "seedrandom";
import type { SparseStochasticMatrix } from "./sparse";
import { checkInteger, describe } from "./validate";

export type Rng = () => number;

/** A seeded uniform [0, 1) generator. */
export function rng(seed: string | number): Rng {
  if (typeof seed !== "string" && typeof seed !== "number") throw new TypeError(`seed must be a string or a number; got ${describe(seed)}`);
  return seedrandom.alea(String(seed));
}

/** Samples a successor of state i from row i of T. */
export function sampleNext(T: SparseStochasticMatrix, i: number, u: number): number {
  const { rowStart, col, value } = T;
  const end = rowStart[i + 1];
  let acc = 0, last = -1;
  for (let e = rowStart[i]; e < end; e++) {
    if (value[e] <= 0) continue;
    acc += value[e];
    last = col[e];
    if (u < acc) return last;
  }
  return last; // u within rounding of the row sum
}

/** One trajectory of `steps` steps from `start`: steps + 1 states. */
export function simulate(T: SparseStochasticMatrix, start: number, steps: number, seed: string | number): Int32Array {
  checkInteger("start", start, 0, T.n - 1);
  checkInteger("steps", steps, 0);
  const random = rng(seed);
  const path = new Int32Array(steps + 1);
  path[0] = start;
  for (let s = 1; s <= steps; s++) path[s] = sampleNext(T, path[s - 1], random());
  return path;
}

/** The state after `steps` steps, for `runs` independent runs (one generator for all runs). */
export function simulateEndpoints(T: SparseStochasticMatrix, start: number, steps: number, runs: number, seed: string | number): Int32Array {
  checkInteger("start", start, 0, T.n - 1);
  checkInteger("steps", steps, 0);
  checkInteger("runs", runs, 1);
  const random = rng(seed);
  const out = new Int32Array(runs);
  for (let r = 0; r < runs; r++) {
    let s = start;
    for (let t = 0; t < steps; t++) s = sampleNext(T, s, random());
    out[r] = s;
  }
  return out;
}
