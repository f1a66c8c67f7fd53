/**
 * Communicating classes, closed classes, transient and absorbing states, periods and cyclic
 * classes on seeded random chains, against brute force computed in the test: reachability by
 * Floyd–Warshall, periods as the gcd of closed-walk lengths from boolean matrix powers.
 *
 *     npx vitest run test/lib/classes.test.ts
 */
import { describe, expect, it } from "vitest";
import { MarkovChain, SparseStochasticMatrix, communicatingClasses } from "../../src/index";
import { type Dense, bruteForceClasses, bruteForcePeriod, randInt, randomChain, randomPeriodicChain, seeded, sortClasses } from "./support";

function randomShapes(seed: string, count: number): Dense[] {
  const rand = seeded(seed);
  const out: Dense[] = [];
  for (let t = 0; t < count; t++) {
    const n = 1 + randInt(rand, 45);
    switch (t % 4) {
      case 0: out.push(randomChain(rand, { n, perRow: 1, absorbing: randInt(rand, 3) })); break;
      case 1: out.push(randomChain(rand, { n, perRow: 2 })); break;
      case 2: out.push(randomPeriodicChain(rand, 1 + randInt(rand, 5), 1 + randInt(rand, 4), randInt(rand, 8))); break;
      default: out.push(randomChain(rand, { n, perRow: 1, cycle: rand() < 0.5 }));
    }
  }
  return out;
}

const shapes = randomShapes("classes", 40);

describe("communicating classes", () => {
  it("equal the brute-force classes (mutual reachability) and partition the states", () => {
    for (const P of shapes) {
      const chain = MarkovChain.fromDense(P);
      const got = chain.communicatingClasses;
      expect(sortClasses(got)).toEqual(bruteForceClasses(P));
      expect(got.flat().sort((a, b) => a - b)).toEqual([...Array(P.length).keys()]);
      expect(chain.isIrreducible).toBe(got.length === 1);
    }
  });

  it("are numbered sinks first: every edge between classes goes to a lower class id", () => {
    for (const P of shapes) {
      const c = communicatingClasses(SparseStochasticMatrix.fromDense(P));
      P.forEach((row, i) => row.forEach((p, j) => {
        if (p > 0 && c.of[i] !== c.of[j]) expect(c.of[j], `edge ${i} → ${j}`).toBeLessThan(c.of[i]);
      }));
      for (let k = 0; k < c.count; k++) {
        const m = Array.from(c.members(k));
        expect(m).toEqual([...m].sort((a, b) => a - b));
        m.forEach((s) => expect(c.of[s]).toBe(k));
      }
    }
  });

  it("ignore stored zero entries (they are not edges)", () => {
    // 0 → 1 stored with probability 0: states 0 and 1 must not communicate.
    const T = new SparseStochasticMatrix(2, Int32Array.of(0, 2, 4), Int32Array.of(0, 1, 0, 1), Float64Array.of(1, 0, 0.5, 0.5));
    const chain = new MarkovChain(T);
    expect(sortClasses(chain.communicatingClasses)).toEqual([[0], [1]]);
    expect(chain.closedClasses).toEqual([[0]]);
  });
});

describe("stored zero entries", () => {
  it("classes and closed classes ignore them, on random chains with zeros stored among the edges", () => {
    // The walk reads T.value only when the matrix stores zeros (T.storedZeros > 0): check that path
    // against brute force on chains whose CSR arrays carry extra zero entries to random states.
    const rand = seeded("stored-zeros");
    for (const P of shapes) {
      const n = P.length;
      const rowStart = new Int32Array(n + 1), col: number[] = [], value: number[] = [];
      P.forEach((row, i) => {
        row.forEach((p, j) => {
          if (rand() < 0.5) {
            col.push(randInt(rand, n));
            value.push(0);
          }
          if (p > 0) {
            col.push(j);
            value.push(p);
          }
        });
        rowStart[i + 1] = col.length;
      });
      const T = new SparseStochasticMatrix(n, rowStart, Int32Array.from(col), Float64Array.from(value));
      expect(T.storedZeros).toBe(value.filter((v) => v === 0).length);
      const chain = new MarkovChain(T);
      expect(sortClasses(chain.communicatingClasses)).toEqual(bruteForceClasses(P));
      const expected = bruteForceClasses(P).filter((cl) => cl.every((i) => P[i].every((p, j) => p === 0 || cl.includes(j))));
      expect(sortClasses(chain.closedClasses)).toEqual(expected);
    }
  });
});

