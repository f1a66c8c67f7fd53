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
  /** The ids c with `closed[c]` = 1, ascending: callers that want the closed classes need not scan every class. */
  readonly closedIds: Int32Array;
  members(c: number): Int32Array;
}

/** Strongly connected components of the graph of T (iterative Tarjan, in Pearce's one-array form). */
export function communicatingClasses(T: SparseStochasticMatrix): ClassDecomposition {
  const n = T.n;
  const { rowStart, col } = liveGraph(T);
  // The three per-state arrays share one buffer: on this kind of VM a fresh allocation pays a page
  // fault per 4 KiB outside the 2 MiB-aligned stretches that can get huge pages, about 500 for each
  // separate array's unaligned head and tail (see the waluigi builder in src/waluigi.ts).
  const buffer = 9 * n <= 2 ** 32 ? new ArrayBuffer(9 * n) : null;
  // Pearce's one number per state (see `pearceWalk`); after the walk it holds the class ids, `of`.
  const rindex = buffer ? new Int32Array(buffer, 0, n) : new Int32Array(n);
  // The walk's stack of finished states (see `pearceWalk`); after the walk, the buffer of `order`.
  const stacks = buffer ? new Int32Array(buffer, 4 * n, n) : new Int32Array(n);
  const wide = col.length >= 2 ** 31;
  const closed = buffer ? new Uint8Array(buffer, 8 * n, n) : new Uint8Array(n);
  const closedMembers = new Map<number, Int32Array>();
  const closedList: number[] = [];
  // The walk's call stack starts small and doubles (see `pearceWalk`); it is made here because V8
  // gives the walk no type feedback for what it does before its loop on its first call (feedback is
  // allocated once a function has run for a while), and code optimised then would deoptimise there.
  const frames = wide ? new Float64Array(3 * Math.min(n, 1024)) : new Int32Array(3 * Math.min(n, 1024));
  const c = pearceWalk(n, rowStart, col, rindex, stacks, frames, closed, closedMembers, closedList);

  // Class ids in completion order (sinks first): the class numbered c gets id n − c.
  const count = n - c;
  const of = rindex;
  toClassIds(of, n);
  const closedIds = Int32Array.from(closedList);

  // States grouped by class (`order`, `start`; order in the walk's finished-state buffer, which it no
  // longer needs); on first use only: the closed classes, the one-state classes and the hitting-time solver's
  // few unknowns are read without them, and grouping n states costs a pass of random writes.
  let order: Int32Array | undefined, start: Int32Array | undefined;
  const group = () => {
    const o = stacks;
    const st = new Int32Array(count + 1);
    if (count === n) {
      // Every class is one state (an acyclic chain but for self-loops): no counting needed.
      for (let i = 0; i <= n; i++) st[i] = i;
      for (let i = 0; i < n; i++) o[of[i]] = i;
    } else {
      // Counting sort by class id. Class k's cursor is st[k + 1] while filling (counts shifted one
      // place), which leaves st exact afterwards without a separate cursor array.
      for (let i = 0; i < n; i++) if (of[i] + 2 <= count) st[of[i] + 2]++;
      for (let k = 2; k <= count; k++) st[k] += st[k - 1];
      for (let i = 0; i < n; i++) o[st[of[i] + 1]++] = i;
    }
    order = o;
    start = st;
  };
  return {
    count,
    of,
    get order(): Int32Array {
      if (!order) group();
      return order!;
    },
    get start(): Int32Array {
      if (!start) group();
      return start!;
    },
    closed: closed.subarray(0, count),
    closedIds,
    members(k: number): Int32Array {
      const kept = closedMembers.get(k);
      if (kept) return kept;
      if (!order) group();
      return order!.subarray(start![k], start![k + 1]);
    },
  };
}

/**
 * The walk itself, on its own so that V8 optimises one small function that stays hot (the grouping
 * and the closures after the walk would otherwise deoptimise it on first use, and every call would
 * re-enter optimised code through on-stack replacement). It reads the graph only: `rowStart` and
 * `col` without stored zeros. Returns the last class number c: the classes are numbered n, n − 1,
 * … c + 1 in completion order.
 */
