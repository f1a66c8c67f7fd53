/**
 * An independent route to the waluigi toy model, for checking the reference solutions.
 *
 * It shares no code with src/ or solutions/: pages are plain strings, the chain is built by string
 * surgery (s → s.slice(1) + t), and the next-token distribution is Bayes by enumeration — the
 * probability that each hypothesis writes the page's tokens, one token at a time, by the rules of
 * spec §3, then the posterior-weighted prediction of each hypothesis.
 */
export interface Params {
  luigiPrior: number;
  pFriendly: number;
}

/** P(hypothesis writes `next` after `prefix`): Luigi always F; Waluigi U after a U, else F w.p. p. */
function emit(hypothesis: "L" | "W", prefix: string, next: string, p: number): number {
  if (hypothesis === "L") return next === "F" ? 1 : 0;
  if (prefix.includes("U")) return next === "U" ? 1 : 0;
  return next === "F" ? p : next === "U" ? 1 - p : 0;
}

/** Likelihood of the page's real (non-N) tokens under a hypothesis; N is padding, no evidence. */
function likelihood(hypothesis: "L" | "W", page: string, p: number): number {
  let prob = 1;
  for (let i = 0; i < page.length; i++) {
    if (page[i] === "N") continue;
    prob *= emit(hypothesis, page.slice(0, i), page[i], p);
  }
  return prob;
}

/** Posterior predictive μ(t | page) by enumerating the two hypotheses. */
export function predictive(page: string, { luigiPrior, pFriendly }: Params): Record<"N" | "F" | "U", number> {
  const weights = { L: luigiPrior * likelihood("L", page, pFriendly), W: (1 - luigiPrior) * likelihood("W", page, pFriendly) };
  const total = weights.L + weights.W;
  // Spec §3 convention: a page no hypothesis could write but holding a U is the waluigi's.
  if (total === 0) return { N: 0, F: 0, U: 1 };
  const out = { N: 0, F: 0, U: 0 };
  for (const h of ["L", "W"] as const) {
    for (const t of ["F", "U"] as const) out[t] += (weights[h] / total) * emit(h, page, t, pFriendly);
  }
  return out;
}

/** All pages of length k in canonical order (N < F < U, oldest token most significant). */
export function allPages(k: number): string[] {
  let pages = [""];
  for (let i = 0; i < k; i++) pages = pages.flatMap((s) => ["N", "F", "U"].map((t) => s + t));
  return pages;
}

/** The dense transition matrix built by string surgery. */
export function denseMatrix(k: number, params: Params): number[][] {
  const pages = allPages(k);
  const index = new Map(pages.map((s, i) => [s, i]));
  return pages.map((s) => {
    const row = new Array<number>(pages.length).fill(0);
    const mu = predictive(s, params);
    for (const t of ["N", "F", "U"] as const) if (mu[t] > 0) row[index.get(s.slice(1) + t)!] += mu[t];
    return row;
  });
}

export function matMul(a: number[][], b: number[][]): number[][] {
  const n = a.length, m = b[0].length;
  const out = Array.from({ length: n }, () => new Array<number>(m).fill(0));
  for (let i = 0; i < n; i++) for (let l = 0; l < b.length; l++) {
    const x = a[i][l];
    if (x !== 0) for (let j = 0; j < m; j++) out[i][j] += x * b[l][j];
  }
  return out;
}

/** Draws of the model's parameters for property tests, edge cases included, from a seeded LCG. */
export function parameterDraws(count: number, seed = 12345): Params[] {
  let state = seed >>> 0;
  const uniform = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const draws: Params[] = [
    { luigiPrior: 0.5, pFriendly: 0 },
    { luigiPrior: 0.5, pFriendly: 1 },
    { luigiPrior: 1e-6, pFriendly: 0.7 },
    { luigiPrior: 1 - 1e-6, pFriendly: 0.7 },
    { luigiPrior: 0.9, pFriendly: 0.8 },
  ];
  while (draws.length < count) draws.push({ luigiPrior: 0.01 + 0.98 * uniform(), pFriendly: uniform() });
  return draws;
}

/** A seeded uniform generator (independent of the library's seedrandom use). */
export function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}
