/**
 * The eleven 6.C exercises as the grader and the workbook see them (spec §5): the function each
 * exercise asks for, its parameters, how answers are compared, and the parts a human grades.
 *
 * This table does not depend on `solutions/` (the workbook and `check` data must build without it); a
 * test checks that it agrees with `solutions/index.ts`'s `EXERCISES`.
 *
 *     import { EXERCISE_SPECS, exerciseById } from "./exercises";
 *     exerciseById("6.C.4").functionName;   // "transitionMatrixK2"
 */
import type { AnswerKind } from "../../src/compare";

export interface ExerciseSpec {
  id: string;
  functionName: string;
  /** Parameter names, in order, as the spec's signature has them. */
  argNames: string[];
  /** The TypeScript parameter list and return type, as the workbook's stub declares them. */
  params: string;
  returnType: string;
  answer: AnswerKind;
  /** Points for the auto-graded function; a submission earns the fraction of draws it passes. */
  points: number;
  /** Manual parts for a human grader: a written answer ("state informally") or a figure. */
  manual: ManualPart[];
}

export interface ManualPart {
  /** Stable id used in marks files and reports, e.g. "6.C.5 written". */
  id: string;
  exercise: string;
  kind: "written" | "figure";
  points: number;
}

/** The key of the workbook's cell metadata: `metadata["llm-dynamics"] = { exercise, role }`. */
export const CELL_METADATA_KEY = "llm-dynamics";

const P = "params: WaluigiParams";
const written = (exercise: string): ManualPart => ({ id: `${exercise} written`, exercise, kind: "written", points: 1 });
const figurePart = (exercise: string): ManualPart => ({ id: `${exercise} figure`, exercise, kind: "figure", points: 1 });

export const EXERCISE_SPECS: readonly ExerciseSpec[] = Object.freeze([
  { id: "6.C.1", functionName: "stayFriendlyPadded", argNames: ["n", "k", "params"], params: `n: number, k: number, ${P}`, returnType: "number", answer: "number", points: 1, manual: [] },
  { id: "6.C.2", functionName: "stayFriendlyFull", argNames: ["k", "params"], params: `k: number, ${P}`, returnType: "number", answer: "number", points: 1, manual: [] },
  { id: "6.C.3", functionName: "transitionNetwork", argNames: ["k", "params"], params: `k: number, ${P}`, returnType: `{ from: Page; to: Page; token: "F" | "U"; prob: number }[]`, answer: "edge-set", points: 1, manual: [figurePart("6.C.3")] },
  { id: "6.C.4", functionName: "transitionMatrixK2", argNames: ["params"], params: P, returnType: "number[][]", answer: "matrix", points: 1, manual: [] },
  { id: "6.C.5", functionName: "expectedStepsToReveal", argNames: ["k", "params"], params: `k: number, ${P}`, returnType: "number", answer: "number", points: 1, manual: [written("6.C.5")] },
  { id: "6.C.6", functionName: "contextForStickiness", argNames: ["steps", "params"], params: `steps: number, ${P}`, returnType: "number", answer: "number", points: 1, manual: [written("6.C.6")] },
  { id: "6.C.7", functionName: "transitionMatrix", argNames: ["k", "params"], params: `k: number, ${P}`, returnType: "number[][]", answer: "matrix", points: 1, manual: [] },
  { id: "6.C.8", functionName: "stationaryDistributions", argNames: ["k", "params"], params: `k: number, ${P}`, returnType: "number[][]", answer: "vector-set", points: 1, manual: [written("6.C.8")] },
  { id: "6.C.9", functionName: "secondEigenvalue", argNames: ["k", "params"], params: `k: number, ${P}`, returnType: "number", answer: "number", points: 1, manual: [written("6.C.9")] },
  { id: "6.C.10", functionName: "kStepMatrix", argNames: ["k", "params"], params: `k: number, ${P}`, returnType: "number[][]", answer: "matrix", points: 1, manual: [] },
  { id: "6.C.11", functionName: "closedClasses", argNames: ["k", "params"], params: `k: number, ${P}`, returnType: "Page[][]", answer: "page-set-set", points: 1, manual: [] },
]);

export const MANUAL_PARTS: readonly ManualPart[] = Object.freeze(EXERCISE_SPECS.flatMap((e) => e.manual));

export function exerciseById(id: string): ExerciseSpec {
  const found = EXERCISE_SPECS.find((e) => e.id === id);
  if (!found) throw new RangeError(`id must be one of ${EXERCISE_SPECS.map((e) => e.id).join(", ")}; got ${JSON.stringify(id)}`);
  return found;
}

/** The stub's signature line, e.g. `function stayFriendlyFull(k: number, params: WaluigiParams): number`. */
export function signatureOf(e: ExerciseSpec): string {
  return `function ${e.functionName}(${e.params}): ${e.returnType}`;
}

/** The source of an exercise's untouched check cell; the grader skips a check cell with exactly this source. */
export function checkCellSource(e: ExerciseSpec): string {
  return `check("${e.id}", ${e.functionName});`;
}
