/**
 * Reference solutions to every exercise of the course — Remarks 4, 5 and 6 and the eleven 6.C
 * exercises (spec §5) — under the names the workbooks and the grader use, with the reference written
 * answers. Each solution shows the intended way: it builds the answer from the definitions and uses
 * the library only where its exercise allows (tools/grader/exercises.ts lists what is forbidden).
 *
 *     import { secondEigenvalue, writtenAnswers } from "../solutions";
 */
import { writtenAnswer as answer55 } from "./5.5";
import { writtenAnswer as answer62 } from "./6.2";
import { writtenAnswer as answer3 } from "./6.C.3";
import { writtenAnswer as answer5 } from "./6.C.5";
import { writtenAnswer as answer6 } from "./6.C.6";
import { writtenAnswer as answer8 } from "./6.C.8";
import { writtenAnswer as answer9 } from "./6.C.9";
import { writtenAnswer as answer10 } from "./6.C.10";
import { writtenAnswer as answer11 } from "./6.C.11";

export { countPages } from "./4.1";
export { nextTokenMatrix } from "./4.2";
export { distributionAfter } from "./4.3";
export { kStepProbability } from "./4.4";
export { stationaryDistribution } from "./4.5";
export { absorbingStates } from "./5.1";
export { greedyTrajectory } from "./5.2";
export { closedSets } from "./5.3";
export { expectedStepsToAbsorption } from "./5.4";
export { escapeProbability } from "./5.5";
export { waluigiCredence } from "./6.1";
export { dwellTime } from "./6.2";
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

/** How an exercise's function is graded: its workbook, its arguments and the shape of its answer. */
export interface Exercise {
  id: string;
  workbook: "4" | "5" | "6" | "6C";
  functionName: string;
  signature: string;
  /** What the auto-graded function returns, which decides how answers are compared. */
  answer: "number" | "string" | "vector" | "matrix" | "edge-set" | "vector-set" | "page-set-set" | "index-set" | "index-set-set" | "orbit";
  /** Whether the exercise also asks for a written answer. */
  written: boolean;
}

const P = "params: WaluigiParams";
const TABLE = "Record<string, Record<string, number>>";
export const EXERCISES: readonly Exercise[] = [
  { id: "4.1", workbook: "4", functionName: "countPages", signature: "countPages(vocabularySize: number, k: number): string", answer: "string", written: false },
  { id: "4.2", workbook: "4", functionName: "nextTokenMatrix", signature: `nextTokenMatrix(model: ${TABLE}, tokens: string[], k: number): number[][]`, answer: "matrix", written: false },
  { id: "4.3", workbook: "4", functionName: "distributionAfter", signature: "distributionAfter(T: number[][], start: number[], n: number): number[]", answer: "vector", written: false },
  { id: "4.4", workbook: "4", functionName: "kStepProbability", signature: `kStepProbability(model: ${TABLE}, from: string, to: string): number`, answer: "number", written: false },
  { id: "4.5", workbook: "4", functionName: "stationaryDistribution", signature: "stationaryDistribution(T: number[][]): number[]", answer: "vector", written: false },
  { id: "5.1", workbook: "5", functionName: "absorbingStates", signature: "absorbingStates(T: number[][]): number[]", answer: "index-set", written: false },
  { id: "5.2", workbook: "5", functionName: "greedyTrajectory", signature: "greedyTrajectory(T: number[][], start: number): { transient: number; period: number }", answer: "orbit", written: false },
  { id: "5.3", workbook: "5", functionName: "closedSets", signature: "closedSets(T: number[][]): number[][]", answer: "index-set-set", written: false },
  { id: "5.4", workbook: "5", functionName: "expectedStepsToAbsorption", signature: "expectedStepsToAbsorption(T: number[][], start: number): number", answer: "number", written: false },
  { id: "5.5", workbook: "5", functionName: "escapeProbability", signature: "escapeProbability(logits: number[], stay: number, temperature: number): number", answer: "number", written: true },
  { id: "6.1", workbook: "6", functionName: "waluigiCredence", signature: `waluigiCredence(page: Page, ${P}): number`, answer: "number", written: false },
  { id: "6.2", workbook: "6", functionName: "dwellTime", signature: `dwellTime(k: number, ${P}): number`, answer: "number", written: true },
  { id: "6.C.1", workbook: "6C", functionName: "stayFriendlyPadded", signature: `stayFriendlyPadded(n: number, k: number, ${P}): number`, answer: "number", written: false },
  { id: "6.C.2", workbook: "6C", functionName: "stayFriendlyFull", signature: `stayFriendlyFull(k: number, ${P}): number`, answer: "number", written: false },
  { id: "6.C.3", workbook: "6C", functionName: "transitionNetwork", signature: `transitionNetwork(k: number, ${P}): { from: Page; to: Page; token: "F" | "U"; prob: number }[]`, answer: "edge-set", written: true },
  { id: "6.C.4", workbook: "6C", functionName: "transitionMatrixK2", signature: `transitionMatrixK2(${P}): number[][]`, answer: "matrix", written: false },
  { id: "6.C.5", workbook: "6C", functionName: "expectedStepsToReveal", signature: `expectedStepsToReveal(k: number, ${P}): number`, answer: "number", written: true },
  { id: "6.C.6", workbook: "6C", functionName: "contextForStickiness", signature: `contextForStickiness(steps: number, ${P}): number`, answer: "number", written: true },
  { id: "6.C.7", workbook: "6C", functionName: "transitionMatrix", signature: `transitionMatrix(k: number, ${P}): number[][]`, answer: "matrix", written: false },
  { id: "6.C.8", workbook: "6C", functionName: "stationaryDistributions", signature: `stationaryDistributions(k: number, ${P}): number[][]`, answer: "vector-set", written: true },
  { id: "6.C.9", workbook: "6C", functionName: "secondEigenvalue", signature: `secondEigenvalue(k: number, ${P}): number`, answer: "number", written: true },
  { id: "6.C.10", workbook: "6C", functionName: "kStepMatrix", signature: `kStepMatrix(k: number, ${P}): number[][]`, answer: "matrix", written: true },
  { id: "6.C.11", workbook: "6C", functionName: "closedClasses", signature: `closedClasses(k: number, ${P}): Page[][]`, answer: "page-set-set", written: true },
];

/** Reference written answers, shown to a human grader beside the learner's. */
export const writtenAnswers: Readonly<Record<string, string>> = {
  "5.5": answer55,
  "6.2": answer62,
  "6.C.3": answer3,
  "6.C.5": answer5,
  "6.C.6": answer6,
  "6.C.8": answer8,
  "6.C.9": answer9,
  "6.C.10": answer10,
  "6.C.11": answer11,
};
