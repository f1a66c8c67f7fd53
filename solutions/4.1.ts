/**
 * 4.1 — the exact number of pages |V|^k.
 *
 * A page is k tokens, each one of |V|, so there are |V|^k pages. For a real model this is far beyond
 * what a double holds exactly (about 16 significant digits), so the count is a BigInt, returned as its
 * decimal digits. GPT-2's 50257 tokens and a 2048-token window give a number of 9629 digits.
 *
 *     countPages(3, 2);           // "9"
 *     countPages(50257, 2048);    // "11234561737…" (9629 digits)
 */
import { checkInteger } from "llm-dynamics";

export function countPages(vocabularySize: number, k: number): string {
  checkInteger("vocabularySize", vocabularySize, 1);
  checkInteger("k", k, 1);
  return (BigInt(vocabularySize) ** BigInt(k)).toString();
}
