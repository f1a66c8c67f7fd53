/**
 * `npm run bench:course`: the headless run against Jupyter's own executor on the same notebooks, in
 * the same session, alternating order each round; prints medians and the ratio.
 *
 *     npm run bench:course                      # every notebooks/*.ipynb, 3 rounds
 *     npm run bench:course -- --runs 5 notebooks/remark-6a-waluigi-model.ipynb
 *     npm run bench:course -- --no-nbconvert      # the headless run's contenders only
 *
 * Compared: `llm-dynamics-run` as `npm run course` runs it (notebooks in parallel, one per core;
 * figures incl. SVG/PNG), the same one notebook at a time (`--jobs 1`, as nbconvert works), and
 * `--jobs 1 --no-static` (execution and JSON/HTML only: the closest match to nbconvert's work),
 * two of them again with kernels started plainly instead of from the kernel's startup snapshot
 * (LLM_DYNAMICS_KERNEL_SNAPSHOT=off: what the snapshot saves a run), against `jupyter nbconvert --to notebook --execute` with the tslab kernel (one process for all
 * notebooks, each in a fresh kernel). Wall time and the CPU time of each whole process tree are reported (the
 * latter is steadier on a shared machine). The goal is a ratio ≤ 1: not slower than nbconvert.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { JUPYTER, nbconvertUnavailable } from "./jupyter";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { buildSnapshot, SNAPSHOT_ENV, usableSnapshot } from "../tools/kernel/snapshot";
import { DEFAULTS, listNotebooks, PROJECT_ROOT } from "../tools/runner/run";

const CLI = join(PROJECT_ROOT, "dist", "tools", "runner", "cli.js");

interface Contender {
  name: string;
  command: (out: string) => [string, string[]];
  env?: NodeJS.ProcessEnv;
}

/** Wall time, and CPU time of the whole process tree (bash's `times`: children that were waited for). */
function timed(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ seconds: number; cpu: number; code: number | null; stderr: string }> {
  return new Promise((done) => {
    const started = process.hrtime.bigint();
    const script = '"$@"; status=$?; times >&2; exit $status';
    const child = spawn("/bin/bash", ["-c", script, "bench", command, ...args], { cwd: PROJECT_ROOT, stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, CI: "true", ...env } });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child.on("close", (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const last = stderr.trim().split("\n").pop() ?? "";
      const m = /^(\d+)m([\d.]+)s (\d+)m([\d.]+)s$/.exec(last.trim());
      const cpu = m ? Number(m[1]) * 60 + Number(m[2]) + Number(m[3]) * 60 + Number(m[4]) : NaN;
      done({ seconds, cpu, code, stderr });
    });
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function main(): Promise<void> {
  const program = new Command("bench:course")
    .description("Time the headless course run against `jupyter nbconvert --to notebook --execute` on the same notebooks (medians, ratio).")
    .argument("[notebooks...]", "notebook files or folders (default: the project's notebooks/)")
    .option("-r, --runs <n>", "rounds; each round runs every contender once", (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`--runs must be a positive integer; got ${JSON.stringify(v)}`);
      return n;
    }, 3)
    .option("--no-nbconvert", "leave out jupyter nbconvert (the headless run's contenders only)")
    .parse();
  const { runs, nbconvert: withNbconvert } = program.opts<{ runs: number; nbconvert: boolean }>();
  const notebooks = listNotebooks((program.processedArgs[0] as string[]).length ? program.processedArgs[0] : undefined).map((f) => resolve(f));
  if (!existsSync(CLI)) throw new Error(`${CLI} not found: run \`npx tsc -p .\` first`);
  const work = mkdtempSync(join(tmpdir(), "bench-course-"));
  const ours = (name: string, extra: string[], env?: NodeJS.ProcessEnv): Contender => ({
    name,
    command: (out) => [process.execPath, [CLI, ...notebooks, "-q", ...extra, "-o", join(out, "nb"), "--figures-dir", join(out, "fig")]],
    env,
  });
  // The same run with kernels started plainly, not from the startup snapshot (tools/kernel/snapshot.ts):
  // what the snapshot saves a headless run. The snapshot is built before the first round, untimed.
  const noSnapshot = { [SNAPSHOT_ENV.mode]: "off" };
  const contenders: Contender[] = [
    ours(`llm-dynamics-run (as npm run course, --jobs ${DEFAULTS.jobs})`, []),
    ours(`llm-dynamics-run --jobs ${DEFAULTS.jobs}, no kernel snapshot`, [], noSnapshot),
    ours("llm-dynamics-run --jobs 1", ["--jobs", "1"]),
    ours("llm-dynamics-run --jobs 1 --no-static", ["--jobs", "1", "--no-static"]),
    ours("llm-dynamics-run --jobs 1 --no-static, no kernel snapshot", ["--jobs", "1", "--no-static"], noSnapshot),
  ];
  if (!usableSnapshot()) buildSnapshot();
  const NBCONVERT = contenders.length;
  const nbconvertMissing = withNbconvert ? nbconvertUnavailable() : null;
  const nbconvert = withNbconvert && !nbconvertMissing;
  if (nbconvert) {
    contenders.push({
      name: "jupyter nbconvert --execute",
      command: (out) => [JUPYTER, ["nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.kernel_name=tslab", "--ExecutePreprocessor.timeout=600", "--output-dir", out, ...notebooks]],
    });
  } else if (withNbconvert) {
    console.log(`timing the headless run alone: ${nbconvertMissing}`);
  }
  console.log(`${notebooks.length} notebook(s), ${runs} round(s), ${contenders.length} contenders`);
  const times = contenders.map(() => [] as number[]);
  const cpus = contenders.map(() => [] as number[]);
  try {
    for (let round = 0; round < runs; round++) {
      // Alternate the order so that neither side always runs on a warmer (or busier) machine.
      const order = contenders.map((_, i) => i);
      if (round % 2 === 1) order.reverse();
      for (const i of order) {
        const out = join(work, `r${round}-${i}`);
        const [command, args] = contenders[i].command(out);
        const t = await timed(command, args, contenders[i].env);
        if (t.code !== 0) throw new Error(`${contenders[i].name} failed (exit ${t.code}):\n${t.stderr}`);
        times[i].push(t.seconds);
        cpus[i].push(t.cpu);
        console.log(`round ${round + 1}/${runs}  ${contenders[i].name.padEnd(50)} ${t.seconds.toFixed(1)} s wall, ${t.cpu.toFixed(1)} s CPU`);
        rmSync(out, { recursive: true, force: true });
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const rows = contenders.map((c, i) => [c.name, median(times[i]).toFixed(1), Math.min(...times[i]).toFixed(1), Math.max(...times[i]).toFixed(1), median(cpus[i]).toFixed(1)]);
  const header = ["contender", "median wall s", "min s", "max s", "median CPU s"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => "| " + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(" | ") + " |";
  console.log("\n" + [line(header), "|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|", ...rows.map(line)].join("\n"));
  if (nbconvert) {
    const ratio = (xs: number[][], i: number) => (median(xs[i]) / median(xs[NBCONVERT])).toFixed(2);
    console.log("\nratio to nbconvert (median / nbconvert median; ≤ 1 means not slower):");
    contenders.slice(0, NBCONVERT).forEach((c, i) => console.log(`  ${c.name.padEnd(50)} wall ${ratio(times, i)}   CPU ${ratio(cpus, i)}`));
    console.log("CPU time counts every process of a run (kernels, Chromium, Python); wall time on a shared machine varies with other load.");
  }
}

main().catch((err: Error) => {
  console.error(`bench:course: ${err.message}`);
  process.exitCode = 1;
});
