/**
 * `npm run lm -- <command>`: the Brown-corpus Kneser–Ney model from the command line, for scripts and
 * for checking the notebook's numbers.
 *
 *     npm run lm -- orbit --k 3 --prompt "It was the best of" --json
 *     npm run lm -- tokens --split train --json > train.json
 *     npm run lm -- perplexity --k 1,2,3,4
 *
 * Progress (tokenizing, counting) goes to stderr, results to stdout.
 */
import { Command, InvalidArgumentError } from "commander";
import { followGreedy, gpt2, loadBrownModel, loadBrownTokens, tokensText } from "../../src";
import { runMain } from "../cli";

function parseK(value: string): number {
  const k = Number(value);
  if (!Number.isInteger(k) || k < 1 || k > 8) throw new InvalidArgumentError(`--k must be an integer from 1 to 8; got ${JSON.stringify(value)}`);
  return k;
}

function parseKs(value: string): number[] {
  return value.split(",").map((v) => parseK(v.trim()));
}

const log = (line: string) => console.error(line);

function main(argv: string[]): number {
  const program = new Command()
    .name("lm")
    .description("Interpolated Kneser–Ney n-gram model on the Brown corpus in GPT-2 tokens (cached under build/lm/)")
    .option("--cache-root <dir>", "folder for the token and count caches (default: build/lm under the project)")
    .showHelpAfterError()
    .exitOverride();

  program
    .command("orbit")
    .description("greedy decoding from a prompt until a page repeats: transient length, period and the cycle")
    .requiredOption("--k <k>", "context window in tokens (1 … 8)", parseK)
    .requiredOption("--prompt <text>", "prompt text; its last k GPT-2 tokens are the start page")
    .option("--json", "print one JSON object")
    .action((opts: { k: number; prompt: string; json?: boolean }) => {
      const { model } = loadBrownModel(opts.k, { cacheRoot: program.opts().cacheRoot, log });
      const promptTokens = gpt2.encode(opts.prompt);
      if (promptTokens.length < opts.k) throw new Error(`--prompt must encode to at least k = ${opts.k} GPT-2 tokens; ${JSON.stringify(opts.prompt)} gives ${promptTokens.length}`);
      const page = promptTokens.slice(-opts.k);
      const orbit = followGreedy(model, page);
      const result = {
        k: opts.k,
        prompt: opts.prompt,
        promptTokens,
        page,
        transient: orbit.transient,
        period: orbit.period,
        transientTokens: orbit.pathTokens,
        cycleTokens: orbit.cycleTokens,
        cycleText: gpt2.decode(orbit.cycleTokens),
        cyclePages: orbit.cycle.map((p) => Array.from(p)),
      };
      if (opts.json) console.log(JSON.stringify(result));
      else {
        console.log(`prompt tokens: ${promptTokens.join(" ")}  (start page: ${page.join(" ")})`);
        console.log(`transient: ${result.transient}   period: ${result.period}`);
        console.log(`cycle tokens: ${result.cycleTokens.join(" ")}`);
        console.log(`cycle text: ${tokensText(orbit.cycleTokens)}`);
      }
    });

  program
    .command("tokens")
    .description("dump the GPT-2 token ids of a split of the Brown corpus (files separated by token 628, \"\\n\\n\")")
    .requiredOption("--split <split>", "train or held-out")
    .option("--json", "print a JSON array (default: one id per line)")
    .action((opts: { split: string; json?: boolean }) => {
      if (opts.split !== "train" && opts.split !== "held-out") throw new Error(`--split must be "train" or "held-out"; got ${JSON.stringify(opts.split)}`);
      const corpus = loadBrownTokens({ cacheRoot: program.opts().cacheRoot, log });
      const ids = opts.split === "train" ? corpus.train : corpus.heldOut;
      const text = opts.json ? JSON.stringify(Array.from(ids)) : Array.from(ids).join("\n");
      process.stdout.write(text + "\n");
    });

  program
    .command("perplexity")
    .description("held-out perplexity for each window k")
    .option("--k <list>", "comma-separated windows", parseKs, [1, 2, 3, 4])
    .option("--json", "print JSON")
    .action((opts: { k: number[]; json?: boolean }) => {
      const rows = opts.k.map((k) => {
        const { model, corpus, seconds, countsFromCache } = loadBrownModel(k, { cacheRoot: program.opts().cacheRoot, log });
        const t0 = performance.now();
        const pp = model.perplexity(corpus.heldOut);
        return { k, perplexity: pp.perplexity, scored: pp.scored, loadSeconds: seconds, countsFromCache, scoreSeconds: (performance.now() - t0) / 1000, discounts: Array.from(model.discounts).slice(1) };
      });
      if (opts.json) console.log(JSON.stringify(rows));
      else {
        console.log("k  held-out perplexity  tokens scored  load s  score s");
        for (const r of rows) console.log(`${r.k}  ${r.perplexity.toFixed(2).padStart(19)}  ${String(r.scored).padStart(13)}  ${r.loadSeconds.toFixed(2).padStart(6)}  ${r.scoreSeconds.toFixed(2).padStart(7)}`);
      }
    });

  try {
    program.parse(argv);
  } catch (e) {
    const err = e as { code?: string; exitCode?: number };
    if (err.code === "commander.helpDisplayed" || err.code === "commander.help" || err.code === "commander.version") return 0;
    if (typeof err.exitCode === "number") return err.exitCode === 0 ? 0 : 2;
    throw e;
  }
  return 0;
}

if (require.main === module) runMain(main);
