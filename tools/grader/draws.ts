/**
 * Seeded parameter draws for every exercise: the graded set and the public set behind `check`.
 *
 * Remark 4 and 5 exercises get small random models and matrices (rows are integer weights divided by
 * their sum, so every row sums to 1 within rounding), with the structures their questions are about
 * planted in some draws: absorbing rows, ties, closed sets, chains that may never be absorbed, tiny
 * temperatures and huge logits. Remark 6 and 6.C exercises get the waluigi parameters below.
 *
 * Each exercise gets edge cases (p = 0, p = 1, k = 1, ℓ = 0.001 and ℓ = 0.999, Infinity where the
 * answer can be infinite) and random draws, every value drawn from `seedrandom(seed:set:id)`, so the
 * same seed always gives the same draws and the same submission the same grade. The public set uses
 * its own seed: memorising the shipped check answers earns nothing in grading.
 *
 * Random draws are kept only where the question is well-conditioned in double precision: the reveal
 * probability 1 − f(k) must not vanish in rounding (else "is F^k absorbing?" depends on how one
 * rounds), expected times stay below 1e9, and for 6.C.6 the target is not within 1e-6 of a dwell time.
 * Matrix draws keep k small (T^k and eigenvalues of 3^k × 3^k matrices must stay fast for a learner's
 * plain dense code): k ≤ 4 mostly, one k = 5 for T^k and one k = 6 for T.
 *
 *     drawsFor("6.C.2", { seed: "llm-dynamics-6C", set: "graded" });
 *     // [{ args: [1, { luigiPrior: 0.5, pFriendly: 0 }], family: "p = 0" }, …]
 */
import seedrandom from "seedrandom";
import { friendlyProbability, revealProbability, type WaluigiParams } from "../../src/waluigi";
import { exerciseById } from "./exercises";

export const DEFAULT_SEED = "llm-dynamics-6C-2026";

export interface Draw {
  args: unknown[];
  /** Which family the draw comes from ("random", "p = 0", "k = 1" …), shown in feedback. */
  family: string;
}

export interface DrawOptions {
  seed?: string;
  set: "graded" | "public";
}

type Rng = () => number;

const round3 = (x: number) => Math.round(x * 1000) / 1000;
const uniform = (rng: Rng, lo: number, hi: number) => round3(lo + (hi - lo) * rng());
const integer = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
const params = (luigiPrior: number, pFriendly: number): WaluigiParams => ({ luigiPrior, pFriendly });

function randomParams(rng: Rng): WaluigiParams {
  return params(uniform(rng, 0.05, 0.95), uniform(rng, 0.05, 0.95));
}

/** Whether a draw with these params and the largest window k is well-conditioned (see the doc block). */
function wellConditioned(p: WaluigiParams, k: number): boolean {
  if (p.pFriendly === 0 || p.pFriendly === 1) return true;
  const reveal = revealProbability(k, p);
  return reveal >= 1e-7 && 1 / reveal < 1e9;
}

/** The dwell time 1/(1 − f(k)) of F^k, cancellation-free. */
function dwell(k: number, p: WaluigiParams): number {
  return 1 / revealProbability(k, p);
}

/** 6.C.6 is well-posed when no window's dwell time sits within 1e-6 (relative) of the target. */
function stickinessWellPosed(steps: number, p: WaluigiParams): boolean {
  if (!Number.isFinite(steps) || p.pFriendly === 0 || p.pFriendly === 1) return true;
  for (let k = 1; k <= 400; k++) {
    const d = dwell(k, p);
    if (Math.abs(d - steps) <= 1e-6 * steps) return false;
    // The naive 1 / (1 − f(k)) must agree on which side of the target it is: else rounding decides.
    const naive = 1 / (1 - friendlyProbability(k, p));
    if (d >= steps !== naive >= steps) return false;
    if (d > steps * 10) break;
  }
  return true;
}

interface Family {
  name: string;
  /** How many draws of this family each set gets. */
  graded: number;
  public: number;
  make: (rng: Rng) => unknown[];
}

// ---------------------------------------------------------------- random models and matrices

