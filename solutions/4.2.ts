/**
 * 4.2 — the transition matrix of a small next-token model, built by hand.
 *
 * The model is a table: for every page (a string of k one-character tokens) the probability of each
 * next token. One step appends the token and deletes the oldest one, so from page i the token t leads
 * to the page whose index is (i mod |V|^(k−1))·|V| + t — pages are numerals in base |V|, oldest token
 * most significant (the canonical order). Row i of T holds μ(t | page i) in that column.
 *
 *     nextTokenMatrix({ A: { A: 0.9, B: 0.1 }, B: { A: 0.5, B: 0.5 } }, ["A", "B"], 1);
 *     // [[0.9, 0.1], [0.5, 0.5]]
 */
import { checkInteger } from "llm-dynamics";

export function nextTokenMatrix(model: Record<string, Record<string, number>>, tokens: string[], k: number): number[][] {
  checkInteger("k", k, 1);
  const V = tokens.length;
  const n = V ** k;
  const keep = V ** (k - 1);
  // The page with index i, written out: its base-|V| digits, oldest token first.
  const pageOf = (i: number): string => {
    let page = "";
    for (let j = 0; j < k; j++, i = Math.floor(i / V)) page = tokens[i % V] + page;
    return page;
  };
  const T = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    const next = model[pageOf(i)];
    if (next === undefined) throw new RangeError(`model must give a distribution for page ${JSON.stringify(pageOf(i))}`);
    for (let t = 0; t < V; t++) T[i][(i % keep) * V + t] += next[tokens[t]] ?? 0;
  }
  return T;
}
