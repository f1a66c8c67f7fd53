/**
 * 4.4 — one entry of T^k, by following its single path.
 *
 * After k steps every token of the page has been replaced, and the pages in between are fixed by the
 * start and the end: after j steps the page is from[j…] followed by to[…j). So T^k[from][to] is not a
 * sum over paths but one product, of the probability of writing to[j] on the j-th page.
 *
 *     kStepProbability({ A: { A: 0.9, B: 0.1 }, B: { A: 0.5, B: 0.5 } }, "A", "B");   // 0.1
 */
export function kStepProbability(model: Record<string, Record<string, number>>, from: string, to: string): number {
  if (to.length !== from.length) throw new RangeError(`to must have as many tokens as from (${from.length}); got ${JSON.stringify(to)}`);
  let prob = 1;
  for (let j = 0; j < from.length && prob > 0; j++) {
    const page = from.slice(j) + to.slice(0, j);
    const next = model[page];
    if (next === undefined) throw new RangeError(`model must give a distribution for page ${JSON.stringify(page)}`);
    prob *= next[to[j]] ?? 0;
  }
  return prob;
}
