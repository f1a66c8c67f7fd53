/**
 * Communicating classes, closed classes and periods (Remark 5.D).
 *
 * The communicating classes of a chain are the strongly connected components of its graph (edges
 * where T[i, j] > 0). A class is closed — an absorbing set in the seed's words — when no edge leaves
 * it; the closed classes are exactly the minimal absorbing sets. Every other state is transient.
 *
 * Tarjan's algorithm runs here with an explicit stack, so a chain of millions of states (a long
 * transient path through a page chain) cannot overflow the call stack. It emits components in
 * reverse topological order: every edge between components goes from a later one to an earlier one,
 * which the hitting-time solver and the eigenvalue routine use to process the chain block by block.
 *
 *     const c = communicatingClasses(T);
 *     c.count;                  // number of classes
 *     c.members(c.of[0]);       // the states in state 0's class
 */
import type { SparseStochasticMatrix } from "./sparse";

export interface ClassDecomposition {
  /** Number of communicating classes. */
  readonly count: number;
  /** `of[i]` is the class id of state i; ids are in reverse topological order (sinks first). */
  readonly of: Int32Array;
  /** States grouped by class: class c is `order[start[c] … start[c + 1])`, ascending. */
  readonly order: Int32Array;
  readonly start: Int32Array;
  /** `closed[c]` is 1 when no edge leaves class c. */
  readonly closed: Uint8Array;
  members(c: number): Int32Array;
}

/** Strongly connected components of the graph of T (iterative Tarjan). */
export function communicatingClasses(T: SparseStochasticMatrix): ClassDecomposition {
  const { n, rowStart, col, value } = T;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const of = new Int32Array(n).fill(-1);
  const stack = new Int32Array(n);
  const onStack = new Uint8Array(n);
  // The explicit call stack: the state and the next edge to examine.
  const callState = new Int32Array(n);
  const callEdge = new Float64Array(n);
  let sp = 0, cp = 0, counter = 0, count = 0;

  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    callState[cp] = root;
    callEdge[cp] = rowStart[root];
    cp++;
    index[root] = low[root] = counter++;
    stack[sp++] = root;
    onStack[root] = 1;
    while (cp > 0) {
      const v = callState[cp - 1];
      let e = callEdge[cp - 1];
      const end = rowStart[v + 1];
      let descended = false;
      while (e < end) {
        const w = col[e];
        const live = value[e] > 0;
        e++;
        if (!live) continue;
        if (index[w] === -1) {
          callEdge[cp - 1] = e;
          index[w] = low[w] = counter++;
          stack[sp++] = w;
          onStack[w] = 1;
          callState[cp] = w;
          callEdge[cp] = rowStart[w];
          cp++;
          descended = true;
          break;
        } else if (onStack[w] && index[w] < low[v]) {
          low[v] = index[w];
        }
      }
      if (descended) continue;
      cp--;
      if (low[v] === index[v]) {
        let w: number;
        do {
          w = stack[--sp];
          onStack[w] = 0;
          of[w] = count;
        } while (w !== v);
        count++;
      }
      if (cp > 0) {
        const parent = callState[cp - 1];
        if (low[v] < low[parent]) low[parent] = low[v];
      }
    }
  }

  const start = new Int32Array(count + 1);
  for (let i = 0; i < n; i++) start[of[i] + 1]++;
  for (let c = 0; c < count; c++) start[c + 1] += start[c];
  const fill = start.slice(0, count);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[fill[of[i]]++] = i;

  const closed = new Uint8Array(count).fill(1);
  for (let i = 0; i < n; i++) {
    for (let e = rowStart[i]; e < rowStart[i + 1]; e++) {
      if (value[e] > 0 && of[col[e]] !== of[i]) {
        closed[of[i]] = 0;
        break;
      }
    }
  }
  return {
    count,
    of,
    order,
    start,
    closed,
    members: (c: number) => order.subarray(start[c], start[c + 1]),
  };
}

function gcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b) [a, b] = [b, a % b];
  return a;
}

/**
 * Period of a communicating class and its cyclic sub-classes. The period is the gcd of
 * `level(u) + 1 − level(v)` over the class's internal edges u → v, where `level` is a breadth-first
 * distance from any member; the cyclic classes are the members grouped by level mod period. A class
 * with no internal edge (a state that can never return to itself) has period 0 by convention:
 * the gcd of an empty set of return times.
 */
export function classPeriod(T: SparseStochasticMatrix, members: ArrayLike<number>, of: Int32Array): { period: number; cyclicClasses: number[][] } {
  const { rowStart, col, value } = T;
  const c = of[members[0]];
  const level = new Map<number, number>();
  const queue: number[] = [members[0]];
  level.set(members[0], 0);
  let g = 0;
  for (let h = 0; h < queue.length; h++) {
    const u = queue[h];
    const lu = level.get(u)!;
    for (let e = rowStart[u]; e < rowStart[u + 1]; e++) {
      const v = col[e];
      if (!(value[e] > 0) || of[v] !== c) continue;
      const lv = level.get(v);
      if (lv === undefined) {
        level.set(v, lu + 1);
        queue.push(v);
      } else {
        g = gcd(g, lu + 1 - lv);
      }
    }
  }
  if (g === 0) return { period: 0, cyclicClasses: [Array.from(members)] };
  const groups: number[][] = Array.from({ length: g }, () => []);
  for (const s of Array.from(members).sort((a, b) => a - b)) groups[level.get(s)! % g].push(s);
  return { period: g, cyclicClasses: groups };
}
