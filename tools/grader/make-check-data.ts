/**
 * Writes `data/check/6C.json`: the public draws behind the workbook's `check`, with the expected
 * answers computed from `solutions/`. Committed, so `check` works where the solutions are absent;
 * `--check` fails when the committed file differs from a fresh build (run it after editing the
 * solutions or the draws).
 *
 *     npx tsc -p . && node dist/tools/grader/make-check-data.js           # write
 *     node dist/tools/grader/make-check-data.js --check                    # compare only
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Command } from "commander";
import { DEFAULT_TOLERANCE } from "../../src/compare";
import { CHECK_DATA_FORMAT, CHECK_DATA_RELATIVE_PATH, type CheckData, encodeSpecialNumbers } from "../../src/check";
import { EXERCISE_SPECS } from "./exercises";
import { DEFAULT_SEED, drawsFor } from "./draws";
import { expectedAnswer } from "./reference";
import { projectRoot } from "./paths";
import { runMain } from "../cli";

/** The check data as JSON text (stable: same seed and solutions, same bytes). */
export function buildCheckData(seed = DEFAULT_SEED): string {
  const data: CheckData = { format: CHECK_DATA_FORMAT, tolerance: { ...DEFAULT_TOLERANCE }, exercises: {} };
  for (const e of EXERCISE_SPECS) {
    data.exercises[e.id] = {
      id: e.id,
      functionName: e.functionName,
      argNames: e.argNames,
      answer: e.answer,
      draws: drawsFor(e.id, { seed, set: "public" }).map((d) => ({ args: d.args, expected: expectedAnswer(e.id, d.args) })),
    };
  }
  return JSON.stringify(encodeSpecialNumbers(data)) + "\n";
}

function main(argv: string[]): number {
  const program = new Command()
    .name("make-check-data")
    .description(`Build ${CHECK_DATA_RELATIVE_PATH} (public check draws with expected answers) from solutions/`)
    .option("--out <file>", "where to write", join(projectRoot(), CHECK_DATA_RELATIVE_PATH))
    .option("--seed <seed>", "seed of the draws", DEFAULT_SEED)
    .option("--check", "write nothing; exit 1 if the file differs from a fresh build")
    .parse(argv);
  const opts = program.opts<{ out: string; seed: string; check?: boolean }>();
  const text = buildCheckData(opts.seed);
  const current = existsSync(opts.out) ? readFileSync(opts.out, "utf8") : null;
  if (opts.check) {
    if (current !== text) {
      console.error(`${opts.out}: differs from a fresh build; run node dist/tools/grader/make-check-data.js`);
      return 1;
    }
    console.log(`${opts.out}: up to date`);
    return 0;
  }
  mkdirSync(dirname(opts.out), { recursive: true });
  writeFileSync(opts.out, text);
  console.log(`${opts.out}: ${current === text ? "unchanged" : "written"} (${text.length} bytes)`);
  return 0;
}

if (require.main === module) runMain(main);