describe("closed classes, transient and absorbing states", () => {
  it("a class is closed exactly when no edge leaves it; the rest are transient", () => {
    for (const P of shapes) {
      const chain = MarkovChain.fromDense(P);
      const closed = sortClasses(chain.closedClasses);
      const expected = bruteForceClasses(P).filter((cl) => cl.every((i) => P[i].every((p, j) => p === 0 || cl.includes(j))));
      expect(closed).toEqual(expected);
      const inClosed = new Set(closed.flat());
      expect(chain.transientStates).toEqual([...Array(P.length).keys()].filter((i) => !inClosed.has(i)));
      expect(closed.length).toBeGreaterThanOrEqual(1); // every finite chain has a closed class
    }
  });

  it("closedIds lists, ascending, exactly the ids of the classes no edge leaves (brute force)", () => {
    for (const P of shapes) {
      const c = MarkovChain.fromDense(P).classes;
      const expected: number[] = [];
      for (let id = 0; id < c.count; id++) {
        const members = new Set(c.members(id));
        if ([...members].every((i) => P[i].every((p, j) => p === 0 || members.has(j)))) expected.push(id);
      }
      expect(Array.from(c.closedIds)).toEqual(expected);
    }
  });

  it("absorbing states are the states with T[s, s] = 1", () => {
    for (const P of shapes) {
      const got = [...MarkovChain.fromDense(P).absorbingStates].sort((a, b) => a - b);
      expect(got).toEqual([...Array(P.length).keys()].filter((i) => P[i][i] === 1));
    }
  });
});

describe("periods and cyclic classes", () => {
  it("the period of every class is the gcd of its closed-walk lengths (0 if it has none)", () => {
    let periodic = 0;
    for (const P of shapes) {
      const chain = MarkovChain.fromDense(P);
      for (const cl of chain.communicatingClasses) {
        const { period } = chain.periodOf(cl[0]);
        expect(period, `class ${cl}`).toBe(bruteForcePeriod(P, cl));
        for (const s of cl) expect(chain.periodOf(s).period).toBe(period);
        if (period > 1) periodic++;
      }
    }
    expect(periodic, "the random shapes include periodic classes").toBeGreaterThan(5);
  });

  it("cyclic classes partition the class and every internal edge goes from one to the next", () => {
    for (const P of shapes) {
      const chain = MarkovChain.fromDense(P);
      for (const cl of chain.communicatingClasses) {
        const { period, cyclicClasses } = chain.periodOf(cl[0]);
        if (period === 0) {
          expect(cyclicClasses).toEqual([cl]);
          continue;
        }
        expect(cyclicClasses.length).toBe(period);
        expect(cyclicClasses.flat().sort((a, b) => a - b)).toEqual(cl);
        const group = new Map<number, number>();
        cyclicClasses.forEach((g, r) => {
          expect(g.length).toBeGreaterThan(0);
          g.forEach((s) => group.set(s, r));
        });
        for (const i of cl) for (const j of cl) {
          if (P[i][j] > 0) expect(group.get(j), `edge ${i} → ${j}`).toBe((group.get(i)! + 1) % period);
        }
      }
    }
  });

  it("a directed cycle of length m has period m and m singleton cyclic classes", () => {
    for (const m of [1, 2, 3, 7, 12]) {
      const P = Array.from({ length: m }, (_, i) => Array.from({ length: m }, (__, j) => (j === (i + 1) % m ? 1 : 0)));
      const got = MarkovChain.fromDense(P).periodOf(0);
      expect(got.period).toBe(m);
      expect(sortClasses(got.cyclicClasses)).toEqual(Array.from({ length: m }, (_, i) => [i]));
    }
  });
});