const ALPHABETS = [["A", "B"], ["0", "1"], ["a", "b", "c"], ["N", "F", "U"], ["x", "y", "z", "w"]];

/** Integer weights 0 … 9 (some zero) divided by their sum: a distribution with short decimals. */
function weights(rng: Rng, n: number, zeroChance = 0.3): number[] {
  const w: number[] = Array.from({ length: n }, (): number => (rng() < zeroChance ? 0 : 1 + Math.floor(rng() * 9)));
  if (!w.some((x) => x > 0)) w[Math.floor(rng() * n)] = 1;
  const total = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / total);
}

function randomStochastic(rng: Rng, n: number, zeroChance = 0.4): number[][] {
  return Array.from({ length: n }, () => weights(rng, n, zeroChance));
}

function pagesOf(tokens: string[], k: number): string[] {
  let pages = [""];
  for (let i = 0; i < k; i++) pages = pages.flatMap((s) => tokens.map((t) => s + t));
  return pages;
}

/** A next-token table on every page of `tokens`^k. */
function randomModel(rng: Rng, tokens: string[], k: number): Record<string, Record<string, number>> {
  const model: Record<string, Record<string, number>> = {};
  for (const page of pagesOf(tokens, k)) {
    const w = weights(rng, tokens.length, 0.25);
    model[page] = Object.fromEntries(tokens.map((t, i) => [t, w[i]]));
  }
  return model;
}

function alphabetAndWindow(rng: Rng, maxPages: number): [string[], number] {
  for (;;) {
    const tokens = ALPHABETS[Math.floor(rng() * ALPHABETS.length)];
    const k = integer(rng, 1, 3);
    if (tokens.length ** k <= maxPages) return [tokens, k];
  }
}

/** An irreducible matrix: random weights plus a cycle through every state. */
function irreducible(rng: Rng, n: number, zeroChance = 0.5): number[][] {
  const order = Array.from({ length: n }, (_, i) => i).sort(() => rng() - 0.5);
  return Array.from({ length: n }, (_, i) => {
    const w = Array.from({ length: n }, () => (rng() < zeroChance ? 0 : 1 + Math.floor(rng() * 9)));
    const at = order.indexOf(i);
    w[order[(at + 1) % n]] += 1 + Math.floor(rng() * 9);
    const total = w.reduce((a, b) => a + b, 0);
    return w.map((x) => x / total);
  });
}

const unit = (n: number, i: number) => Array.from({ length: n }, (_, j) => (j === i ? 1 : 0));

/** A matrix with `absorbing` absorbing states; every other row has at least two non-zero entries or moves elsewhere. */
function withAbsorbing(rng: Rng, n: number, absorbing: number, zeroChance = 0.4): number[][] {
  const chosen = new Set<number>();
  while (chosen.size < absorbing) chosen.add(Math.floor(rng() * n));
  return Array.from({ length: n }, (_, i) => {
    if (chosen.has(i)) return unit(n, i);
    for (;;) {
      const w = weights(rng, n, zeroChance);
      if (w[i] !== 1) return w;
    }
  });
}

/** Greedy rows with ties: each row's largest weight appears at least twice. */
function withTies(rng: Rng, n: number): number[][] {
  return Array.from({ length: n }, () => {
    const w = Array.from({ length: n }, () => Math.floor(rng() * 5));
    const top = Math.max(...w, 1);
    const a = Math.floor(rng() * n);
    const b = (a + 1 + Math.floor(rng() * (n - 1))) % n;
    w[a] = top;
    w[b] = top;
    const total = w.reduce((x, y) => x + y, 0);
    return w.map((x) => x / total);
  });
}

