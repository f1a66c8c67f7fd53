/**
 * 5.1 — the absorbing states of a chain.
 *
 * A state s is absorbing when the chain never leaves it: T[s][s] = 1 (so every other entry of row s is
 * 0). States are numbered from 0, as rows are.
 *
 *     absorbingStates([[0.5, 0.5, 0], [0, 1, 0], [0, 0, 1]]);   // [1, 2]
 */
export function absorbingStates(T: number[][]): number[] {
  const out: number[] = [];
  for (let s = 0; s < T.length; s++) if (T[s][s] === 1) out.push(s);
  return out;
}
