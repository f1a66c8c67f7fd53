/**
 * The course's real language model: interpolated Kneser–Ney on the Brown corpus in GPT-2 tokens.
 *
 * One call gives the model for a window k together with the corpus it was trained on. Counts come
 * from the cache under `build/lm/` (keyed by corpus, tokenizer and k) when present. The model is also
 * offered as the library's `NextTokenModel` over a `Vocabulary` of the 50,257 token ids written as
 * strings ("0" … "50256"; GPT-2's tokens are byte strings, so their texts are not all distinct), so
 * `pageChain`, `greedyOrbit` and the rest apply to it where |V|^k is indexable.
 *
 *     const { model, corpus } = loadBrownModel(3);
 *     model.perplexity(corpus.heldOut).perplexity;
 *     const page = gpt2.encode(" the end of the").slice(-3);
 *     gpt2.decode(followGreedy(model, page).cycleTokens);
 */
import type { NextTokenModel } from "../model";
import { Vocabulary } from "../pages";
import { checkInteger, describe } from "../validate";
import { type CorpusTokens, GPT2_VOCABULARY_SIZE, gpt2, loadBrownTokens } from "./corpus";
import { KneserNeyModel, type KneserNeyOptions, cachedCounts } from "./kneserNey";

export interface BrownModel {
  model: KneserNeyModel;
  corpus: CorpusTokens;
  /** Whether the counts were read from the cache. */
  countsFromCache: boolean;
  /** Wall-clock seconds to load or build. */
  seconds: number;
}

/** The Kneser–Ney model with window k (1 … 8) on the Brown corpus's training split. */
export function loadBrownModel(k: number, options: Omit<KneserNeyOptions, "k"> & { cacheRoot?: string; log?: (line: string) => void } = {}): BrownModel {
  return loadBrownModels([k], options).models[0];
}

/**
 * Models for several windows from one set of counts (those of the largest k): orders up to
 * max(k) + 1 are counted once and every smaller window reads its orders from them.
 */
export function loadBrownModels(ks: readonly number[], options: Omit<KneserNeyOptions, "k"> & { cacheRoot?: string; log?: (line: string) => void } = {}): { models: BrownModel[]; corpus: CorpusTokens } {
  if (!Array.isArray(ks) || ks.length === 0) throw new RangeError(`ks must be a non-empty array of windows; got ${describe(ks)}`);
  ks.forEach((k, i) => checkInteger(`ks[${i}]`, k, 1, 8));
  const t0 = performance.now();
  const corpus = loadBrownTokens({ cacheRoot: options.cacheRoot, log: options.log });
  const { counts, fromCache } = cachedCounts(corpus.train, Math.max(...ks), corpus.cacheDir, corpus.key, options.log);
  const models = ks.map((k) => {
    const model = new KneserNeyModel(counts, GPT2_VOCABULARY_SIZE, { variant: options.variant, discount: options.discount, k });
    return { model, corpus, countsFromCache: fromCache, seconds: (performance.now() - t0) / 1000 };
  });
  return { models, corpus };
}

let idVocabulary: Vocabulary | undefined;

/** GPT-2's vocabulary with each token written as its id ("0" … "50256"). */
export function gpt2IdVocabulary(): Vocabulary {
  return (idVocabulary ??= new Vocabulary(Array.from({ length: GPT2_VOCABULARY_SIZE }, (_, i) => String(i))));
}

/** The model as the library's `NextTokenModel` over `gpt2IdVocabulary()` (pages of k id strings). */
export function asNextTokenModel(model: KneserNeyModel): NextTokenModel {
  const ids = new Int32Array(model.k);
  return (page) => {
    if (page.length !== model.k) throw new RangeError(`page must hold k = ${model.k} tokens; got ${describe(page)}`);
    page.forEach((t, j) => (ids[j] = checkInteger(`page[${j}]`, Number(t), 0, model.vocabularySize - 1)));
    return model.distribution(ids);
  };
}

/** The text of some token ids, with newlines shown as ⏎ so a cycle reads on one line. */
export function tokensText(ids: Iterable<number>): string {
  return gpt2.decode(ids).replace(/\n/g, "⏎");
}