/** Block structure: closed classes (irreducible blocks) and transient states that lead into them. */
function withClosedSets(rng: Rng, n: number, classes: number): number[][] {
  const perm = Array.from({ length: n }, (_, i) => i).sort(() => rng() - 0.5);
  const sizes: number[] = [];
  let left = n - 1 - Math.floor(rng() * Math.max(1, n - classes - 1));
  for (let c = 0; c < classes; c++) {
    const size = c === classes - 1 ? Math.max(1, left) : Math.max(1, Math.floor(rng() * (left - (classes - c - 1))) || 1);
    sizes.push(size);
    left -= size;
  }
  const T = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  let at = 0;
  const inClass = new Set<number>();
  for (const size of sizes) {
    const members = perm.slice(at, at + size);
    at += size;
    const block = irreducible(rng, size);
    members.forEach((s, i) => {
      inClass.add(s);
      members.forEach((t, j) => (T[s][t] = block[i][j]));
    });
  }
  for (let s = 0; s < n; s++) {
    if (inClass.has(s)) continue;
    const w = weights(rng, n, 0.5);
    // A transient state must lead somewhere else with positive probability.
    const other = perm[Math.floor(rng() * at)];
    w[other] += 0.5;
    const total = w.reduce((a, b) => a + b, 0);
    T[s] = w.map((x) => x / total);
  }
  return T;
}

function logits(rng: Rng, n: number, scale: number): number[] {
  return Array.from({ length: n }, () => Math.round((rng() * 2 - 1) * scale * 100) / 100);
}

