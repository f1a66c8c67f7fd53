/**
 * Benchmark (not a test): grade 100 copies of the instructor workbook, and execute copies of the same
 * workbook with Debian's `jupyter nbconvert --execute` in the same run, at the same parallelism.
 *
 * Executing 100 notebooks with nbconvert takes long, so by default a sample is executed and the time
 * for 100 extrapolated from it (the table says so). The grader's compile cache makes identical cells
 * cheap after the first copy — as for a real class, where the setup cell and untouched stubs repeat —
 * so a sample is also graded with the cache off, to show the cost of notebooks that share nothing.
 *
 * Then a class: 1,000 workbooks (`--class`), each the instructor copy with the learner's own note in
 * one answer cell (a different cell from learner to learner), so every submission has a cell no other
 * shares, as in a real class where answers differ and the setup cell and untouched cells repeat.
 * Target: 1,000 workbooks in at most 10 minutes on 2 cores.
 *
 *     npm run bench:grade
 * And the start an instructor waits for with a single submission: one workbook graded by a fresh
 * grader, whose compile server starts from the kernel's snapshot or (LLM_DYNAMICS_KERNEL_SNAPSHOT=off)
 * loads tslab's compiler and declaration files itself, interleaved over rounds.
 *
 *     npm run bench:grade
 *     npm run bench:grade -- --copies 100 --jobs 2 --nbconvert-sample 6 --uncached-sample 10 --class 1000 --start-rounds 5
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { Grader, notGradedResult, prepareCompilerSnapshot, uniqueLearnerIds } from "../tools/grader/grade";
import { ReportWriter } from "../tools/grader/reports";
import { killRunners } from "../tools/grader/session";
import { projectRoot } from "../tools/grader/paths";
import { SNAPSHOT_ENV } from "../tools/kernel/snapshot";
import { JUPYTER, nbconvertUnavailable } from "./jupyter";
import { instructorWorkbook } from "../tools/workbook/build";


interface Row {
  method: string;
  notebooks: number;
  seconds: number;
  note: string;
}

interface Graded {
  seconds: number;
  full: number;
  conversions: number;
  /** Per submission, from reading the file to its result (s): several run at once, so they add up to more than the wall time. */
  elapsed: number[];
  /** Of which running its code in the sandbox (s). */
  run: number[];
}

/**
 * Grades `files` as the grade command does; with `reportsDir`, each learner's reports are written as
 * their result arrives (ReportWriter) and grades.csv and the sheet at the end, so the time includes them.
 */
async function grade(files: string[], jobs: number, cache: boolean, label: string, onDone?: (done: number) => void, reportsDir?: string): Promise<Graded> {
  const started = Date.now();
  const grader = await Grader.start({ concurrency: jobs, compileCache: cache, onResult: (_r, done) => onDone?.(done) });
  const writer = reportsDir ? new ReportWriter(reportsDir, files, uniqueLearnerIds(files), { notGraded: notGradedResult }) : undefined;
  let full = 0;
  const elapsed: number[] = [];
  const run: number[] = [];
  try {
    await grader.gradeEach(files, (r, i) => {
      if (r.autoScore === r.autoMax) full++;
      elapsed.push(r.elapsedMs / 1000);
      run.push(r.runMs / 1000);
      writer?.add(i, r);
    });
    writer?.finish();
    return { seconds: (Date.now() - started) / 1000, full, conversions: grader.pool.conversions, elapsed, run };
  } finally {
    writer?.dispose();
    grader.close();
    process.stderr.write(`${label}: done\n`);
  }
}

/** "median (min–max)" of seconds. */
function spread(xs: number[]): string {
  return `${median(xs).toFixed(2)} (${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)})`;
}

function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * CPU seconds used by finished child processes (sandbox runners, and compile servers once closed),
 * from /proc (Linux); NaN elsewhere.
 */
function childrenCpuSeconds(): number {
  try {
    const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ");
    // utime and stime of waited-for children (fields 16 and 17 of stat), in clock ticks of 1/100 s.
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return NaN;
  }
}

/** Peak resident memory of this process (the grader) so far, MB. */
function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

interface FirstStart {
  /** From Grader.start to the graded result of one workbook (s). */
  seconds: number;
  /** The compile server's start, from spawn to ready (s). */
  serverSeconds: number;
  /** Declaration files its first program took from the snapshot's cache; null: not from the snapshot. */
  served: number | null;
}

