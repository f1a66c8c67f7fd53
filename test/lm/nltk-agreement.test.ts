/**
 * Agreement with NLTK: the same interpolated Kneser–Ney model built by `nltk.lm.KneserNeyInterpolated`
 * (Debian's python3-nltk) and by our library, on the same Brown GPT-2 token ids, gives the same
 * probabilities within 1e-9 on a seeded sample of contexts and tokens, for k = 1 … 4.
 *
 * NLTK implements a variant of Chen & Goodman's formula (one discount for all orders, an undiscounted
 * continuation unigram with no uniform floor, raw follower types in the lower-order γ; see
 * src/lm/kneserNey.ts), so the comparison is like with like: our `variant: "nltk"` with NLTK's
 * default discount 0.1. NLTK re-scans its n-gram table for every continuation count, so scoring is
 * slow; the models are fitted on the first 30,000 training tokens to keep the test short.
 * Skips, with the reason, when /usr/bin/python3 cannot import nltk (CI installs python3-nltk).
 *
 *     npx vitest run test/lm/nltk-agreement.test.ts
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { GPT2_VOCABULARY_SIZE, KneserNeyModel, NgramCounts, loadBrownTokens } from "../../src/index";
import { randInt, seeded } from "../lib/support";

const PYTHON = "/usr/bin/python3";
const probe = spawnSync(PYTHON, ["-c", "import nltk.lm"], { encoding: "utf8" });
const missing = probe.status !== 0 ? `${PYTHON} cannot import nltk.lm (${(probe.error?.message ?? probe.stderr ?? "").trim().split("\n").pop()}); install python3-nltk` : "";
if (missing) console.log(`nltk-agreement skipped: ${missing}`);

const SCRIPT = join(__dirname, "../../bench/lm_nltk.py");
const TRAIN_TOKENS = 30_000;

describe.skipIf(missing !== "")("Kneser–Ney agrees with NLTK's nltk.lm on Brown GPT-2 ids", () => {
  const corpus = loadBrownTokens();
  const train = Array.from(corpus.train.subarray(0, TRAIN_TOKENS));
  const seenTokens = [...new Set(train)];

  it.each([1, 2, 3, 4])("k = %i: |p_ours − p_NLTK| ≤ 1e-9 on 150 sampled (context, token) pairs", (k) => {
    const n = k + 1;
    const rand = seeded(`nltk-agreement-${k}`);
    const queries: number[][] = [];
    for (let q = 0; q < 50; q++) {
      const fromTrain = q % 2 === 0;
      const stream = fromTrain ? train : corpus.heldOut;
      const i = randInt(rand, stream.length - n);
      const context = Array.from(stream.slice(i, i + k));
      queries.push([...context, stream[i + k]]); // the token that came next
      queries.push([...context, seenTokens[randInt(rand, seenTokens.length)]]); // any training token
      queries.push([...context, train[i % train.length]]);
    }
    const job = JSON.stringify({ train, order: n, discount: 0.1, queries });
    const run = spawnSync(PYTHON, [SCRIPT], { input: job, encoding: "utf8", maxBuffer: 1 << 28 });
    expect(run.status, run.stderr).toBe(0);
    const nltk = JSON.parse(run.stdout) as { probs: number[]; nltk_version: string };
    const ours = new KneserNeyModel(NgramCounts.build(train, n), GPT2_VOCABULARY_SIZE, { variant: "nltk", discount: 0.1 });
    const documented = new KneserNeyModel(NgramCounts.build(train, n), GPT2_VOCABULARY_SIZE);
    let worst = 0, differs = 0, positive = 0;
    queries.forEach((q, j) => {
      const p = ours.prob(q[k], q.slice(0, k));
      worst = Math.max(worst, Math.abs(p - nltk.probs[j]));
      if (nltk.probs[j] > 0) positive++;
      if (Math.abs(documented.prob(q[k], q.slice(0, k)) - p) > 1e-6) differs++;
    });
    console.log(`k = ${k}: NLTK ${nltk.nltk_version}, ${queries.length} pairs (${positive} with p > 0), largest |difference| ${worst.toExponential(2)}; the documented variant differs from NLTK's on ${differs}`);
    expect(positive).toBeGreaterThan(queries.length / 2);
    expect(worst).toBeLessThanOrEqual(1e-9);
    expect(differs).toBeGreaterThan(0); // the two formulas really are different models
  });
});
