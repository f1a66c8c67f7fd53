/**
 * `npm run bench`: the waluigi chain (spec §3) on all of {N,F,U}^k for k = 8 … 15, in Node and — when
 * /usr/bin/python3 has scipy — in scipy, stage by stage, with the ratio; the π → πT step against the
 * machine's copy bandwidth; and a cross-check that both sides computed the same numbers.
 *
 *     npm run bench                                  # the full run (a few minutes)
 *     node --expose-gc dist/bench/waluigi.js --from 8 --to 11 --steps 100    # a quick look
 *
 * Each k runs in a fresh child process per side (bench/waluigiNode.ts, bench/waluigi_scipy.py), so the
 * peak memory is that k's alone; Node children get this process's Node flags. Children get
 * GLIBC_TUNABLES=glibc.malloc.hugetlb=1 (unless --no-hugepages or already set): on this VM a first touch
 * of fresh 4 KiB pages costs ~10× a copy of the same bytes, numpy already asks for huge pages on its
 * own large arrays but not for zero-filled ones (np.zeros, sparse outputs), and V8 never does, so the
 * tunable puts both sides on the same, faster footing. First-touch costs remain large on this VM
 * (its balloon device reports freed pages to the host, which discards them, so every fresh
 * allocation is slow again, ~5 s/GiB under load): the build and class stages at k ≥ 14, which
 * allocate the most new memory, carry them on both sides. Exits with status 1 when a check fails.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { Command } from "commander";
import type { Bandwidth } from "./bandwidth";

interface Stage {
  stage: string;
  seconds: number;
  runs: number;
  peakRssBytes: number;
  liveBytes?: number;
}

interface SideResult {
  k: number;
  n: number;
  nnz: number;
  stages: Stage[];
  stepMedianSeconds: number;
  denseStepMedianSeconds?: number;
  copyMedianSeconds?: number;
  denseStepMedianCpuSeconds?: number;
  copyMedianCpuSeconds?: number;
  vocabulary?: number;
  closedClasses: number[][];
  closedClassCount: number;
  expectedFromEmpty: number;
  secondModulus: number;
  versions: Record<string, string>;
}

interface Options {
  from: number;
  to: number;
  steps: number;
  lambda: number;
  p: number;
  python: string;
  scipy: boolean;
  hugepages: boolean;
  repeatBelow: number;
  bandwidthMib: number;
}

const STAGES = ["build", "closed classes", "expected steps", "steps", "second modulus"];
const TOLERANCE = 1e-9;
const progress = (message: string) => process.stderr.write(`${message}\n`);

function fmtTime(s: number | undefined): string {
  if (s === undefined || !Number.isFinite(s)) return "—";
  if (s < 1e-3) return `${(s * 1e6).toPrecision(3)} µs`;
  if (s < 1) return `${(s * 1e3).toPrecision(3)} ms`;
  return `${s.toPrecision(3)} s`;
}
const fmtMiB = (b: number | undefined) => (b === undefined ? "—" : `${(b / 2 ** 20).toFixed(0)} MiB`);
const fmtRatio = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? "—" : x.toFixed(2));
const fmtSci = (x: number) => (x === 0 ? "0" : x.toExponential(1));

function table(header: string[], rows: string[][]): string {
  const width = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? "").length)));
  const line = (cells: string[]) => cells.map((x, c) => (c < 2 ? x.padEnd(width[c]) : x.padStart(width[c]))).join("  ");
  return [line(header), width.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** Runs a child that prints one JSON line on stdout; progress goes straight to our stderr. */
function runJson<T>(command: string, args: string[], env: NodeJS.ProcessEnv): { ok: true; value: T } | { ok: false; error: string } {
  const r = spawnSync(command, args, { env, stdio: ["ignore", "pipe", "inherit"], maxBuffer: 64 * 2 ** 20, encoding: "utf8" });
  if (r.error) return { ok: false, error: `${command}: ${r.error.message}` };
  if (r.status !== 0) return { ok: false, error: `${command} ${args.join(" ")} exited with ${r.status ?? r.signal}` };
  const last = r.stdout.trim().split("\n").pop() ?? "";
  try {
    return { ok: true, value: JSON.parse(last) as T };
  } catch {
    return { ok: false, error: `${command} printed no JSON result; stdout ended with ${JSON.stringify(last.slice(-200))}` };
  }
}

