/**
 * The waluigi toy model (Remark 6.B), as restored in the course spec §3.
 *
 * Tokens N (null padding, never emitted), F (friendly), U (unfriendly). The model keeps two
 * hypotheses about the author of the page: Luigi, who always writes F, and Waluigi, who writes U once
 * a U is on the page and otherwise writes F with probability p (keeping up the act) or U (revealing
 * himself). With prior λ = P(Luigi), the model scores the current page by Bayes and predicts with the
 * posterior mixture. Convention (the seed is silent): a page with a U can only be Waluigi's, and N
 * carries no evidence. On a page without U holding n tokens F,
 *
 *     P(W | page) = (1 − λ) pⁿ / (λ + (1 − λ) pⁿ),
 *     P(F | page) = f(n) = (λ + (1 − λ) pⁿ⁺¹) / (λ + (1 − λ) pⁿ),    P(U | page) = 1 − f(n).
 *
 *     const params = { luigiPrior: 0.9, pFriendly: 0.8 };
 *     friendlyProbability(3, params);            // f(3)
 *     waluigiChain(4, params).chain.closedClasses;   // [[index of UUUU]]
 */
import { freshCopy } from "./freshCopy";
import type { DigitModel, NextTokenModel } from "./model";
import { PageChain, type PageChainOptions, allocateProbs, checkProbsSize, pageChainFromDigits } from "./pageChain";
import { PageSpace, type PageLike } from "./pages";
import type { SparseStochasticMatrix } from "./sparse";
import { stochasticMatrixByConstruction } from "./sparseByConstruction";
import { STOCHASTIC_TOLERANCE, checkInteger, describe } from "./validate";

/** A page of the toy model written as a string over "NFU", oldest token first (spec §5). */
export type Page = string;

export interface WaluigiParams {
  /** λ = P(Luigi), in (0, 1). */
  luigiPrior: number;
  /** p = P(F | Waluigi, no U on the page), in [0, 1]. */
  pFriendly: number;
}

export const WALUIGI_TOKENS = Object.freeze(["N", "F", "U"] as const);
const N = 0, F = 1, U = 2;

export function checkWaluigiParams(params: unknown, argName = "params"): WaluigiParams {
  if (params === null || typeof params !== "object") throw new TypeError(`${argName} must be an object { luigiPrior, pFriendly }; got ${describe(params)}`);
  const { luigiPrior, pFriendly } = params as Record<string, unknown>;
  if (typeof luigiPrior !== "number") throw new TypeError(`${argName}.luigiPrior must be a number in (0, 1); got ${describe(luigiPrior)}`);
  if (!(luigiPrior > 0 && luigiPrior < 1)) throw new RangeError(`${argName}.luigiPrior must be in (0, 1); got ${describe(luigiPrior)}`);
  if (typeof pFriendly !== "number") throw new TypeError(`${argName}.pFriendly must be a number in [0, 1]; got ${describe(pFriendly)}`);
  if (!(pFriendly >= 0 && pFriendly <= 1)) throw new RangeError(`${argName}.pFriendly must be in [0, 1]; got ${describe(pFriendly)}`);
  return { luigiPrior, pFriendly };
}

/** Both next-token probabilities on a U-free page with n tokens F: [P(F), P(U)]. */
function friendlyUnfriendly(n: number, { luigiPrior: lambda, pFriendly: p }: WaluigiParams): [number, number] {
  const w = (1 - lambda) * p ** n; // unnormalised weight of Waluigi (0^0 = 1)
  const denominator = lambda + w;
  // P(U) from its own product, not as 1 − P(F): it stays accurate when it is tiny.
  return [(lambda + w * p) / denominator, (w * (1 - p)) / denominator];
}

/** f(n) = P(F | a U-free page with n tokens F). */
export function friendlyProbability(n: number, params: WaluigiParams): number {
  checkInteger("n", n, 0);
  return friendlyUnfriendly(n, checkWaluigiParams(params))[0];
}

/** 1 − f(n), computed without cancellation. */
export function revealProbability(n: number, params: WaluigiParams): number {
  checkInteger("n", n, 0);
  return friendlyUnfriendly(n, checkWaluigiParams(params))[1];
}

