/**
 * 5.3 — the closed sets of a chain: its minimal absorbing sets.
 *
 * A set is closed when no transition leaves it. The minimal closed sets are the closed communicating
 * classes: the states s whose every reachable state can reach s back; each such s and everything it
 * reaches form one class. A search from every state gives what each state reaches (n searches of an
 * n-state graph: fine for the small matrices here).
 *
 *     closedSets([[0.5, 0.5, 0], [0, 0, 1], [0, 1, 0]]);   // [[1, 2]]
 */
export function closedSets(T: number[][]): number[][] {
  const n = T.length;
  const reach = T.map((_, s) => {
    const seen = new Array<boolean>(n).fill(false);
    const stack = [s];
    seen[s] = true;
    while (stack.length > 0) {
      const u = stack.pop()!;
      for (let v = 0; v < n; v++) if (T[u][v] > 0 && !seen[v]) {
        seen[v] = true;
        stack.push(v);
      }
    }
    return seen;
  });
  const sets: number[][] = [];
  const done = new Array<boolean>(n).fill(false);
  for (let s = 0; s < n; s++) {
    if (done[s]) continue;
    const members = reach[s].flatMap((r, t) => (r ? [t] : []));
    // Closed and communicating: everything s reaches reaches s back.
    if (members.every((t) => reach[t][s])) {
      sets.push(members);
      for (const t of members) done[t] = true;
    }
  }
  return sets;
}
