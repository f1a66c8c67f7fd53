/**
 * Checked claims for the course notebooks: a sentence in the prose that a computation can confirm is
 * confirmed in a cell, and a broken claim stops the notebook run with an Error saying which one.
 *
 * Each passing claim prints one "✓" line, so the saved notebook shows what was checked.
 *
 *     claim(chain.absorbingStates.length === 2, "the model has exactly two absorbing pages");
 *     claimClose("P(stay)", stay, 0.9, { abs: 1e-12 });
 */
import { describe } from "./validate";

/** Throws `Error("Claim failed: …")` unless `condition` is true; prints "✓ message" otherwise. */
export function claim(condition: boolean, message: string): void {
  if (typeof message !== "string" || message.length === 0) throw new TypeError(`message must be a non-empty string; got ${describe(message)}`);
  if (typeof condition !== "boolean") throw new TypeError(`condition must be a boolean (for "${message}"); got ${describe(condition)}`);
  if (!condition) throw new Error(`Claim failed: ${message}`);
  console.log(`✓ ${message}`);
}

/**
 * Checks |actual − expected| ≤ abs + rel · |expected| (defaults: abs 1e-9, rel 1e-9) and prints both
 * values; `what` names the quantity in the message.
 */
export function claimClose(what: string, actual: number, expected: number, tolerance: { abs?: number; rel?: number } = {}): void {
  if (typeof what !== "string" || what.length === 0) throw new TypeError(`what must be a non-empty string; got ${describe(what)}`);
  if (typeof actual !== "number" || Number.isNaN(actual)) throw new TypeError(`actual (${what}) must be a number; got ${describe(actual)}`);
  if (typeof expected !== "number" || Number.isNaN(expected)) throw new TypeError(`expected (${what}) must be a number; got ${describe(expected)}`);
  const abs = tolerance.abs ?? 1e-9, rel = tolerance.rel ?? 1e-9;
  const ok = actual === expected || Math.abs(actual - expected) <= abs + rel * Math.abs(expected);
  const text = `${what} = ${actual} (expected ${expected}, tolerance ${abs} + ${rel}·|expected|)`;
  if (!ok) throw new Error(`Claim failed: ${text}`);
  console.log(`✓ ${text}`);
}