describe("deep walks on larger sparse chains", () => {
  // Chains of a few thousand states built directly as CSR, with long paths (DFS trees thousands of
  // frames deep, past the walk's first call-stack allocation), back edges that merge path segments
  // into classes, self-loops, absorbing states and stored zeros; checked against mutual
  // reachability by a breadth-first search from every state.
  function reach(n: number, succ: number[][], s: number): Uint8Array {
    const seen = new Uint8Array(n), queue = [s];
    seen[s] = 1;
    for (let h = 0; h < queue.length; h++) {
      for (const v of succ[queue[h]]) {
        if (seen[v]) continue;
        seen[v] = 1;
        queue.push(v);
      }
    }
    return seen;
  }

  it("classes, closed classes and the sinks-first order equal brute force", () => {
    const rand = seeded("deep-walks");
    let longest = 0;
    for (let t = 0; t < 6; t++) {
      const n = 1500 + randInt(rand, 2500);
      const succ: number[][] = Array.from({ length: n }, () => []);
      const zeros: number[][] = Array.from({ length: n }, () => []);
      let run = 0;
      for (let i = 0; i + 1 < n; i++) {
        if (rand() < 0.9995) {
          succ[i].push(i + 1); // a long path, cut now and then
          longest = Math.max(longest, ++run);
        } else run = 0;
      }
      for (let b = 0; b < 20 + randInt(rand, 40); b++) {
        const j = randInt(rand, n), i = Math.min(n - 1, j + randInt(rand, 300));
        succ[i].push(j); // a back edge: the segment j … i becomes one class where the path is uncut
      }
      for (let i = 0; i < n; i++) {
        if (rand() < 0.05) succ[i].push(i); // self-loop
        if (rand() < 0.02) succ[i].push(randInt(rand, n));
        if (rand() < 0.03) zeros[i].push(randInt(rand, n)); // a stored zero: not an edge
        if (succ[i].length === 0) succ[i].push(i); // absorbing
      }
      const rowStart = new Int32Array(n + 1), col: number[] = [], value: number[] = [];
      for (let i = 0; i < n; i++) {
        const targets = [...new Set(succ[i])];
        const entries = [...targets.map((j) => [j, 1 / targets.length]), ...zeros[i].filter((j) => !targets.includes(j)).map((j) => [j, 0])];
        entries.sort((a, b) => a[0] - b[0]);
        for (const [j, v] of entries) {
          col.push(j);
          value.push(v);
        }
        rowStart[i + 1] = col.length;
        succ[i] = targets;
      }
      const T = new SparseStochasticMatrix(n, rowStart, Int32Array.from(col), Float64Array.from(value));
      const c = communicatingClasses(T);
      const fwd = Array.from({ length: n }, (_, s) => reach(n, succ, s));
      for (let s = 0; s < n; s += 7) {
        for (let u = 0; u < n; u++) expect(c.of[s] === c.of[u], `states ${s}, ${u}`).toBe(fwd[s][u] === 1 && fwd[u][s] === 1);
      }
      for (let i = 0; i < n; i++) for (const j of succ[i]) expect(c.of[j] <= c.of[i], `edge ${i} → ${j} goes to a later class`).toBe(true);
      const closedIds = Array.from({ length: c.count }, (_, id) => id).filter((id) => {
        const members = c.members(id);
        return Array.from(members).every((i) => succ[i].every((j) => c.of[j] === id));
      });
      expect(Array.from(c.closedIds)).toEqual(closedIds);
      expect(new MarkovChain(T).closedClasses).toEqual(closedIds.map((id) => Array.from(c.members(id))));
      expect(c.count, "some classes have several states").toBeLessThan(n - 20);
    }
    expect(longest, "some path is longer than the walk's first call stack (1024 frames)").toBeGreaterThan(1500);
  });
});
