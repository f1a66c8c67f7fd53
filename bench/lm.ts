/**
 * bench:lm — the Brown-corpus Kneser–Ney model against NLTK's `nltk.lm.KneserNeyInterpolated`, built
 * on the same GPT-2 token ids in the same run, for k = 1 … 4.
 *
 * For each k: build time (counting from the token ids; NLTK: `fit` on the same stream), the time to
 * score the held-out set and the ratio, with NLTK's variant of the formula on our side so the two
 * compute the same numbers (the largest difference on the scored sample is printed). NLTK recounts
 * continuation counts by scanning its n-gram table on every call, so it scores a seeded sample of
 * held-out positions (`--nltk-sample`) and its time for the whole held-out set is extrapolated from
 * the time per token; ours scores every held-out token (median of `--repeats` runs). Last column:
 * greedy orbits from 1,000 held-out prompts (target < 5 s; scoring target ≥ 100× NLTK).
 *
 *     npm run bench:lm
 *     npm run bench:lm -- --k 2,3 --nltk-sample 100
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { Command } from "commander";
import { GPT2_VOCABULARY_SIZE, KneserNeyModel, NgramCounts, followGreedy, loadBrownTokens, projectRoot } from "../src";
import { rng } from "../src/simulate";
import { runMain } from "../tools/cli";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const seconds = (f: () => void) => {
  const t0 = performance.now();
  f();
  return (performance.now() - t0) / 1000;
};

function main(argv: string[]): number {
  const opts = new Command()
    .name("bench:lm")
    .description("Kneser–Ney on Brown GPT-2 ids: ours against NLTK (build, held-out scoring, ratio) and greedy orbits for 1,000 prompts")
    .option("--k <list>", "windows to run", "1,2,3,4")
    .option("--nltk-sample <n>", "held-out positions NLTK scores (its time is extrapolated per token)", "40")
    .option("--repeats <n>", "runs of our scoring and orbits (median reported)", "3")
    .option("--python <path>", "Python with nltk", "/usr/bin/python3")
    .parse(argv)
    .opts<{ k: string; nltkSample: string; repeats: string; python: string }>();
  const ks = opts.k.split(",").map(Number);
  const sample = Number(opts.nltkSample), repeats = Number(opts.repeats);
  if (ks.some((k) => !Number.isInteger(k) || k < 1 || k > 6)) throw new Error(`--k must list integers from 1 to 6; got ${JSON.stringify(opts.k)}`);
  if (!Number.isInteger(sample) || sample < 1) throw new Error(`--nltk-sample must be a positive integer; got ${JSON.stringify(opts.nltkSample)}`);
  const progress = (line: string) => console.error(`[bench:lm] ${line}`);
  const corpus = loadBrownTokens({ log: progress });
  const train = Array.from(corpus.train), held = corpus.heldOut;
  progress(`Brown in GPT-2 tokens: ${train.length} training, ${held.length} held-out`);
  const probe = spawnSync(opts.python, ["-c", "import nltk.lm"], { encoding: "utf8" });
  const haveNltk = probe.status === 0;
  if (!haveNltk) progress(`NLTK side skipped: ${opts.python} cannot import nltk.lm (install python3-nltk)`);
  const rows: string[][] = [];
  for (const k of ks) {
    const n = k + 1;
    progress(`k = ${k}: counting (ours)`);
    let counts!: NgramCounts;
    const buildOurs = seconds(() => void (counts = NgramCounts.build(corpus.train, n)));
    let model!: KneserNeyModel;
    const compile = seconds(() => void (model = new KneserNeyModel(counts, GPT2_VOCABULARY_SIZE)));
    const nltkVariant = new KneserNeyModel(counts, GPT2_VOCABULARY_SIZE, { variant: "nltk", discount: 0.1 });
    nltkVariant.perplexity(held.subarray(0, 1000)); // builds the trie once, outside the timing
    const scoreTimes: number[] = [];
    for (let r = 0; r < repeats; r++) scoreTimes.push(seconds(() => void nltkVariant.perplexity(held)));
    const scoreOurs = median(scoreTimes);
    const ppl = model.perplexity(held).perplexity;
    const perTokenOurs = scoreOurs / (held.length - k);
    // Greedy orbits from 1,000 held-out prompts (evenly spaced), on the documented model.
    const prompts = Array.from({ length: 1000 }, (_, i) => {
      const s = Math.floor((i * (held.length - k)) / 1000);
      return held.subarray(s, s + k);
    });
    const orbitTimes: number[] = [];
    for (let r = 0; r < repeats; r++) orbitTimes.push(seconds(() => prompts.forEach((p) => followGreedy(model, p))));
    let nltkBuild = NaN, perTokenNltk = NaN, worst = NaN;
    if (haveNltk) {
      const random = rng(`bench-lm-${k}`);
      const queries: number[][] = [];
      for (let q = 0; q < sample; q++) {
        const i = k + Math.floor(random() * (held.length - k));
        queries.push(Array.from(held.subarray(i - k, i + 1)));
      }
      progress(`k = ${k}: NLTK fit on ${train.length} tokens and scoring ${sample} held-out tokens`);
      const run = spawnSync(opts.python, [join(projectRoot(), "bench/lm_nltk.py")], { input: JSON.stringify({ train, order: n, discount: 0.1, queries }), encoding: "utf8", maxBuffer: 1 << 28 });
      if (run.status !== 0) throw new Error(`NLTK side failed: ${run.stderr}`);
      const r = JSON.parse(run.stdout) as { build_seconds: number; score_seconds: number; probs: number[] };
      nltkBuild = r.build_seconds;
      perTokenNltk = r.score_seconds / sample;
      worst = Math.max(...queries.map((q, j) => Math.abs(nltkVariant.prob(q[k], q.slice(0, k)) - r.probs[j])));
    }
    const fmt = (x: number, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : "—");
    rows.push([
      String(k), fmt(ppl, 1), fmt(buildOurs + compile), fmt(nltkBuild, 1), fmt(nltkBuild / (buildOurs + compile), 1) + "×",
      fmt(scoreOurs, 3), fmt(perTokenOurs * 1e6, 2), fmt(perTokenNltk * 1e6, 0), fmt(perTokenNltk * (held.length - k), 0), fmt(perTokenNltk / perTokenOurs, 0) + "×",
      Number.isFinite(worst) ? worst.toExponential(1) : "—", fmt(median(orbitTimes), 2),
    ]);
    progress(`k = ${k}: ${rows[rows.length - 1].join(" | ")}`);
  }
  const header = ["k", "held-out ppl", "build s (ours)", "build s (NLTK)", "build ratio", "score held-out s (ours)", "µs/token (ours)", "µs/token (NLTK)", "score held-out s (NLTK, extrapolated)", "scoring ratio", "max |Δp| on NLTK sample", "1,000 greedy orbits s"];
  console.log(`Brown corpus, GPT-2 BPE: ${train.length} training tokens, ${held.length} held-out; NLTK scores ${sample} held-out tokens per k; medians of ${repeats} runs for ours\n`);
  console.log(`| ${header.join(" | ")} |`);
  console.log(`|${header.map(() => "---").join("|")}|`);
  for (const r of rows) console.log(`| ${r.join(" | ")} |`);
  return 0;
}

if (require.main === module) runMain(main);
