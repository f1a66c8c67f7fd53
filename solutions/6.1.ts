/**
 * 6.1 — the waluigi's credence after reading a page, P(W | page).
 *
 * By Bayes' rule, P(W | page) = P(page | W) P(W) / (P(page | L) P(L) + P(page | W) P(W)). Only the
 * waluigi writes U, so a page with a U is the waluigi's for sure. On a page without U, each F is
 * written by Luigi with probability 1 and by the waluigi with probability p, and N is padding that
 * carries no evidence; with n tokens F the posterior is (1 − ℓ) pⁿ / (ℓ + (1 − ℓ) pⁿ), with 0⁰ = 1.
 *
 *     waluigiCredence("NFF", { luigiPrior: 0.5, pFriendly: 0.5 });   // 0.2
 */
import { type Page, type WaluigiParams, checkWaluigiParams } from "llm-dynamics";

export function waluigiCredence(page: Page, params: WaluigiParams): number {
  const { luigiPrior: l, pFriendly: p } = checkWaluigiParams(params);
  if (page.includes("U")) return 1;
  let friendly = 0;
  for (const token of page) if (token === "F") friendly++;
  const waluigi = (1 - l) * p ** friendly;
  return waluigi / (l + waluigi);
}
