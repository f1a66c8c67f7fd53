/**
 * The page chain of a language model (Remark 4): generation plus deletion as a Markov chain.
 *
 * From a next-token model μ and a window k, page s moves to `s_2 … s_k t` with probability μ(t | s).
 * `pageChain` builds this chain either on the whole space V^k or on the pages reachable from a
 * prompt (breadth-first), storing only μ(· | s) for each page in one typed array. The sparse matrix
 * that the generic analyses need is derived from it on first use. On the full space the step
 * π ↦ πT also runs without any matrix, from the de Bruijn structure: page j·|V| + t (for a suffix j)
 * collects mass from the |V| pages a·|V|^(k−1) + j.
 *
 *     const chain = pageChain((page) => ({ A: 0.5, B: 0.5 }), ["A", "B"], 3);
 *     chain.size;                          // 8 pages
 *     chain.chain.closedClasses;           // one class holding every page
 *     const prompted = pageChain(model, vocab, 3, { prompt: "AAA" });  // reachable pages only
 */
import { MarkovChain } from "./chain";
import { type DigitModel, type NextTokenModel, readDistribution } from "./model";
import { type PageLike, PageSpace, Vocabulary } from "./pages";
import { SparseStochasticMatrix, checkVectorLength, evolveWith } from "./sparse";
import { STOCHASTIC_TOLERANCE, checkInteger, describe } from "./validate";

export interface PageChainOptions {
  /** Build only the pages reachable from this prompt page (exactly k tokens). */
  prompt?: PageLike;
  /** Build only the pages reachable from any of these prompt pages. */
  prompts?: readonly PageLike[];
}

/**
 * A full-space chain whose rows follow from a few statistics per page (the waluigi chain, whose
 * μ(· | page) depends only on whether the page holds a U and on its number of F; src/waluigi.ts).
 * It gives the table of next-token probabilities only when asked for (3 doubles per page, 24 bytes,
 * where the statistics take a third of a byte), T directly from the statistics, and the step
 * from the statistics too. All three must give the numbers the table-based routes give, bit for bit.
 */
export interface CompactRows {
  /** The table that `PageChain.probs` holds: μ(t | page i) at [i·|V| + t]. */
  probs(): Float64Array;
  /** T with the entries `PageChain.matrix` would derive from the table (positive ones, tokens in order). */
  matrix(): SparseStochasticMatrix;
  /** next = π T, with the sums in the order of the table-based de Bruijn step. */
  step(pi: ArrayLike<number>, next: Float64Array): void;
}

export class PageChain {
  readonly space: PageSpace;
  /** Page index of each state, ascending; `null` when the chain covers the full space (state = page). */
  readonly pages: Float64Array | null;
  private probsCache?: Float64Array;
  private readonly compact?: CompactRows;
  private matrixCache?: SparseStochasticMatrix;
  private chainCache?: MarkovChain;

  /** `probs` is the table μ(t | page of state i) at [i·|V| + t], or (full space only) compact rows. */
  constructor(space: PageSpace, pages: Float64Array | null, probs: Float64Array | CompactRows) {
    this.space = space;
    this.pages = pages;
    if (probs instanceof Float64Array) this.probsCache = probs;
    else {
      if (pages !== null) throw new TypeError("PageChain: compact rows describe a full page space; pages must be null");
      this.compact = probs;
    }
  }

  /** μ(t | page of state i) at `probs[i·|V| + t]` (for compact rows, computed on first use). */
  get probs(): Float64Array {
    return (this.probsCache ??= this.compact!.probs());
  }

  get size(): number {
    return this.pages ? this.pages.length : this.space.size;
  }

  get vocabulary(): Vocabulary {
    return this.space.vocabulary;
  }

  get k(): number {
    return this.space.k;
  }

  get isFullSpace(): boolean {
    return this.pages === null;
  }

  /** Page index of state i. */
  pageIndex(state: number): number {
    return this.pages ? this.pages[state] : state;
  }

