/**
 * 5.4 — the expected number of steps until the chain is absorbed, by first-step analysis.
 *
 * Let h(s) be the expected number of steps from s until the chain first stands on an absorbing state
 * (T[s][s] = 1). Then h = 0 on absorbing states, and after one step from any other state
 * h(s) = 1 + Σ_s' T[s][s'] h(s'): a linear system. It has a finite solution only where absorption is
 * certain; if from `start` the chain can reach a state that cannot reach an absorbing one (another
 * closed set), it may never be absorbed and the answer is Infinity.
 *
 *     expectedStepsToAbsorption([[0.5, 0.5], [0, 1]], 0);   // 2
 */
export function expectedStepsToAbsorption(T: number[][], start: number): number {
  const n = T.length;
  const absorbing = T.map((row, s) => row[s] === 1);
  if (absorbing[start]) return 0;
  // Which states can reach an absorbing state (backwards search from them).
  const canReach = absorbing.slice();
  for (let changed = true; changed; ) {
    changed = false;
    for (let s = 0; s < n; s++) if (!canReach[s] && T[s].some((x, t) => x > 0 && canReach[t])) {
        canReach[s] = true;
        changed = true;
      }
  }
  // The states reachable from start; absorption is certain only if all of them can reach one.
  const seen = new Array<boolean>(n).fill(false);
  const stack = [start];
  seen[start] = true;
  while (stack.length > 0) {
    const u = stack.pop()!;
    if (!canReach[u]) return Infinity;
    if (absorbing[u]) continue;
    for (let v = 0; v < n; v++) if (T[u][v] > 0 && !seen[v]) {
      seen[v] = true;
      stack.push(v);
    }
  }
  // First-step equations on the transient states reachable from start: (I − Q) h = 1.
  const states = seen.flatMap((r, s) => (r && !absorbing[s] ? [s] : []));
  const at = new Map(states.map((s, i) => [s, i]));
  const m = states.length;
  const A = states.map((s, i) => [...states.map((t, j) => (i === j ? 1 : 0) - T[s][t]), 1]);
  for (let col = 0; col < m; col++) {
    let pivot = col;
    for (let r = col + 1; r < m; r++) if (Math.abs(A[r][col]) > Math.abs(A[pivot][col])) pivot = r;
    [A[col], A[pivot]] = [A[pivot], A[col]];
    for (let r = 0; r < m; r++) {
      if (r === col || A[r][col] === 0) continue;
      const factor = A[r][col] / A[col][col];
      for (let c = col; c <= m; c++) A[r][c] -= factor * A[col][c];
    }
  }
  const i = at.get(start)!;
  return A[i][m] / A[i][i];
}
