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
 * Contenders: tslab as shipped (node_modules/.bin/tslab, which is also what `npm run kernel:install`
 * registers) and any other kernel program given with `--kernel <path>` (it is started as
 * `<path> kernel --config-path <file>`, as Jupyter starts tslab).
 *
 * Where the start goes (CPU profile of tslab's createConverter, TS 5.0.4 bundled in tslab): about
 * 0.5 s loading the compiler, then about 2.6 s building the first program, which parses, binds and
 * checks lib.es2022 and @types/node before the kernel answers; @types/node alone is about 1.5 s. A
 * V8 code cache for the compiler was tried and did not lower the CPU time.
 */
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { TslabKernel } from "../tools/runner/kernel";
import { PROJECT_ROOT } from "../tools/runner/run";

interface Sample {
  firstReply: number;
  cpuToReply: number;
  trivial: number;
  importLib: number;
  typeError: number;
}

const SHIPPED = { name: "tslab as shipped", path: join(PROJECT_ROOT, "node_modules", ".bin", "tslab") };

function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 1/100 s
}

async function timedCell(kernel: TslabKernel, code: string): Promise<{ ms: number; status: string; text: string }> {
  const t = performance.now();
  const run = await kernel.execute(code, { timeoutMs: 120_000 });
  const text = run.messages.map((m) => JSON.stringify(m.content)).join("\n");
  return { ms: performance.now() - t, status: run.status, text };
}

async function once(path: string): Promise<Sample> {
  const t = performance.now();
  const kernel = await TslabKernel.start({ kernelPath: path, cwd: join(PROJECT_ROOT, "notebooks"), startupTimeoutMs: 180_000 });
  const firstReply = performance.now() - t;
  try {
    const cpuToReply = kernel.pid ? cpuSeconds(kernel.pid) : NaN;
    const trivial = await timedCell(kernel, "1 + 1");
    if (trivial.status !== "ok" || !/\b2\b/.test(trivial.text)) throw new Error(`1 + 1 did not give 2: ${trivial.text}`);
    const importLib = await timedCell(kernel, 'import { pageChain } from "llm-dynamics";\npageChain.name');
    if (importLib.status !== "ok") throw new Error(`importing the library failed: ${importLib.text}`);
    const typeError = await timedCell(kernel, 'const n: number = "not a number";');
    if (typeError.status !== "error" || !typeError.text.includes("is not assignable to type 'number'")) throw new Error(`the type error was not reported: ${typeError.text}`);
    await new Promise((r) => setTimeout(r, 300)); // tslab drops requests that follow an error within 200 ms
    return { firstReply, cpuToReply, trivial: trivial.ms, importLib: importLib.ms, typeError: typeError.ms };
  } finally {
    await kernel.shutdown();
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
    .parse();
  const opts = program.opts<{ starts: number; kernel?: string[] }>();
  const starts = opts.starts;
  const CONTENDERS = [SHIPPED, ...(opts.kernel ?? []).map((path) => ({ name: path, path }))];
  const samples = new Map<string, Sample[]>(CONTENDERS.map((c) => [c.name, []]));
  for (let i = 0; i < starts; i++) {
    const order = i % 2 ? [...CONTENDERS].reverse() : CONTENDERS;
    for (const c of order) {
      const s = await once(c.path);
      samples.get(c.name)!.push(s);
      process.stderr.write(`start ${i + 1}/${starts} ${c.name}: first reply ${s.firstReply.toFixed(0)} ms (CPU ${s.cpuToReply.toFixed(2)} s), 1 + 1 ${s.trivial.toFixed(0)} ms\n`);
    }
  }
  const rows: [string, keyof Sample, number][] = [
    ["start → first reply (ms)", "firstReply", 1],
    ["kernel CPU to first reply (ms)", "cpuToReply", 1000],
    ["`1 + 1` (ms)", "trivial", 1],
    ["import llm-dynamics (ms)", "importLib", 1],
    ["cell with a type error (ms)", "typeError", 1],
  ];
  console.log(`\n${starts} fresh starts each, interleaved; medians (min–max), ratio to tslab as shipped; load average ${loadavg().map((x) => x.toFixed(1)).join(" ")}\n`);
  console.log(`| measure | ${CONTENDERS.map((c) => c.name).join(" | ")} |`);
  console.log(`|---|${CONTENDERS.map(() => "---|").join("")}`);
  for (const [label, key, scale] of rows) {
    const columns = CONTENDERS.map((c) => samples.get(c.name)!.map((s) => s[key] * scale));
    const base = median(columns[0]);
    console.log(`| ${label} | ${columns.map((xs, i) => `${median(xs).toFixed(0)} (${spread(xs)})${i ? ` ×${(median(xs) / base).toFixed(2)}` : ""}`).join(" | ")} |`);
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
