/**
 * Page chains for real vocabularies: the pages reachable from prompts under a decoding rule.
 *
 * Theory. With GPT-2's |V| = 50,257 tokens and a window of k, there are |V|^k pages: more than 2⁵³
 * from k = 4 on, so pages can no longer be numbered arithmetically, and far too many to list anyway.
 * But a decoding rule keeps few successors per page — greedy one, top-m at most m, top-p the smallest
 * set of tokens holding probability p — so the chain *reachable from a prompt* is often small. We
 * explore it breadth-first, store each page as its tuple of token ids in a compact hash table
 * (`TupleTable`), and hand the transitions to the library's `MarkovChain` as a sparse matrix, so
 * closed classes, periods, stationary distributions, hitting times and simulation work as on any
 * chain. Plain temperature sampling keeps every token, so from any prompt it reaches every page:
 * exploring stops with an error once the reachable set exceeds a page budget.
 *
 * A `region` turns the question around: the chain watched only while it stays inside a given set of
 * pages (say a cycle), with every way out lumped into one absorbing state "outside" — exactly what
 * escape probabilities and dwell times need, under any rule.
 *
 *     const greedy = largePageChain(model, [promptIds], { rule: "greedy" });
 *     greedy.chain.closedClasses;                        // the cycle greedy decoding falls into
 *     const top2 = largePageChain(model, [promptIds], { rule: "top-m", m: 2 }, { budget: 100_000 });
 *     const hot = largePageChain(model, cycle, { rule: "temperature", temperature: 0.5 }, { region: cycle });
 *     hot.chain.expectedHittingTimes([hot.outside]);     // dwell time on the cycle
 *     followGreedy(model, promptIds);                    // { transient, period, cycle, path }
 */
import { MarkovChain } from "./chain";
import { SparseStochasticMatrix } from "./sparse";
import { TupleLimitError, TupleTable } from "./tupleTable";
import { checkFinite, checkInteger, checkInterval, describe } from "./validate";

/** A visitor of tokens in decreasing probability: return false to stop. */
export type TokenVisitor = (token: number, p: number) => boolean;

/**
 * A next-token model over token ids that can list its tokens best first, lazily (as the
 * Kneser–Ney model of `src/lm` does), and give its full distribution.
 */
export interface RankedNextTokenModel {
  /** Context window: the model reads the last k tokens of a page. */
  readonly k: number;
  readonly vocabularySize: number;
  /** Tokens in decreasing probability (ties: smaller id first) until `visit` returns false. */
  ranked(page: ArrayLike<number>, visit: TokenVisitor): void;
  /** μ(· | page) in token-id order. */
  distribution(page: ArrayLike<number>, out?: Float64Array): Float64Array;
}

/** How the next token is chosen. */
export type DecodingRule =
  | { rule: "greedy" }
  | { rule: "top-m"; m: number; temperature?: number }
  | { rule: "top-p"; p: number; temperature?: number }
  | { rule: "temperature"; temperature: number };

/** A short readable name of a rule, for labels and errors. */
export function describeRule(rule: DecodingRule): string {
  switch (rule.rule) {
    case "greedy":
      return "greedy decoding";
    case "top-m":
      return `top-${rule.m} sampling${rule.temperature !== undefined && rule.temperature !== 1 ? ` at τ = ${rule.temperature}` : ""}`;
    case "top-p":
      return `top-p sampling (p = ${rule.p})${rule.temperature !== undefined && rule.temperature !== 1 ? ` at τ = ${rule.temperature}` : ""}`;
    case "temperature":
      return `sampling at temperature τ = ${rule.temperature}`;
  }
}

function checkRule(rule: DecodingRule): void {
  if (rule === null || typeof rule !== "object") throw new TypeError(`rule must be an object such as { rule: "greedy" }; got ${describe(rule)}`);
  const temperature = (rule as { temperature?: unknown }).temperature;
  if (temperature !== undefined) {
    checkFinite("rule.temperature", temperature);
    if ((temperature as number) < 0) throw new RangeError(`rule.temperature must be ≥ 0; got ${describe(temperature)}`);
  }
  switch (rule.rule) {
    case "greedy":
      return;
    case "top-m":
      checkInteger("rule.m", rule.m, 1);
      return;
    case "top-p":
      checkInterval("rule.p", rule.p, 0, 1);
      if (!(rule.p > 0)) throw new RangeError(`rule.p must be in (0, 1]; got ${describe(rule.p)}`);
      return;
    case "temperature":
      if (temperature === undefined) throw new RangeError(`rule.temperature is required for rule "temperature"; got ${describe(rule)}`);
      return;
    default:
      throw new RangeError(`rule.rule must be "greedy", "top-m", "top-p" or "temperature"; got ${describe((rule as { rule: unknown }).rule)}`);
  }
}

