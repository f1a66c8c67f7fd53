/**
 * 4.3 — the distribution after n steps, π_n = π_0 Tⁿ.
 *
 * Distributions are row vectors, and one step is π ← πT: the new mass of state j is Σ_i π(i) T[i][j],
 * the mass that flows into j. Repeating it n times needs only vector–matrix products, never Tⁿ.
 *
 *     distributionAfter([[0.5, 0.5], [0, 1]], [1, 0], 2);   // [0.25, 0.75]
 */
import { checkInteger } from "llm-dynamics";

export function distributionAfter(T: number[][], start: number[], n: number): number[] {
  checkInteger("n", n, 0);
  let pi = start.slice();
  for (let step = 0; step < n; step++) {
    const next = new Array<number>(pi.length).fill(0);
    for (let i = 0; i < pi.length; i++) {
      if (pi[i] === 0) continue;
      for (let j = 0; j < next.length; j++) next[j] += pi[i] * T[i][j];
    }
    pi = next;
  }
  return pi;
}
