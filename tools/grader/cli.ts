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
import { accessSync, constants, existsSync, mkdirSync, readdirSync, realpathSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import { Command, CommanderError, InvalidArgumentError } from "commander";
import { Grader, type SubmissionResult, notGradedResult, uniqueLearnerIds } from "./grade";
import { readMarks } from "./marks";
import { ReportWriter, terminalTable } from "./reports";
import { DEFAULT_LIMITS, MAX_TIMER_MS, killRunners } from "./session";
import { DEFAULT_SEED } from "./draws";
import { WORKBOOKS } from "./exercises";
import { runMain } from "../cli";

/** Seconds that Node's timers can honour (at most 2³¹ − 1 ms, about 24.8 days). */
export function seconds(name: string) {
  return (value: string) => {
    const n = Number(value);
    if (value.trim() === "" || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive number of seconds; got ${JSON.stringify(value)}`);
    if (n * 1000 > MAX_TIMER_MS) throw new InvalidArgumentError(`${name} must be at most ${Math.floor(MAX_TIMER_MS / 1000)} seconds (Node's timers cannot wait longer); got ${JSON.stringify(value)}`);
    if (n * 1000 < 1) throw new InvalidArgumentError(`${name} must be at least 0.001 seconds; got ${JSON.stringify(value)}`);
    return n;
  };
}

/** A whole number in [min, max]: fractions would be rounded to something the user did not ask for. */
export function integer(name: string, min: number, max: number) {
  return (value: string) => {
    const n = Number(value);
    if (value.trim() === "" || !Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}; got ${JSON.stringify(value)}`);
    return n;
  };
}

/** Most submissions graded at once: each brings a runner and a compile server. */
export const MAX_JOBS = Math.max(2, 2 * availableParallelism());

/**
 * Every .ipynb in the given files and folders (folders recursively, skipping checkpoints and hidden
 * entries). Links are followed once: a folder already visited (a link loop) is skipped, and an entry
 * that cannot be read is listed as a submission anyway when it looks like one (its report says why),
 * or else named in `skipped` — one broken entry never stops the batch.
 */
export function collectSubmissions(paths: string[], skipped: string[] = []): string[] {
  const out: string[] = [];
  const visited = new Set<string>();
  const walk = (dir: string) => {
    let real: string;
    let names: string[];
    try {
      real = realpathSync(dir);
      if (visited.has(real)) {
        skipped.push(`${dir}: a folder already visited (a link loop?)`);
        return;
      }
      visited.add(real);
      names = readdirSync(dir).sort();
    } catch (e) {
      skipped.push(`${dir}: ${(e as Error).message}`);
      return;
    }
    for (const name of names) {
      if (name === ".ipynb_checkpoints" || name === "node_modules" || name.startsWith(".")) continue;
      const p = join(dir, name);
      let isDir = false;
      try {
        isDir = statSync(p).isDirectory();
      } catch (e) {
        if (!name.toLowerCase().endsWith(".ipynb")) {
          skipped.push(`${p}: ${(e as Error).message}`);
          continue;
        }
      }
      if (isDir) walk(p);
      else if (name.toLowerCase().endsWith(".ipynb")) out.push(p);
    }
  };
  for (const p of paths) {
    if (!existsSync(p)) throw new InvalidArgumentError(`submission ${JSON.stringify(p)} does not exist`);
    if (statSync(p).isDirectory()) walk(p);
    else out.push(p);
  }
  return [...new Set(out)];
}

/** The reports folder, checked before any grading: it must be (or become) a writable folder. */
export function prepareOutDir(out: string): string {
  const dir = resolve(out);
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new InvalidArgumentError(`--out must be a folder; ${JSON.stringify(out)} is a file`);
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (e) {
    throw new InvalidArgumentError(`--out ${JSON.stringify(out)} is not a writable folder: ${(e as Error).message}`);
  }
  return dir;
}

export async function main(argv: string[]): Promise<number> {
  const program = new Command()
    .name("grade")
    .description("Grade the course's workbooks (Remarks 4, 5, 6 and 6.C; each recognised from its cells): run each in a sandbox as the tslab kernel would, call the exercise functions on seeded draws, compare with solutions/, and write grades.csv, feedback (Markdown, HTML), manual-grading sheets and Gradescope results.json.")
    .argument("<submissions...>", "workbooks (.ipynb) or folders of workbooks")
    .option("-o, --out <dir>", "folder for the reports", "grades")
    .option("--marks <file>", "human marks for written answers and figures (JSON or CSV; see tools/grader/marks.ts)")
    .option("--seed <seed>", "seed of the graded draws", DEFAULT_SEED)
    .option("--workbook <id>", `grade every submission as this workbook (${WORKBOOKS.map((w) => w.id).join(", ")}) instead of recognising it`, (v: string) => {
      if (!WORKBOOKS.some((w) => w.id === v)) throw new InvalidArgumentError(`--workbook must be one of ${WORKBOOKS.map((w) => w.id).join(", ")}; got ${JSON.stringify(v)}`);
      return v;
    })
    .option("-j, --jobs <n>", `submissions graded in parallel (capped at ${MAX_JOBS}, twice the cores, and at the number of submissions)`, integer("--jobs", 1, Number.MAX_SAFE_INTEGER), availableParallelism())
    .option("--draw-timeout <seconds>", "time limit of one call of a graded function", seconds("--draw-timeout"), DEFAULT_LIMITS.drawTimeoutMs / 1000)
    .option("--cell-timeout <seconds>", "time limit of one cell's top-level code", seconds("--cell-timeout"), DEFAULT_LIMITS.cellTimeoutMs / 1000)
    .option("--exercise-budget <seconds>", "time budget of one exercise over all its draws", seconds("--exercise-budget"), DEFAULT_LIMITS.exerciseBudgetMs / 1000)
    .option("--submission-budget <seconds>", "time budget of running one submission (all its cells and draws, restarts included)", seconds("--submission-budget"), DEFAULT_LIMITS.submissionBudgetMs / 1000)
    .option("--max-timeouts <n>", "draws lost to time or memory before an exercise's other draws are skipped", integer("--max-timeouts", 1, 1000), DEFAULT_LIMITS.maxTimeouts)
    .option("--memory <mb>", "V8 heap limit of the sandbox (MB)", integer("--memory", 64, 65536), DEFAULT_LIMITS.memoryMb)
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
  const opts = program.opts<{ out: string; marks?: string; seed: string; workbook?: string; jobs: number; drawTimeout: number; cellTimeout: number; exerciseBudget: number; submissionBudget: number; maxTimeouts: number; memory: number; compileCache: boolean; keepRuntime?: boolean; quiet?: boolean }>();
  const log = (s: string) => {
    if (!opts.quiet) console.error(s);
  };
  // Everything that can be wrong with the options is found before any grading starts.
  const skipped: string[] = [];
  const files = collectSubmissions(program.args, skipped);
  for (const s of skipped) log(`warning: skipped ${s}`);
  if (files.length === 0) {
    console.error("no .ipynb files found in the given paths");
    return 2;
  }
  const out = prepareOutDir(opts.out);
  const marks = opts.marks ? readMarks(opts.marks) : undefined;
  const started = Date.now();
  // Each worker brings a runner and a compile server: more than the machine can run only thrash it.
  const jobs = Math.min(opts.jobs, files.length, MAX_JOBS);
  if (jobs < opts.jobs) log(`note: --jobs ${opts.jobs} capped at ${jobs} (${files.length} submission${files.length === 1 ? "" : "s"}, ${MAX_JOBS} at most on this machine)`);
  // Each learner's reports are written as their result arrives; grades.csv and the sheet at the end.
  const writer = new ReportWriter(out, files, uniqueLearnerIds(files), { marks, notGraded: (file, learner, reason) => notGradedResult(file, learner, reason, opts.workbook) });
  for (const w of writer.unmatchedMarks()) log(`warning: ${w}`);
  // Ctrl-C or a kill: stop every runner and compile server, remove the runtime folder, and give every
  // submission not graded yet a report that says so (the finished ones have theirs already).
  const stop = (signal: NodeJS.Signals) => {
    killRunners();
    Grader.killAll();
    try {
      writer.finish(`the grading run was stopped (${signal}) before this submission was graded`);
      writer.dispose();
      console.error(`grade: stopped by ${signal}; ${writer.done} submission${writer.done === 1 ? "" : "s"} in ${out}, ${files.length - writer.done} marked not graded`);
    } catch (e) {
      console.error(`grade: stopped by ${signal}; the reports could not be finished: ${(e as Error).message}`);
    }
    process.exit(signal === "SIGINT" ? 130 : 143);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  log(`grading ${files.length} submission${files.length === 1 ? "" : "s"} with ${jobs} worker${jobs === 1 ? "" : "s"}…`);
  let grader: Grader | undefined;
  let failure: unknown;
  try {
    grader = await Grader.start({
      seed: opts.seed,
      workbook: opts.workbook,
      concurrency: jobs,
      compileCache: opts.compileCache,
      keepRuntime: opts.keepRuntime,
      log,
      limits: {
        drawTimeoutMs: opts.drawTimeout * 1000,
        cellTimeoutMs: opts.cellTimeout * 1000,
        exerciseBudgetMs: opts.exerciseBudget * 1000,
        submissionBudgetMs: opts.submissionBudget * 1000,
        maxTimeouts: opts.maxTimeouts,
        memoryMb: opts.memory,
      },
      onResult: (r: SubmissionResult, done, total) => log(`[${done}/${total}] ${r.learner}: ${r.status === "graded" ? `${r.autoScore}/${r.autoMax} auto-graded` : `${r.status} — ${(r.reason ?? "").split("\n")[0]}`} (${(r.elapsedMs / 1000).toFixed(1)} s)`),
    });
    if (grader.runtime.networkIsolation !== "namespace") log("note: no network namespace available here; the network is closed inside the sandbox only");
    await grader.gradeEach(files, (r, i) => writer.add(i, r));
  } catch (e) {
    failure = e;
  } finally {
    grader?.close();
    process.removeListener("SIGINT", stop);
    process.removeListener("SIGTERM", stop);
  }
  // A grader failure still leaves every submission a report (those not graded say why).
  try {
    writer.finish(failure ? `the grader failed: ${(failure as Error)?.message ?? String(failure)}` : undefined);
    if (failure) throw failure;
    console.log(terminalTable(writer.summaries()));
  } finally {
    writer.dispose();
  }
  log(`${writer.filesWritten} report files in ${out} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return 0;
}

if (require.main === module) runMain(main);
