/**
 * The waluigi toy model (Remark 6.B), as restored in the course spec §3.
 *
 * Tokens N (null padding, never emitted), F (friendly), U (unfriendly). The model keeps two
 * hypotheses about the author of the page: Luigi, who always writes F, and Waluigi, who writes U once
 * a U is on the page and otherwise writes F with probability p (keeping up the act) or U (revealing
 * himself). With prior λ = P(Luigi), the model scores the current page by Bayes and predicts with the
 * posterior mixture. Convention (the seed is silent): a page with a U can only be Waluigi's, and N
 * carries no evidence. On a page without U holding n tokens F,
 *
 *     P(W | page) = (1 − λ) pⁿ / (λ + (1 − λ) pⁿ),
 *     P(F | page) = f(n) = (λ + (1 − λ) pⁿ⁺¹) / (λ + (1 − λ) pⁿ),    P(U | page) = 1 − f(n).
 *
 *     const params = { luigiPrior: 0.9, pFriendly: 0.8 };
 *     friendlyProbability(3, params);            // f(3)
 *     waluigiChain(4, params).chain.closedClasses;   // [[index of UUUU]]
 */
import type { DigitModel, NextTokenModel } from "./model";
import { PageChain, type PageChainOptions, allocateProbs, pageChainFromDigits } from "./pageChain";
import { PageSpace, type PageLike } from "./pages";
import { stochasticMatrixByConstruction } from "./sparse";
import { STOCHASTIC_TOLERANCE, checkInteger, describe } from "./validate";

/** A page of the toy model written as a string over "NFU", oldest token first (spec §5). */
export type Page = string;

export interface WaluigiParams {
  /** λ = P(Luigi), in (0, 1). */
  luigiPrior: number;
  /** p = P(F | Waluigi, no U on the page), in [0, 1]. */
  pFriendly: number;
}

export const WALUIGI_TOKENS = Object.freeze(["N", "F", "U"] as const);
const N = 0, F = 1, U = 2;

export function checkWaluigiParams(params: unknown, argName = "params"): WaluigiParams {
  if (params === null || typeof params !== "object") throw new TypeError(`${argName} must be an object { luigiPrior, pFriendly }; got ${describe(params)}`);
  const { luigiPrior, pFriendly } = params as Record<string, unknown>;
  if (typeof luigiPrior !== "number") throw new TypeError(`${argName}.luigiPrior must be a number in (0, 1); got ${describe(luigiPrior)}`);
  if (!(luigiPrior > 0 && luigiPrior < 1)) throw new RangeError(`${argName}.luigiPrior must be in (0, 1); got ${describe(luigiPrior)}`);
  if (typeof pFriendly !== "number") throw new TypeError(`${argName}.pFriendly must be a number in [0, 1]; got ${describe(pFriendly)}`);
  if (!(pFriendly >= 0 && pFriendly <= 1)) throw new RangeError(`${argName}.pFriendly must be in [0, 1]; got ${describe(pFriendly)}`);
  return { luigiPrior, pFriendly };
}

/** Both next-token probabilities on a U-free page with n tokens F: [P(F), P(U)]. */
function friendlyUnfriendly(n: number, { luigiPrior: lambda, pFriendly: p }: WaluigiParams): [number, number] {
  const w = (1 - lambda) * p ** n; // unnormalised weight of Waluigi (0^0 = 1)
  const denominator = lambda + w;
  // P(U) from its own product, not as 1 − P(F): it stays accurate when it is tiny.
  return [(lambda + w * p) / denominator, (w * (1 - p)) / denominator];
}

/** f(n) = P(F | a U-free page with n tokens F). */
export function friendlyProbability(n: number, params: WaluigiParams): number {
  checkInteger("n", n, 0);
  return friendlyUnfriendly(n, checkWaluigiParams(params))[0];
}

/** 1 − f(n), computed without cancellation. */
export function revealProbability(n: number, params: WaluigiParams): number {
  checkInteger("n", n, 0);
  return friendlyUnfriendly(n, checkWaluigiParams(params))[1];
}

/** P(Waluigi | page): 1 on a page with a U, else the Bayes posterior after its F tokens. */
export function waluigiPosterior(page: PageLike, params: WaluigiParams): number {
  const { luigiPrior: lambda, pFriendly: p } = checkWaluigiParams(params);
  const tokens = new PageSpace(WALUIGI_TOKENS, Math.max(1, page.length)).tokensOf(page);
  if (tokens.includes("U")) return 1;
  const w = (1 - lambda) * p ** tokens.filter((t) => t === "F").length;
  return w / (lambda + w);
}

/** μ(· | page) as a learner-facing model: page tokens in, { N, F, U } out. */
export function waluigiModel(params: WaluigiParams): NextTokenModel {
  const checked = checkWaluigiParams(params);
  return (page) => {
    if (page.includes("U")) return { N: 0, F: 0, U: 1 };
    const [f, u] = friendlyUnfriendly(page.filter((t) => t === "F").length, checked);
    return { N: 0, F: f, U: u };
  };
}

