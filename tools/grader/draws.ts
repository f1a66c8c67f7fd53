/**
 * Seeded parameter draws for the 6.C exercises: the graded set and the public set behind `check`.
 *
 * Each exercise gets edge cases (p = 0, p = 1, k = 1, λ = 0.001 and λ = 0.999, Infinity where the
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
      { name: "λ = 0.001", graded: 1, public: 0, make: make(lambdaEdge(0.001)) },
      { name: "λ = 0.999", graded: 1, public: 0, make: make(lambdaEdge(0.999)) },
      ...extra,
    ];
  };
  switch (id) {
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
        { name: "λ = 0.001", graded: 1, public: 0, make: nk(lambdaEdge(0.001)) },
        { name: "λ = 0.999", graded: 1, public: 0, make: nk(lambdaEdge(0.999)) },
      ];
    }
    case "6.C.2":
      return standardK(1, 20, 8);
    case "6.C.3":
      return standardK(1, 4, 6);
    case "6.C.4":
      return [
        { name: "random", graded: 8, public: 2, make: (rng) => [randomParams(rng)] },
        { name: "p = 0", graded: 1, public: 1, make: (rng) => [pEdge(0)(rng)] },
        { name: "p = 1", graded: 1, public: 1, make: (rng) => [pEdge(1)(rng)] },
        { name: "λ = 0.001", graded: 1, public: 0, make: (rng) => [lambdaEdge(0.001)(rng)] },
        { name: "λ = 0.999", graded: 1, public: 0, make: (rng) => [lambdaEdge(0.999)(rng)] },
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
        { name: "λ = 0.001", graded: 1, public: 0, make: (rng) => [steps(rng), lambdaEdge(0.001)(rng)] },
        { name: "λ = 0.999", graded: 1, public: 0, make: (rng) => [steps(rng), lambdaEdge(0.999)(rng)] },
      ];
    }
    case "6.C.7":
      return standardK(1, 4, 5, [
        { name: "k = 5", graded: 1, public: 0, make: kParams(5, 5)(randomParams) },
        { name: "k = 6", graded: 1, public: 0, make: kParams(6, 6)(randomParams) },
      ]);
    case "6.C.8":
      return standardK(1, 5, 6);
    case "6.C.9":
      return standardK(1, 4, 6);
    case "6.C.10":
      return standardK(1, 4, 5, [{ name: "k = 5", graded: 1, public: 0, make: kParams(5, 5)(randomParams) }]);
    case "6.C.11":
      return standardK(1, 5, 5, [{ name: "k = 6", graded: 1, public: 0, make: kParams(6, 6)(randomParams) }]);
  }
  throw new RangeError(`id must be a 6.C exercise id; got ${JSON.stringify(id)}`);
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
        const p = args[args.length - 1] as WaluigiParams;
        if (!wellConditioned(p, id === "6.C.6" ? 1 : windowOf(id, args))) continue;
        if (id === "6.C.6" && !stickinessWellPosed(args[0] as number, p)) continue;
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