/**
 * An instructor grading one submission: a fresh grader (one worker), so the compile server's start is
 * paid as by every `grade` run; with the kernel's snapshot or with LLM_DYNAMICS_KERNEL_SNAPSHOT=off.
 */
async function gradeOneFresh(file: string, snapshot: boolean): Promise<FirstStart> {
  const saved = process.env[SNAPSHOT_ENV.mode];
  if (snapshot) delete process.env[SNAPSHOT_ENV.mode];
  else process.env[SNAPSHOT_ENV.mode] = "off";
  const started = performance.now();
  let grader: Grader | undefined;
  try {
    grader = await Grader.start({ concurrency: 1 });
    await grader.gradeEach([file], () => undefined);
    const seconds = (performance.now() - started) / 1000;
    const first = grader.pool.starts[0];
    return { seconds, serverSeconds: first ? first.ms / 1000 : NaN, served: first?.snapshot?.served ?? null };
  } finally {
    grader?.close();
    if (saved === undefined) delete process.env[SNAPSHOT_ENV.mode];
    else process.env[SNAPSHOT_ENV.mode] = saved;
  }
}

function nbconvert(file: string, outDir: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(JUPYTER, ["nbconvert", "--execute", "--to", "notebook", "--ExecutePreprocessor.timeout=900", "--output-dir", outDir, file], { stdio: "ignore" });
    child.on("close", (code) => resolve(code ?? 1));
  });
}

async function runNbconvert(files: string[], jobs: number, outDir: string): Promise<{ seconds: number; failures: number }> {
  const started = Date.now();
  let next = 0;
  let failures = 0;
  const worker = async () => {
    while (next < files.length) {
      const f = files[next++];
      if ((await nbconvert(f, outDir)) !== 0) failures++;
      process.stderr.write(`nbconvert: ${next}/${files.length}\n`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, files.length) }, worker));
  return { seconds: (Date.now() - started) / 1000, failures };
}

