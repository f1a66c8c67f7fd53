/**
 * `grade`: autograde 6.C workbooks against `solutions/` and write every report.
 *
 *     npm run grade -- submissions/                       # a folder (every .ipynb inside)
 *     npm run grade -- alice.ipynb bob.ipynb --out grades --marks marks.csv
 *     npm run grade -- --help
 *
 * Exit status: 0 when every submission got a report (whatever its score), 2 on a usage or grader
 * error. The learner's files are only read.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import { Command, CommanderError, InvalidArgumentError } from "commander";
import { Grader, type SubmissionResult } from "./grade";
import { applyMarks, readMarks } from "./marks";
import { terminalTable, writeReports } from "./reports";
import { DEFAULT_LIMITS } from "./session";
import { DEFAULT_SEED } from "./draws";
import { runMain } from "../cli";

function positiveNumber(name: string) {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive number; got ${JSON.stringify(value)}`);
    return n;
  };
}

/** Every .ipynb in the given files and folders (folders recursively, skipping checkpoints). */
export function collectSubmissions(paths: string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (name === ".ipynb_checkpoints" || name === "node_modules" || name.startsWith(".")) continue;
      const p = join(dir, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (name.toLowerCase().endsWith(".ipynb")) out.push(p);
    }
  };
  for (const p of paths) {
    if (!existsSync(p)) throw new InvalidArgumentError(`submission ${JSON.stringify(p)} does not exist`);
    if (statSync(p).isDirectory()) walk(p);
    else out.push(p);
  }
  return out;
}

export async function main(argv: string[]): Promise<number> {
  const program = new Command()
    .name("grade")
    .description("Grade 6.C workbooks: run each in a sandbox as the tslab kernel would, call the exercise functions on seeded draws, compare with solutions/, and write grades.csv, feedback (Markdown, HTML), manual-grading sheets and Gradescope results.json.")
    .argument("<submissions...>", "workbooks (.ipynb) or folders of workbooks")
    .option("-o, --out <dir>", "folder for the reports", "grades")
    .option("--marks <file>", "human marks for written answers and figures (JSON or CSV; see tools/grader/marks.ts)")
    .option("--seed <seed>", "seed of the graded draws", DEFAULT_SEED)
    .option("-j, --jobs <n>", "submissions graded in parallel", positiveNumber("--jobs"), availableParallelism())
    .option("--draw-timeout <seconds>", "time limit of one call of a graded function", positiveNumber("--draw-timeout"), DEFAULT_LIMITS.drawTimeoutMs / 1000)
    .option("--cell-timeout <seconds>", "time limit of one cell's top-level code", positiveNumber("--cell-timeout"), DEFAULT_LIMITS.cellTimeoutMs / 1000)
    .option("--exercise-budget <seconds>", "time budget of one exercise over all its draws", positiveNumber("--exercise-budget"), DEFAULT_LIMITS.exerciseBudgetMs / 1000)
    .option("--max-timeouts <n>", "draws lost to time or memory before an exercise's other draws are skipped", positiveNumber("--max-timeouts"), DEFAULT_LIMITS.maxTimeouts)
    .option("--memory <mb>", "V8 heap limit of the sandbox (MB)", positiveNumber("--memory"), DEFAULT_LIMITS.memoryMb)
    .option("--no-compile-cache", "convert every cell afresh (for benchmarking)")
    .option("--keep-runtime", "keep the sandbox's temporary folder (for debugging)")
    .option("-q, --quiet", "no progress lines")
    .showHelpAfterError()
    .exitOverride();
  try {
    program.parse(argv);
  } catch (e) {
    // --help and --version end here with code 0; usage errors have been printed by commander.
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    throw e;
  }
  const opts = program.opts<{ out: string; marks?: string; seed: string; jobs: number; drawTimeout: number; cellTimeout: number; exerciseBudget: number; maxTimeouts: number; memory: number; compileCache: boolean; keepRuntime?: boolean; quiet?: boolean }>();
  const files = collectSubmissions(program.args);
  if (files.length === 0) {
    console.error("no .ipynb files found in the given paths");
    return 2;
  }
  const marks = opts.marks ? readMarks(opts.marks) : undefined;
  const started = Date.now();
  const log = (s: string) => {
    if (!opts.quiet) console.error(s);
  };
  log(`grading ${files.length} submission${files.length === 1 ? "" : "s"} with ${opts.jobs} worker${opts.jobs === 1 ? "" : "s"}…`);
  const grader = await Grader.start({
    seed: opts.seed,
    concurrency: Math.floor(opts.jobs),
    compileCache: opts.compileCache,
    keepRuntime: opts.keepRuntime,
    limits: {
      drawTimeoutMs: opts.drawTimeout * 1000,
      cellTimeoutMs: opts.cellTimeout * 1000,
      exerciseBudgetMs: opts.exerciseBudget * 1000,
      maxTimeouts: Math.floor(opts.maxTimeouts),
      memoryMb: Math.floor(opts.memory),
    },
    onResult: (r: SubmissionResult, done, total) => log(`[${done}/${total}] ${r.learner}: ${r.status === "graded" ? `${r.autoScore}/${r.autoMax} auto-graded` : `${r.status} — ${(r.reason ?? "").split("\n")[0]}`} (${(r.elapsedMs / 1000).toFixed(1)} s)`),
  });
  if (grader.runtime.networkIsolation !== "namespace") log("note: no network namespace available here; the network is closed inside the sandbox only");
  let results: SubmissionResult[];
  try {
    results = await grader.gradeFiles(files);
  } finally {
    grader.close();
  }
  if (marks) for (const w of applyMarks(results, marks)) log(`warning: ${w}`);
  const out = resolve(opts.out);
  const written = writeReports(out, results);
  console.log(terminalTable(results));
  log(`${written.length} report files in ${out} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return 0;
}

if (require.main === module) runMain(main);
