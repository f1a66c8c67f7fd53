/**
 * Small next-token models for the course's examples (Remarks 4 and 5).
 *
 * They stand in for GPT on tiny vocabularies and windows, so every page can be enumerated:
 *
 * - `logitModel`: any score function turned into a model by softmax at a temperature;
 * - `copyModel`: a pattern copier (an "induction head"): it finds the last token's previous
 *   occurrence on the page and favours the token that followed it, which traps it in loops such as
 *   "the dog and the dog and …" (Remark 5.C);
 * - `arithmeticModel`: writes a number sequence such as 1,2,3,… or 1,2,4,8,… digit by digit, reading
 *   the previous number off the page; a finite window eventually hides that number, so the sequence
 *   ends in a cycle (Remark 5.E).
 *
 *     const copier = copyModel(["the", "dog", "and", "cat"], { strength: 4, temperature: 0.5 });
 *     copier(["the", "dog", "and", "the"]);   // mostly "dog"
 *     const count = arithmeticModel((n) => n + 1n);
 *     count(Array.from("1,2,3,"));            // { "4": 1 }
 */
import { type NextTokenModel, softmax } from "./model";
import { Vocabulary } from "./pages";
import { checkFinite, describe } from "./validate";

/** A model from a score (logit) function: μ(· | page) = softmax(logits(page) / temperature). */
export function logitModel(vocabulary: Vocabulary | readonly string[], logits: (page: readonly string[]) => readonly number[], temperature = 1): NextTokenModel {
  const vocab = vocabulary instanceof Vocabulary ? vocabulary : new Vocabulary(vocabulary);
  if (typeof logits !== "function") throw new TypeError(`logits must be a function from a page to one score per token; got ${describe(logits)}`);
  checkFinite("temperature", temperature);
  if (temperature < 0) throw new RangeError(`temperature must be ≥ 0; got ${describe(temperature)}`);
  return (page) => {
    const scores = logits(page);
    if (!Array.isArray(scores) || scores.length !== vocab.size) {
      throw new RangeError(`logits(${describe(page.join(" "))}) must return ${vocab.size} scores (one per token of ${describe(vocab.tokens)}); got ${describe(scores)}`);
    }
    return softmax(scores as number[], temperature);
  };
}

export interface CopyModelOptions {
  /** Logit bonus for the token that followed the last token's previous occurrence (default 4). */
  strength?: number;
  /** Softmax temperature (default 1; 0 is greedy). */
  temperature?: number;
}

/**
 * The token the copier favours on a page: the one that followed the most recent earlier occurrence
 * of the page's last token, or `undefined` when the last token occurs nowhere else on the page.
 */
export function copyTarget(page: readonly string[]): string | undefined {
  const last = page[page.length - 1];
  for (let i = page.length - 2; i >= 0; i--) if (page[i] === last) return page[i + 1];
  return undefined;
}

/** The pattern copier: logits 0 everywhere except `strength` on the copy target. */
export function copyModel(vocabulary: Vocabulary | readonly string[], options: CopyModelOptions = {}): NextTokenModel {
  const vocab = vocabulary instanceof Vocabulary ? vocabulary : new Vocabulary(vocabulary);
  const strength = checkFinite("options.strength", options.strength ?? 4);
  return logitModel(vocab, (page) => {
    const target = copyTarget(page);
    return vocab.tokens.map((t) => (t === target ? strength : 0));
  }, options.temperature ?? 1);
}

/** Tokens of `arithmeticModel`: the ten digits and the separator ",". */
export const ARITHMETIC_TOKENS = Object.freeze(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", ","]);

/**
 * A deterministic model that writes `rule(previous)` after each number, as in "1,2,3," or
 * "1,2,4,8,". It reads the page as the model would see it:
 *
 * - the number being written is the digits after the last ","; the previous number is the digits
 *   between the two last "," — or from the page's start, when the window has cut it (then the model
 *   misreads it: it only sees the digits that are left), an empty number reads as 0;
 * - it writes the next digit of `rule(previous)`, or "," once that number is complete;
 * - with no "," on the page, or a number that does not match, it writes "," and starts afresh.
 */
export function arithmeticModel(rule: (previous: bigint) => bigint): NextTokenModel {
  if (typeof rule !== "function") throw new TypeError(`rule must be a function from a BigInt to a BigInt; got ${describe(rule)}`);
  return (page) => {
    const text = page.join("");
    const last = text.lastIndexOf(",");
    if (last < 0) return { ",": 1 };
    const current = text.slice(last + 1);
    const before = text.lastIndexOf(",", last - 1);
    const previousDigits = text.slice(before + 1, last);
    const next = rule(previousDigits === "" ? 0n : BigInt(previousDigits));
    if (typeof next !== "bigint" || next < 0n) throw new RangeError(`rule(${previousDigits || 0}n) must be a BigInt ≥ 0n; got ${describe(next)}`);
    const target = next.toString();
    if (current === target || !target.startsWith(current)) return { ",": 1 };
    return { [target[current.length]]: 1 };
  };
}
