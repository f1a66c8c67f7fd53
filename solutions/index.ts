/**
 * Reference solutions to the eleven 6.C exercises (spec §5), under the names the workbook and the
 * grader use, with the reference written answers for the questions that ask to "state informally".
 *
 *     import { secondEigenvalue, writtenAnswers } from "../solutions";
 */
import { writtenAnswer as answer5 } from "./6.C.5";
import { writtenAnswer as answer6 } from "./6.C.6";
import { writtenAnswer as answer8 } from "./6.C.8";
import { writtenAnswer as answer9 } from "./6.C.9";

export { stayFriendlyPadded } from "./6.C.1";
export { stayFriendlyFull } from "./6.C.2";
export { transitionNetwork, drawTransitionNetwork, type NetworkEdge } from "./6.C.3";
export { transitionMatrixK2 } from "./6.C.4";
export { expectedStepsToReveal } from "./6.C.5";
export { contextForStickiness } from "./6.C.6";
export { transitionMatrix } from "./6.C.7";
export { stationaryDistributions } from "./6.C.8";
export { secondEigenvalue } from "./6.C.9";
export { kStepMatrix } from "./6.C.10";
export { closedClasses } from "./6.C.11";

/** How an exercise's function is graded: its arguments and the shape of its answer. */
export interface Exercise {
  id: string;
  functionName: string;
  signature: string;
  /** What the auto-graded function returns, which decides how answers are compared. */
  answer: "number" | "matrix" | "edge-set" | "vector-set" | "page-set-set";
  /** Whether the exercise also asks for a written answer ("state informally"). */
  written: boolean;
}

const P = "params: WaluigiParams";
export const EXERCISES: readonly Exercise[] = [
  { id: "6.C.1", functionName: "stayFriendlyPadded", signature: `stayFriendlyPadded(n: number, k: number, ${P}): number`, answer: "number", written: false },
  { id: "6.C.2", functionName: "stayFriendlyFull", signature: `stayFriendlyFull(k: number, ${P}): number`, answer: "number", written: false },
  { id: "6.C.3", functionName: "transitionNetwork", signature: `transitionNetwork(k: number, ${P}): { from: Page; to: Page; token: "F" | "U"; prob: number }[]`, answer: "edge-set", written: false },
  { id: "6.C.4", functionName: "transitionMatrixK2", signature: `transitionMatrixK2(${P}): number[][]`, answer: "matrix", written: false },
  { id: "6.C.5", functionName: "expectedStepsToReveal", signature: `expectedStepsToReveal(k: number, ${P}): number`, answer: "number", written: true },
  { id: "6.C.6", functionName: "contextForStickiness", signature: `contextForStickiness(steps: number, ${P}): number`, answer: "number", written: true },
  { id: "6.C.7", functionName: "transitionMatrix", signature: `transitionMatrix(k: number, ${P}): number[][]`, answer: "matrix", written: false },
  { id: "6.C.8", functionName: "stationaryDistributions", signature: `stationaryDistributions(k: number, ${P}): number[][]`, answer: "vector-set", written: true },
  { id: "6.C.9", functionName: "secondEigenvalue", signature: `secondEigenvalue(k: number, ${P}): number`, answer: "number", written: true },
  { id: "6.C.10", functionName: "kStepMatrix", signature: `kStepMatrix(k: number, ${P}): number[][]`, answer: "matrix", written: false },
  { id: "6.C.11", functionName: "closedClasses", signature: `closedClasses(k: number, ${P}): Page[][]`, answer: "page-set-set", written: false },
];

/** Reference written answers, shown to a human grader beside the learner's. */
export const writtenAnswers: Readonly<Record<string, string>> = {
  "6.C.5": answer5,
  "6.C.6": answer6,
  "6.C.8": answer8,
  "6.C.9": answer9,
};
