/**
 * Every exercise of the course as the grader, the workbooks and `check` see it: its workbook, the
 * function it asks for, its parameters, how answers are compared, the parts a human grades, and the
 * library functions it may not call (the 6.C exercises follow spec §5).
 *
 * This table does not depend on `solutions/` (the workbook and `check` data must build without it); a
 * test checks that it agrees with `solutions/index.ts`'s `EXERCISES`.
 *
 *     import { EXERCISE_SPECS, exerciseById } from "./exercises";
 *     exerciseById("6.C.4").functionName;   // "transitionMatrixK2"
 */
import type { AnswerKind } from "../../src/compare";

export { policyMessage } from "../../src/check";

/** A workbook: one notebook of exercises, graded as a whole. */
export interface WorkbookSpec {
  /** "4", "5", "6" or "6C"; also the name of its check data, `data/check/<id>.json`. */
  id: string;
  /** The notebook's file name in `notebooks/`. */
  file: string;
  title: string;
}

export const WORKBOOKS: readonly WorkbookSpec[] = Object.freeze([
  { id: "4", file: "4-workbook.ipynb", title: "Remark 4 — page chains, built by hand" },
  { id: "5", file: "5-workbook.ipynb", title: "Remark 5 — mode collapse, found by hand" },
  { id: "6", file: "6-workbook.ipynb", title: "Remark 6 — the waluigi's credence and dwell time" },
  { id: "6C", file: "6C-workbook.ipynb", title: "Remark 6.C — the waluigi workbook" },
]);

