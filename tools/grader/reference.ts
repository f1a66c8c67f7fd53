/**
 * Expected answers from the reference solutions (`solutions/`), computed in the grader's own process.
 *
 * Only the grader and the check-data generator import this file; the learner's sandbox never sees
 * it. Each expected answer is a plain copy (arrays, numbers, strings), so it can be compared, written
 * as JSON, or shown in feedback.
 *
 *     expectedAnswer("6.C.2", [3, { luigiPrior: 0.9, pFriendly: 0.8 }]);   // f(3)
 */
import * as solutions from "../../solutions";
import { exerciseById } from "./exercises";

type AnyFunction = (...args: unknown[]) => unknown;

/** The reference function of an exercise, by the spec's name. */
export function referenceFunction(id: string): AnyFunction {
  const name = exerciseById(id).functionName;
  const fn = (solutions as unknown as Record<string, unknown>)[name];
  if (typeof fn !== "function") throw new Error(`solutions/index.ts does not export a function ${name} for ${id}`);
  return fn as AnyFunction;
}

/** The reference written answer of an exercise, if it has one. */
export function referenceWrittenAnswer(id: string): string | undefined {
  return (solutions.writtenAnswers as Record<string, string | undefined>)[id];
}

function plain(value: unknown): unknown {
  if (Array.isArray(value) || ArrayBuffer.isView(value)) return Array.from(value as ArrayLike<unknown>, plain);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = plain(v);
    return out;
  }
  return value;
}

export function expectedAnswer(id: string, args: readonly unknown[]): unknown {
  return plain(referenceFunction(id)(...structuredClone(args as unknown[])));
}
