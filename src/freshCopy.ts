/**
 * A fresh copy of a closure factory, for hot loops that V8 should compile per instance.
 *
 * V8 compiles a closure to machine code specialised to what it captured (typed arrays' data and
 * lengths, numbers: constants in the code) only while its function literal has made one closure.
 * From the second closure of the same literal on, every instance runs generic code that keeps those
 * values in registers and memory. For the waluigi chain's step at k = 15 that was measured 1.6–1.8×
 * slower, pinned to one CPU: 13.4 against 22 ms per step from a point mass, 17 against 31 ms on a
 * dense π, so every chain after a notebook's first paid it. A copy compiled from the factory's own
 * text is a new literal with its own feedback, so each instance gets the specialised code again. A
 * copy starts in the interpreter, though: it pays only for work long enough to repay that (the
 * waluigi chain moves to its own copy after 5 · 10⁷ page-steps on the shared one).
 *
 * The factory must be self-contained (no reference to anything outside its own text: the copy is
 * compiled in the global scope) and its text is this library's own compiled code, never input.
 *
 *     const makeStep = freshCopy(stepFactory);   // once per instance
 *     const step = makeStep(code, table, L);
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any factory signature
type Factory = (...args: any[]) => unknown;

const sources = new WeakMap<Factory, string>();
let copies = 0;

export function freshCopy<F extends Factory>(factory: F): F {
  let source = sources.get(factory);
  if (source === undefined) {
    source = `"use strict"; return (${factory.toString()});`;
    sources.set(factory, source);
  }
  // The counter makes each text unique: V8 caches compiled `new Function` code by its text, and a
  // cached copy would share the literal (and so the generic code) with the copies before it.
  return new Function(`${source} // copy ${++copies}`)() as F;
}

/** How many copies this process has made (for tests: which work gets a copy and which does not). */
export function copiesMade(): number {
  return copies;
}
