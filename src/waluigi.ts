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
import { PageChain, type PageChainOptions, pageChainFromDigits } from "./pageChain";
import { PageSpace, type PageLike } from "./pages";
import { checkInteger, describe } from "./validate";

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
  return pageChainFromDigits(waluigiDigitModel(k, params), WALUIGI_TOKENS, k, options);
}
