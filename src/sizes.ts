/**
 * Exact sizes of page spaces (Remark 4.A), with BigInt so nothing is rounded.
 *
 * |V|^k is far beyond a double for a real model (GPT-2's tokenizer, |V| = 50257, with a 2048-token
 * window gives a number of 9629 digits), but BigInt holds it exactly, so its digits, its bit length
 * and its leading digits can be read off rather than estimated with logarithms.
 *
 *     const s = pageSpaceSize(50257, 2048);
 *     s.digits;          // 9629
 *     s.leading;         // "1.1234561737"
 *     s.bitsToIndex;     // 31984: bits needed to number every page
 *     s.bytesToIndex;    // 3998
 */
import { exactPower } from "./pages";
import { checkInteger, describe } from "./validate";

function checkPositiveBig(name: string, n: unknown): bigint {
  if (typeof n !== "bigint") throw new TypeError(`${name} must be a BigInt; got ${describe(n)}`);
  if (n < 1n) throw new RangeError(`${name} must be a BigInt ≥ 1n; got ${describe(n)}`);
  return n;
}

/** Number of decimal digits of n ≥ 1. */
export function decimalDigits(n: bigint): number {
  return checkPositiveBig("n", n).toString().length;
}

/** Number of binary digits of n ≥ 1 (so 2^(b−1) ≤ n < 2^b). */
export function bitLength(n: bigint): number {
  checkPositiveBig("n", n);
  // Hex digits give 4 bits each; only the leading hex digit needs care.
  const hex = n.toString(16);
  return 4 * (hex.length - 1) + parseInt(hex[0], 16).toString(2).length;
}

/**
 * The first `count` significant digits of n ≥ 1 in scientific form, truncated (not rounded):
 * `leadingDigits(123456n, 3)` is "1.23".
 */
export function leadingDigits(n: bigint, count: number): string {
  checkPositiveBig("n", n);
  checkInteger("count", count, 1);
  const s = n.toString().slice(0, count);
  return s.length === 1 ? s : `${s[0]}.${s.slice(1)}`;
}

export interface PageSpaceSize {
  vocabularySize: number;
  k: number;
  /** |V|^k, exactly. */
  pages: bigint;
  /** Decimal digits of |V|^k. */
  digits: number;
  /** |V|^k ≈ leading × 10^exponent, leading truncated to 11 significant digits. */
  leading: string;
  exponent: number;
  /** Bits to number every page 0 … |V|^k − 1, i.e. ⌈k · log2 |V|⌉ (pages packed optimally). */
  bitsToIndex: number;
  bytesToIndex: number;
  /** Bits when each token is stored on its own in ⌈log2 |V|⌉ bits. */
  bitsPerTokenRounded: number;
  bitsTokenByToken: number;
}

/** Exact size facts of the page space V^k. */
export function pageSpaceSize(vocabularySize: number, k: number): PageSpaceSize {
  checkInteger("vocabularySize", vocabularySize, 1);
  checkInteger("k", k, 1);
  const pages = exactPower(vocabularySize, k);
  const digits = decimalDigits(pages);
  const bitsToIndex = pages === 1n ? 0 : bitLength(pages - 1n);
  const bitsPerTokenRounded = vocabularySize === 1 ? 0 : bitLength(BigInt(vocabularySize - 1));
  return {
    vocabularySize,
    k,
    pages,
    digits,
    leading: leadingDigits(pages, 11),
    exponent: digits - 1,
    bitsToIndex,
    bytesToIndex: Math.ceil(bitsToIndex / 8),
    bitsPerTokenRounded,
    bitsTokenByToken: bitsPerTokenRounded * k,
  };
}

/**
 * The fraction of non-zero entries a page chain's transition matrix can have (Remark 4.C): each of
 * the |V|^k rows has at most |V| non-zeros among |V|^k columns, so the fraction is at most
 * |V|^(k+1) / |V|^(2k) = 1 / |V|^(k−1). Returned as the exact denominator and its base-10 logarithm.
 */
export function maxNonZeroFraction(vocabularySize: number, k: number): { denominator: bigint; log10: number } {
  checkInteger("vocabularySize", vocabularySize, 1);
  checkInteger("k", k, 1);
  return { denominator: exactPower(vocabularySize, k - 1), log10: -(k - 1) * Math.log10(vocabularySize) };
}
