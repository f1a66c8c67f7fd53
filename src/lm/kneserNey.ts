/**
 * An interpolated Kneser–Ney n-gram language model (Chen & Goodman 1998, §3.4/§4.1.6) over token ids.
 *
 * Theory. An n-gram model with context window k (n = k + 1) predicts the next token from the last k
 * tokens only, so it *is* a static language model with a window of k tokens, and its page chain is
 * exactly the chain of Remark 4. Interpolated Kneser–Ney mixes the orders recursively, from the
 * uniform distribution over |V| tokens up to order n:
 *
 *     p_0(w)     = 1 / |V|
 *     p_m(w | h) = max(c_m(h w) − D_m, 0) / Σ_v c_m(h v)  +  γ_m(h) · p_{m−1}(w | h'),
 *     γ_m(h)     = D_m · #{v : c_m(h v) > 0} / Σ_v c_m(h v),
 *
 * where h' drops the oldest token of h, c_n is the raw count of the n-gram and, for m < n, c_m is the
 * *continuation count* N1+(• h w): the number of distinct tokens seen just before h w. The discount
 * of order m is D_m = n₁ / (n₁ + 2 n₂), from the numbers n₁, n₂ of order-m n-grams whose count c_m is
 * 1 or 2 (Chen & Goodman's eq. 26). A context never seen (Σ c_m = 0) passes its order over: α = 0,
 * γ = 1. Every token keeps probability ≥ γ·…·γ/|V| > 0, as under a softmax.
 *
 * `variant: "nltk"` reproduces NLTK's `nltk.lm.KneserNeyInterpolated` (3.8) so the two can be
 * compared like with like; it differs from the formula above in three ways: one discount for all
 * orders (default 0.1); at order 1 the continuation frequency N1+(• w) / N1+(• •), undiscounted and
 * not mixed with the uniform distribution (so a token never seen after another token has probability
 * 0); and for m < n, γ counts the distinct tokens seen after h in raw text, #{v : c(h v) > 0}, not
 * those with a positive continuation count (they differ only for n-grams seen at the very start of the
 * stream, which have no token before them).
 *
 * Counts are stored in a trie of contexts extended to the left (a (context, token) → id TupleTable)
 * and, per context, its followers sorted by token id with their counts: binary search finds c_m(h w).
 * They are built in one pass over the tokens and cached under `build/lm/`.
 *
 *     const counts = NgramCounts.build(tokens, 3);           // orders 1 … 3
 *     const model = new KneserNeyModel(counts, 50257);       // window k = 2
 *     model.prob(262, [286, 257]);                           // p(w | last k tokens)
 *     model.greedy([286, 257]);                              // most likely next token
 *     model.perplexity(heldOut);
 */
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { TupleTable } from "../tupleTable";
import { checkInteger, describe } from "../validate";
import { writeFileAtomic } from "./corpus";

const CACHE_FORMAT = 2;

/** Raw n-gram statistics of a token stream, orders 1 … maxOrder. */
export class NgramCounts {
  readonly maxOrder: number;
  /** Number of n-grams (all orders); ids run 1 … grams, 0 is the empty context. */
  readonly grams: number;
  /** Length of gram g. */
  readonly length: Uint8Array;
  /** The gram's first length − 1 tokens (its context), as a gram id (0 = empty). */
  readonly contextOf: Int32Array;
  /** The gram's last token. */
  readonly lastOf: Int32Array;
  /** The gram with its first token dropped (0 for unigrams): the trie parent. */
  readonly suffixOf: Int32Array;
  /** The gram's first token. */
  readonly firstOf: Int32Array;
  /** Occurrences in the stream. */
  readonly raw: Int32Array;
  /** Number of distinct tokens seen just before the gram (its continuation count N1+(• g)). */
  readonly continuation: Int32Array;
  /** Number of tokens counted. */
  readonly tokens: number;

  constructor(fields: Omit<NgramCounts, "trie" | "save" | "contextId">) {
    this.maxOrder = fields.maxOrder;
    this.grams = fields.grams;
    this.length = fields.length;
    this.contextOf = fields.contextOf;
    this.lastOf = fields.lastOf;
    this.suffixOf = fields.suffixOf;
    this.firstOf = fields.firstOf;
    this.raw = fields.raw;
    this.continuation = fields.continuation;
    this.tokens = fields.tokens;
  }

