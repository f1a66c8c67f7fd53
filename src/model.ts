/**
 * Next-token models: a page in, a distribution over the vocabulary out (Remark 4.A).
 *
 * A learner writes a model as a plain function of the page's tokens, returning either an array of
 * probabilities in vocabulary order or an object keyed by token (missing tokens get 0). Every output
 * is validated where it is produced, so a model that returns a bad distribution is caught with the
 * page that triggered it, rather than corrupting a chain silently.
 *
 *     const echo: NextTokenModel = (page) => ({ [page[page.length - 1]]: 1 });  // repeat the last token
 *     softmax([2, 1, 0], 0.5);   // sharper than temperature 1
 *     softmax([2, 1, 0], 0);     // greedy: [1, 0, 0]
 */
import type { Vocabulary } from "./pages";
import { STOCHASTIC_TOLERANCE, checkFinite, describe } from "./validate";

export type TokenDistribution = ArrayLike<number> | Readonly<Record<string, number>>;

/** A language model: μ(· | page), the page given as its tokens, oldest first. */
export type NextTokenModel = (page: readonly string[]) => TokenDistribution;

/**
 * The fast form used for large spaces: fill `out` (length |V|) with μ(· | page), the page given as
 * token indices. The buffers are reused between calls.
 */
export type DigitModel = (digits: Int32Array, out: Float64Array) => void;

/** Checks a model's output on one page and writes it, in vocabulary order, into `out`. */
export function readDistribution(dist: unknown, vocabulary: Vocabulary, out: Float64Array, pageLabel: string): void {
  const V = vocabulary.size;
  const where = `model output for page ${describe(pageLabel)}`;
  // Checked before it is stored: a Float64Array would silently turn "0.5" into 0.5, true into 1,
  // null into 0 and [0.5] into 0.5.
  const number = (p: unknown, token: string): number => {
    if (typeof p !== "number") throw new TypeError(`${where}: P(${token}) must be a number; got ${describe(p)}`);
    return p;
  };
  if (Array.isArray(dist) || ArrayBuffer.isView(dist)) {
    const arr = dist as ArrayLike<unknown>;
    if (arr.length !== V) throw new RangeError(`${where} must have one probability per token (${V}); got length ${arr.length}: ${describe(arr)}`);
    for (let t = 0; t < V; t++) out[t] = number(arr[t], vocabulary.tokens[t]);
  } else if (dist !== null && typeof dist === "object") {
    out.fill(0);
    for (const [token, p] of Object.entries(dist)) {
      if (!vocabulary.has(token)) throw new RangeError(`${where} names unknown token ${describe(token)} (vocabulary ${describe(vocabulary.tokens)})`);
      out[vocabulary.tokenIndex(token)] = number(p, token);
    }
  } else {
    throw new TypeError(`${where} must be an array of probabilities or an object keyed by token; got ${describe(dist)}`);
  }
  let sum = 0;
  for (let t = 0; t < V; t++) {
    const p = out[t];
    if (typeof p !== "number" || Number.isNaN(p)) throw new TypeError(`${where}: P(${vocabulary.tokens[t]}) must be a number; got ${describe(p)}`);
    if (!(p >= 0) || p === Infinity) throw new RangeError(`${where}: P(${vocabulary.tokens[t]}) must be a probability ≥ 0; got ${describe(p)}`);
    sum += p;
  }
  if (Math.abs(sum - 1) > STOCHASTIC_TOLERANCE) throw new RangeError(`${where} must sum to 1 (±${STOCHASTIC_TOLERANCE}); got ${sum}: ${describe(Array.from(out))}`);
}

/**
 * Softmax of logits at a temperature. Temperature 0 is greedy decoding: all mass on the largest
 * logit (the first one on ties), the deterministic map of Remark 5.
 */
export function softmax(logits: readonly number[], temperature = 1): number[] {
  if (!Array.isArray(logits) || logits.length === 0) throw new RangeError(`logits must be a non-empty array of numbers; got ${describe(logits)}`);
  logits.forEach((x, i) => checkFinite(`logits[${i}]`, x));
  checkFinite("temperature", temperature);
  if (temperature < 0) throw new RangeError(`temperature must be ≥ 0; got ${describe(temperature)}`);
  let best = 0;
  for (let i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
  if (temperature === 0) return logits.map((_, i) => (i === best ? 1 : 0));
  const m = logits[best];
  // (x − m)/T, but when x − m overflows (logits of ±1e308) the gap is taken as x/T − m/T, which is
  // finite whenever the temperature is large enough for the answer to be non-degenerate.
  const w = logits.map((x) => {
    const d = x - m;
    return Math.exp(Number.isFinite(d) ? d / temperature : x / temperature - m / temperature);
  });
  const z = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / z);
}
