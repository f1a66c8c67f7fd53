/**
 * Every malformed input throws a RangeError (bad value) or TypeError (bad type) whose message names
 * the argument and shows the value received. One row per input: the call, the exact error class and
 * a pattern the message must match.
 *
 *     npx vitest run test/lib/errors.test.ts
 */
import { describe, expect, it } from "vitest";
import {
  MarkovChain,
  PageSpace,
  SparseStochasticMatrix,
  Vocabulary,
  greedyOrbit,
  pageChain,
  pageChainFromDigits,
  simulate,
  simulateEndpoints,
  softmax,
} from "../../src/index";

type Row = [label: string, call: () => unknown, kind: typeof RangeError | typeof TypeError, message: RegExp];

const NFU = ["N", "F", "U"];
const space = new PageSpace(NFU, 3);
const chain = MarkovChain.fromDense([[0.5, 0.5], [0.2, 0.8]]);
const T = chain.T;
const uniform = () => [0.5, 0.5];
const AB = ["A", "B"];
const bad = <X>(x: unknown) => x as X;

const rows: Row[] = [
  // Pages and vocabularies
  ["k < 1", () => new PageSpace(NFU, 0), RangeError, /^k must be an integer ≥ 1; got 0$/],
  ["k not an integer", () => new PageSpace(NFU, 2.5), RangeError, /^k must be an integer ≥ 1; got 2\.5$/],
  ["k not a number", () => new PageSpace(NFU, bad<number>("2")), TypeError, /^k must be an integer; got "2"$/],
  ["k NaN", () => new PageSpace(NFU, NaN), RangeError, /^k must be .*; got NaN$/],
  ["empty vocabulary", () => new Vocabulary([]), RangeError, /^tokens must be a non-empty vocabulary; got \[\]$/],
  ["vocabulary not an array", () => new Vocabulary(bad<string[]>("NFU")), TypeError, /^tokens must be an array of strings; got "NFU"$/],
  ["duplicate tokens", () => new Vocabulary(["A", "B", "A"]), RangeError, /^tokens must be distinct; "A" appears twice in \["A", "B", "A"\]$/],
  ["empty token", () => new Vocabulary(["A", ""]), TypeError, /^tokens\[1\] must be a non-empty string; got ""$/],
  ["token not a string", () => new Vocabulary(bad<string[]>(["A", 7])), TypeError, /^tokens\[1\] must be a non-empty string; got 7$/],
  ["page too short", () => space.indexOf("NF"), RangeError, /^page must have exactly k = 3 tokens; got 2 in "NF"$/],
  ["page too long", () => space.indexOf(["N", "F", "U", "U"]), RangeError, /^page must have exactly k = 3 tokens; got 4 in \["N", "F", "U", "U"\]$/],
  ["page with unknown token", () => space.indexOf("NXU"), RangeError, /^page has unknown token "X" at position 1 \(vocabulary \["N", "F", "U"\]\); got "NXU"$/],
  ["page not a string or array", () => space.indexOf(bad<string>(5)), TypeError, /^page must be a string or an array of tokens; got 5$/],
  ["page index out of range", () => space.label(27), RangeError, /^index must be an integer in \[0, 26\]; got 27$/],
  ["page index negative", () => space.pageAt(-1), RangeError, /^index must be an integer in \[0, 26\]; got -1$/],
  ["size of a space too large for numbers", () => new PageSpace(NFU, 40).size, RangeError, /3\^40 is too large to index with numbers/],
  ["indexOf in a space too large for numbers", () => new PageSpace(NFU, 40).indexOf("N".repeat(40)), RangeError, /3\^40 is too large/],

  // Matrices
  ["rows do not sum to 1", () => MarkovChain.fromDense([[0.5, 0.4], [0, 1]]), RangeError, /^matrix row 0 must sum to 1 \(±1e-9\); got 0\.9$/],
  ["NaN entry", () => MarkovChain.fromDense([[0.5, NaN], [0, 1]]), TypeError, /^matrix\[0\]\[1\] must be a number; got NaN$/],
  ["negative probability", () => MarkovChain.fromDense([[1.5, -0.5], [0, 1]]), RangeError, /^matrix\[0\]\[1\] must be a probability ≥ 0; got -0\.5$/],
  ["infinite entry", () => MarkovChain.fromDense([[Infinity, 0], [0, 1]]), RangeError, /^matrix\[0\]\[0\] must be a probability ≥ 0; got Infinity$/],
  ["string entry", () => MarkovChain.fromDense(bad<number[][]>([["1", 0], [0, 1]])), TypeError, /^matrix\[0\]\[0\] must be a number; got "1"$/],
  ["non-square matrix", () => MarkovChain.fromDense([[0.5, 0.5]]), RangeError, /^matrix must be square: row 0 has length 2, expected 1$/],
  ["ragged matrix", () => MarkovChain.fromDense([[1, 0], [1]]), RangeError, /^matrix must be square: row 1 has length 1, expected 2$/],
  ["empty matrix", () => MarkovChain.fromDense([]), RangeError, /^matrix must have at least one row; got \[\]$/],
  ["matrix not an array", () => MarkovChain.fromDense(bad<number[][]>("[[1]]")), TypeError, /^matrix must be an array of rows; got "\[\[1\]\]"$/],
  ["row not an array", () => MarkovChain.fromDense(bad<number[][]>([1])), TypeError, /^matrix\[0\] must be an array; got 1$/],
  ["CSR rowStart of the wrong length", () => new SparseStochasticMatrix(2, Int32Array.of(0, 1), Int32Array.of(0), Float64Array.of(1)), RangeError, /^matrix\.rowStart must have length n \+ 1 = 3; got 2$/],
  ["CSR column out of range", () => new SparseStochasticMatrix(1, Int32Array.of(0, 1), Int32Array.of(5), Float64Array.of(1)), RangeError, /^matrix row 0 has column 5 outside \[0, 0\]$/],
  ["CSR dimension 0", () => new SparseStochasticMatrix(0, Int32Array.of(0), new Int32Array(0), new Float64Array(0)), RangeError, /^matrix dimension must be an integer in \[1, \d+\]; got 0$/],
  ["MarkovChain of something else", () => new MarkovChain(bad<SparseStochasticMatrix>({})), TypeError, /^T must be a SparseStochasticMatrix .*; got \{\}$/],

  // Distributions and analyses
  ["π not summing to 1", () => chain.evolve([0.5, 0.6], 1), RangeError, /^pi must sum to 1 \(±1e-9\); got sum 1\.1 for \[0\.5, 0\.6\]$/],
  ["π of the wrong length", () => chain.evolve([1], 1), RangeError, /^pi must have length 2; got length 1: \[1\]$/],
  ["π with a negative entry", () => chain.evolve([1.5, -0.5], 1), RangeError, /^pi\[1\] must be a probability ≥ 0; got -0\.5 in \[1\.5, -0\.5\]$/],
  ["π with NaN", () => chain.evolve([NaN, 1], 1), TypeError, /^pi\[0\] must be a number; got NaN in \[NaN, 1\]$/],
  ["steps negative", () => chain.evolve([1, 0], -1), RangeError, /^steps must be an integer ≥ 0; got -1$/],
  ["power steps fractional", () => chain.power(1.5), RangeError, /^steps must be an integer ≥ 0; got 1\.5$/],
  ["step with π too short", () => chain.step([1]), RangeError, /^pi must have length 2 \(one entry per state\); got length 1: \[1\]$/],
  ["step with π too long", () => T.step([1, 0, 0]), RangeError, /^pi must have length 2 \(one entry per state\); got length 3: \[1, 0, 0\]$/],
  ["step with an output buffer of the wrong length", () => T.step([1, 0], new Float64Array(3)), RangeError, /^out must have length 2 \(one entry per state\); got length 3/],
  ["period of a state out of range", () => chain.periodOf(5), RangeError, /^state must be an integer in \[0, 1\]; got 5$/],
  ["hitting target out of range", () => chain.hittingProbabilities([7]), RangeError, /^target\[0\] must be an integer in \[0, 1\]; got 7$/],
  ["hitting target not an integer", () => chain.expectedHittingTimes([0.5]), RangeError, /^target\[0\] must be an integer in \[0, 1\]; got 0\.5$/],

  // Simulation
  ["simulate from a state out of range", () => simulate(T, 2, 5, "s"), RangeError, /^start must be an integer in \[0, 1\]; got 2$/],
  ["simulate a negative number of steps", () => simulate(T, 0, -1, "s"), RangeError, /^steps must be an integer ≥ 0; got -1$/],
  ["simulate with an object seed", () => simulate(T, 0, 3, bad<string>({})), TypeError, /^seed must be a string or a number; got \{\}$/],
  ["endpoints of zero runs", () => simulateEndpoints(T, 0, 3, 0, "s"), RangeError, /^runs must be an integer ≥ 1; got 0$/],

  // Models
  ["model output of the wrong length", () => pageChain(() => [0.2, 0.3, 0.5], AB, 2), RangeError, /^model output for page "AA" must have one probability per token \(2\); got length 3: \[0\.2, 0\.3, 0\.5\]$/],
  ["model output with a negative probability", () => pageChain(() => [1.5, -0.5], AB, 2), RangeError, /^model output for page "AA": P\(B\) must be a probability ≥ 0; got -0\.5$/],
  ["model output with NaN", () => pageChain(() => [NaN, 1], AB, 2), TypeError, /^model output for page "AA": P\(A\) must be a number; got NaN$/],
  ["model output not summing to 1", () => pageChain(() => ({ A: 0.5, B: 0.4 }), AB, 2), RangeError, /^model output for page "AA" must sum to 1 \(±1e-9\); got 0\.9: \[0\.5, 0\.4\]$/],
  ["model output naming an unknown token", () => pageChain(() => ({ A: 0.5, C: 0.5 }), AB, 2), RangeError, /^model output for page "AA" names unknown token "C" \(vocabulary \["A", "B"\]\)$/],
  ["model output with a string probability", () => pageChain(() => bad<number[]>(["0.5", "0.5"]), AB, 2), TypeError, /^model output for page "AA": P\(A\) must be a number; got "0\.5"$/],
  ["model output with a boolean", () => pageChain(() => bad<number[]>([true, false]), AB, 2), TypeError, /^model output for page "AA": P\(A\) must be a number; got true$/],
  ["model output with null", () => pageChain(() => bad<Record<string, number>>({ A: null, B: 1 }), AB, 2), TypeError, /^model output for page "AA": P\(A\) must be a number; got null$/],
  ["model output of nested arrays", () => pageChain(() => bad<number[]>([[0.5], [0.5]]), AB, 2), TypeError, /^model output for page "AA": P\(A\) must be a number; got \[0\.5\]$/],
  ["model output not a distribution at all", () => pageChain(() => bad<number[]>(undefined), AB, 2), TypeError, /^model output for page "AA" must be an array of probabilities or an object keyed by token; got undefined$/],
  ["bad output on a later page names that page", () => pageChain((p) => (p.join("") === "BA" ? [1, 1] : [0.5, 0.5]), AB, 2), RangeError, /^model output for page "BA" must sum to 1/],
  ["fast model with a bad output", () => pageChainFromDigits((_d, out) => out.fill(0.4), AB, 2), RangeError, /^model output for page "AA" must sum to 1 \(±1e-9\); got 0\.8/],
  ["model not a function", () => pageChain(bad<() => number[]>({}), AB, 2), TypeError, /^model must be a function from a page to a distribution; got \{\}$/],
  ["full space too large to store", () => pageChain(uniform, AB, 40), RangeError, /^k = 40 gives 1099511627776 pages over 2 tokens: too many to store; pass a prompt/],
  ["prompt with an unknown token", () => pageChain(uniform, AB, 2, { prompt: "AC" }), RangeError, /^prompt has unknown token "C" at position 1/],
  ["prompts entry of the wrong length", () => pageChain(uniform, AB, 2, { prompts: ["AB", "A"] }), RangeError, /^prompts\[1\] must have exactly k = 2 tokens; got 1 in "A"$/],
  ["prompts empty", () => pageChain(uniform, AB, 2, { prompts: [] }), RangeError, /^prompts must hold at least one page; got \[\]$/],
  ["prompts not an array", () => pageChain(uniform, AB, 2, { prompts: bad<string[]>("AB") }), TypeError, /^prompts must be an array of pages; got "AB"$/],
  ["page chain step with π too short", () => pageChain(uniform, AB, 2).step([1, 0]), RangeError, /^pi must have length 4 \(one entry per state\); got length 2: \[1, 0\]$/],
  ["point mass on a page the chain does not hold", () => pageChain(() => ({ A: 1 }), AB, 2, { prompt: "AA" }).delta("BB"), RangeError, /^page "BB" is not among this chain's 1 pages$/],
  ["greedy orbit from a page the chain does not hold", () => greedyOrbit(pageChain(() => ({ A: 1 }), AB, 2, { prompt: "AA" }), "BB"), RangeError, /^start "BB" is not among this chain's pages$/],

  // Softmax
  ["softmax temperature negative", () => softmax([1, 2], -1), RangeError, /^temperature must be ≥ 0; got -1$/],
  ["softmax temperature NaN", () => softmax([1, 2], NaN), RangeError, /^temperature must be a finite number; got NaN$/],
  ["softmax temperature infinite", () => softmax([1, 2], Infinity), RangeError, /^temperature must be a finite number; got Infinity$/],
  ["softmax temperature a string", () => softmax([1, 2], bad<number>("1")), TypeError, /^temperature must be a number; got "1"$/],
  ["softmax of no logits", () => softmax([]), RangeError, /^logits must be a non-empty array of numbers; got \[\]$/],
  ["softmax logit NaN", () => softmax([1, NaN]), RangeError, /^logits\[1\] must be a finite number; got NaN$/],
  ["softmax logit a string", () => softmax(bad<number[]>([1, "2"])), TypeError, /^logits\[1\] must be a number; got "2"$/],
];

describe("malformed inputs", () => {
  it.each(rows)("%s", (_label, call, kind, message) => {
    let thrown: unknown;
    try {
      call();
    } catch (error) {
      thrown = error;
    }
    expect(thrown, "no error was thrown").toBeDefined();
    expect((thrown as Error).constructor).toBe(kind);
    expect((thrown as Error).message).toMatch(message);
  });
});
