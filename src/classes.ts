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

/** Strongly connected components of the graph of T (iterative Tarjan, in Pearce's one-array form). */
export function communicatingClasses(T: SparseStochasticMatrix): ClassDecomposition {
  const { n, rowStart, col, value } = T;
  // Pearce's variant of Tarjan keeps one number per state: 0 = not yet visited; while the state is
  // open, its DFS number (from 1), lowered to the smallest open number it reaches; once its class is
  // complete, the class's number, counted down from n. Open numbers never exceed the next class
  // number, so "complete" is `rindex > c`. Fewer arrays than the textbook form (14 bytes per state
  // of working space, half of it), which matters at millions of states.
  const rindex = new Int32Array(n);
  const ROOT = 1, LEAVES = 2; // flags: not lowered by any edge; has an edge into a completed class
  const flags = new Uint8Array(n);
  // Two stacks in one array, as in Pearce's paper: the explicit call stack (states whose edges are
  // being examined) grows from the bottom, the finished states whose class is still open from the
  // top. A state is on at most one of them, so together they never hold more than n.
  const stacks = new Int32Array(n);
  const callEdge = col.length < 2 ** 31 ? new Int32Array(n) : new Float64Array(n);
  // closedAt[c]: class number c has no edge leaving it. An edge v → w leaves v's class exactly when
  // w's class is already complete when the edge is examined (an open w lies in v's class), so the
  // closed classes come out of the same pass over the edges.
  const closedAt = new Uint8Array(n + 1);
  let sp = n, cp = 0, index = 1, c = n;

  for (let root = 0; root < n; root++) {
    if (rindex[root] !== 0) continue;
    rindex[root] = index++;
    flags[root] = ROOT;
    stacks[0] = root;
    callEdge[0] = rowStart[root];
    cp = 1;
    while (cp > 0) {
      const v = stacks[cp - 1];
      let e = callEdge[cp - 1];
      const end = rowStart[v + 1];
      let descended = false;
      for (; e < end; e++) {
        if (!(value[e] > 0)) continue;
        const w = col[e];
        const rw = rindex[w];
        if (rw === 0) {
          // Descend; the edge is examined again on return, to fold in w's result.
          callEdge[cp - 1] = e;
          rindex[w] = index++;
          flags[w] = ROOT;
          stacks[cp] = w;
          callEdge[cp] = rowStart[w];
          cp++;
          descended = true;
          break;
        }
        if (rw > c) flags[v] |= LEAVES;
        else if (rw < rindex[v]) {
          rindex[v] = rw;
          flags[v] &= ~ROOT;
        }
      }
      if (descended) continue;
      cp--;
      if (flags[v] & ROOT) {
        const rv = rindex[v];
        let leaves = flags[v] & LEAVES;
        index--;
        while (sp < n && rv <= rindex[stacks[sp]]) {
          const w = stacks[sp++];
          leaves |= flags[w] & LEAVES;
          rindex[w] = c;
          index--;
        }
        rindex[v] = c;
        closedAt[c] = leaves ? 0 : 1;
        c--;
      } else {
        stacks[--sp] = v;
      }
    }
  }

  // Class ids in completion order (sinks first): the class numbered c gets id n − c.
  const count = n - c;
  const of = rindex;
  for (let i = 0; i < n; i++) of[i] = n - of[i];
  const closed = new Uint8Array(count);
  for (let id = 0; id < count; id++) closed[id] = closedAt[n - id];

  // Counting sort by class id. Class k's cursor is start[k + 1] while filling (counts shifted one
  // place), which leaves start exact afterwards without a separate cursor array.
  const start = new Int32Array(count + 1);
  for (let i = 0; i < n; i++) if (of[i] + 2 <= count) start[of[i] + 2]++;
  for (let k = 2; k <= count; k++) start[k] += start[k - 1];
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[start[of[i] + 1]++] = i;
  return {
    count,
    of,
    order,
    start,
    closed,
    members: (k: number) => order.subarray(start[k], start[k + 1]),
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