function readF64(path: string): Float64Array {
  const buf = readFileSync(path);
  const copy = new Uint8Array(buf.byteLength);
  copy.set(buf);
  return new Float64Array(copy.buffer);
}

/** max |a − b| / max(|a|, |b|) over entries, with equal entries (also ±Infinity, 0) counting 0. */
function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    const d = Math.abs(a[i] - b[i]) / Math.max(Math.abs(a[i]), Math.abs(b[i]));
    if (!(d <= worst)) worst = d; // NaN counts as the worst
  }
  return worst;
}

function l1Diff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]);
  return s;
}

/** f(n) of spec §3, written out again here so the check does not lean on the library. */
function f(n: number, lambda: number, p: number): number {
  return (lambda + (1 - lambda) * p ** (n + 1)) / (lambda + (1 - lambda) * p ** n);
}

/** 1 − f(n) from its own product, (1 − λ) pⁿ (1 − p) / (λ + (1 − λ) pⁿ): no cancellation when f(n) ≈ 1. */
function oneMinusF(n: number, lambda: number, p: number): number {
  const w = (1 - lambda) * p ** n;
  return (w * (1 - p)) / (lambda + w);
}

/** E[steps from N^k to the first U] = Σ_{t=0..k} Π_{i<t} f(i) + Π_{i<k} f(i) · f(k) / (1 − f(k)). */
function expectedFromEmptyClosedForm(k: number, lambda: number, p: number): number {
  let sum = 0, survive = 1;
  for (let t = 0; t <= k; t++) {
    sum += survive;
    if (t < k) survive *= f(t, lambda, p);
  }
  const leak = oneMinusF(k, lambda, p);
  return leak === 0 ? Infinity : sum + (survive * f(k, lambda, p)) / leak;
}

function bandwidth(env: NodeJS.ProcessEnv, mib: number): Bandwidth | undefined {
  progress(`copy bandwidth (${mib} MiB Float64Array) …`);
  const r = runJson<Bandwidth>(process.execPath, [join(__dirname, "bandwidth.js"), "--mib", String(mib)], env);
  if (!r.ok) progress(`bandwidth measurement failed: ${r.error}`);
  return r.ok ? r.value : undefined;
}