/** Draws for one exercise; `k` picks the window, `ps` the params. */
function families(id: string): Family[] {
  const kParams = (kLo: number, kHi: number) => (pick: (rng: Rng) => WaluigiParams) => (rng: Rng) => [integer(rng, kLo, kHi), pick(rng)];
  const lambdaEdge = (lambda: number) => (rng: Rng) => params(lambda, uniform(rng, 0.3, 0.9));
  const pEdge = (p: number) => (rng: Rng) => params(uniform(rng, 0.05, 0.95), p);
  const standardK = (kLo: number, kHi: number, randomCount: number, extra: Family[] = []): Family[] => {
    const make = kParams(kLo, kHi);
    return [
      { name: "random", graded: randomCount, public: 2, make: make(randomParams) },
      { name: "p = 0", graded: 1, public: 1, make: make(pEdge(0)) },
      { name: "p = 1", graded: 1, public: 1, make: make(pEdge(1)) },
      { name: "k = 1", graded: 1, public: 0, make: (rng) => [1, randomParams(rng)] },
      { name: "ℓ = 0.001", graded: 1, public: 0, make: make(lambdaEdge(0.001)) },
      { name: "ℓ = 0.999", graded: 1, public: 0, make: make(lambdaEdge(0.999)) },
      ...extra,
    ];
  };
  switch (id) {
    case "4.1":
      return [
        { name: "random", graded: 8, public: 3, make: (rng) => [integer(rng, 2, 60000), integer(rng, 1, 200)] },
        { name: "beyond 2^53", graded: 2, public: 1, make: (rng) => [integer(rng, 100, 1000), integer(rng, 6, 12)] },
        { name: "|V| = 1", graded: 1, public: 0, make: (rng) => [1, integer(rng, 1, 100)] },
        { name: "k = 1", graded: 1, public: 0, make: (rng) => [integer(rng, 2, 60000), 1] },
        { name: "GPT-2", graded: 1, public: 0, make: () => [50257, 2048] },
      ];
    case "4.2":
      return [
        { name: "random", graded: 8, public: 2, make: (rng) => { const [tokens, k] = alphabetAndWindow(rng, 64); return [randomModel(rng, tokens, k), tokens, k]; } },
        { name: "k = 3", graded: 1, public: 1, make: (rng) => { const tokens = ALPHABETS[integer(rng, 0, 1)]; return [randomModel(rng, tokens, 3), tokens, 3]; } },
        { name: "k = 1", graded: 1, public: 0, make: (rng) => { const tokens = ALPHABETS[integer(rng, 0, 4)]; return [randomModel(rng, tokens, 1), tokens, 1]; } },
      ];
    case "4.3":
      return [
        { name: "random", graded: 8, public: 2, make: (rng) => { const n = integer(rng, 2, 7); return [randomStochastic(rng, n), weights(rng, n, 0.3), integer(rng, 1, 40)]; } },
        { name: "point mass", graded: 2, public: 1, make: (rng) => { const n = integer(rng, 2, 7); return [randomStochastic(rng, n), unit(n, integer(rng, 0, n - 1)), integer(rng, 1, 20)]; } },
        { name: "n = 0", graded: 1, public: 0, make: (rng) => { const n = integer(rng, 2, 6); return [randomStochastic(rng, n), weights(rng, n, 0.3), 0]; } },
        { name: "n = 1", graded: 1, public: 1, make: (rng) => { const n = integer(rng, 3, 6); return [randomStochastic(rng, n), weights(rng, n, 0.3), 1]; } },
      ];
    case "4.4":
      return [
        { name: "random", graded: 8, public: 2, make: (rng) => { const [tokens, k] = alphabetAndWindow(rng, 64); const pages = pagesOf(tokens, k); return [randomModel(rng, tokens, k), pages[integer(rng, 0, pages.length - 1)], pages[integer(rng, 0, pages.length - 1)]]; } },
        { name: "to = from", graded: 1, public: 1, make: (rng) => { const [tokens, k] = alphabetAndWindow(rng, 27); const pages = pagesOf(tokens, k); const s = pages[integer(rng, 0, pages.length - 1)]; return [randomModel(rng, tokens, k), s, s]; } },
        { name: "k = 3", graded: 2, public: 0, make: (rng) => { const tokens = ALPHABETS[integer(rng, 0, 3)]; const pages = pagesOf(tokens, 3); return [randomModel(rng, tokens, 3), pages[integer(rng, 0, pages.length - 1)], pages[integer(rng, 0, pages.length - 1)]]; } },
      ];
    case "4.5":
      return [
        { name: "random", graded: 8, public: 2, make: (rng) => [irreducible(rng, integer(rng, 2, 8))] },
        { name: "dense", graded: 1, public: 1, make: (rng) => [irreducible(rng, integer(rng, 3, 6), 0)] },
        { name: "periodic", graded: 1, public: 0, make: (rng) => { const n = integer(rng, 2, 6); return [Array.from({ length: n }, (_, i) => unit(n, (i + 1) % n))]; } },
        { name: "n = 2", graded: 1, public: 0, make: (rng) => [irreducible(rng, 2, 0)] },
      ];
    case "5.1":
      return [
        { name: "random", graded: 8, public: 2, make: (rng) => { const n = integer(rng, 3, 8); return [withAbsorbing(rng, n, integer(rng, 1, Math.min(3, n)))]; } },
        { name: "none absorbing", graded: 1, public: 1, make: (rng) => [withAbsorbing(rng, integer(rng, 2, 6), 0)] },
        { name: "all absorbing", graded: 1, public: 0, make: (rng) => { const n = integer(rng, 1, 4); return [Array.from({ length: n }, (_, i) => unit(n, i))]; } },
        { name: "almost absorbing", graded: 1, public: 0, make: (rng) => { const n = integer(rng, 3, 6); const T = withAbsorbing(rng, n, 1); const s = T.findIndex((r, i) => r[i] !== 1); T[s] = T[s].map((_, j) => (j === s ? 0.999 : j === (s + 1) % n ? 0.001 : 0)); return [T]; } },
      ];
    case "5.2":
      return [
        { name: "random", graded: 8, public: 2, make: (rng) => { const n = integer(rng, 3, 30); return [randomStochastic(rng, n, 0.6), integer(rng, 0, n - 1)]; } },
        { name: "ties", graded: 2, public: 1, make: (rng) => { const n = integer(rng, 3, 12); return [withTies(rng, n), integer(rng, 0, n - 1)]; } },
        { name: "absorbing", graded: 1, public: 0, make: (rng) => { const n = integer(rng, 3, 8); const T = withAbsorbing(rng, n, 2); return [T, T.findIndex((r, i) => r[i] === 1)]; } },
        { name: "cycle", graded: 1, public: 0, make: (rng) => { const n = integer(rng, 2, 9); return [Array.from({ length: n }, (_, i) => unit(n, (i + 1) % n)), integer(rng, 0, n - 1)]; } },
      ];
    case "5.3":
      return [
        { name: "random", graded: 6, public: 2, make: (rng) => { const n = integer(rng, 3, 10); return [withClosedSets(rng, n, integer(rng, 1, 3))]; } },
        { name: "sparse", graded: 2, public: 1, make: (rng) => [randomStochastic(rng, integer(rng, 3, 9), 0.8)] },
        { name: "irreducible", graded: 1, public: 0, make: (rng) => [irreducible(rng, integer(rng, 2, 7))] },
        { name: "absorbing states", graded: 1, public: 0, make: (rng) => { const n = integer(rng, 3, 7); return [withAbsorbing(rng, n, integer(rng, 1, 3))]; } },
      ];
    case "5.4":
      return [
        { name: "random", graded: 7, public: 2, make: (rng) => { const n = integer(rng, 3, 9); return [withAbsorbing(rng, n, integer(rng, 1, 2)), integer(rng, 0, n - 1)]; } },
        { name: "may never be absorbed", graded: 2, public: 1, make: (rng) => { const n = integer(rng, 4, 9); const T = withAbsorbing(rng, n, 1); const a = T.findIndex((r, i) => r[i] === 1); const b = (a + 1) % n, c = (a + 2) % n; T[b] = unit(n, c); T[c] = unit(n, b); return [T, integer(rng, 0, n - 1)]; } },
        { name: "start absorbing", graded: 1, public: 0, make: (rng) => { const n = integer(rng, 3, 7); const T = withAbsorbing(rng, n, 2); return [T, T.findIndex((r, i) => r[i] === 1)]; } },
        { name: "slow", graded: 1, public: 0, make: (rng) => { const n = integer(rng, 3, 6); const T = Array.from({ length: n }, (_, i) => (i === n - 1 ? unit(n, i) : unit(n, i).map((x, j) => (j === i ? 0.99 : j === i + 1 ? 0.01 : 0)))); return [T, 0]; } },
      ];
    case "5.5":
      return [
        { name: "random", graded: 7, public: 2, make: (rng) => { const n = integer(rng, 2, 6); return [logits(rng, n, 5), integer(rng, 0, n - 1), uniform(rng, 0.1, 3)]; } },
        { name: "τ = 0", graded: 1, public: 1, make: (rng) => { const n = integer(rng, 2, 6); return [logits(rng, n, 5), integer(rng, 0, n - 1), 0]; } },
        { name: "small τ", graded: 2, public: 1, make: (rng) => { const n = integer(rng, 2, 5); const l = logits(rng, n, 5); return [l, l.indexOf(Math.max(...l)), uniform(rng, 0.01, 0.05)]; } },
        { name: "large logits", graded: 2, public: 0, make: (rng) => { const n = integer(rng, 2, 5); const l = logits(rng, n, 1000); return [l, integer(rng, 0, n - 1), uniform(rng, 0.5, 2)]; } },
      ];
    case "6.1": {
      const page = (rng: Rng, alphabet: string) => { const k = integer(rng, 1, 12); let s = ""; for (let i = 0; i < k; i++) s += alphabet[Math.floor(rng() * alphabet.length)]; return s; };
      return [
        { name: "random", graded: 6, public: 2, make: (rng) => [page(rng, "NF"), randomParams(rng)] },
        { name: "with U", graded: 2, public: 1, make: (rng) => [page(rng, "NFU") + "U", randomParams(rng)] },
        { name: "all N", graded: 1, public: 0, make: (rng) => ["N".repeat(integer(rng, 1, 8)), randomParams(rng)] },
        { name: "p = 0", graded: 1, public: 1, make: (rng) => [page(rng, "NF"), pEdge(0)(rng)] },
        { name: "p = 1", graded: 1, public: 0, make: (rng) => [page(rng, "NF"), pEdge(1)(rng)] },
        { name: "ℓ = 0.001", graded: 1, public: 0, make: (rng) => [page(rng, "NF"), lambdaEdge(0.001)(rng)] },
      ];
    }
    case "6.2":
      return [
        { name: "random", graded: 6, public: 2, make: kParams(1, 30)(randomParams) },
        { name: "long window", graded: 3, public: 1, make: (rng) => { const p = params(uniform(rng, 0.05, 0.95), uniform(rng, 0.2, 0.6)); return [Math.ceil(40 / -Math.log10(p.pFriendly)) + integer(rng, 0, 20), p]; } },
        { name: "p = 0", graded: 1, public: 0, make: kParams(1, 10)(pEdge(0)) },
        { name: "p = 1", graded: 1, public: 1, make: kParams(1, 10)(pEdge(1)) },
        { name: "ℓ = 0.999", graded: 1, public: 0, make: kParams(1, 10)(lambdaEdge(0.999)) },
      ];
    case "6.C.1": {
      const nk = (pick: (rng: Rng) => WaluigiParams) => (rng: Rng) => {
        const k = integer(rng, 1, 12);
        return [integer(rng, 0, k - 1), k, pick(rng)];
      };
      return [
        { name: "random", graded: 8, public: 2, make: nk(randomParams) },
        { name: "p = 0", graded: 1, public: 1, make: nk(pEdge(0)) },
        { name: "p = 1", graded: 1, public: 1, make: nk(pEdge(1)) },
        { name: "n = 0", graded: 1, public: 0, make: (rng) => [0, integer(rng, 1, 8), randomParams(rng)] },
        { name: "n = k − 1", graded: 1, public: 0, make: (rng) => { const k = integer(rng, 1, 12); return [k - 1, k, randomParams(rng)]; } },
        { name: "ℓ = 0.001", graded: 1, public: 0, make: nk(lambdaEdge(0.001)) },
        { name: "ℓ = 0.999", graded: 1, public: 0, make: nk(lambdaEdge(0.999)) },
      ];
    }
    case "6.C.2":
      return standardK(1, 20, 8);
    case "6.C.3":
      return standardK(1, 4, 6, [{ name: "k = 3", graded: 0, public: 1, make: kParams(3, 3)(randomParams) }]);
    case "6.C.4":
      return [
        { name: "random", graded: 8, public: 2, make: (rng) => [randomParams(rng)] },
        { name: "p = 0", graded: 1, public: 1, make: (rng) => [pEdge(0)(rng)] },
        { name: "p = 1", graded: 1, public: 1, make: (rng) => [pEdge(1)(rng)] },
        { name: "ℓ = 0.001", graded: 1, public: 0, make: (rng) => [lambdaEdge(0.001)(rng)] },
        { name: "ℓ = 0.999", graded: 1, public: 0, make: (rng) => [lambdaEdge(0.999)(rng)] },
      ];
    case "6.C.5":
      return standardK(1, 10, 8);
    case "6.C.6": {
      const steps = (rng: Rng) => round3(10 ** uniform(rng, 0.2, 6));
      return [
        { name: "random", graded: 8, public: 2, make: (rng) => [steps(rng), randomParams(rng)] },
        { name: "p = 0", graded: 1, public: 1, make: (rng) => [steps(rng), pEdge(0)(rng)] },
        { name: "p = 1", graded: 1, public: 1, make: (rng) => [steps(rng), pEdge(1)(rng)] },
        { name: "steps = Infinity", graded: 1, public: 1, make: (rng) => [Infinity, randomParams(rng)] },
        { name: "steps ≤ 1", graded: 1, public: 0, make: (rng) => [uniform(rng, 0.1, 1), randomParams(rng)] },
        { name: "ℓ = 0.001", graded: 1, public: 0, make: (rng) => [steps(rng), lambdaEdge(0.001)(rng)] },
        { name: "ℓ = 0.999", graded: 1, public: 0, make: (rng) => [steps(rng), lambdaEdge(0.999)(rng)] },
      ];
    }
    case "6.C.7":
      return standardK(1, 4, 5, [
        { name: "k = 3", graded: 0, public: 1, make: kParams(3, 3)(randomParams) },
        { name: "k = 5", graded: 1, public: 0, make: kParams(5, 5)(randomParams) },
        { name: "k = 6", graded: 1, public: 0, make: kParams(6, 6)(randomParams) },
      ]);
    case "6.C.8":
      return standardK(1, 5, 6, [{ name: "k = 3", graded: 0, public: 1, make: kParams(3, 3)(randomParams) }]);
    case "6.C.9":
      return standardK(1, 4, 6);
    case "6.C.10":
      return standardK(1, 4, 5, [{ name: "k = 3", graded: 0, public: 1, make: kParams(3, 3)(randomParams) }, { name: "k = 5", graded: 1, public: 0, make: kParams(5, 5)(randomParams) }]);
    case "6.C.11":
      return standardK(1, 5, 5, [{ name: "k = 3", graded: 0, public: 1, make: kParams(3, 3)(randomParams) }, { name: "k = 6", graded: 1, public: 0, make: kParams(6, 6)(randomParams) }]);
  }
  throw new RangeError(`id must be an exercise id; got ${JSON.stringify(id)}`);
}