  private trieCache?: TupleTable;

  /** The trie: (suffix gram id, first token) → gram id − 1. */
  get trie(): TupleTable {
    if (!this.trieCache) {
      const t = new TupleTable(2, this.grams);
      const pair = new Int32Array(2);
      for (let g = 1; g <= this.grams; g++) {
        pair[0] = this.suffixOf[g];
        pair[1] = this.firstOf[g];
        t.intern(pair);
      }
      this.trieCache = t;
    }
    return this.trieCache;
  }

  /** Gram id of `tokens[from … to)` (0 for the empty range), or -1 if never seen. */
  contextId(tokens: ArrayLike<number>, from: number, to: number): number {
    let id = 0;
    const trie = this.trie;
    for (let i = to - 1; i >= from; i--) {
      const t = trie.findPair(id, tokens[i]);
      if (t < 0) return -1;
      id = t + 1;
    }
    return id;
  }

  /** Counts every n-gram of orders 1 … maxOrder in the stream (no padding). */
  static build(tokens: ArrayLike<number>, maxOrder: number): NgramCounts {
    checkInteger("maxOrder", maxOrder, 1, 16);
    const N = tokens.length;
    const cap = maxOrder * N + 1;
    const length = new Uint8Array(cap), contextOf = new Int32Array(cap), lastOf = new Int32Array(cap);
    const suffixOf = new Int32Array(cap), firstOf = new Int32Array(cap), raw = new Int32Array(cap), continuation = new Int32Array(cap);
    const trie = new TupleTable(2, Math.min(cap, 1 << 22));
    const pair = new Int32Array(2);
    let prev = new Int32Array(maxOrder + 1), cur = new Int32Array(maxOrder + 1);
    for (let i = 0; i < N; i++) {
      const w = tokens[i];
      if (!Number.isInteger(w) || w < 0) throw new RangeError(`tokens[${i}] must be a token id (integer ≥ 0); got ${describe(w)}`);
      const top = Math.min(maxOrder, i + 1);
      for (let L = 1; L <= top; L++) {
        pair[0] = cur[L - 1];
        pair[1] = tokens[i - L + 1];
        const id = trie.intern(pair) + 1;
        if (trie.isNew) {
          length[id] = L;
          contextOf[id] = prev[L - 1];
          lastOf[id] = w;
          suffixOf[id] = pair[0];
          firstOf[id] = pair[1];
          if (L >= 2) continuation[pair[0]]++;
        }
        raw[id]++;
        cur[L] = id;
      }
      const swap = prev;
      prev = cur;
      cur = swap;
    }
    const G = trie.size;
    const counts = new NgramCounts({
      maxOrder, grams: G, tokens: N,
      length: length.slice(0, G + 1), contextOf: contextOf.slice(0, G + 1), lastOf: lastOf.slice(0, G + 1),
      suffixOf: suffixOf.slice(0, G + 1), firstOf: firstOf.slice(0, G + 1), raw: raw.slice(0, G + 1), continuation: continuation.slice(0, G + 1),
    });
    counts.trieCache = trie;
    return counts;
  }

  /** Writes the counts to a binary file (atomically). */
  save(path: string, key: string): void {
    // The trie's own arrays are saved too: rebuilding its index costs more than reading it.
    const trie = this.trie.toArrays();
    const arrays = [this.contextOf, this.lastOf, this.suffixOf, this.firstOf, this.raw, this.continuation, trie.data, trie.slots];
    const header = Buffer.from(JSON.stringify({ format: CACHE_FORMAT, key, maxOrder: this.maxOrder, grams: this.grams, tokens: this.tokens, slots: trie.slots.length }), "utf8");
    const lead = Buffer.alloc(8);
    lead.writeUInt32LE(header.length, 0);
    const parts: Buffer[] = [lead, header, Buffer.alloc((4 - ((8 + header.length) % 4)) % 4)];
    for (const a of arrays) parts.push(Buffer.from(a.buffer, a.byteOffset, a.byteLength));
    parts.push(Buffer.from(this.length.buffer, this.length.byteOffset, this.length.byteLength));
    writeFileAtomic(path, Buffer.concat(parts));
  }