/** P(Waluigi | page): 1 on a page with a U, else the Bayes posterior after its F tokens. */
export function waluigiPosterior(page: PageLike, params: WaluigiParams): number {
  const { luigiPrior: lambda, pFriendly: p } = checkWaluigiParams(params);
  const tokens = new PageSpace(WALUIGI_TOKENS, Math.max(1, page.length)).tokensOf(page);
  if (tokens.includes("U")) return 1;
  const w = (1 - lambda) * p ** tokens.filter((t) => t === "F").length;
  return w / (lambda + w);
}

/** μ(· | page) as a learner-facing model: page tokens in, { N, F, U } out. */
export function waluigiModel(params: WaluigiParams): NextTokenModel {
  const checked = checkWaluigiParams(params);
  return (page) => {
    if (page.includes("U")) return { N: 0, F: 0, U: 1 };
    const [f, u] = friendlyUnfriendly(page.filter((t) => t === "F").length, checked);
    return { N: 0, F: f, U: u };
  };
}

/** The same model in the fast digit form, with f(0 … k) computed once. */
export function waluigiDigitModel(k: number, params: WaluigiParams): DigitModel {
  const checked = checkWaluigiParams(params);
  const table = Array.from({ length: k + 1 }, (_, n) => friendlyUnfriendly(n, checked));
  return (digits, out) => {
    let friendly = 0, unfriendly = false;
    for (let i = 0; i < digits.length; i++) {
      if (digits[i] === U) unfriendly = true;
      else if (digits[i] === F) friendly++;
    }
    out[N] = 0;
    if (unfriendly) {
      out[F] = 0;
      out[U] = 1;
    } else {
      [out[F], out[U]] = table[friendly];
    }
  };
}

/** The waluigi page chain: on all of {N, F, U}^k, or on the pages reachable from a prompt. */
export function waluigiChain(k: number, params: WaluigiParams, options?: PageChainOptions): PageChain {
  checkInteger("k", k, 1);
  const fullSpace = options?.prompt === undefined && options?.prompts === undefined;
  // Above 3^k · 3 = 2^31 entries the generic builder throws its explanatory error.
  // k = 1 (three pages) goes the generic way: the compact step needs 3^(k−1) divisible by 3.
  if (fullSpace && k >= 2 && 3 ** (k + 1) <= 2 ** 31) return fullSpaceChain(k, checkWaluigiParams(params));
  return pageChainFromDigits(waluigiDigitModel(k, params), WALUIGI_TOKENS, k, options);
}

/**
 * The chain on all of {N, F, U}^k without calling the digit model page by page: μ(· | page) depends
 * only on whether the page holds a U and on its number of F, and page i's statistics are those of
 * its prefix ⌊i/3⌋ (one token shorter) plus its newest token. So the statistics grow a level at a
 * time, one byte per prefix, and every row is read from the same table the digit model uses: the
 * same numbers, bit for bit, in a few passes over memory instead of k digit reads per page.
 *
 * Only those bytes are kept (a third of a byte per page). The table of next-token probabilities
 * (24 bytes per page) is written when someone asks for `probs`; T is written straight from the
 * statistics, with the entries the generic `PageChain.matrix` would derive from the table (positive
 * ones only, tokens in order), and since every row copies one of the ≤ 2k + 3 rows checked here, it
 * needs no scan of its millions of rows (`stochasticMatrixByConstruction`); the step π ↦ πT reads
 * the statistics instead of the table, with the table-based step's sums in the same order.
 */
