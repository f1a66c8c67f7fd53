/**
 * 5.2 — the greedy trajectory from a state: how long before it cycles, and the cycle's length.
 *
 * Greedy decoding (temperature 0) always moves to the most likely next state, the first one on ties.
 * That is a map on a finite set, so the trajectory must revisit a state within n steps; from the first
 * repeat on it cycles. Remembering the step at which each state was first seen gives both numbers at
 * the first repeat: the transient is when the repeated state was first seen, the period the gap.
 *
 *     greedyTrajectory([[0, 1, 0], [0, 0, 1], [0, 1, 0]], 0);   // { transient: 1, period: 2 }
 */
export function greedyTrajectory(T: number[][], start: number): { transient: number; period: number } {
  const next = (s: number) => {
    let best = 0;
    for (let j = 1; j < T[s].length; j++) if (T[s][j] > T[s][best]) best = j;
    return best;
  };
  const firstSeen = new Map<number, number>();
  let s = start;
  for (let step = 0; !firstSeen.has(s); step++) {
    firstSeen.set(s, step);
    s = next(s);
  }
  const transient = firstSeen.get(s)!;
  return { transient, period: firstSeen.size - transient };
}
