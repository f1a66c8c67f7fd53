/**
 * Page-states (Remark 4.A).
 *
 * A page is a string of exactly `k` tokens from a vocabulary `V`, oldest token first. The pages are
 * numbered in the canonical order: lexicographic over the vocabulary's own order, oldest token most
 * significant, i.e. the page is a base-|V| numeral. One step of Dynamic GPT maps page `s` and token
 * `t` to `s_2 … s_k t`, which in this numbering is `(s mod |V|^(k−1))·|V| + t`: the de Bruijn shift.
 *
 * Nothing here enumerates the space: indices are computed arithmetically, so a `PageSpace` for
 * GPT-2's 50257^2048 pages costs nothing until one asks for its size (a BigInt).
 *
 *     const space = new PageSpace(new Vocabulary(["N", "F", "U"]), 2);
 *     space.indexOf("FU");        // 5
 *     space.label(5);             // "FU"
 *     space.successor(5, 2);      // index of "UU" = 8
 */
import { checkInteger, describe } from "./validate";

/** A page given as a string of single-character tokens, or as an array of tokens. */
export type PageLike = string | readonly string[];

/** V8 refuses BigInts above 2^30 bits with a bare engine error; this names the sizes instead. */
export const MAX_BIGINT_BITS = 2 ** 30;

/** base^k as an exact BigInt, or a RangeError naming base, k and the size needed. */
export function exactPower(base: number, k: number): bigint {
  const bits = k * Math.log2(base);
  if (bits >= MAX_BIGINT_BITS) {
    throw new RangeError(
      `|V|^k = ${base}^${k} has about ${(bits / Math.log2(10)).toPrecision(3)} decimal digits (${bits.toPrecision(3)} bits), ` +
      `beyond the largest exact integer this engine holds (2^30 bits); use k · log10 |V| = ${(k * Math.log10(base)).toPrecision(6)} for its size`,
    );
  }
  return BigInt(base) ** BigInt(k);
}

export class Vocabulary {
  readonly tokens: readonly string[];
  private readonly index = new Map<string, number>();
  /** True when every token is one character, so pages can be written as plain strings. */
  readonly compact: boolean;
  /**
   * True when some token holds whitespace: space-separated labels would then be ambiguous ("a b" +
   * "c" against "a" + "b c"), so pages are labelled and parsed as JSON arrays of their tokens.
   */
  readonly spaced: boolean;

  constructor(tokens: readonly string[]) {
    if (!Array.isArray(tokens)) throw new TypeError(`tokens must be an array of strings; got ${describe(tokens)}`);
    if (tokens.length === 0) throw new RangeError(`tokens must be a non-empty vocabulary; got ${describe(tokens)}`);
    tokens.forEach((t, i) => {
      if (typeof t !== "string" || t.length === 0) throw new TypeError(`tokens[${i}] must be a non-empty string; got ${describe(t)}`);
      if (this.index.has(t)) throw new RangeError(`tokens must be distinct; ${describe(t)} appears twice in ${describe(tokens)}`);
      this.index.set(t, i);
    });
    this.tokens = Object.freeze([...tokens]);
    this.compact = tokens.every((t) => t.length === 1);
    this.spaced = !this.compact && tokens.some((t) => /\s/.test(t));
  }

  get size(): number {
    return this.tokens.length;
  }

  /** The index of a token; throws naming `argName` if the token is unknown. */
  tokenIndex(token: string, argName = "token"): number {
    const i = this.index.get(token);
    if (i === undefined) throw new RangeError(`${argName} must be one of ${describe(this.tokens)}; got ${describe(token)}`);
    return i;
  }

  has(token: string): boolean {
    return this.index.has(token);
  }
}

export class PageSpace {
  readonly vocabulary: Vocabulary;
  readonly k: number;
  /** Whether every page index fits in a double exactly (|V|^k ≤ 2^53). */
  readonly indexable: boolean;
  private sizeBigCache?: bigint;
  private readonly base: number;
  /** |V|^(k−1), the place value of the oldest token (only when the space is indexable). */
  private readonly lead: number;

  constructor(vocabulary: Vocabulary | readonly string[], k: number) {
    this.vocabulary = vocabulary instanceof Vocabulary ? vocabulary : new Vocabulary(vocabulary);
    this.k = checkInteger("k", k, 1);
    this.base = this.vocabulary.size;
    // Decided without the BigInt power, which for a window of millions of tokens takes minutes.
    this.indexable = this.base === 1 || (k * Math.log2(this.base) < 54 && BigInt(this.base) ** BigInt(k) <= BigInt(Number.MAX_SAFE_INTEGER));
    this.lead = this.indexable ? this.base ** (k - 1) : NaN;
  }