/** Whether a draw asks a question that double precision answers unambiguously. */
function wellPosed(id: string, args: unknown[]): boolean {
  switch (id) {
    case "4.1":
    case "4.2":
    case "4.3":
    case "4.4":
    case "4.5":
    case "5.1":
    case "5.2":
    case "5.3":
      return true;
    case "5.4": {
      // Expected times above 1e6 steps would make the tolerance meaningless for a learner's solver.
      const T = args[0] as number[][];
      return T.every((r) => r.every((x) => x === 0 || x >= 1e-3));
    }
    case "5.5": {
      const [l, , tau] = args as [number[], number, number];
      // At τ = 0 a tie for the largest logit would make "greedy" depend on the tie rule alone.
      if (tau === 0) return l.filter((x) => x === Math.max(...l)).length === 1;
      return true;
    }
    case "6.1":
      return true;
    case "6.2": {
      const [k, p] = args as [number, WaluigiParams];
      if (p.pFriendly === 0 || p.pFriendly === 1) return true;
      return Number.isFinite(1 / revealProbability(k, p)) && 1 / revealProbability(k, p) < 1e250;
    }
  }
  const p = args[args.length - 1] as WaluigiParams;
  return wellConditioned(p, id === "6.C.6" ? 1 : windowOf(id, args));
}