async function main(argv: string[]): Promise<void> {
  const program = new Command()
    .name("bench:grade")
    .description("Grade N copies of the instructor workbook and compare with executing copies by jupyter nbconvert --execute")
    .option("--copies <n>", "copies to grade", (v) => Number(v), 100)
    .option("--jobs <n>", "parallel workers for both methods", (v) => Number(v), availableParallelism())
    .option("--nbconvert-sample <n>", "copies executed with nbconvert (the time for all copies is extrapolated); 0 to skip", (v) => Number(v), 6)
    .option("--uncached-sample <n>", "copies also graded with the compile cache off; 0 to skip", (v) => Number(v), 10)
    .option("--class <n>", "also grade a class of n workbooks, each with its own note in one answer cell; 0 to skip", (v) => Number(v), 1000)
    .option("--start-rounds <n>", "rounds of grading one workbook with a fresh grader, with and without the kernel's snapshot (interleaved); 0 to skip", (v) => Number(v), 5)
    .parse(argv);
  const opts = program.opts<{ copies: number; jobs: number; nbconvertSample: number; uncachedSample: number; class: number; startRounds: number }>();
  for (const [name, value] of Object.entries(opts)) {
    if (!Number.isInteger(value) || value < 0 || (name === "jobs" && value < 1)) throw new RangeError(`--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} must be a ${name === "jobs" ? "positive" : "non-negative"} integer; got ${JSON.stringify(value)}`);
  }
  // An interrupted benchmark leaves no runner, compile server or runtime folder behind.
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      killRunners();
      Grader.killAll();
      process.exit(signal === "SIGINT" ? 130 : 143);
    });
  }
  const root = projectRoot();
  mkdirSync(join(root, "build"), { recursive: true });
  // Inside the project, so nbconvert's kernel resolves "llm-dynamics" as for notebooks/.
  const dir = mkdtempSync(join(root, "build", "bench-grade-"));
  const rows: Row[] = [];
  let classSummary: string[] = [];
  let startSummary: string[] = [];
  const skipped: string[] = [];
  try {
    const text = instructorWorkbook();
    const files = Array.from({ length: opts.copies }, (_, i) => {
      const f = join(dir, `learner-${String(i + 1).padStart(3, "0")}.ipynb`);
      writeFileSync(f, text);
      return f;
    });
    console.error(`machine: ${cpus().length} cores, load average ${loadavg().map((x) => x.toFixed(1)).join(" ")}; ${opts.jobs} workers`);

    if (opts.startRounds > 0) {
      // The snapshot is built before the first round, as `grade` would build it: not timed.
      prepareCompilerSnapshot((line) => console.error(line));
      const on: FirstStart[] = [];
      const off: FirstStart[] = [];
      for (let round = 0; round < opts.startRounds; round++) {
        // Alternating which goes first, so neither side always meets the same moment of the machine.
        for (const snapshot of round % 2 === 0 ? [true, false] : [false, true]) {
          const r = await gradeOneFresh(files[0], snapshot);
          (snapshot ? on : off).push(r);
          console.error(`start round ${round + 1}/${opts.startRounds}, ${snapshot ? "snapshot" : "no snapshot"}: ${r.seconds.toFixed(2)} s (compile server ready in ${r.serverSeconds.toFixed(2)} s; load ${loadavg()[0].toFixed(1)})`);
        }
      }
      startSummary = [
        `One workbook graded by a fresh grader (1 worker; the compile server's start included), median (min–max) over ${opts.startRounds} interleaved rounds:`,
        `${"compile server".padEnd(40)} ${"graded in s".padStart(18)} ${"server ready in s".padStart(20)}  declaration files from the snapshot`,
        ...[
          ["from the kernel's snapshot", on],
          ["without (LLM_DYNAMICS_KERNEL_SNAPSHOT=off)", off],
        ].map(([label, xs]) => {
          const rs = xs as FirstStart[];
          return `${(label as string).padEnd(40)} ${spread(rs.map((r) => r.seconds)).padStart(18)} ${spread(rs.map((r) => r.serverSeconds)).padStart(20)}  ${rs.map((r) => r.served ?? "none").join(", ")}`;
        }),
        `ratio of medians (snapshot / without): graded ${(median(on.map((r) => r.seconds)) / median(off.map((r) => r.seconds))).toFixed(2)}, server ready ${(median(on.map((r) => r.serverSeconds)) / median(off.map((r) => r.serverSeconds))).toFixed(2)}`,
      ];
    }

    console.error(`grading ${files.length} copies…`);
    const graded = await grade(files, opts.jobs, true, "grade");
    rows.push({ method: "grade (compile cache on)", notebooks: files.length, seconds: graded.seconds, note: `${graded.full}/${files.length} full marks; ${graded.conversions} cell conversions` });

    if (opts.uncachedSample > 0) {
      const sample = files.slice(0, Math.min(opts.uncachedSample, files.length));
      console.error(`grading ${sample.length} copies with the compile cache off…`);
      const cold = await grade(sample, opts.jobs, false, "grade --no-compile-cache");
      rows.push({ method: "grade (compile cache off)", notebooks: sample.length, seconds: cold.seconds, note: `${cold.full}/${sample.length} full marks; ${cold.conversions} cell conversions` });
      rows.push({ method: "grade (cache off), extrapolated", notebooks: files.length, seconds: (cold.seconds / sample.length) * files.length, note: `from ${sample.length} copies` });
    }

    const nbconvertMissing = opts.nbconvertSample > 0 ? nbconvertUnavailable() : null;
    if (opts.nbconvertSample > 0 && !nbconvertMissing) {
      const sample = files.slice(0, Math.min(opts.nbconvertSample, files.length));
      console.error(`executing ${sample.length} copies with nbconvert…`);
      const out = join(dir, "nbconvert-out");
      mkdirSync(out);
      const nb = await runNbconvert(sample, opts.jobs, out);
      rows.push({ method: "nbconvert --execute", notebooks: sample.length, seconds: nb.seconds, note: `${nb.failures} failed` });
      if (sample.length < files.length) rows.push({ method: "nbconvert --execute, extrapolated", notebooks: files.length, seconds: (nb.seconds / sample.length) * files.length, note: `from ${sample.length} copies (all ${files.length} would take too long)` });
    } else if (nbconvertMissing) {
      console.error(`nbconvert skipped: ${nbconvertMissing}`);
      skipped.push(`nbconvert --execute: skipped, ${nbconvertMissing}`);
    }

    if (opts.class > 0) {
      const classDir = join(dir, "class");
      mkdirSync(classDir);
      const nb = JSON.parse(text) as { cells: { id: string; source: string | string[] }[] };
      const answers = nb.cells.filter((c) => /^ex\d+-answer$/.test(c.id));
      const roster = Array.from({ length: opts.class }, (_, i) => {
        const copy = JSON.parse(text) as typeof nb;
        const cell = copy.cells.find((c) => c.id === answers[i % answers.length].id)!;
        cell.source = (Array.isArray(cell.source) ? cell.source.join("") : cell.source) + `\n// learner ${i + 1}: my own note on this answer`;
        const f = join(classDir, `learner-${String(i + 1).padStart(4, "0")}.ipynb`);
        writeFileSync(f, JSON.stringify(copy));
        return f;
      });
      const before = loadavg().map((x) => x.toFixed(1)).join(" ");
      console.error(`grading a class of ${roster.length} workbooks, writing every report (load average ${before})…`);
      const classStarted = Date.now();
      const cpu0 = process.cpuUsage();
      const children0 = childrenCpuSeconds();
      const reports = join(dir, "class-reports");
      const graded = await grade(roster, opts.jobs, true, "class", (done) => {
        if (done % 50 === 0) process.stderr.write(`class: ${done}/${roster.length} in ${((Date.now() - classStarted) / 1000).toFixed(0)} s (load ${loadavg()[0].toFixed(1)}, grader RSS ${(process.memoryUsage().rss / 1048576).toFixed(0)} MB)\n`);
      }, reports);
      const after = loadavg().map((x) => x.toFixed(1)).join(" ");
      const own = process.cpuUsage(cpu0);
      const graderCpu = (own.user + own.system) / 1e6 / roster.length;
      const childCpu = (childrenCpuSeconds() - children0) / roster.length;
      rows.push({ method: `grade a class (${roster.length} workbooks)`, notebooks: roster.length, seconds: graded.seconds, note: `${graded.full}/${roster.length} full marks; ${graded.conversions} conversions; every report written; goal ≤ 600 s` });
      classSummary = [
        `Class of ${roster.length}: ${graded.seconds.toFixed(1)} s wall (${(graded.seconds / 60).toFixed(1)} min; goal ≤ 10 min), ${(graded.seconds / roster.length).toFixed(2)} s per workbook with ${opts.jobs} workers`,
        `  per submission (several run at once): median ${median(graded.elapsed).toFixed(2)} s from file to result, median ${median(graded.run).toFixed(2)} s of it running in the sandbox`,
        `  CPU per workbook: ${graderCpu.toFixed(2)} s in the grader process (compare, reports, spawning), ${childCpu.toFixed(2)} s in sandbox runners and compile servers; on ${cpus().length} idle cores that is a floor of ${(((graderCpu + childCpu) * roster.length) / cpus().length / 60).toFixed(1)} min for the class`,
        `  load average (1, 5, 15 min): before ${before}, after ${after}`,
        `  peak RSS of the grader process: ${peakRssMb().toFixed(0)} MB`,
      ];
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const base = rows[0].seconds / rows[0].notebooks;
  console.log(`\nGrading the instructor workbook: ${opts.jobs} workers, ${cpus().length} cores (goal: 100 notebooks in ≤ 120 s on 2 cores)\n`);
  console.log(`${"method".padEnd(36)} ${"notebooks".padStart(9)} ${"wall s".padStart(8)} ${"s/notebook".padStart(10)} ${"× grade".padStart(8)}  note`);
  for (const r of rows) {
    const per = r.seconds / r.notebooks;
    console.log(`${r.method.padEnd(36)} ${String(r.notebooks).padStart(9)} ${r.seconds.toFixed(1).padStart(8)} ${per.toFixed(2).padStart(10)} ${(per / base).toFixed(1).padStart(8)}  ${r.note}`);
  }
  for (const line of skipped) console.log(line);
  if (classSummary.length) console.log(`\n${classSummary.join("\n")}`);
  if (startSummary.length) console.log(`\n${startSummary.join("\n")}`);
}

main(process.argv).catch((e) => {
  console.error(e instanceof RangeError ? `bench:grade: ${e.message}` : e instanceof Error ? e.stack : e);
  process.exitCode = 1;
});