/** Reweights kept probabilities by p^(1/τ) and normalizes (τ = 0: all mass on the first, the best). */
function reweight(probs: number[], temperature: number): number[] {
  if (temperature === 0) return probs.map((_, i) => (i === 0 ? 1 : 0));
  const w = new Array<number>(probs.length);
  let top = -Infinity;
  for (let i = 0; i < probs.length; i++) {
    w[i] = Math.log(probs[i]) / temperature;
    if (w[i] > top) top = w[i];
  }
  let z = 0;
  for (let i = 0; i < w.length; i++) z += w[i] = Math.exp(w[i] - top);
  for (let i = 0; i < w.length; i++) w[i] /= z;
  return w;
}

/** The successors of one page under a rule: tokens and their probabilities (summing to 1). */
export function decodeNext(model: RankedNextTokenModel, page: ArrayLike<number>, rule: DecodingRule): { tokens: number[]; probs: number[] } {
  checkRule(rule);
  const tokens: number[] = [], probs: number[] = [];
  if (rule.rule === "temperature") {
    const dist = model.distribution(page);
    const kept: number[] = [];
    for (let t = 0; t < dist.length; t++) if (dist[t] > 0) {
      tokens.push(t);
      kept.push(dist[t]);
    }
    if (rule.temperature === 0) {
      let best = 0;
      for (let i = 1; i < kept.length; i++) if (kept[i] > kept[best]) best = i;
      return { tokens: [tokens[best]], probs: [1] };
    }
    return { tokens, probs: reweight(kept, rule.temperature) };
  }
  const want = rule.rule === "greedy" ? 1 : rule.rule === "top-m" ? rule.m : Infinity;
  let mass = 0;
  model.ranked(page, (t, p) => {
    if (p <= 0) return false;
    tokens.push(t);
    probs.push(p);
    mass += p;
    if (tokens.length >= want) return false;
    return rule.rule !== "top-p" || mass < rule.p;
  });
  if (tokens.length === 0) throw new RangeError(`the model gives no token positive probability after page ${describe(Array.from(page))}`);
  return { tokens, probs: reweight(probs, rule.rule === "greedy" ? 0 : (rule.temperature ?? 1)) };
}

export interface LargePageChainOptions {
  /** Most pages the chain may hold (default 1,000,000); exploring beyond it throws. */
  budget?: number;
  /** Watch only these pages: every move out of them goes to one absorbing state `outside`. */
  region?: readonly ArrayLike<number>[];
}

/** A page chain whose states are pages stored as token-id tuples. */
export class LargePageChain {
  readonly k: number;
  readonly rule: DecodingRule;
  /** State i is tuple i of this table (the `outside` state, if any, is not in it). */
  readonly pages: TupleTable;
  readonly matrix: SparseStochasticMatrix;
  /** The state that lumps every page outside the region; -1 without a region. */
  readonly outside: number;
  private chainCache?: MarkovChain;

  constructor(k: number, rule: DecodingRule, pages: TupleTable, matrix: SparseStochasticMatrix, outside: number) {
    this.k = k;
    this.rule = rule;
    this.pages = pages;
    this.matrix = matrix;
    this.outside = outside;
  }

  /** Number of states (pages, plus `outside` with a region). */
  get size(): number {
    return this.matrix.n;
  }

  /** The library's chain: classes, periods, stationary distributions, hitting times, simulation. */
  get chain(): MarkovChain {
    return (this.chainCache ??= new MarkovChain(this.matrix));
  }

  /** The token ids of state i's page. */
  page(state: number): Int32Array {
    checkInteger("state", state, 0, this.size - 1);
    if (state === this.outside) throw new RangeError(`state ${state} is the lumped "outside" state, not a page`);
    return this.pages.tuple(state);
  }

  /** State of a page (its k token ids), or -1 if the chain does not hold it. */
  stateOf(page: ArrayLike<number>): number {
    if (page.length !== this.k) throw new RangeError(`page must hold k = ${this.k} token ids; got ${page.length}: ${describe(Array.from(page))}`);
    return this.pages.find(page);
  }
}

function checkPage(name: string, page: ArrayLike<number>, k: number, V: number): void {
  if (page === null || typeof page !== "object" || typeof page.length !== "number") throw new TypeError(`${name} must be an array of ${k} token ids; got ${describe(page)}`);
  if (page.length !== k) throw new RangeError(`${name} must hold k = ${k} token ids; got ${page.length}: ${describe(Array.from(page))}`);
  for (let j = 0; j < k; j++) checkInteger(`${name}[${j}]`, page[j], 0, V - 1);
}

/**
 * The chain of pages reachable from `prompts` (each exactly k token ids) under `rule`, explored
 * breadth-first; with `options.region`, the chain restricted to those pages plus `outside`.
 */
