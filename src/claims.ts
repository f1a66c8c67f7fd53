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

/**
 * Several checks that print one line together, so a cell that confirms many facts shows one `✓`
 * line. A failing check still stops the run at once with its own message.
 *
 *     const c = checks();
 *     c.claim(pi.length === 8, "one probability per page");
 *     c.close("π T = π", maxDiff(step(pi), pi), 0, { abs: 1e-12 });
 *     c.done("the stationary distribution is a fixed point");   // ✓ the stationary … (2 checks)
 */
export class Checks {
  private count = 0;

  /** Like `claim`, without the printed line. */
  claim(condition: boolean, message: string): this {
    if (typeof message !== "string" || message.length === 0) throw new TypeError(`message must be a non-empty string; got ${describe(message)}`);
    if (typeof condition !== "boolean") throw new TypeError(`condition must be a boolean (for "${message}"); got ${describe(condition)}`);
    if (!condition) throw new Error(`Claim failed: ${message}`);
    this.count++;
    return this;
  }

  /** Like `claimClose`, without the printed line. */
  close(what: string, actual: number, expected: number, tolerance: { abs?: number; rel?: number } = {}): this {
    if (typeof what !== "string" || what.length === 0) throw new TypeError(`what must be a non-empty string; got ${describe(what)}`);
    if (typeof actual !== "number" || Number.isNaN(actual)) throw new TypeError(`actual (${what}) must be a number; got ${describe(actual)}`);
    if (typeof expected !== "number" || Number.isNaN(expected)) throw new TypeError(`expected (${what}) must be a number; got ${describe(expected)}`);
    const abs = tolerance.abs ?? 1e-9, rel = tolerance.rel ?? 1e-9;
    const ok = actual === expected || Math.abs(actual - expected) <= abs + rel * Math.abs(expected);
    if (!ok) throw new Error(`Claim failed: ${what} = ${actual} (expected ${expected}, tolerance ${abs} + ${rel}·|expected|)`);
    this.count++;
    return this;
  }

  /** Prints `✓ summary (n checks)`; a group with no check is a mistake in the notebook. */
  done(summary: string): void {
    if (typeof summary !== "string" || summary.length === 0) throw new TypeError(`summary must be a non-empty string; got ${describe(summary)}`);
    if (this.count === 0) throw new Error(`Claim failed: "${summary}" was announced, but no check ran`);
    console.log(`✓ ${summary} (${this.count} check${this.count === 1 ? "" : "s"})`);
  }
}

/** A new group of checks; see `Checks`. */
export function checks(): Checks {
  return new Checks();
}
