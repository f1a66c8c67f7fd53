/**
 * Writes `data/check/<workbook>.json` for every workbook (4, 5, 6, 6C): the public draws behind the
 * workbook's `check`, with the expected answers computed from `solutions/`, and each exercise's
 * forbidden library calls. Committed, so `check` works where the solutions are absent; `--check`
 * fails when a committed file differs from a fresh build (run it after editing the solutions, the
 * draws or the exercise table).
 *
 *     npx tsc -p . && node dist/tools/grader/make-check-data.js           # write
 *     node dist/tools/grader/make-check-data.js --check                    # compare only
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Command } from "commander";
import { DEFAULT_TOLERANCE } from "../../src/compare";
import { CHECK_DATA_FORMAT, type CheckData, checkDataRelativePath, encodeSpecialNumbers } from "../../src/check";
import { WORKBOOKS, exercisesOf } from "./exercises";
import { DEFAULT_SEED, drawsFor } from "./draws";
import { expectedAnswer } from "./reference";
import { projectRoot } from "./paths";
import { runMain } from "../cli";

/** One workbook's check data as JSON text (stable: same seed and solutions, same bytes). */
export function buildCheckData(workbook = "6C", seed = DEFAULT_SEED): string {
  const data: CheckData = { format: CHECK_DATA_FORMAT, workbook, tolerance: { ...DEFAULT_TOLERANCE }, exercises: {} };
  for (const e of exercisesOf(workbook)) {
    data.exercises[e.id] = {
      id: e.id,
      functionName: e.functionName,
      argNames: e.argNames,
      answer: e.answer,
      pageLabels: e.pageLabels,
      forbidden: [...e.forbidden],
      instead: e.instead,
      draws: drawsFor(e.id, { seed, set: "public" }).map((d) => ({ args: d.args, expected: expectedAnswer(e.id, d.args) })),
    };
  }
  return JSON.stringify(encodeSpecialNumbers(data)) + "\n";
}

function main(argv: string[]): number {
  const program = new Command()
    .name("make-check-data")
    .description("Build data/check/<workbook>.json (public check draws with expected answers and forbidden calls) from solutions/, for every workbook")
    .option("--out-dir <dir>", "the package root to write data/check/ under", projectRoot())
    .option("--seed <seed>", "seed of the draws", DEFAULT_SEED)
    .option("--check", "write nothing; exit 1 if a file differs from a fresh build")
    .parse(argv);
  const opts = program.opts<{ outDir: string; seed: string; check?: boolean }>();
  let stale = 0;
  for (const w of WORKBOOKS) {
    const out = join(opts.outDir, checkDataRelativePath(w.id));
    const text = buildCheckData(w.id, opts.seed);
    const current = existsSync(out) ? readFileSync(out, "utf8") : null;
    if (opts.check) {
      if (current !== text) {
        console.error(`${out}: differs from a fresh build; run node dist/tools/grader/make-check-data.js`);
        stale++;
      } else console.log(`${out}: up to date`);
      continue;
    }
    mkdirSync(dirname(out), { recursive: true });
    if (current !== text) writeFileSync(out, text);
    console.log(`${out}: ${current === text ? "unchanged" : "written"} (${text.length} bytes)`);
  }
  return stale > 0 ? 1 : 0;
}

if (require.main === module) runMain(main);