export interface ExerciseSpec {
  id: string;
  /** The workbook the exercise belongs to (`WORKBOOKS`). */
  workbook: string;
  functionName: string;
  /** Parameter names, in order, as the spec's signature has them. */
  argNames: string[];
  /** The TypeScript parameter list and return type, as the workbook's stub declares them. */
  params: string;
  returnType: string;
  answer: AnswerKind;
  /** Whether rows, columns and entries are pages of {N, F, U}^k in canonical order (for feedback labels). */
  pageLabels: boolean;
  /** Points for the auto-graded function; a submission earns the fraction of draws it passes. */
  points: number;
  /** Manual parts for a human grader: a written answer ("state informally") or a figure. */
  manual: ManualPart[];
  /**
   * Library exports the answer must not call (a class covers its methods): they would answer the
   * question for the learner. Calls are traced while the function answers each draw (src/policy.ts).
   */
  forbidden: readonly string[];
  /** What to do instead, shown with the name of the forbidden call. */
  instead: string;
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
const TABLE = "Record<string, Record<string, number>>";
const written = (exercise: string): ManualPart => ({ id: `${exercise} written`, exercise, kind: "written", points: 1 });
const figurePart = (exercise: string): ManualPart => ({ id: `${exercise} figure`, exercise, kind: "figure", points: 1 });

/** Library exports that build a whole chain: with them, any matrix or class question is one call. */
const CHAIN_BUILDERS = ["pageChain", "pageChainFromDigits", "PageChain", "MarkovChain", "SparseStochasticMatrix", "evolveWith", "waluigiChain", "waluigiModel", "waluigiDigitModel", "waluigiCountChain", "pageNetwork", "largePageChain", "LargePageChain"];
/** Library exports that analyse a chain: classes, stationary laws, hitting times, eigenvalues, orbits, simulation. */
const CHAIN_ANALYSIS = [
  "communicatingClasses", "classPeriod", "gth", "gthDense", "classStationary", "hittingProbabilities", "expectedHittingTimes", "mMatrixSolve", "luSolve",
  "blockEigenvalues", "largestModuli", "eigenvaluesDense", "greedySuccessor", "greedyMap", "greedyOrbit", "greedyOrbitStatistics",
  "simulate", "simulateEndpoints", "sampleNext", "firstPassageCdf", "simulateFirstPassage", "entropyRate",
  "classStationaryReport", "certifiedStationary", "certifiedSolve", "sparseEliminate", "blockOf", "blockFromLists", "followGreedy",
];
const CHAINS = [...CHAIN_BUILDERS, ...CHAIN_ANALYSIS];
/** The toy model's formulas in closed form. */
const WALUIGI_FORMULAS = ["friendlyProbability", "revealProbability", "waluigiPosterior"];

const BUILD_T = "build the matrix yourself: loop over the pages in canonical order (PageSpace's label, indexOf and successor may help) and put each next-token probability in the column of the shifted page";

type Row = Omit<ExerciseSpec, "pageLabels" | "manual" | "points"> & Partial<Pick<ExerciseSpec, "pageLabels" | "manual" | "points">>;
const row = (r: Row): ExerciseSpec => ({ points: 1, manual: [], pageLabels: false, ...r });

export const EXERCISE_SPECS: readonly ExerciseSpec[] = Object.freeze([
  // Remark 4: pages, the transition matrix, distributions, T^k, stationary laws.
  row({ id: "4.1", workbook: "4", functionName: "countPages", argNames: ["vocabularySize", "k"], params: "vocabularySize: number, k: number", returnType: "string", answer: "string", forbidden: ["pageSpaceSize", "PageSpace", "exactPower", "decimalDigits", "leadingDigits", "bitLength", "maxNonZeroFraction"], instead: "raise BigInt(vocabularySize) to the power k (or multiply k times) and return the decimal string" }),
  row({ id: "4.2", workbook: "4", functionName: "nextTokenMatrix", argNames: ["model", "tokens", "k"], params: `model: ${TABLE}, tokens: string[], k: number`, returnType: "number[][]", answer: "matrix", forbidden: CHAINS, instead: BUILD_T }),
  row({ id: "4.3", workbook: "4", functionName: "distributionAfter", argNames: ["T", "start", "n"], params: "T: number[][], start: number[], n: number", returnType: "number[]", answer: "vector", forbidden: CHAINS, instead: "multiply the row vector by T yourself, n times (π ← πT)" }),
  row({ id: "4.4", workbook: "4", functionName: "kStepProbability", argNames: ["model", "from", "to"], params: `model: ${TABLE}, from: string, to: string`, returnType: "number", answer: "number", forbidden: CHAINS, instead: "follow the one path from `from` to `to`, multiplying the next-token probabilities along it" }),
  row({ id: "4.5", workbook: "4", functionName: "stationaryDistribution", argNames: ["T"], params: "T: number[][]", returnType: "number[]", answer: "vector", forbidden: CHAINS, instead: "solve πT = π with Σπ = 1 yourself, e.g. by Gaussian elimination on (Tᵀ − I) with one equation replaced by the normalisation" }),
  // Remark 5: absorbing states, greedy orbits, closed sets, absorption times, escape at temperature.
  row({ id: "5.1", workbook: "5", functionName: "absorbingStates", argNames: ["T"], params: "T: number[][]", returnType: "number[]", answer: "index-set", forbidden: CHAINS, instead: "look at the diagonal of T yourself" }),
  row({ id: "5.2", workbook: "5", functionName: "greedyTrajectory", argNames: ["T", "start"], params: "T: number[][], start: number", returnType: "{ transient: number; period: number }", answer: "orbit", forbidden: CHAINS, instead: "follow the most likely next state yourself and remember when each state was first visited" }),
  row({ id: "5.3", workbook: "5", functionName: "closedSets", argNames: ["T"], params: "T: number[][]", returnType: "number[][]", answer: "index-set-set", forbidden: CHAINS, instead: "compute which states reach which (a search from every state) and keep the classes nothing leaves" }),
  row({ id: "5.4", workbook: "5", functionName: "expectedStepsToAbsorption", argNames: ["T", "start"], params: "T: number[][], start: number", returnType: "number", answer: "number", forbidden: CHAINS, instead: "write the first-step equations h(s) = 1 + Σ T[s][s'] h(s') and solve them yourself" }),
  row({ id: "5.5", workbook: "5", functionName: "escapeProbability", argNames: ["logits", "stay", "temperature"], params: "logits: number[], stay: number, temperature: number", returnType: "number", answer: "number", manual: [written("5.5")], forbidden: ["softmax", "logitModel", "copyModel", "arithmeticModel", ...CHAINS], instead: "write the softmax yourself, subtracting the largest scaled logit before exponentiating" }),
  // Remark 6: the posterior and the dwell time, in closed form.
  row({ id: "6.1", workbook: "6", functionName: "waluigiCredence", argNames: ["page", "params"], params: `page: Page, ${P}`, returnType: "number", answer: "number", forbidden: [...WALUIGI_FORMULAS, ...CHAINS], instead: "apply Bayes' rule to the page's tokens yourself" }),
  row({ id: "6.2", workbook: "6", functionName: "dwellTime", argNames: ["k", "params"], params: `k: number, ${P}`, returnType: "number", answer: "number", manual: [written("6.2")], forbidden: [...WALUIGI_FORMULAS, ...CHAINS], instead: "derive 1/(1 − f(k)) in closed form and simplify it so nothing cancels" }),
  // Remark 6.C (spec §5).
  row({ id: "6.C.1", workbook: "6C", functionName: "stayFriendlyPadded", argNames: ["n", "k", "params"], params: `n: number, k: number, ${P}`, returnType: "number", answer: "number", forbidden: [...WALUIGI_FORMULAS, ...CHAINS], instead: "write f(n) from Bayes' rule yourself" }),
  row({ id: "6.C.2", workbook: "6C", functionName: "stayFriendlyFull", argNames: ["k", "params"], params: `k: number, ${P}`, returnType: "number", answer: "number", forbidden: [...WALUIGI_FORMULAS, ...CHAINS], instead: "write f(k) from Bayes' rule yourself" }),
  row({ id: "6.C.3", workbook: "6C", functionName: "transitionNetwork", argNames: ["k", "params"], params: `k: number, ${P}`, returnType: `{ from: Page; to: Page; token: "F" | "U"; prob: number }[]`, answer: "edge-set", manual: [figurePart("6.C.3"), written("6.C.3")], forbidden: CHAINS, instead: "list the edges yourself: for every page, the tokens the model can write and their probabilities" }),
  row({ id: "6.C.4", workbook: "6C", functionName: "transitionMatrixK2", argNames: ["params"], params: P, returnType: "number[][]", answer: "matrix", pageLabels: true, forbidden: CHAINS, instead: BUILD_T }),
  row({ id: "6.C.5", workbook: "6C", functionName: "expectedStepsToReveal", argNames: ["k", "params"], params: `k: number, ${P}`, returnType: "number", answer: "number", manual: [written("6.C.5")], forbidden: CHAINS, instead: "add up the probabilities that the reveal has not happened yet, step by step (or solve the first-step equations yourself)" }),
  row({ id: "6.C.6", workbook: "6C", functionName: "contextForStickiness", argNames: ["steps", "params"], params: `steps: number, ${P}`, returnType: "number", answer: "number", manual: [written("6.C.6")], forbidden: ["revealProbability", ...CHAINS], instead: "write the dwell time 1/(1 − f(k)) in closed form yourself" }),
  row({ id: "6.C.7", workbook: "6C", functionName: "transitionMatrix", argNames: ["k", "params"], params: `k: number, ${P}`, returnType: "number[][]", answer: "matrix", pageLabels: true, forbidden: CHAINS, instead: BUILD_T }),
  row({ id: "6.C.8", workbook: "6C", functionName: "stationaryDistributions", argNames: ["k", "params"], params: `k: number, ${P}`, returnType: "number[][]", answer: "vector-set", pageLabels: true, manual: [written("6.C.8")], forbidden: CHAINS, instead: "find the closed classes of your matrix from 6.C.7 and solve πT = π on each yourself" }),
  row({ id: "6.C.9", workbook: "6C", functionName: "secondEigenvalue", argNames: ["k", "params"], params: `k: number, ${P}`, returnType: "number", answer: "number", manual: [written("6.C.9")], forbidden: CHAINS, instead: "use the structure of T (its graph has no cycles apart from two self-loops) to read the eigenvalues off" }),
  row({ id: "6.C.10", workbook: "6C", functionName: "kStepMatrix", argNames: ["k", "params"], params: `k: number, ${P}`, returnType: "number[][]", answer: "matrix", pageLabels: true, manual: [written("6.C.10")], forbidden: CHAINS, instead: "multiply your matrix from 6.C.7 by itself k times, or follow the one k-step path between two pages" }),
  row({ id: "6.C.11", workbook: "6C", functionName: "closedClasses", argNames: ["k", "params"], params: `k: number, ${P}`, returnType: "Page[][]", answer: "page-set-set", manual: [written("6.C.11")], forbidden: CHAINS, instead: "compute which pages reach which from your matrix of 6.C.7 and keep the classes nothing leaves" }),
]);

export const MANUAL_PARTS: readonly ManualPart[] = Object.freeze(EXERCISE_SPECS.flatMap((e) => e.manual));

export function workbookById(id: string): WorkbookSpec {
  const found = WORKBOOKS.find((w) => w.id === id);
  if (!found) throw new RangeError(`workbook must be one of ${WORKBOOKS.map((w) => w.id).join(", ")}; got ${JSON.stringify(id)}`);
  return found;
}

/** The exercises of one workbook, in order. */
export function exercisesOf(workbook: string): ExerciseSpec[] {
  workbookById(workbook);
  return EXERCISE_SPECS.filter((e) => e.workbook === workbook);
}

/** The manual parts of one workbook. */
export function manualPartsOf(workbook: string): ManualPart[] {
  return exercisesOf(workbook).flatMap((e) => e.manual);
}

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