  /** Reads counts written by `save`; null when the file is missing or was written for another key. */
  static load(path: string, key: string): NgramCounts | null {
    if (!existsSync(path)) return null;
    const buf = readFileSync(path);
    const headerLength = buf.readUInt32LE(0);
    const header = JSON.parse(buf.subarray(8, 8 + headerLength).toString("utf8")) as { format: number; key: string; maxOrder: number; grams: number; tokens: number; slots: number };
    if (header.format !== CACHE_FORMAT || header.key !== key) return null;
    let offset = 8 + headerLength;
    offset += (4 - (offset % 4)) % 4;
    const n = header.grams + 1;
    // A large file gets its own ArrayBuffer: view it in place instead of copying it.
    let ab: ArrayBuffer = buf.buffer as ArrayBuffer;
    if (buf.byteOffset % 4 !== 0) ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
    else offset += buf.byteOffset;
    const take = (count = n) => {
      const a = new Int32Array(ab, offset, count);
      offset += 4 * count;
      return a;
    };
    const contextOf = take(), lastOf = take(), suffixOf = take(), firstOf = take(), raw = take(), continuation = take();
    const trieData = take(2 * header.grams), trieSlots = take(header.slots);
    const length = new Uint8Array(ab, offset, n);
    const counts = new NgramCounts({ maxOrder: header.maxOrder, grams: header.grams, tokens: header.tokens, length, contextOf, lastOf, suffixOf, firstOf, raw, continuation });
    counts.trieCache = TupleTable.fromArrays(2, trieData, trieSlots);
    return counts;
  }
}

/**
 * Counts of `tokens` for a window k (orders 1 … k + 1), from `<cacheDir>/counts-k<k>.bin` when it
 * holds counts for the same key, else counted and cached there.
 */
export function cachedCounts(tokens: ArrayLike<number>, k: number, cacheDir: string, key: string, log?: (line: string) => void): { counts: NgramCounts; fromCache: boolean } {
  checkInteger("k", k, 1, 15);
  const path = join(cacheDir, `counts-k${k}.bin`);
  const fullKey = `${key}.k${k}.n${tokens.length}`;
  const loaded = NgramCounts.load(path, fullKey);
  if (loaded) return { counts: loaded, fromCache: true };
  log?.(`counting n-grams of orders 1 … ${k + 1} over ${tokens.length} tokens (cache: ${path})`);
  const counts = NgramCounts.build(tokens, k + 1);
  counts.save(path, fullKey);
  return { counts, fromCache: false };
}

export interface KneserNeyOptions {
  /** "chen-goodman" (default): the documented formula. "nltk": NLTK 3.8's variant (see the module doc). */
  variant?: "chen-goodman" | "nltk";
  /** Discount for every order. Default: Chen & Goodman's n₁/(n₁ + 2n₂) per order; 0.1 for "nltk". */
  discount?: number;
  /** Context window, at most the counts' maxOrder − 1 (the default): counts for k serve every smaller window. */
  k?: number;
}

/** A visitor of tokens in decreasing probability: return false to stop. */
export type RankedVisitor = (token: number, p: number) => boolean;

/** A sorted list of candidate tokens with exact probabilities at one order. */
interface SortedLevel {
  tokens: Int32Array;
  probs: Float64Array;
}

/** An interpolated Kneser–Ney model with window k = maxOrder − 1 over a vocabulary of size V. */
export class KneserNeyModel {
  readonly counts: NgramCounts;
  /** Context window: the model reads the last k tokens. */
  readonly k: number;
  readonly vocabularySize: number;
  readonly variant: "chen-goodman" | "nltk";
  /** D_m for m = 1 … n (index 0 unused). */
  readonly discounts: Float64Array;
  /** The order-1 distribution (mixed with the uniform one in the documented variant). */
  readonly unigram: Float64Array;
  /** Tokens in decreasing order-1 probability (ties: smaller id first). */
  readonly unigramOrder: Int32Array;
  /** Followers of context c (a gram id): followerToken[followerStart[c] … followerStart[c + 1]), ascending. */
  readonly followerStart: Int32Array;
  readonly followerToken: Int32Array;
  readonly followerCount: Int32Array;
  /** Σ of the follower counts of context c, and the number that are > 0 (γ's numerator). */
  readonly total: Float64Array;
  readonly types: Float64Array;
  private readonly sortedCache = new Map<number, SortedLevel>();