function fullSpaceChain(k: number, params: WaluigiParams): PageChain {
  const space = new PageSpace(WALUIGI_TOKENS, k);
  const L = 3 ** (k - 1), n = 3 * L;
  // The table would be refused above the library's limit: refuse the chain now, as before.
  checkProbsSize(n, 3, k);
  const table = Array.from({ length: k + 1 }, (_, n) => friendlyUnfriendly(n, params));
  // For a prefix with statistics c, the page that appends token t has statistics next[t·256 + c]
  // (N keeps them, F adds one, U sets the flag) and next-token probabilities pF, pU of those.
  const pF = new Float64Array(3 * 256), pU = new Float64Array(3 * 256);
  // entries[t·256 + c]: non-zeros of that page's row (its F entry if positive, then its U entry).
  const entries = new Uint8Array(3 * 256);
  for (let c = 0; c < 256; c++) {
    if (!(c & HAS_U) && c >= k) continue; // a prefix holds at most k − 1 tokens F
    for (let t = 0; t < 3; t++) {
      const s = t === 0 ? c : t === 1 ? (c & HAS_U ? c : c + 1) : c | HAS_U;
      const [f, u] = s & HAS_U ? [0, 1] : table[s];
      if (!(f >= 0 && u >= 0 && f !== Infinity && u !== Infinity && Math.abs(f + u - 1) <= STOCHASTIC_TOLERANCE)) {
        throw new RangeError(`waluigi chain: next-token probabilities (F ${f}, U ${u}) for statistics ${s} are not a distribution`);
      }
      pF[t * 256 + c] = f;
      pU[t * 256 + c] = u;
      entries[t * 256 + c] = (f > 0 ? 1 : 0) + (u > 0 ? 1 : 0);
    }
  }
  const code = new Uint8Array(L);
  prefixStatistics(code, L);

  const probs = (): Float64Array => {
    const out = allocateProbs(n, 3, k);
    // Page 3q + t, row (3q + t)·3; N is never written (probability 0).
    for (let q = 0, o = 0; q < L; q++) {
      const c = code[q];
      for (let t = 0; t < 3; t++, o += 3) {
        out[o + F] = pF[t * 256 + c];
        out[o + U] = pU[t * 256 + c];
      }
    }
    return out;
  };

  const matrix = (): SparseStochasticMatrix => {
    // The number of non-zeros from the number of prefixes of each kind (no pass over the prefixes):
    // C(k − 1, m) U-free prefixes hold m tokens F, and 3^(k−1) − 2^(k−1) hold a U.
    let nnz = (L - 2 ** (k - 1)) * (entries[HAS_U] + entries[256 + HAS_U] + entries[512 + HAS_U]);
    for (let m = 0, binomial = 1; m < k; binomial = (binomial * (k - 1 - m)) / (m + 1), m++) {
      nnz += binomial * (entries[m] + entries[256 + m] + entries[512 + m]);
    }
    // Up to 64 MiB (k ≤ 13) the three arrays share one buffer: on this kind of VM a fresh allocation
    // pays a page fault per 4 KiB outside the 2 MiB-aligned stretches that can get huge pages, and
    // each separate array has such an unaligned head and tail (about 500 faults each, measured), one
    // buffer only one: ~20 ms of a first build at k = 12. Larger chains keep separate arrays: there
    // the faults are a small part, and with one 230 MB buffer at k = 15 the later dense steps were
    // measured slower (46 against 32 ms, median of 9, in back-to-back runs; not explained). That was
    // before each chain had its own step (src/freshCopy.ts); a re-check since was too noisy to decide.
    const bytes = 8 * nnz + 4 * (n + 1) + 4 * nnz;
    const buffer = bytes <= 2 ** 26 ? new ArrayBuffer(bytes) : null;
    const value = buffer ? new Float64Array(buffer, 0, nnz) : new Float64Array(nnz);
    const rowStart = buffer ? new Int32Array(buffer, 8 * nnz, n + 1) : new Int32Array(n + 1);
    const col = buffer ? new Int32Array(buffer, 8 * nnz + 4 * (n + 1), nnz) : new Int32Array(nnz);
    const written = writeRows(code, pF, pU, L, n, rowStart, col, value);
    if (written !== nnz) throw new Error(`waluigi chain: wrote ${written} non-zeros, counted ${nnz}`); // a bug, not bad input
    return stochasticMatrixByConstruction(n, rowStart, col, value);
  };

  // Every chain starts on the step made from the shared factory, whose code V8 has already optimised
  // once any chain has run it (generic code: it cannot take one chain's arrays as constants). A chain
  // that goes on stepping moves to its own copy (`freshCopy`), compiled for its arrays: 1.7× faster
  // per step at k = 12–15. A new function starts in the interpreter, though: a copy for every chain
  // made 20–200 steps at k = 10 1.5–1.7× slower, so the move waits for OWN_STEP_AFTER page-steps.
  const shared = waluigiStep(code, pF, pU, L);
  let own: ((pi: ArrayLike<number>, next: Float64Array) => void) | undefined;
  let work = 0;
  const step = (pi: ArrayLike<number>, next: Float64Array): void => {
    if (own !== undefined) return own(pi, next);
    shared(pi, next);
    if ((work += n) >= OWN_STEP_AFTER) own = freshCopy(waluigiStep)(code, pF, pU, L);
  };
  return new PageChain(space, null, { probs, matrix, step });
}