/** The largest window a draw involves (for the conditioning test). */
function windowOf(id: string, args: unknown[]): number {
  if (id === "6.C.1") return args[1] as number;
  if (id === "6.C.4") return 2;
  if (id === "6.C.6") return 60;
  return args[0] as number;
}

function keyOf(args: unknown[]): string {
  return JSON.stringify(args, (_k, v) => (v === Infinity ? "Infinity" : v));
}

function rawDraws(id: string, seed: string, set: "graded" | "public"): Draw[] {
  const rng = seedrandom(`${seed}:${set}:${id}`);
  const out: Draw[] = [];
  for (const family of families(id)) {
    const count = set === "graded" ? family.graded : family.public;
    for (let i = 0; i < count; i++) {
      for (let attempt = 0; ; attempt++) {
        if (attempt > 1000) throw new Error(`cannot draw a well-conditioned ${family.name} case for ${id}`);
        const args = family.make(rng);
        if (!wellPosed(id, args)) continue;
        if (id === "6.C.6" && !stickinessWellPosed(args[0] as number, args[1] as WaluigiParams)) continue;
        if (out.some((d) => keyOf(d.args) === keyOf(args))) continue;
        out.push({ args, family: family.name });
        break;
      }
    }
  }
  return out;
}

/**
 * The draws of one exercise. The public set never repeats a graded draw (ties are redrawn), so the
 * answers shipped with the course are not answers the grader scores.
 */
export function drawsFor(id: string, options: DrawOptions): Draw[] {
  exerciseById(id);
  const seed = options.seed ?? DEFAULT_SEED;
  if (options.set === "graded") return rawDraws(id, seed, "graded");
  const graded = new Set(rawDraws(id, seed, "graded").map((d) => keyOf(d.args)));
  const pub = rawDraws(id, seed, "public").filter((d) => !graded.has(keyOf(d.args)));
  if (pub.length === 0) throw new Error(`public draws for ${id} all coincide with graded ones; change the seed`);
  return pub;
}
