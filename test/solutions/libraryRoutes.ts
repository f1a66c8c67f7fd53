/**
 * The library's route to every exercise: each function answers its exercise with one or two library
 * calls that the exercise forbids. Two uses: an independent check of the reference solutions (which
 * build the answer by hand) in test/solutions, and the forbidden submissions of the policy test
 * (test/grader-policy.test.ts), which paste each function into a workbook's answer cell — so each one
 * stands alone, with the library as its only import.
 */
import {
  MarkovChain,
  type Page,
  type WaluigiParams,
  friendlyProbability,
  greedyOrbit,
  pageChain,
  pageSpaceSize,
  revealProbability,
  softmax,
  waluigiChain,
  waluigiPosterior,
} from "llm-dynamics";

export function countPages(vocabularySize: number, k: number): string {
  return pageSpaceSize(vocabularySize, k).pages.toString();
}

export function nextTokenMatrix(model: Record<string, Record<string, number>>, tokens: string[], k: number): number[][] {
  return pageChain((page) => model[page.join("")], tokens, k).toDense();
}

export function distributionAfter(T: number[][], start: number[], n: number): number[] {
  return Array.from(MarkovChain.fromDense(T).evolve(start, n));
}

export function kStepProbability(model: Record<string, Record<string, number>>, from: string, to: string): number {
  const tokens = Object.keys(model[from]);
  const chain = pageChain((page) => model[page.join("")], tokens, from.length);
  return chain.matrix.power(from.length)[chain.stateOf(from)][chain.stateOf(to)];
}

export function stationaryDistribution(T: number[][]): number[] {
  return Array.from(MarkovChain.fromDense(T).stationaryDistributions[0]);
}

export function absorbingStates(T: number[][]): number[] {
  return MarkovChain.fromDense(T).absorbingStates;
}

export function greedyTrajectory(T: number[][], start: number): { transient: number; period: number } {
  const states = T.map((_, i) => `s${i}`);
  const orbit = greedyOrbit(pageChain((page) => T[states.indexOf(page[0])], states, 1), [states[start]]);
  return { transient: orbit.transient, period: orbit.period };
}

export function closedSets(T: number[][]): number[][] {
  return MarkovChain.fromDense(T).closedClasses;
}

export function expectedStepsToAbsorption(T: number[][], start: number): number {
  const chain = MarkovChain.fromDense(T);
  return chain.expectedHittingTimes(chain.absorbingStates)[start];
}

export function escapeProbability(logits: number[], stay: number, temperature: number): number {
  return softmax(logits, temperature).reduce((sum, x, j) => (j === stay ? sum : sum + x), 0);
}

export function waluigiCredence(page: Page, params: WaluigiParams): number {
  return waluigiPosterior(page, params);
}

export function dwellTime(k: number, params: WaluigiParams): number {
  return 1 / revealProbability(k, params);
}

export function stayFriendlyPadded(n: number, k: number, params: WaluigiParams): number {
  return friendlyProbability(n, params);
}

export function stayFriendlyFull(k: number, params: WaluigiParams): number {
  return friendlyProbability(k, params);
}

export function transitionNetwork(k: number, params: WaluigiParams): { from: Page; to: Page; token: "F" | "U"; prob: number }[] {
  const chain = waluigiChain(k, params);
  const edges: { from: Page; to: Page; token: "F" | "U"; prob: number }[] = [];
  for (let s = 0; s < chain.size; s++) {
    for (let t = 1; t < 3; t++) {
      const prob = chain.probs[s * 3 + t];
      if (prob > 0) edges.push({ from: chain.label(s), to: chain.label(chain.space.successor(s, t)), token: t === 1 ? "F" : "U", prob });
    }
  }
  return edges;
}

export function transitionMatrixK2(params: WaluigiParams): number[][] {
  return waluigiChain(2, params).toDense();
}

export function expectedStepsToReveal(k: number, params: WaluigiParams): number {
  const chain = waluigiChain(k, params, { prompt: "N".repeat(k) });
  const revealed = chain.labels.flatMap((page, state) => (page.includes("U") ? [state] : []));
  return chain.chain.expectedHittingTimes(revealed)[chain.stateOf("N".repeat(k))];
}

export function contextForStickiness(steps: number, params: WaluigiParams): number {
  if (revealProbability(1, params) === 0) return 1;
  if (steps === Infinity) return Infinity;
  let k = 1;
  while (1 / revealProbability(k, params) < steps) k++;
  return k;
}

export function transitionMatrix(k: number, params: WaluigiParams): number[][] {
  return waluigiChain(k, params).toDense();
}

export function stationaryDistributions(k: number, params: WaluigiParams): number[][] {
  return waluigiChain(k, params).chain.stationaryDistributions.map((pi) => Array.from(pi));
}

export function secondEigenvalue(k: number, params: WaluigiParams): number {
  return waluigiChain(k, params).chain.secondLargestModulus;
}

export function kStepMatrix(k: number, params: WaluigiParams): number[][] {
  return waluigiChain(k, params).matrix.power(k);
}

export function closedClasses(k: number, params: WaluigiParams): Page[][] {
  const chain = waluigiChain(k, params);
  return chain.chain.closedClasses.map((members) => members.map((s) => chain.label(s)));
}