  /** State number of a page (given as tokens or as its index), or -1 if the chain does not hold it. */
  stateOf(page: PageLike | number): number {
    const index = typeof page === "number" ? checkInteger("page", page, 0, this.space.size - 1) : this.space.indexOf(page);
    if (!this.pages) return index;
    let lo = 0, hi = this.pages.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = this.pages[mid];
      if (v === index) return mid;
      if (v < index) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Readable label of state i. */
  label(state: number): string {
    return this.space.label(this.pageIndex(state));
  }

  get labels(): string[] {
    return Array.from({ length: this.size }, (_, i) => this.label(i));
  }

  /** T as a validated sparse matrix over the chain's states (zero-probability tokens dropped). */
  get matrix(): SparseStochasticMatrix {
    if (!this.matrixCache && this.compact) this.matrixCache = this.compact.matrix();
    if (!this.matrixCache) {
      const V = this.vocabulary.size, n = this.size, probs = this.probs;
      let nnz = 0;
      for (let e = 0; e < probs.length; e++) if (probs[e] > 0) nnz++;
      const rowStart = new Int32Array(n + 1);
      const col = new Int32Array(nnz);
      const value = new Float64Array(nnz);
      let e = 0;
      if (!this.pages) {
        // Full space: state a·L + j moves to j·|V| + t, with no division per page.
        const L = n / V;
        for (let a = 0, i = 0; a < V; a++) {
          for (let j = 0, base = 0; j < L; j++, i++, base += V) {
            for (let t = 0, row = i * V; t < V; t++) {
              const p = probs[row + t];
              if (p > 0) {
                col[e] = base + t;
                value[e++] = p;
              }
            }
            rowStart[i + 1] = e;
          }
        }
      }
      for (let i = this.pages ? 0 : n; i < n; i++) {
        const page = this.pageIndex(i);
        for (let t = 0; t < V; t++) {
          const p = probs[i * V + t];
          if (p > 0) {
            const next = this.space.successor(page, t);
            col[e] = this.pages ? this.stateOf(next) : next;
            value[e++] = p;
          }
        }
        rowStart[i + 1] = e;
      }
      this.matrixCache = new SparseStochasticMatrix(n, rowStart, col, value, "page chain");
    }
    return this.matrixCache;
  }

  /** The generic chain, for class analysis, stationary distributions, hitting times, eigenvalues. */
  get chain(): MarkovChain {
    return (this.chainCache ??= new MarkovChain(this.matrix));
  }

  /** The transition matrix as dense rows in canonical order (small chains only). */
  toDense(): number[][] {
    return this.matrix.toDense();
  }

  /**
   * One step π ↦ πT. On the full space this uses the de Bruijn structure and no stored matrix;
   * on a reachable subset it uses the sparse matrix.
   */
  step(pi: ArrayLike<number>, out?: Float64Array): Float64Array {
    if (this.pages) return this.matrix.step(pi, out);
    checkVectorLength("pi", pi, this.size);
    if (out !== undefined) checkVectorLength("out", out, this.size);
    const V = this.vocabulary.size, N = this.size, L = N / V;
    const next = out ?? new Float64Array(N);
    if (this.compact) {
      this.compact.step(pi, next);
      return next;
    }
    // Small vocabularies get unrolled kernels: the generic loop's short inner loops cost ~4× the
    // memory-bandwidth bound, the unrolled ones run at it (npm run bench measures both).
    if (V === 3) deBruijnStep3(pi, this.probs, L, next);
    else if (V === 2) deBruijnStep2(pi, this.probs, L, next);
    else deBruijnStep(pi, this.probs, V, L, next);
    return next;
  }

  /** π T^steps. */
  evolve(pi: ArrayLike<number>, steps: number): Float64Array {
    return evolveWith((a, b) => this.step(a, b), pi, this.size, steps);
  }

  /** The point mass on one page. */
  delta(page: PageLike | number): Float64Array {
    const s = this.stateOf(page);
    if (s < 0) throw new RangeError(`page ${describe(page)} is not among this chain's ${this.size} pages`);
    const pi = new Float64Array(this.size);
    pi[s] = 1;
    return pi;
  }
}

/*
 * The matrix-free step on the full space. Page j·|V| + t (suffix j, new token t) collects mass from
 * the |V| pages a·L + j (L = |V|^(k−1)), so one pass over j reads π and the rows in |V| sequential
 * streams and writes π' once. A suffix whose |V| predecessors carry no mass is written as zeros
 * without reading their rows: distributions started from a prompt stay sparse for a long time.
 * Sums run in the order a = 0, 1, …, so every kernel gives bit-identical results.
 */
function deBruijnStep3(pi: ArrayLike<number>, probs: Float64Array, L: number, next: Float64Array): void {
  for (let j = 0, s1 = L, s2 = 2 * L, o = 0; j < L; j++, s1++, s2++, o += 3) {
    const p0 = pi[j], p1 = pi[s1], p2 = pi[s2];
    if (p0 === 0 && p1 === 0 && p2 === 0) {
      next[o] = 0;
      next[o + 1] = 0;
      next[o + 2] = 0;
      continue;
    }
    const r0 = 3 * j, r1 = 3 * s1, r2 = 3 * s2;
    next[o] = p0 * probs[r0] + p1 * probs[r1] + p2 * probs[r2];
    next[o + 1] = p0 * probs[r0 + 1] + p1 * probs[r1 + 1] + p2 * probs[r2 + 1];
    next[o + 2] = p0 * probs[r0 + 2] + p1 * probs[r1 + 2] + p2 * probs[r2 + 2];
  }
}

function deBruijnStep2(pi: ArrayLike<number>, probs: Float64Array, L: number, next: Float64Array): void {
  for (let j = 0, s1 = L, o = 0; j < L; j++, s1++, o += 2) {
    const p0 = pi[j], p1 = pi[s1];
    if (p0 === 0 && p1 === 0) {
      next[o] = 0;
      next[o + 1] = 0;
      continue;
    }
    const r0 = 2 * j, r1 = 2 * s1;
    next[o] = p0 * probs[r0] + p1 * probs[r1];
    next[o + 1] = p0 * probs[r0 + 1] + p1 * probs[r1 + 1];
  }
}

function deBruijnStep(pi: ArrayLike<number>, probs: Float64Array, V: number, L: number, next: Float64Array): void {
  for (let j = 0, base = 0; j < L; j++, base += V) {
    let first = true;
    for (let a = 0, s = j; a < V; a++, s += L) {
      const p = pi[s];
      if (p === 0) continue;
      const row = s * V;
      if (first) {
        for (let t = 0; t < V; t++) next[base + t] = p * probs[row + t];
        first = false;
      } else {
        for (let t = 0; t < V; t++) next[base + t] += p * probs[row + t];
      }
    }
    if (first) for (let t = 0; t < V; t++) next[base + t] = 0;
  }
}

/**
 * The |V| next-token probabilities of every page, or a RangeError naming k and the memory needed
 * (instead of the engine's bare "Array buffer allocation failed").
 */
export function allocateProbs(pages: number, V: number, k: number): Float64Array {
  checkProbsSize(pages, V, k);
  try {
    return new Float64Array(pages * V);
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    throw probsRefusal(pages, V, k, "more than this process can allocate");
  }
}

/** Refuses (as `allocateProbs` would) a table above the library's limit, without allocating it. */
export function checkProbsSize(pages: number, V: number, k: number): void {
  if (8 * pages * V > MAX_PROBS_BYTES) throw probsRefusal(pages, V, k, `above the library's limit of ${MAX_PROBS_BYTES / 2 ** 30} GiB for a full page space`);
}

function probsRefusal(pages: number, V: number, k: number, why: string): RangeError {
  const bytes = 8 * pages * V;
  return new RangeError(
    `k = ${k} gives ${pages.toLocaleString("en")} pages over ${V} tokens: storing their next-token probabilities needs ` +
    `${(bytes / 2 ** 30).toFixed(1)} GiB, ${why}; use a smaller k or pass a prompt to build the reachable part only`,
  );
}

/** Largest table of next-token probabilities built for a full page space (4 GiB). */
export const MAX_PROBS_BYTES = 2 ** 32;

function toDigitModel(model: NextTokenModel | DigitModel, space: PageSpace, fast: boolean): DigitModel {
  if (fast) return model as DigitModel;
  if (typeof model !== "function") throw new TypeError(`model must be a function from a page to a distribution; got ${describe(model)}`);
  const tokens = space.vocabulary.tokens;
  const sep = space.vocabulary.compact ? "" : " ";
  return (digits, out) => {
    const page = Array.from(digits, (d) => tokens[d]);
    readDistribution((model as NextTokenModel)(page), space.vocabulary, out, page.join(sep));
  };
}

/**
 * The page chain of `model` with window `k` over `vocabulary`.
 *
 * `model` is a `NextTokenModel` (page tokens in, distribution out); `pageChainFromDigits` takes the
 * fast form for large spaces.
 */
export function pageChain(
  model: NextTokenModel,
  vocabulary: Vocabulary | readonly string[],
  k: number,
  options?: PageChainOptions,
): PageChain {
  return buildPageChain(model, vocabulary, k, options, false);
}

/** As `pageChain`, for a model in the fast digit form (no strings, buffers reused). */
export function pageChainFromDigits(model: DigitModel, vocabulary: Vocabulary | readonly string[], k: number, options?: PageChainOptions): PageChain {
  if (typeof model !== "function") throw new TypeError(`model must be a function (digits, out) => void; got ${describe(model)}`);
  return buildPageChain(model, vocabulary, k, options, true);
}

function buildPageChain(
  model: NextTokenModel | DigitModel,
  vocabulary: Vocabulary | readonly string[],
  k: number,
  options: PageChainOptions | undefined,
  fast: boolean,
): PageChain {
  const space = new PageSpace(vocabulary, k);
  const V = space.vocabulary.size;
  const digitModel = toDigitModel(model, space, fast);
  const buffer = new Float64Array(V);
  const digits = new Int32Array(k);
  // The model gets its own copy of the page's digits: a model that writes into (or sorts) the buffer
  // it is given must not move the builder's odometer to another page.
  const given = new Int32Array(k);
  const checked = (out: Float64Array, index: number) => {
    if (!fast) return;
    // The fast form writes into a buffer; check it as strictly as the friendly form. The check is
    // inlined because building the page's label for every page costs more than the model itself;
    // readDistribution runs only to produce the error message.
    let sum = 0, ok = true;
    for (let t = 0; t < V; t++) {
      const p = out[t];
      if (!(p >= 0 && p !== Infinity)) ok = false;
      sum += p;
    }
    if (ok && Math.abs(sum - 1) <= STOCHASTIC_TOLERANCE) return;
    readDistribution(out, space.vocabulary, buffer, space.label(index));
    throw new RangeError(`model output for page ${describe(space.label(index))} is not a probability distribution; got ${describe(Array.from(out))}`);
  };

  if (options?.prompt === undefined && options?.prompts === undefined) {
    const N = space.size;
    if (N * V > 2 ** 31) throw new RangeError(`k = ${k} gives ${N} pages over ${V} tokens: too many to store; pass a prompt to build the reachable part only`);
    const probs = allocateProbs(N, V, k);
    // One reused buffer, zeroed per page as a fresh row would be: a subarray per page would be
    // millions of short-lived objects.
    const out = new Float64Array(V);
    for (let index = 0, row = 0; index < N; index++, row += V) {
      for (let t = 0; t < V; t++) out[t] = 0;
      given.set(digits);
      digitModel(given, out);
      checked(out, index);
      for (let t = 0; t < V; t++) probs[row + t] = out[t];
      // Odometer: advance digits to page index + 1.
      for (let p = k - 1; p >= 0; p--) {
        if (++digits[p] < V) break;
        digits[p] = 0;
      }
    }
    return new PageChain(space, null, probs);
  }

  const prompts = options.prompt !== undefined ? [options.prompt] : options.prompts!;
  if (!Array.isArray(prompts)) throw new TypeError(`prompts must be an array of pages; got ${describe(prompts)}`);
  if (prompts.length === 0) throw new RangeError(`prompts must hold at least one page; got ${describe(prompts)}`);
  const seen = new Map<number, number>();
  const order: number[] = [];
  const rows: number[] = [];
  const out = new Float64Array(V);
  prompts.forEach((p, i) => {
    const index = space.indexOf(p, options.prompt !== undefined ? "prompt" : `prompts[${i}]`);
    if (!seen.has(index)) {
      seen.set(index, order.length);
      order.push(index);
    }
  });
  for (let h = 0; h < order.length; h++) {
    const index = order[h];
    for (let i = k - 1, rest = index; i >= 0; i--, rest = (rest - (rest % V)) / V) digits[i] = rest % V;
    for (let t = 0; t < V; t++) out[t] = 0;
    given.set(digits);
    digitModel(given, out);
    checked(out, index);
    for (let t = 0; t < V; t++) {
      rows.push(out[t]);
      if (out[t] > 0) {
        const next = space.successor(index, t);
        if (!seen.has(next)) {
          seen.set(next, order.length);
          order.push(next);
        }
      }
    }
  }
  // Canonical order among the reachable pages: a numeric typed-array sort, rows found through the
  // map, and no object or slice per page (reachable sets can hold millions of pages).
  const pages = Float64Array.from(order).sort();
  const probs = new Float64Array(pages.length * V);
  for (let i = 0; i < pages.length; i++) {
    const from = seen.get(pages[i])! * V;
    for (let t = 0; t < V; t++) probs[i * V + t] = rows[from + t];
  }
  return new PageChain(space, pages, probs);
}