  /** |V|^k as an exact BigInt, computed on first use: available however large. */
  get sizeBig(): bigint {
    return (this.sizeBigCache ??= exactPower(this.base, this.k));
  }

  /** |V|^k as a number; throws when it is too large to index pages with doubles. */
  get size(): number {
    if (!this.indexable) {
      throw new RangeError(`the page space |V|^k = ${this.base}^${this.k} is too large to index with numbers; use sizeBig and the *Big methods`);
    }
    return Number(this.sizeBig);
  }

  /** The tokens of a page, validated: length k and every token in the vocabulary. */
  tokensOf(page: PageLike, argName = "page"): string[] {
    let tokens: string[];
    if (typeof page === "string") {
      if (this.vocabulary.spaced) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(page);
        } catch {
          parsed = undefined;
        }
        if (!Array.isArray(parsed)) throw new TypeError(`${argName} must be an array of tokens, or its label (a JSON array of tokens: some tokens of this vocabulary hold spaces); got ${describe(page)}`);
        tokens = parsed as string[];
      } else if (!this.vocabulary.compact) {
        tokens = page.split(" ").filter((t) => t.length > 0);
      } else {
        tokens = Array.from(page);
      }
    } else if (Array.isArray(page)) {
      tokens = [...page];
    } else {
      throw new TypeError(`${argName} must be a string or an array of tokens; got ${describe(page)}`);
    }
    if (tokens.length !== this.k) {
      throw new RangeError(`${argName} must have exactly k = ${this.k} tokens; got ${tokens.length} in ${describe(page)}`);
    }
    tokens.forEach((t, i) => {
      if (!this.vocabulary.has(t)) {
        throw new RangeError(`${argName} has unknown token ${describe(t)} at position ${i} (vocabulary ${describe(this.vocabulary.tokens)}); got ${describe(page)}`);
      }
    });
    return tokens;
  }

  /** The canonical index of a page. */
  indexOf(page: PageLike, argName = "page"): number {
    if (!this.indexable) void this.size; // throws the explanatory RangeError
    let index = 0;
    for (const t of this.tokensOf(page, argName)) index = index * this.base + this.vocabulary.tokenIndex(t);
    return index;
  }

  /** The canonical index of a page as a BigInt, for spaces too large for doubles. */
  indexOfBig(page: PageLike, argName = "page"): bigint {
    let index = 0n;
    const b = BigInt(this.base);
    for (const t of this.tokensOf(page, argName)) index = index * b + BigInt(this.vocabulary.tokenIndex(t));
    return index;
  }

  private checkIndex(index: number, argName: string): number {
    return checkInteger(argName, index, 0, this.count - 1);
  }

  /** Token indices of the page with this index, oldest first. */
  digits(index: number, argName = "index"): number[] {
    let rest = this.checkIndex(index, argName);
    const out = new Array<number>(this.k);
    for (let i = this.k - 1; i >= 0; i--) {
      out[i] = rest % this.base;
      rest = Math.floor(rest / this.base);
    }
    return out;
  }

  /** The tokens of the page with this index, oldest first. */
  pageAt(index: number, argName = "index"): string[] {
    return this.digits(index, argName).map((d) => this.vocabulary.tokens[d]);
  }

  /**
   * A readable label: tokens concatenated when they are single characters, space-separated when no
   * token holds whitespace, else a JSON array of the tokens (the only unambiguous form then).
   */
  label(index: number): string {
    const page = this.pageAt(index);
    if (this.vocabulary.spaced) return JSON.stringify(page);
    return page.join(this.vocabulary.compact ? "" : " ");
  }

  /** The number of pages as a double, checked once (only for indexable spaces). */
  private get count(): number {
    return (this.countCache ??= this.size);
  }
  private countCache?: number;

  /** The token index at `position` (0 = oldest) of page `index`, without building the page. */
  tokenAt(index: number, position: number): number {
    this.checkIndex(index, "index");
    checkInteger("position", position, 0, this.k - 1);
    const place = this.base ** (this.k - 1 - position);
    return Math.floor(index / place) % this.base;
  }

  /** Generation + deletion: the index of `s_2 … s_k t` for page `index` and token index `token`. */
  successor(index: number, token: number): number {
    // Inline checks: this runs once per edge while a chain is built.
    if (!(Number.isInteger(index) && index >= 0 && index < this.count)) this.checkIndex(index, "index");
    if (!(Number.isInteger(token) && token >= 0 && token < this.base)) checkInteger("token", token, 0, this.base - 1);
    return (index % this.lead) * this.base + token;
  }
}
