/**
 * Eigenvalues by blocks of the class decomposition, checked by routes that do not use blocks:
 * Newton's identities (Σ λ^j = trace T^j, from dense matrix powers in the test), the determinant by
 * Gaussian elimination (= Π λ), the QR algorithm run on the whole randomly permuted matrix, and the
 * exact spectra of permutation cycles (the m-th roots of unity). numpy's eigvals is compared in
 * golden.test.ts.
 *
 *     npx vitest run test/lib/eigen.test.ts
 */
import { describe, expect, it } from "vitest";
import { MarkovChain, eigenvaluesDense, modulus } from "../../src/index";
import { type Cx, type Dense, expectSameSpectrum, matPow, permuteDense, randInt, randomChain, seeded, shuffle } from "./support";

/** Block lower-triangular chain with random dense blocks (generic, so no defective eigenvalues), permuted. */
function blockChain(seed: string, blocks: number): Dense {
  const rand = seeded(seed);
  const sizes = Array.from({ length: blocks }, () => 1 + randInt(rand, 5));
  const n = sizes.reduce((a, b) => a + b, 0);
  const P: Dense = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  let start = 0;
  sizes.forEach((m, b) => {
    for (let i = start; i < start + m; i++) {
      for (let j = start; j < start + m; j++) P[i][j] = rand();
      if (b > 0 && rand() < 0.8) P[i][randInt(rand, start)] += rand(); // edges to earlier blocks only
    }
    start += m;
  });
  for (const row of P) {
    const z = row.reduce((a, b) => a + b, 0);
    row.forEach((_, j) => (row[j] /= z));
  }
  return permuteDense(P, shuffle(rand, [...Array(n).keys()]));
}

function cmul(a: Cx, b: Cx): Cx {
  return { re: a.re * b.re - a.im * b.im, im: a.re * b.im + a.im * b.re };
}

/** det by Gaussian elimination with partial pivoting (written here, independent of the library). */
function det(P: Dense): number {
  const a = P.map((r) => [...r]);
  const n = a.length;
  let d = 1;
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(a[i][k]) > Math.abs(a[p][k])) p = i;
    if (a[p][k] === 0) return 0;
    if (p !== k) {
      [a[p], a[k]] = [a[k], a[p]];
      d = -d;
    }
    d *= a[k][k];
    for (let i = k + 1; i < n; i++) {
      const f = a[i][k] / a[k][k];
      for (let j = k; j < n; j++) a[i][j] -= f * a[k][j];
    }
  }
  return d;
}

const trace = (P: Dense) => P.reduce((s, row, i) => s + row[i], 0);

describe("block eigenvalues", () => {
  it("satisfy Newton's identities: Σ λ^j = trace(T^j) for j = 1 … n", () => {
    for (let t = 0; t < 15; t++) {
      const P = t % 2 ? blockChain(`newton-${t}`, 2 + (t % 4)) : randomChain(seeded(`newton-${t}`), { n: 2 + (t % 9), perRow: 2, absorbing: t % 3 });
      const values = MarkovChain.fromDense(P).eigenvalues;
      expect(values.length).toBe(P.length);
      for (let j = 1; j <= P.length; j++) {
        let sum: Cx = { re: 0, im: 0 };
        for (const z of values) {
          let w: Cx = { re: 1, im: 0 };
          for (let e = 0; e < j; e++) w = cmul(w, z);
          sum = { re: sum.re + w.re, im: sum.im + w.im };
        }
        const want = trace(matPow(P, j));
        expect(Math.abs(sum.re - want), `case ${t}, j = ${j}`).toBeLessThan(1e-9 * Math.max(1, P.length));
        expect(Math.abs(sum.im), `case ${t}, j = ${j}`).toBeLessThan(1e-9 * Math.max(1, P.length));
      }
    }
  });

  it("multiply to the determinant (Gaussian elimination)", () => {
    for (let t = 0; t < 15; t++) {
      const P = blockChain(`det-${t}`, 1 + (t % 5));
      let prod: Cx = { re: 1, im: 0 };
      for (const z of MarkovChain.fromDense(P).eigenvalues) prod = cmul(prod, z);
      const d = det(P);
      expect(Math.abs(prod.re - d), `case ${t}`).toBeLessThan(1e-12 + 1e-9 * Math.abs(d));
      expect(Math.abs(prod.im)).toBeLessThan(1e-12);
    }
  });

  it("equal the QR eigenvalues of the whole randomly permuted matrix", () => {
    for (let t = 0; t < 20; t++) {
      const P = blockChain(`whole-${t}`, 2 + (t % 6));
      expectSameSpectrum(MarkovChain.fromDense(P).eigenvalues, eigenvaluesDense(P), 1e-8, `case ${t}`);
    }
  });

  it("are sorted by modulus, largest first, and include 1 once per closed class", () => {
    for (let t = 0; t < 10; t++) {
      const chain = MarkovChain.fromDense(randomChain(seeded(`sorted-${t}`), { n: 5 + t * 3, perRow: 2, absorbing: t % 4 }));
      const moduli = chain.eigenvalues.map(modulus);
      for (let i = 1; i < moduli.length; i++) expect(moduli[i]).toBeLessThanOrEqual(moduli[i - 1]);
      const ones = chain.eigenvalues.filter((z) => Math.abs(z.re - 1) < 1e-9 && Math.abs(z.im) < 1e-9).length;
      // aperiodic closed classes contribute exactly one eigenvalue 1 each (periodic ones too: 1 is simple)
      expect(ones).toBe(chain.closedClasses.length);
      expect(chain.secondLargestModulus).toBeCloseTo(moduli[1] ?? 0, 12);
    }
  });
});

describe("permutation cycles (the periodic orbits of Remark 5)", () => {
  it("a cycle of length m has exactly the m-th roots of unity", () => {
    for (const m of [2, 3, 4, 5, 7, 12, 30]) {
      const P = Array.from({ length: m }, (_, i) => Array.from({ length: m }, (__, j) => (j === (i + 1) % m ? 1 : 0)));
      const want = Array.from({ length: m }, (_, r) => ({ re: Math.cos((2 * Math.PI * r) / m), im: Math.sin((2 * Math.PI * r) / m) }));
      const chain = MarkovChain.fromDense(P);
      expectSameSpectrum(chain.eigenvalues, want, 1e-10, `cycle ${m}`);
      expect(chain.secondLargestModulus).toBeCloseTo(1, 12);
    }
  });

  it("cycles feeding each other through transient states: the union of their roots of unity, zeros for the rest", () => {
    // Cycles of lengths 3 and 4, plus 5 transient states that lead into them (spectral value 0 each).
    const n = 12;
    const P: Dense = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    [[0, 1, 2], [3, 4, 5, 6]].forEach((cyc) => cyc.forEach((s, i) => (P[s][cyc[(i + 1) % cyc.length]] = 1)));
    for (let s = 7; s < n; s++) {
      P[s][s - 1] = 0.5;
      P[s][s % 3] = 0.5;
    }
    const want = [3, 4].flatMap((m) => Array.from({ length: m }, (_, r) => ({ re: Math.cos((2 * Math.PI * r) / m), im: Math.sin((2 * Math.PI * r) / m) })));
    want.push(...Array.from({ length: 5 }, () => ({ re: 0, im: 0 })));
    const Q = permuteDense(P, shuffle(seeded("cycles"), [...Array(n).keys()]));
    expectSameSpectrum(MarkovChain.fromDense(Q).eigenvalues, want, 1e-12);
  });
});
