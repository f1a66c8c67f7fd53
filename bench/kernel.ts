/**
 * `npm run bench:kernel`: what a learner waits for when a notebook's kernel starts, over fresh starts
 * of each kernel set-up, interleaved so a noisy moment hits both alike.
 *
 *     npm run bench:kernel                 # 10 starts each
 *     npm run bench:kernel -- --starts 3
 *
 * Per start, through the real Jupyter protocol (the headless runner's ZeroMQ client): start to the
 * first kernel_info reply; a trivial cell `1 + 1`; a cell importing the library; a cell with a type
 * error (it must come back as an error naming the type mismatch). Also the kernel process's CPU time
 * up to the first reply, which is steadier than wall time on a shared machine. Medians and spread.
 *
 * Contenders: tslab as shipped (node_modules/.bin/tslab); the course's kernel launcher (what
 * `npm run kernel:install` registers and the headless runner starts, tools/kernel/launcher.ts) with
 * its warm standby ready, as after a first start or a restart; the launcher with no standby (the
 * first start after login or after the standby's idle time), without and with the kernel's startup
 * snapshot (tools/kernel/snapshot.ts; built first if missing, untimed; `--no-cold` leaves both out),
 * where "kernel CPU" adds the launcher's and its snapshot child's; and any
 * other kernel program given with `--kernel <path>` (started as `<path> kernel --config-path <file>`,
 * as Jupyter starts tslab). For the launcher, "kernel CPU during the wait" is the launcher's CPU plus
 * the standby's CPU after it was claimed; the standby's earlier warm-up is reported apart, as CPU
 * spent ahead: it is not saved, only moved out of the learner's wait.
 *
 * Where the start goes (CPU profile of tslab's createConverter, TS 5.0.4 bundled in tslab): about
 * 0.5 s loading the compiler, then about 2.6 s building the first program, which parses, binds and
 * checks lib.es2022 and @types/node before the kernel answers; @types/node alone is about 1.5 s. A
 * V8 code cache for the compiler was tried and did not lower the CPU time.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { TslabKernel } from "../tools/runner/kernel";
import { PROJECT_ROOT } from "../tools/runner/run";
import { STANDBY_ENV, standbyInfo, stopStandbys } from "../tools/kernel/standby";
import { buildSnapshot, SNAPSHOT_ENV, usableSnapshot } from "../tools/kernel/snapshot";

interface Sample {
  firstReply: number;
  firstResult: number;
  cpuToReply: number;
  cpuAhead: number;
  trivial: number;
  trivialCpu: number;
  importLib: number;
  typeError: number;
}

interface Contender {
  name: string;
  path: string;
  /** Run before a start: returns the environment to start the kernel with, and a standby's PID if one is waiting. */
  prepare?: () => Promise<{ env: NodeJS.ProcessEnv; standbyPid?: number }>;
  after?: () => Promise<void>;
  /** Run once at the end: nothing of the contender is left running or on disk. */
  dispose?: () => void;
}

const NOTEBOOKS = join(PROJECT_ROOT, "notebooks");
const LAUNCHER = join(PROJECT_ROOT, "dist", "tools", "kernel", "launcher.js");
const SHIPPED: Contender = { name: "tslab as shipped", path: join(PROJECT_ROOT, "node_modules", ".bin", "tslab") };

/**
 * The course's launcher when a standby is ready: a restart, the next notebook in the same folder, or
 * any start after the first within the standby's idle time. The bench waits for the standby to be
 * warm (as a learner's earlier start or restart leaves it) before starting the clock.
 */