/**
 * Page-steps (pages × steps) a full-space chain runs on the shared step before it gets its own: about
 * 50 ms of work (95 steps at k = 12, 4 at k = 15). The copy's start then costs 25–32 ms at k = 12–13
 * (its first steps: 6–7 ms at k = 12, against 0.56 on the shared step and 0.33 once it is optimised),
 * which its faster steps repay within another ~7 · 10⁷ page-steps. 1,000 steps at k = 12 took 452 ms
 * (median of 3) with this threshold, 495 with 10⁸ and 619 on the shared step alone.
 */
const OWN_STEP_AFTER = 5e7;

/** Flag bit of a prefix's statistics byte; F counts (≤ k ≤ 19 here) stay below it. */
const HAS_U = 128;

/**
 * code[q] for the 3^(k−1) prefixes, grown in place: at each level, prefix q of the shorter space
 * becomes pages 3q (N), 3q + 1 (F), 3q + 2 (U). Descending q never overwrites a code not yet read.
 * (This loop and the rows' are functions of their own, run once per chain, so that V8 optimises each
 * one whole instead of entering and leaving one large function's loops by on-stack replacement, with
 * a deoptimisation at each loop's exit. Both get their arrays from the caller and do nothing before
 * their loop that needs type feedback: V8 allocates a function's feedback only once the function has
 * run for a while, so an allocation or property read ahead of the loop in the first call leaves none,
 * and the code optimised during that call would deoptimise there on the next call.)
 */
function prefixStatistics(code: Uint8Array, L: number): void {
  for (let size = 3; size <= L; size *= 3) {
    for (let q = size / 3 - 1; q >= 0; q--) {
      const c = code[q], b = 3 * q;
      code[b + 2] = c | HAS_U;
      code[b + 1] = c & HAS_U ? c : c + 1;
      code[b] = c;
    }
  }
}

/** T's rows from the statistics; returns the number of entries written. */
function writeRows(code: Uint8Array, pF: Float64Array, pU: Float64Array, L: number, n: number, rowStart: Int32Array, col: Int32Array, value: Float64Array): number {
  // Page i = 3q + t moves to 3j + t' with j = i mod L; rowStart[0] is 0 already.
  let e = 0, i = 0, base = 0;
  for (let q = 0; q < L; q++) {
    const c = code[q];
    for (let t = 0; t < 768; t += 256) {
      const f = pF[t + c], u = pU[t + c];
      if (f > 0) {
        col[e] = base + F;
        value[e++] = f;
      }
      if (u > 0) {
        col[e] = base + U;
        value[e++] = u;
      }
      rowStart[++i] = e;
      base += 3;
      if (base === n) base = 0;
    }
  }
  return e;
}

/**
 * The step π ↦ πT of the full-space chain, from the prefixes' statistics. Page 3j + t' collects mass
 * from pages a·L + j (a = 0, 1, 2): prefix a·L/3 + ⌊j/3⌋, newest token j mod 3. So j runs as 3q + t:
 * one read of the three prefixes' statistics serves three j. The sums run over a = 0, 1, 2 as in the
 * table-based step (whose N column is 0 · π).
 *
 * A chain that steps a lot runs its own copy of this factory (`freshCopy`): its closures are then
 * compiled with `code`, `pF`, `pU` and `L` as constants, 1.5–1.8× faster than as arguments or as the
 * shared closures of one literal (see src/freshCopy.ts). So it is self-contained: it names nothing
 * outside itself.
 */