  constructor(counts: NgramCounts, vocabularySize: number, options: KneserNeyOptions = {}) {
    this.counts = counts;
    this.k = options.k === undefined ? counts.maxOrder - 1 : checkInteger("options.k", options.k, 0, counts.maxOrder - 1);
    this.vocabularySize = checkInteger("vocabularySize", vocabularySize, 1);
    const variant = options.variant ?? "chen-goodman";
    if (variant !== "chen-goodman" && variant !== "nltk") throw new RangeError(`options.variant must be "chen-goodman" or "nltk"; got ${describe(variant)}`);
    this.variant = variant;
    if (options.discount !== undefined && !(options.discount >= 0 && options.discount <= 1)) throw new RangeError(`options.discount must be in [0, 1]; got ${describe(options.discount)}`);
    const n = this.k + 1, G = counts.grams;
    const { length, contextOf, lastOf, raw, continuation } = counts;
    // The count a gram contributes to its context: raw at the top order, continuation below.
    const value = (g: number) => (length[g] === n ? raw[g] : continuation[g]);
    for (let g = 1; g <= G; g++) if (lastOf[g] >= vocabularySize) throw new RangeError(`the counts hold token id ${lastOf[g]}, outside the vocabulary of size ${vocabularySize}`);

    // Followers grouped by context and sorted by token: counting sort by token, then stable by context.
    // Grams longer than n belong to a larger window and are left out.
    const byToken = new Int32Array(vocabularySize + 1);
    let used = 0;
    for (let g = 1; g <= G; g++) if (length[g] <= n) {
      byToken[lastOf[g] + 1]++;
      used++;
    }
    for (let t = 0; t < vocabularySize; t++) byToken[t + 1] += byToken[t];
    const order1 = new Int32Array(used);
    for (let g = 1; g <= G; g++) if (length[g] <= n) order1[byToken[lastOf[g]]++] = g;
    const start = new Int32Array(G + 2);
    for (let g = 1; g <= G; g++) if (length[g] <= n) start[contextOf[g] + 1]++;
    for (let c = 0; c <= G; c++) start[c + 1] += start[c];
    const fill = start.slice(0, G + 1);
    const token = new Int32Array(used), count = new Int32Array(used);
    for (const g of order1) {
      const e = fill[contextOf[g]]++;
      token[e] = lastOf[g];
      count[e] = value(g);
    }
    this.followerStart = start;
    this.followerToken = token;
    this.followerCount = count;

    const total = new Float64Array(G + 1), types = new Float64Array(G + 1);
    for (let c = 0; c <= G; c++) {
      let s = 0, ty = 0;
      for (let e = start[c]; e < start[c + 1]; e++) {
        s += count[e];
        if (count[e] > 0 || variant === "nltk") ty++;
      }
      total[c] = s;
      types[c] = ty;
    }
    this.total = total;
    this.types = types;

    const discounts = new Float64Array(n + 1);
    if (options.discount !== undefined || variant === "nltk") discounts.fill(options.discount ?? 0.1);
    else {
      const n1 = new Float64Array(n + 1), n2 = new Float64Array(n + 1);
      for (let g = 1; g <= G; g++) {
        if (length[g] > n) continue;
        const v = value(g);
        if (v === 1) n1[length[g]]++;
        else if (v === 2) n2[length[g]]++;
      }
      for (let m = 1; m <= n; m++) discounts[m] = n1[m] + 2 * n2[m] > 0 ? n1[m] / (n1[m] + 2 * n2[m]) : 0.5;
    }
    discounts[0] = NaN;
    this.discounts = discounts;

    // Order 1: the followers of the empty context are the unigrams.
    const uni = new Float64Array(vocabularySize);
    const t0 = total[0];
    if (variant === "nltk") {
      for (let e = start[0]; e < start[1]; e++) uni[token[e]] = count[e] / t0;
    } else {
      const D = discounts[1];
      const floor = t0 > 0 ? (D * types[0]) / t0 : 1;
      uni.fill(1 / vocabularySize);
      for (let w = 0; w < vocabularySize; w++) uni[w] = 0 + floor * uni[w];
      for (let e = start[0]; e < start[1]; e++) uni[token[e]] = Math.max(count[e] - D, 0) / t0 + floor * (1 / vocabularySize);
    }
    this.unigram = uni;
    this.unigramOrder = Int32Array.from({ length: vocabularySize }, (_, i) => i).sort((a, b) => uni[b] - uni[a] || a - b);
  }