function launcherWarm(): Contender {
  const dir = mkdtempSync(join(tmpdir(), "llmd-bench-standby-"));
  const env = { ...process.env, [STANDBY_ENV.dir]: dir };
  return {
    name: "launcher, standby ready",
    path: LAUNCHER,
    async prepare() {
      if (!standbyInfo(NOTEBOOKS, env)) {
        // None yet (first round): a launcher start leaves one; that start is not measured.
        const k = await TslabKernel.start({ kernelPath: LAUNCHER, cwd: NOTEBOOKS, env, startupTimeoutMs: 180_000 });
        await k.shutdown();
      }
      const deadline = Date.now() + 300_000;
      for (;;) {
        const info = standbyInfo(NOTEBOOKS, env);
        if (info?.ready) return { env, standbyPid: info.pid };
        if (Date.now() > deadline) throw new Error("the standby did not become ready within 300 s");
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    async after() {
      stopStandbys(dir);
    },
    dispose() {
      stopStandbys(dir);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The course's launcher with no standby waiting (the first start after login or after the idle time),
 * without the startup snapshot (as before it existed) or with it (tools/kernel/snapshot.ts).
 */
function launcherCold(snapshot: boolean): Contender {
  let dir = "";
  return {
    name: snapshot ? "launcher, snapshot, no standby" : "launcher, no snapshot, no standby (cold)",
    path: LAUNCHER,
    async prepare() {
      dir = mkdtempSync(join(tmpdir(), "llmd-bench-cold-"));
      return { env: { ...process.env, [STANDBY_ENV.dir]: dir, ...(snapshot ? {} : { [SNAPSHOT_ENV.mode]: "off" }) } };
    },
    async after() {
      // the standby this start left behind is not used: stop it so it does not load the next sample
      stopStandbys(dir);
      rmSync(dir, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 500));
    },
  };
}

/**
 * The launcher and the kernel it started from the snapshot (its child "kernel-here"), whose CPU and
 * cells count as the kernel's.
 */
function kernelProcess(launcherPid: number): { pids: number[]; cellPid: number } {
  try {
    const children = readFileSync(`/proc/${launcherPid}/task/${launcherPid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
    const child = children.find((c) => {
      try {
        return readFileSync(`/proc/${c}/cmdline`, "utf8").includes("kernel-here");
      } catch {
        return false;
      }
    });
    if (child) return { pids: [launcherPid, child], cellPid: child };
  } catch {
    // no /proc children list: the launcher alone
  }
  return { pids: [launcherPid], cellPid: launcherPid };
}

function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 1/100 s
  } catch {
    return NaN;
  }
}

async function timedCell(kernel: TslabKernel, code: string): Promise<{ ms: number; status: string; text: string }> {
  const t = performance.now();
  const run = await kernel.execute(code, { timeoutMs: 120_000 });
  const text = run.messages.map((m) => JSON.stringify(m.content)).join("\n");
  return { ms: performance.now() - t, status: run.status, text };
}

async function once(c: Contender): Promise<Sample> {
  const { env, standbyPid } = (await c.prepare?.()) ?? { env: process.env };
  const cpuAhead = standbyPid ? cpuSeconds(standbyPid) : 0;
  const t = performance.now();
  const kernel = await TslabKernel.start({ kernelPath: c.path, cwd: NOTEBOOKS, env, startupTimeoutMs: 180_000 });
  const firstReply = performance.now() - t;
  try {
    // CPU spent while the learner waits: the launcher's (or tslab's) own, plus the standby's since its claim.
    const own = kernel.pid ? kernelProcess(kernel.pid) : { pids: [], cellPid: 0 };
    const cpuToReply = (own.pids.length ? own.pids.reduce((sum, p) => sum + cpuSeconds(p), 0) : NaN) + (standbyPid ? cpuSeconds(standbyPid) - cpuAhead : 0);
    const cellPid = standbyPid ?? own.cellPid;
    const cpuBefore = cpuSeconds(cellPid);
    const trivial = await timedCell(kernel, "1 + 1");
    const firstResult = performance.now() - t;
    const trivialCpu = cpuSeconds(cellPid) - cpuBefore;
    if (trivial.status !== "ok" || !/\b2\b/.test(trivial.text)) throw new Error(`1 + 1 did not give 2: ${trivial.text}`);
    const importLib = await timedCell(kernel, 'import { pageChain } from "llm-dynamics";\npageChain.name');
    if (importLib.status !== "ok") throw new Error(`importing the library failed: ${importLib.text}`);
    const typeError = await timedCell(kernel, 'const n: number = "not a number";');
    if (typeError.status !== "error" || !typeError.text.includes("is not assignable to type 'number'")) throw new Error(`the type error was not reported: ${typeError.text}`);
    await new Promise((r) => setTimeout(r, 300)); // tslab drops requests that follow an error within 200 ms
    return { firstReply, firstResult, cpuToReply, cpuAhead, trivial: trivial.ms, trivialCpu, importLib: importLib.ms, typeError: typeError.ms };
  } finally {
    await kernel.shutdown();
    await c.after?.();
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const spread = (xs: number[]) => `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`;

async function main(): Promise<void> {
  const program = new Command("bench:kernel")
    .description("time fresh starts of the tslab kernel as shipped (and of other kernel programs given with --kernel)")
    .option("--starts <n>", "fresh starts per kernel set-up", (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 100) throw new InvalidArgumentError(`--starts must be an integer from 1 to 100; got ${JSON.stringify(v)}`);
      return n;
    }, 10)
    .option("--kernel <path...>", "other kernel programs to compare with tslab as shipped")
    .option("--no-cold", "leave out the launcher's cold starts (no standby waiting; without and with the startup snapshot)")
    .parse();
  const opts = program.opts<{ starts: number; kernel?: string[]; cold: boolean }>();
  const starts = opts.starts;
  const warm = launcherWarm();
  if (opts.cold && !usableSnapshot()) {
    process.stderr.write("building the kernel's startup snapshot for the cold starts (not timed)…\n");
    const built = buildSnapshot();
    process.stderr.write(`built ${built.blob}: ${(built.bytes / 1e6).toFixed(1)} MB in ${(built.ms / 1000).toFixed(1)} s\n`);
  }
  const CONTENDERS: Contender[] = [SHIPPED, warm, ...(opts.cold ? [launcherCold(false), launcherCold(true)] : []), ...(opts.kernel ?? []).map((path) => ({ name: path, path }))];
  const loads: number[] = [];
  const samples = new Map<string, Sample[]>(CONTENDERS.map((c) => [c.name, []]));
  // Ctrl-C or a failed start leaves no standby running and no folder behind either.
  process.once("SIGINT", () => {
    warm.dispose?.();
    process.exit(130);
  });
  try {
    for (let i = 0; i < starts; i++) {
      const order = i % 2 ? [...CONTENDERS].reverse() : CONTENDERS;
      for (const c of order) {
        loads.push(loadavg()[0]);
        const s = await once(c);
        samples.get(c.name)!.push(s);
        process.stderr.write(`start ${i + 1}/${starts} ${c.name}: first reply ${s.firstReply.toFixed(0)} ms (CPU ${s.cpuToReply.toFixed(2)} s), 1 + 1 ${s.trivial.toFixed(0)} ms, load ${loadavg()[0].toFixed(1)}\n`);
      }
    }
  } finally {
    warm.dispose?.();
  }
  const rows: [string, keyof Sample, number][] = [
    ["start → first reply (ms)", "firstReply", 1],
    ["start → result of the first cell `1 + 1` (ms)", "firstResult", 1],
    ["kernel CPU during the wait for the first reply (ms)", "cpuToReply", 1000],
    ["CPU spent ahead by the standby (ms)", "cpuAhead", 1000],
    ["`1 + 1` (ms)", "trivial", 1],
    ["kernel CPU of `1 + 1` (ms; 10 ms ticks)", "trivialCpu", 1000],
    ["import llm-dynamics (ms)", "importLib", 1],
    ["cell with a type error (ms)", "typeError", 1],
  ];
  console.log(`\n${starts} fresh starts each, interleaved; medians (min–max), ratio to tslab as shipped`);
  console.log(`1-minute load average at the starts: median ${median(loads).toFixed(1)} (${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}); now ${loadavg().map((x) => x.toFixed(1)).join(" ")}; ${availableParallelism()} cores\n`);
  console.log(`| measure | ${CONTENDERS.map((c) => c.name).join(" | ")} |`);
  console.log(`|---|${CONTENDERS.map(() => "---|").join("")}`);
  for (const [label, key, scale] of rows) {
    const columns = CONTENDERS.map((c) => samples.get(c.name)!.map((s) => s[key] * scale));
    const base = median(columns[0]);
    console.log(`| ${label} | ${columns.map((xs, i) => `${median(xs).toFixed(0)} (${spread(xs)})${i && base > 0 ? ` ×${(median(xs) / base).toFixed(2)}` : ""}`).join(" | ")} |`);
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