function waluigiStep(code: Uint8Array, pF: Float64Array, pU: Float64Array, L: number): (pi: ArrayLike<number>, next: Float64Array) => void {
  const L3 = L / 3, L2 = 2 * L;
  const denseStep = (pi: ArrayLike<number>, next: Float64Array): void => {
    for (let q = 0, j = 0; q < L3; q++) {
      const c0 = code[q], c1 = code[q + L3], c2 = code[q + 2 * L3];
      for (let row = 0; row < 768; row += 256, j++) {
        const p0 = pi[j], p1 = pi[j + L], p2 = pi[j + 2 * L], o = 3 * j;
        if (p0 === 0 && p1 === 0 && p2 === 0) {
          next[o] = 0;
          next[o + 1] = 0;
          next[o + 2] = 0;
          continue;
        }
        const r0 = row + c0, r1 = row + c1, r2 = row + c2;
        next[o] = p0 * 0 + p1 * 0 + p2 * 0;
        next[o + 1] = p0 * pF[r0] + p1 * pF[r1] + p2 * pF[r2];
        next[o + 2] = p0 * pU[r0] + p1 * pU[r1] + p2 * pU[r2];
      }
    }
  };
  // The same sums, but a run of prefixes q whose nine source pages all carry no mass is found by
  // reading π alone and its 9 outputs per prefix are zeroed by one native fill. From a point mass,
  // the course's usual start, almost every prefix is such (after t ≥ k steps only the pages without
  // N carry mass: (2/3)^(k−1) of them), and this route was measured 1.4× faster there at k = 12; on
  // a dense π the extra test and the fill call in the loop make it 1.3–1.4× slower, so it is taken
  // only when a sample of π says most of it is zero. Both routes give the same numbers bit for bit.
  const sparseStep = (pi: ArrayLike<number>, next: Float64Array): void => {
    for (let q = 0, j = 0; q < L3; ) {
      if (pi[j] === 0 && pi[j + 1] === 0 && pi[j + 2] === 0 && pi[j + L] === 0 && pi[j + L + 1] === 0 && pi[j + L + 2] === 0 && pi[j + L2] === 0 && pi[j + L2 + 1] === 0 && pi[j + L2 + 2] === 0) {
        let q2 = q + 1, j2 = j + 3;
        while (q2 < L3 && pi[j2] === 0 && pi[j2 + 1] === 0 && pi[j2 + 2] === 0 && pi[j2 + L] === 0 && pi[j2 + L + 1] === 0 && pi[j2 + L + 2] === 0 && pi[j2 + L2] === 0 && pi[j2 + L2 + 1] === 0 && pi[j2 + L2 + 2] === 0) {
          q2++;
          j2 += 3;
        }
        next.fill(0, 3 * j, 3 * j2);
        q = q2;
        j = j2;
        continue;
      }
      const c0 = code[q], c1 = code[q + L3], c2 = code[q + 2 * L3];
      for (let row = 0; row < 768; row += 256, j++) {
        const p0 = pi[j], p1 = pi[j + L], p2 = pi[j + L2], o = 3 * j;
        if (p0 === 0 && p1 === 0 && p2 === 0) {
          next[o] = 0;
          next[o + 1] = 0;
          next[o + 2] = 0;
          continue;
        }
        const r0 = row + c0, r1 = row + c1, r2 = row + c2;
        next[o] = p0 * 0 + p1 * 0 + p2 * 0;
        next[o + 1] = p0 * pF[r0] + p1 * pF[r1] + p2 * pF[r2];
        next[o + 2] = p0 * pU[r0] + p1 * pU[r1] + p2 * pU[r2];
      }
      q++;
    }
  };
  // Up to k = 13 (π in a few MB) the step is bound by its instructions and skipping pays (0.52 →
  // 0.36 ms per step from a point mass at k = 12). Beyond, memory traffic, which both routes share,
  // takes over: at k = 15 the skip saved 9% (12.4 against 13.6 ms per step, pinned to one CPU), while
  // dense steps after sparse ones ran up to 1.25× slower, so large chains keep the one route.
  return L <= 3 ** 12 ? (pi: ArrayLike<number>, next: Float64Array): void => (mostlyZero(pi, L) ? sparseStep(pi, next) : denseStep(pi, next)) : denseStep;

  /**
   * True when at most 4 of 32 evenly spaced suffixes j have mass on one of their three source pages
   * j, j + L, j + 2L: a guess (it decides only which of two routes with equal results runs) that costs
   * 96 reads.
   */
  function mostlyZero(pi: ArrayLike<number>, L: number): boolean {
    let live = 0;
    for (let s = 0; s < 32; s++) {
      const j = Math.floor((s * L) / 32);
      if (pi[j] !== 0 || pi[j + L] !== 0 || pi[j + 2 * L] !== 0) live++;
    }
    return live <= 4;
  }
}
