/**
 * Greedy decoding and its periodic orbits (Remark 5).
 *
 * At temperature 0 the model always emits its most likely token (the first one on ties), so the page
 * chain becomes a deterministic map on a finite set. Every trajectory of such a map repeats a page
 * within |pages| steps and from then on cycles: it is a transient run of some length followed by a
 * periodic orbit (an absorbing state is the period-1 case). This module finds, for one start page or
 * for every page at once, the transient length, the period and the cycle's pages.
 *
 *     const orbit = greedyOrbit(chain, "ABB");
 *     orbit.transient;   // steps before the cycle is entered
 *     orbit.period;      // length of the cycle
 *     orbit.cycle;       // the cycle's page labels, in order
 */
import type { PageChain } from "./pageChain";
import type { PageLike } from "./pages";
import { describe } from "./validate";

export interface GreedyOrbit {
  transient: number;
  period: number;
  /** Labels of the pages on the cycle, starting where the trajectory enters it. */
  cycle: string[];
  /** Labels of the transient pages, starting with the start page. */
  path: string[];
}

/** The greedy successor of one state: its most likely token appended (the first one on ties). */
export function greedySuccessor(chain: PageChain, state: number): number {
  const V = chain.vocabulary.size, probs = chain.probs, row = state * V;
  let best = 0;
  for (let t = 1; t < V; t++) if (probs[row + t] > probs[row + best]) best = t;
  const page = chain.space.successor(chain.pageIndex(state), best);
  return chain.isFullSpace ? page : chain.stateOf(page);
}

/** The greedy successor state of every state of the chain. */
export function greedyMap(chain: PageChain): Int32Array {
  const next = new Int32Array(chain.size);
  for (let i = 0; i < next.length; i++) next[i] = greedySuccessor(chain, i);
  return next;
}

/** The greedy trajectory from one page: transient run, then the periodic orbit. */
export function greedyOrbit(chain: PageChain, start: PageLike): GreedyOrbit {
  let s = chain.stateOf(start);
  if (s < 0) throw new RangeError(`start ${describe(start)} is not among this chain's pages`);
  // Only the visited pages are expanded: a trajectory is short next to a large chain.
  const seenAt = new Map<number, number>();
  const visits: number[] = [];
  while (!seenAt.has(s)) {
    seenAt.set(s, visits.length);
    visits.push(s);
    s = greedySuccessor(chain, s);
  }
  const transient = seenAt.get(s)!;
  const label = (i: number) => chain.label(i);
  return {
    transient,
    period: visits.length - transient,
    cycle: visits.slice(transient).map(label),
    path: visits.slice(0, transient).map(label),
  };
}

/** Transient length and period of the greedy trajectory from every state (iterative, O(n)). */
export function greedyOrbitStatistics(chain: PageChain): { transient: Int32Array; period: Int32Array } {
  const next = greedyMap(chain);
  const n = next.length;
  const transient = new Int32Array(n);
  const period = new Int32Array(n);
  const status = new Uint8Array(n); // 0 new, 1 on the current walk, 2 finished
  const walk: number[] = [];
  for (let start = 0; start < n; start++) {
    if (status[start]) continue;
    walk.length = 0;
    let s = start;
    while (status[s] === 0) {
      status[s] = 1;
      walk.push(s);
      s = next[s];
    }
    let end = walk.length;
    if (status[s] === 1) {
      // The walk closed a new cycle: its members have transient 0.
      const from = walk.indexOf(s);
      const p = walk.length - from;
      for (let a = from; a < walk.length; a++) {
        period[walk[a]] = p;
        transient[walk[a]] = 0;
        status[walk[a]] = 2;
      }
      end = from;
    }
    for (let a = end - 1; a >= 0; a--) {
      const v = walk[a];
      transient[v] = transient[next[v]] + 1;
      period[v] = period[next[v]];
      status[v] = 2;
    }
  }
  return { transient, period };
}