  /** Count of `w` after context c (binary search), 0 if absent. */
  followerValue(c: number, w: number): number {
    let lo = this.followerStart[c], hi = this.followerStart[c + 1] - 1;
    const tok = this.followerToken;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = tok[mid];
      if (v === w) return this.followerCount[mid];
      if (v < w) lo = mid + 1;
      else hi = mid - 1;
    }
    return 0;
  }

  /**
   * Context ids of the suffixes of the last k tokens of `context`: ids[m] is the context of order m
   * (its last m − 1 tokens), for m = 2 … n; -1 where that context was never seen or has no counts.
   */
  contextIds(context: ArrayLike<number>, out = new Int32Array(this.k + 2)): Int32Array {
    const k = this.k, L = context.length;
    if (L < k) throw new RangeError(`context must hold at least k = ${k} tokens; got ${L}: ${describe(context)}`);
    out.fill(-1);
    const trie = this.counts.trie;
    let id = 0;
    for (let m = 2; m <= k + 1; m++) {
      const t = trie.findPair(id, context[L - m + 1]);
      if (t < 0) break;
      id = t + 1;
      if (this.total[id] > 0) out[m] = id;
    }
    return out;
  }

  private scratch = new Int32Array(18);

  /** p(w | order-m context chain `ids`), the nested formula from order 1 up to order m. */
  private probAt(w: number, ids: Int32Array, m: number): number {
    let p = this.unigram[w];
    for (let j = 2; j <= m; j++) {
      const c = ids[j];
      if (c < 0) continue;
      const D = this.discounts[j], tot = this.total[c];
      const alpha = Math.max(this.followerValue(c, w) - D, 0) / tot;
      const gamma = (D * this.types[c]) / tot;
      p = alpha + gamma * p;
    }
    return p;
  }

  /** p(w | the last k tokens of `context`). */
  prob(w: number, context: ArrayLike<number>): number {
    const ids = this.contextIds(context, this.scratch);
    return this.probAt(w, ids, this.k + 1);
  }

  /** The whole next-token distribution after `context`, in token-id order, written into `out`. */
  distribution(context: ArrayLike<number>, out = new Float64Array(this.vocabularySize)): Float64Array {
    const ids = this.contextIds(context, new Int32Array(this.k + 2));
    out.set(this.unigram);
    for (let j = 2; j <= this.k + 1; j++) {
      const c = ids[j];
      if (c < 0) continue;
      const D = this.discounts[j], tot = this.total[c];
      const gamma = (D * this.types[c]) / tot;
      // Followers first, from the lower-order value; then every other token is scaled by γ.
      const a = this.followerStart[c], b = this.followerStart[c + 1];
      const newVals = new Float64Array(b - a);
      for (let e = a; e < b; e++) newVals[e - a] = Math.max(this.followerCount[e] - D, 0) / tot + gamma * out[this.followerToken[e]];
      for (let w = 0; w < out.length; w++) out[w] = 0 + gamma * out[w];
      for (let e = a; e < b; e++) out[this.followerToken[e]] = newVals[e - a];
    }
    return out;
  }

  /** Followers of order-m context c with their exact order-m probabilities, sorted (p desc, id asc). */
  private sortedLevel(ids: Int32Array, m: number): SortedLevel {
    const c = ids[m];
    const cached = this.sortedCache.get(c);
    if (cached) return cached;
    const a = this.followerStart[c], b = this.followerStart[c + 1];
    const idx = Array.from({ length: b - a }, (_, i) => i);
    const probs = new Float64Array(b - a);
    for (let e = a; e < b; e++) probs[e - a] = this.probAt(this.followerToken[e], ids, m);
    idx.sort((x, y) => probs[y] - probs[x] || this.followerToken[a + x] - this.followerToken[a + y]);
    const level = { tokens: Int32Array.from(idx, (i) => this.followerToken[a + i]), probs: Float64Array.from(idx, (i) => probs[i]) };
    // Long lists (frequent short contexts) are met again and again: keep them.
    if (b - a >= 16) this.sortedCache.set(c, level);
    return level;
  }

  /**
   * Visits tokens in decreasing p(· | context) (ties: smaller id first) with their probabilities, until
   * `visit` returns false. Lazy: greedy decoding looks at one token, top-m at m, without computing the
   * other 50,000 probabilities. Each order merges its own followers (exact) with the lower order's
   * stream scaled by γ, skipping the followers there.
   */
  ranked(context: ArrayLike<number>, visit: RankedVisitor): void {
    const ids = this.contextIds(context, new Int32Array(this.k + 2));
    const levels: number[] = [];
    for (let m = 2; m <= this.k + 1; m++) if (ids[m] >= 0) levels.push(m);
    // A stream yields (token, p) in order; built bottom-up.
    type Stream = { peekToken: () => number; peekProb: () => number; advance: () => void };
    let pos = 0;
    const uniOrder = this.unigramOrder, uni = this.unigram;
    let stream: Stream = {
      peekToken: () => (pos < uniOrder.length ? uniOrder[pos] : -1),
      peekProb: () => (pos < uniOrder.length ? uni[uniOrder[pos]] : -1),
      advance: () => void pos++,
    };
    for (const m of levels) {
      const lower = stream;
      const c = ids[m];
      const level = this.sortedLevel(ids, m);
      const gamma = (this.discounts[m] * this.types[c]) / this.total[c];
      let i = 0;
      const skipFollowers = () => {
        for (;;) {
          const t = lower.peekToken();
          if (t < 0 || !this.isFollower(c, t)) return;
          lower.advance();
        }
      };
      const lowerProb = () => {
        skipFollowers();
        const t = lower.peekToken();
        return t < 0 ? -1 : 0 + gamma * lower.peekProb();
      };
      const takeOwn = () => {
        if (i >= level.tokens.length) return false;
        const q = lowerProb();
        if (q < 0) return true;
        const p = level.probs[i];
        return p > q || (p === q && level.tokens[i] < lower.peekToken());
      };
      stream = {
        peekToken: () => (takeOwn() ? level.tokens[i] : (skipFollowers(), lower.peekToken())),
        peekProb: () => (takeOwn() ? level.probs[i] : lowerProb()),
        advance: () => (takeOwn() ? void i++ : (skipFollowers(), lower.advance())),
      };
    }
    for (;;) {
      const t = stream.peekToken();
      if (t < 0) return;
      const p = stream.peekProb();
      if (!visit(t, p)) return;
      stream.advance();
    }
  }

  private isFollower(c: number, w: number): boolean {
    let lo = this.followerStart[c], hi = this.followerStart[c + 1] - 1;
    const tok = this.followerToken;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = tok[mid];
      if (v === w) return true;
      if (v < w) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }

  /** The greedy next token after `context` (the most likely; the smaller id on a tie). */
  greedy(context: ArrayLike<number>): number {
    let best = -1;
    this.ranked(context, (t) => {
      best = t;
      return false;
    });
    return best;
  }

  /** Mean −log p over `tokens[k …]`, each token given its k predecessors, and its exponential. */
  perplexity(tokens: ArrayLike<number>): { perplexity: number; crossEntropy: number; scored: number } {
    const k = this.k;
    let sum = 0, n = 0;
    const ids = new Int32Array(k + 2);
    const ctx = new Int32Array(k);
    for (let i = k; i < tokens.length; i++) {
      for (let j = 0; j < k; j++) ctx[j] = tokens[i - k + j];
      this.contextIds(ctx, ids);
      sum -= Math.log(this.probAt(tokens[i], ids, k + 1));
      n++;
    }
    return { perplexity: Math.exp(sum / n), crossEntropy: sum / n, scored: n };
  }
}