export function largePageChain(model: RankedNextTokenModel, prompts: readonly ArrayLike<number>[], rule: DecodingRule, options: LargePageChainOptions = {}): LargePageChain {
  checkRule(rule);
  const k = model.k, V = model.vocabularySize;
  const budget = checkInteger("options.budget", options.budget ?? 1_000_000, 1);
  if (!Array.isArray(prompts) || prompts.length === 0) throw new RangeError(`prompts must be a non-empty array of pages (k = ${k} token ids each); got ${describe(prompts)}`);
  prompts.forEach((p, i) => checkPage(`prompts[${i}]`, p, k, V));
  const region = options.region;
  const pages = new TupleTable(k, 1024);
  if (region !== undefined) {
    if (!Array.isArray(region) || region.length === 0) throw new RangeError(`options.region must be a non-empty array of pages; got ${describe(region)}`);
    region.forEach((p, i) => {
      checkPage(`options.region[${i}]`, p, k, V);
      pages.intern(p);
    });
    prompts.forEach((p, i) => {
      if (pages.find(p) < 0) throw new RangeError(`prompts[${i}] ${describe(Array.from(p))} must be one of options.region's pages`);
    });
  } else {
    try {
      prompts.forEach((p) => pages.intern(p, 0, budget));
    } catch (e) {
      if (e instanceof TupleLimitError) throw new RangeError(`options.budget (${budget}) is smaller than the number of distinct prompts`);
      throw e;
    }
  }
  const rowStart: number[] = [0], col: number[] = [], value: number[] = [];
  const next = new Int32Array(k);
  for (let s = 0; s < pages.size; s++) {
    const page = pages.tuple(s);
    const { tokens, probs } = decodeNext(model, page, rule);
    next.set(page.subarray(1));
    let out = 0;
    for (let i = 0; i < tokens.length; i++) {
      next[k - 1] = tokens[i];
      if (region !== undefined) {
        const t = pages.find(next);
        if (t < 0) out += probs[i];
        else {
          col.push(t);
          value.push(probs[i]);
        }
        continue;
      }
      let t: number;
      try {
        t = pages.intern(next, 0, budget);
      } catch (e) {
        if (e instanceof TupleLimitError) {
          throw new RangeError(
            `the pages reachable from ${prompts.length === 1 ? `prompt ${describe(Array.from(prompts[0]))}` : `${prompts.length} prompts`} under ${describeRule(rule)} exceed the page budget of ${budget} pages (options.budget); ` +
              `use a stricter rule (greedy, smaller m or p) or a larger budget`,
          );
        }
        throw e;
      }
      col.push(t);
      value.push(probs[i]);
    }
    if (region !== undefined && out > 0) {
      col.push(-1); // patched to the outside state below
      value.push(out);
    }
    rowStart.push(col.length);
  }
  const n = pages.size + (region !== undefined ? 1 : 0);
  const outside = region !== undefined ? pages.size : -1;
  if (region !== undefined) {
    for (let e = 0; e < col.length; e++) if (col[e] === -1) col[e] = outside;
    col.push(outside);
    value.push(1);
    rowStart.push(col.length);
  }
  const matrix = new SparseStochasticMatrix(n, Int32Array.from(rowStart), Int32Array.from(col), Float64Array.from(value), "large page chain");
  return new LargePageChain(k, rule, pages, matrix, outside);
}

export interface TokenOrbit {
  /** Steps before the cycle is entered. */
  transient: number;
  /** Length of the cycle. */
  period: number;
  /** The pages of the transient run, starting with the start page. */
  path: Int32Array[];
  /** The cycle's pages, starting where the trajectory enters it. */
  cycle: Int32Array[];
  /** The tokens written along the cycle, in order (one per step). */
  cycleTokens: number[];
  /** The tokens written during the transient run (one per step). */
  pathTokens: number[];
}

/**
 * Greedy decoding from one page until a page repeats: the transient run and the periodic orbit.
 * Only the visited pages are stored. Throws if no page repeats within `maxSteps` steps.
 */
export function followGreedy(model: RankedNextTokenModel, start: ArrayLike<number>, maxSteps = 1_000_000): TokenOrbit {
  const k = model.k;
  checkPage("start", start, k, model.vocabularySize);
  checkInteger("maxSteps", maxSteps, 1);
  const seen = new TupleTable(k, 64);
  const page = Int32Array.from(start);
  let id = seen.intern(page);
  const written: number[] = [];
  while (seen.isNew) {
    if (written.length >= maxSteps) throw new RangeError(`no page repeated within maxSteps = ${maxSteps} greedy steps from ${describe(Array.from(start))}`);
    let best = -1;
    model.ranked(page, (t) => {
      best = t;
      return false;
    });
    written.push(best);
    page.copyWithin(0, 1);
    page[k - 1] = best;
    id = seen.intern(page);
  }
  const transient = id;
  const period = seen.size - transient;
  const all = Array.from({ length: seen.size }, (_, i) => seen.tuple(i));
  return { transient, period, path: all.slice(0, transient), cycle: all.slice(transient), cycleTokens: written.slice(transient), pathTokens: written.slice(0, transient) };
}