function main(): void {
  const opts = new Command()
    .name("bench")
    .description("Benchmark the waluigi chain in Node against scipy, per k and stage (see the doc block of bench/waluigi.ts)")
    .option("--from <k>", "smallest context window", Number, 8)
    .option("--to <k>", "largest context window", Number, 15)
    .option("--steps <n>", "π → πT steps from N^k", Number, 1000)
    .option("--lambda <lambda>", "prior credence in Luigi, in (0, 1)", Number, 0.9)
    .option("--p <p>", "P(F | Waluigi, no U on the page), in [0, 1)", Number, 0.8)
    .option("--python <path>", "Python with numpy and scipy", "/usr/bin/python3")
    .option("--no-scipy", "skip the scipy side")
    .option("--no-hugepages", "do not set GLIBC_TUNABLES=glibc.malloc.hugetlb=1 for the children")
    .option("--repeat-below <seconds>", "run a stage 3× (median) when its first run takes less", Number, 1)
    .option("--bandwidth-mib <mib>", "array size for the copy-bandwidth measurement", Number, 256)
    .parse()
    .opts<Options>();
  for (const [name, v, lo, hi] of [["--from", opts.from, 1, 15], ["--to", opts.to, opts.from, 15], ["--steps", opts.steps, 0, 1e9]] as const) {
    if (!Number.isInteger(v) || v < lo || v > hi) throw new RangeError(`${name} must be an integer in [${lo}, ${hi}]; got ${v}`);
  }
  if (!(opts.lambda > 0 && opts.lambda < 1)) throw new RangeError(`--lambda must be in (0, 1); got ${opts.lambda}`);
  if (!(opts.p >= 0 && opts.p < 1)) throw new RangeError(`--p must be in [0, 1) (the checks use the p < 1 closed forms); got ${opts.p}`);

  const env = { ...process.env };
  if (opts.hugepages && env.GLIBC_TUNABLES === undefined) env.GLIBC_TUNABLES = "glibc.malloc.hugetlb=1";
  const nodeFlags = process.execArgv.includes("--expose-gc") ? process.execArgv : [...process.execArgv, "--expose-gc"];
  const peer = resolve(__dirname, "../../bench/waluigi_scipy.py");
  let scipy = opts.scipy;
  if (scipy) {
    const probe = spawnSync(opts.python, ["-c", "import numpy, scipy.sparse.csgraph, scipy.sparse.linalg"], { env, encoding: "utf8" });
    if (probe.status !== 0 || !existsSync(peer)) {
      progress(`scipy side skipped: ${opts.python} cannot import scipy (${(probe.error?.message ?? probe.stderr ?? "").trim().split("\n").pop()})`);
      scipy = false;
    }
  }

  const cpu = cpus();
  console.log(`waluigi chain benchmark: λ = ${opts.lambda}, p = ${opts.p}, k = ${opts.from} … ${opts.to}, ${opts.steps} steps`);
  console.log(`machine: ${cpu[0]?.model ?? "?"} × ${cpu.length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; load average ${loadavg().map((x) => x.toFixed(1)).join(" ")}`);
  console.log(`node ${process.version} ${nodeFlags.join(" ")}; GLIBC_TUNABLES=${env.GLIBC_TUNABLES ?? "(unset)"}`);
  const bw0 = bandwidth(env, opts.bandwidthMib);
  if (bw0) console.log(`copy bandwidth: ${(bw0.bytesPerSecond / 1e9).toFixed(1)} GB/s (read + write, ${fmtMiB(bw0.arrayBytes)} Float64Array copy, median of ${bw0.reps})`);

  const stageRows: string[][] = [];
  const results: { k: number; node?: SideResult; scipy?: SideResult; hitDiff?: number; piDiff?: number; errors: string[] }[] = [];
  const header = ["k", "stage", "node", "runs", "node peak RSS", "node heap+AB", "scipy", "runs", "scipy peak RSS", "node/scipy"];

  for (let k = opts.from; k <= opts.to; k++) {
    const dir = mkdtempSync(join(tmpdir(), `bench-waluigi-k${k}-`));
    const entry: (typeof results)[number] = { k, errors: [] };
    results.push(entry);
    try {
      const common = ["--k", String(k), "--lambda", String(opts.lambda), "--p", String(opts.p), "--steps", String(opts.steps), "--repeat-below", String(opts.repeatBelow)];
      progress(`k = ${k} (${(3 ** k).toLocaleString("en")} pages): node`);
      const nodeDump = join(dir, "node");
      const scipyDump = join(dir, "scipy");
      mkdirSync(nodeDump);
      mkdirSync(scipyDump);
      const n = runJson<SideResult>(process.execPath, [...nodeFlags, join(__dirname, "waluigiNode.js"), ...common, "--dump-dir", nodeDump], env);
      if (n.ok) entry.node = n.value;
      else entry.errors.push(`node: ${n.error}`);
      if (scipy) {
        progress(`k = ${k}: scipy`);
        const s = runJson<SideResult>(opts.python, [peer, ...common, "--dump-dir", scipyDump], env);
        if (s.ok) entry.scipy = s.value;
        else entry.errors.push(`scipy: ${s.error}`);
      }
      if (entry.node && entry.scipy) {
        entry.hitDiff = maxRelDiff(readF64(join(nodeDump, "hitting.f64")), readF64(join(scipyDump, "hitting.f64")));
        if (opts.steps > 0) entry.piDiff = l1Diff(readF64(join(nodeDump, "pi.f64")), readF64(join(scipyDump, "pi.f64")));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    const rows: string[][] = [];
    const total = (r?: SideResult) => r?.stages.reduce((s, x) => s + x.seconds, 0);
    for (const name of [...STAGES, "total"]) {
      const ns = entry.node?.stages.find((s) => s.stage === name);
      const ss = entry.scipy?.stages.find((s) => s.stage === name);
      const nt = name === "total" ? total(entry.node) : ns?.seconds;
      const st = name === "total" ? total(entry.scipy) : ss?.seconds;
      const label = name === "steps" ? `${opts.steps} steps` : name;
      rows.push([
        rows.length === 0 ? String(k) : "",
        label,
        fmtTime(nt),
        ns ? `×${ns.runs}` : "",
        fmtMiB(name === "total" ? entry.node?.stages.at(-1)?.peakRssBytes : ns?.peakRssBytes),
        fmtMiB(ns?.liveBytes),
        fmtTime(st),
        ss ? `×${ss.runs}` : "",
        fmtMiB(name === "total" ? entry.scipy?.stages.at(-1)?.peakRssBytes : ss?.peakRssBytes),
        nt !== undefined && st !== undefined ? fmtRatio(nt / st) : "—",
      ]);
    }
    for (const e of entry.errors) rows.push(["", `FAILED ${e}`, "", "", "", "", "", "", "", ""]);
    stageRows.push(...rows);
    progress(table(header, rows));
  }
  const bw1 = bandwidth(env, opts.bandwidthMib);
  const bws = [bw0, bw1].filter((b): b is Bandwidth => b !== undefined).map((b) => b.bytesPerSecond);
  // The larger of the two measurements: the stricter bound.
  const bytesPerSecond = bws.length ? Math.max(...bws) : NaN;

  console.log("\nTime per stage (median of the runs shown) and memory (peak RSS of the k's own process so far; heap+AB = V8 heap in use + ArrayBuffers kept after the stage)");
  console.log(table(header, stageRows));
  console.log(
    [
      "scipy side (bench/waluigi_scipy.py): build = vectorised numpy, CSR arrays written directly; closed classes =",
      "csgraph.connected_components(connection='strong') + sink detection; expected steps = spsolve(I − Q, 1) on the",
      "non-target pages; steps = π ← Tᵀπ with Tᵀ converted to CSR once; second modulus = diagonal of the block-triangular",
      "form (SCC blocks; one-page blocks give T[s, s], larger ones numpy.linalg.eigvals) — exact here, where eigs(k=2)",
      "would face a defective matrix with a large nilpotent part.",
    ].join("\n"),
  );

  console.log(`\nπ → πT step against the copy-bandwidth bound (${(bytesPerSecond / 1e9).toFixed(1)} GB/s${bws.length > 1 ? `, the larger of ${bws.map((b) => (b / 1e9).toFixed(1)).join(" and ")} measured before and after` : ""})`);
  const boundOf = (nd: SideResult) => (8 * nd.n * (2 + (nd.vocabulary ?? 3))) / bytesPerSecond;
  // Same-moment bound from CPU times: the copy moved 16n bytes, the step must move 8n·(2 + |V|).
  const localBoundOf = (nd: SideResult) => ((nd.copyMedianCpuSeconds ?? NaN) * (2 + (nd.vocabulary ?? 3))) / 2;
  const bwRows = results
    .filter((r) => r.node)
    .map((r) => {
      const nd = r.node!;
      const bytes = 8 * nd.n * (2 + (nd.vocabulary ?? 3));
      const bound = boundOf(nd), local = localBoundOf(nd);
      return [
        String(r.k),
        `${(bytes / 2 ** 20).toFixed(1)} MiB`,
        fmtTime(bound),
        fmtTime(nd.denseStepMedianSeconds),
        fmtRatio((nd.denseStepMedianSeconds ?? NaN) / bound),
        fmtTime(nd.copyMedianCpuSeconds),
        fmtTime(nd.denseStepMedianCpuSeconds),
        fmtRatio((nd.denseStepMedianCpuSeconds ?? NaN) / local),
        fmtTime(nd.stepMedianSeconds),
        fmtRatio(nd.stepMedianSeconds / bound),
        fmtTime(r.scipy?.stepMedianSeconds),
        fmtRatio(r.scipy ? r.scipy.stepMedianSeconds / bound : undefined),
      ];
    });
  console.log(
    table(
      ["k", "bytes/step", "bound", "dense-π step", "÷bound", "CPU: π copy", "CPU: dense step", "÷CPU bound", "step from N^k", "÷bound", "scipy step", "÷bound"],
      bwRows,
    ),
  );
  console.log(
    [
      "bytes/step = 8·n·(2 + |V|): read π, read every page's |V| next-token probabilities, write π'; bound = bytes/step ÷ the",
      "copy bandwidth above. The dense-π step (uniform π) must move all of them. CPU columns: process CPU time of a plain",
      "copy of a π-sized Float64Array (16n bytes) and of the dense step right after it; 'CPU bound' = CPU π copy × (2 + |V|)/2,",
      "the same-moment bound, immune to being descheduled on a shared machine (below k ≈ 14 that copy runs in cache, which",
      "makes the ratio stricter). A step from N^k skips the rows of suffixes that carry no mass, so it can beat the bound.",
      "Steps are medians of single timed steps (wall clock); scipy's includes allocating its output vector.",
    ].join("\n"),
  );

  console.log("\nCross-check (Node vs scipy vs the closed forms of spec §3; tolerance 1e-9 relative)");
  let allOk = true;
  const checkRows = results.map((r) => {
    const exact = expectedFromEmptyClosedForm(r.k, opts.lambda, opts.p);
    const fk = f(r.k, opts.lambda, opts.p);
    const nd = r.node, sc = r.scipy;
    const rel = (a: number | undefined, b: number) => (a === undefined ? NaN : a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b)));
    const closedOk = nd !== undefined && nd.closedClassCount === 1 && nd.closedClasses[0]?.length === 1 && nd.closedClasses[0][0] === 3 ** r.k - 1
      && (sc === undefined || (sc.closedClassCount === 1 && sc.closedClasses[0]?.[0] === 3 ** r.k - 1));
    const errs = [rel(nd?.expectedFromEmpty, exact), rel(nd?.secondModulus, fk)];
    if (sc) errs.push(rel(sc.expectedFromEmpty, exact), rel(sc.secondModulus, fk), r.hitDiff ?? NaN);
    if (sc && opts.steps > 0) errs.push(r.piDiff ?? NaN);
    const ok = closedOk && errs.every((e) => e <= TOLERANCE);
    if (!ok) allOk = false;
    return [
      String(r.k),
      nd ? nd.expectedFromEmpty.toPrecision(12) : "—",
      sc ? sc.expectedFromEmpty.toPrecision(12) : "—",
      exact.toPrecision(12),
      r.hitDiff === undefined ? "—" : fmtSci(r.hitDiff),
      nd ? nd.secondModulus.toPrecision(12) : "—",
      sc ? sc.secondModulus.toPrecision(12) : "—",
      fk.toPrecision(12),
      r.piDiff === undefined ? "—" : fmtSci(r.piDiff),
      closedOk ? "{U^k} both" : "MISMATCH",
      ok ? "ok" : "FAIL",
    ];
  });
  console.log(
    table(["k", "E[steps] node", "E[steps] scipy", "closed form", "all pages Δrel", "SLEM node", "SLEM scipy", "f(k)", "π_end L1 Δ", "closed classes", ""], checkRows),
  );
  console.log("E[steps] = expected steps from N^k until the page holds a U; 'all pages Δrel' = the largest relative difference of the two");
  console.log("expected-steps vectors over every page; π_end = π after the last step from N^k; SLEM = second-largest eigenvalue modulus.");

  console.log("\nTargets (issue 2)");
  const at = (k: number) => results.find((r) => r.k === k);
  const sum = (r?: SideResult) => r?.stages.reduce((s, x) => s + x.seconds, 0);
  const k14 = at(14), k15 = at(15);
  const target = (label: string, value: number | undefined, limit: number, unit: string) =>
    console.log(`  ${label}: ${value === undefined || !Number.isFinite(value) ? "not measured" : `${value.toFixed(2)}${unit} (limit ${limit}${unit}) ${value <= limit ? "MET" : "NOT MET"}`}`);
  target("k = 14 total, node ÷ scipy", k14?.node && k14.scipy ? sum(k14.node)! / sum(k14.scipy)! : undefined, 0.5, "");
  const n15 = k15?.node;
  target("k = 15 dense-π step ÷ bandwidth bound", n15 ? n15.denseStepMedianSeconds! / boundOf(n15) : undefined, 2, "×");
  target("k = 15 dense-π step ÷ same-moment bound (CPU time)", n15 ? n15.denseStepMedianCpuSeconds! / localBoundOf(n15) : undefined, 2, "×");
  target("k = 15 step from N^k ÷ bandwidth bound", n15 ? n15.stepMedianSeconds / boundOf(n15) : undefined, 2, "×");
  target("k = 15 node peak RSS", k15?.node ? k15.node.stages.at(-1)!.peakRssBytes / 1e9 : undefined, 2, " GB");
  console.log(`  Node and scipy agree: ${allOk ? "yes" : "NO — the timings above compare different computations"}`);
  console.log(`load average at the end: ${loadavg().map((x) => x.toFixed(1)).join(" ")} (the machine is shared; ratios come from back-to-back runs)`);
  if (!allOk || results.some((r) => r.errors.length)) process.exitCode = 1;
}

main();