function pearceWalk(
  n: number,
  rowStart: Int32Array | Float64Array,
  col: Int32Array,
  rindex: Int32Array,
  finished: Int32Array,
  initialFrames: Int32Array | Float64Array,
  closed: Uint8Array,
  closedMembers: Map<number, Int32Array>,
  closedList: number[],
): number {
  // Pearce's variant of Tarjan keeps one number per state: 0 = not yet visited; while the state is
  // open, its DFS number (from 1), lowered to the smallest open number it reaches; once its class is
  // complete, the class's number, counted down from n. Open numbers never exceed the next class
  // number, so "complete" is `rindex > c`. It is the only per-state array the walk touches at random.
  // The explicit call stack keeps three numbers per frame in one array: the state, its next edge,
  // and two flags, ROOT (not lowered by any edge) and LEAVES (an edge from the frame's state, or from
  // a finished descendant in its class, goes into a completed class). The flags live with the frame,
  // not with the state: a finished non-root state hands LEAVES to its parent, which lies in the same
  // class (a class's states all descend from its root in the DFS tree). One array instead of three
  // leaves V8 fewer array bases and lengths to keep in registers in the inner loop. It starts small
  // and doubles: page chains' DFS trees are shallow (27 frames at k = 13), a long cycle's is not.
  // The finished states whose class is still open wait on `finished`, growing down from its top.
  const ROOT = 1, LEAVES = 2;
  let frames = initialFrames;
  // closed[id]: class id (= completion order) has no edge leaving it. An edge v → w leaves v's class
  // exactly when w's class is already complete when the edge is examined (an open w lies in v's
  // class), so the closed classes come out of the same pass over the edges.
  // The members of small closed classes are kept as their classes complete (the closed classes are
  // what most callers want, and usually few states): then `members` of a closed class needs no
  // grouping of all n states. Larger closed classes are grouped with the rest, on demand.
  const SMALL = 4096;
  let sp = n, cp = 0, index = 1, c = n;
  for (let root = 0; root < n; root++) {
    if (rindex[root] !== 0) continue;
    rindex[root] = index++;
    frames[0] = root;
    frames[1] = rowStart[root];
    frames[2] = ROOT;
    cp = 3;
    while (cp > 0) {
      const top = cp - 3;
      const v = frames[top];
      let e = frames[top + 1];
      const end = rowStart[v + 1];
      let rv = rindex[v], flags = frames[top + 2];
      let w = -1;
      for (; e < end; e++) {
        const x = col[e];
        const rx = rindex[x];
        if (rx === 0) {
          w = x;
          break;
        }
        if (rx > c) flags |= LEAVES;
        else if (rx < rv) {
          rv = rx;
          flags &= ~ROOT;
        }
      }
      rindex[v] = rv;
      if (w >= 0) {
        // Descend; the edge is examined again on return, to fold in w's result.
        frames[top + 1] = e;
        frames[top + 2] = flags;
        rindex[w] = index++;
        if (cp === frames.length) frames = grown(frames);
        frames[cp] = w;
        frames[cp + 1] = rowStart[w];
        frames[cp + 2] = ROOT;
        cp += 3;
        continue;
      }
      cp -= 3;
      if (flags & ROOT) {
        const from = sp;
        index--;
        while (sp < n && rv <= rindex[finished[sp]]) {
          rindex[finished[sp++]] = c;
          index--;
        }
        rindex[v] = c;
        closed[n - c] = flags & LEAVES ? 0 : 1;
        if (!(flags & LEAVES)) {
          closedList.push(n - c);
          if (sp - from < SMALL) {
            const members = new Int32Array(sp - from + 1);
            members.set(finished.subarray(from, sp));
            members[sp - from] = v;
            closedMembers.set(n - c, members.sort());
          }
        }
        c--;
      } else {
        finished[--sp] = v;
        frames[cp - 1] |= flags & LEAVES;
      }
    }
  }
  return c;
}

/** The call stack, twice as long (at most three entries per state). */
function grown(frames: Int32Array | Float64Array): Int32Array | Float64Array {
  const more = frames instanceof Int32Array ? new Int32Array(2 * frames.length) : new Float64Array(2 * frames.length);
  more.set(frames);
  return more;
}

/** The edges of T without its stored zeros (which are not edges), for the walk. */
function liveGraph(T: SparseStochasticMatrix): { rowStart: Int32Array | Float64Array; col: Int32Array } {
  const { n, rowStart, col, value } = T;
  if (T.storedZeros === 0) return { rowStart, col };
  const live = col.length - T.storedZeros;
  const rs = live < 2 ** 31 ? new Int32Array(n + 1) : new Float64Array(n + 1);
  const cl = new Int32Array(live);
  let p = 0;
  for (let i = 0; i < n; i++) {
    rs[i] = p;
    for (let e = rowStart[i]; e < rowStart[i + 1]; e++) if (value[e] > 0) cl[p++] = col[e];
  }
  rs[n] = p;
  return { rowStart: rs, col: cl };
}

/**
 * Class numbers (n, n − 1, … in completion order) to class ids (0, 1, …), in place; a function of its
 * own so that the loop is optimised on its own rather than inside the walk's on-stack replacement.
 */
function toClassIds(of: Int32Array, n: number): void {
  for (let i = 0; i < n; i++) of[i] = n - of[i];
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