/** The same model in the fast digit form, with f(0 … k) computed once. */
export function waluigiDigitModel(k: number, params: WaluigiParams): DigitModel {
  const checked = checkWaluigiParams(params);
  const table = Array.from({ length: k + 1 }, (_, n) => friendlyUnfriendly(n, checked));
  return (digits, out) => {
    let friendly = 0, unfriendly = false;
    for (let i = 0; i < digits.length; i++) {
      if (digits[i] === U) unfriendly = true;
      else if (digits[i] === F) friendly++;
    }
    out[N] = 0;
    if (unfriendly) {
      out[F] = 0;
      out[U] = 1;
    } else {
      [out[F], out[U]] = table[friendly];
    }
  };
}

/** The waluigi page chain: on all of {N, F, U}^k, or on the pages reachable from a prompt. */
export function waluigiChain(k: number, params: WaluigiParams, options?: PageChainOptions): PageChain {
  checkInteger("k", k, 1);
  const fullSpace = options?.prompt === undefined && options?.prompts === undefined;
  // Above 3^k · 3 = 2^31 entries the generic builder throws its explanatory error.
  if (fullSpace && 3 ** (k + 1) <= 2 ** 31) return fullSpaceChain(k, checkWaluigiParams(params));
  return pageChainFromDigits(waluigiDigitModel(k, params), WALUIGI_TOKENS, k, options);
}

/**
 * The chain on all of {N, F, U}^k without calling the digit model page by page: μ(· | page) depends
 * only on whether the page holds a U and on its number of F, and page i's statistics are those of
 * its prefix ⌊i/3⌋ (one token shorter) plus its newest token. So the statistics grow a level at a
 * time, one byte per prefix, and every row is read from the same table the digit model uses: the
 * same numbers, bit for bit, in a few passes over memory instead of k digit reads per page.
 *
 * The sparse matrix T is written in the same pass (page a·3^(k−1) + j moves to 3j + t), with the
 * entries the generic `PageChain.matrix` would derive from the table (positive ones only, tokens in
 * order). Every row is a copy of one of the ≤ 2k + 3 rows of the table, which are checked here, so
 * the matrix needs no scan of its millions of rows (`stochasticMatrixByConstruction`).
 */
function fullSpaceChain(k: number, params: WaluigiParams): PageChain {
  const space = new PageSpace(WALUIGI_TOKENS, k);
  const HAS_U = 128; // flag bit; F counts (≤ k ≤ 19 here) stay below it
  const table = Array.from({ length: k + 1 }, (_, n) => friendlyUnfriendly(n, params));
  const pF = new Float64Array(256), pU = new Float64Array(256);
  // entries[c]: non-zeros of a row with statistics c (its F entry if positive, then its U entry).
  const entries = new Uint8Array(256);
  for (let c = 0; c < 256; c++) {
    if (c & HAS_U) pU[c] = 1;
    else if (c <= k) [pF[c], pU[c]] = table[c];
    else continue;
    const f = pF[c], u = pU[c];
    if (!(f >= 0 && u >= 0 && f !== Infinity && u !== Infinity && Math.abs(f + u - 1) <= STOCHASTIC_TOLERANCE)) {
      throw new RangeError(`waluigi chain: next-token probabilities (F ${f}, U ${u}) for statistics ${c} are not a distribution`);
    }
    entries[c] = (f > 0 ? 1 : 0) + (u > 0 ? 1 : 0);
  }
  // code[q] for the 3^(k−1) prefixes, grown in place: at each level, prefix q of the shorter space
  // becomes pages 3q (N), 3q + 1 (F), 3q + 2 (U). Descending q never overwrites a code not yet read.
  const L = 3 ** (k - 1), n = 3 * L;
  const probs = allocateProbs(n, 3, k);
  const code = new Uint8Array(L);
  for (let size = 3; size <= L; size *= 3) {
    for (let q = size / 3 - 1; q >= 0; q--) {
      const c = code[q], b = 3 * q;
      code[b + 2] = c | HAS_U;
      code[b + 1] = c & HAS_U ? c : c + 1;
      code[b] = c;
    }
  }
  let nnz = 0;
  for (let q = 0; q < L; q++) {
    const c = code[q];
    nnz += entries[c] + entries[c & HAS_U ? c : c + 1] + 1;
  }
  const rowStart = new Int32Array(n + 1);
  const col = new Int32Array(nnz);
  const value = new Float64Array(nnz);
  // Page 3q + t, row (3q + t)·3: appending N keeps the statistics, F adds one, U sets the flag.
  // Its successors are 3j + t' with j = (3q + t) mod L.
  let e = 0, i = 0, base = 0;
  for (let q = 0, o = 0; q < L; q++, o += 9) {
    const c = code[q], cF = c & HAS_U ? c : c + 1;
    for (let t = 0; t < 3; t++) {
      const s = t === 0 ? c : t === 1 ? cF : c | HAS_U;
      const f = pF[s], u = pU[s];
      probs[o + 3 * t + F] = f;
      probs[o + 3 * t + U] = u;
      if (f > 0) {
        col[e] = base + F;
        value[e++] = f;
      }
      if (u > 0) {
        col[e] = base + U;
        value[e++] = u;
      }
      rowStart[++i] = e;
      base += 3;
      if (base === n) base = 0;
    }
  }
  return new PageChain(space, null, probs, stochasticMatrixByConstruction(n, rowStart, col, value));
}
