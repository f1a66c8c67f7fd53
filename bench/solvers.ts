/**
 * `npm run bench:solvers` (also the second half of `npm run bench`): the library's solvers for
 * stationary distributions and expected hitting times on blocks of 10⁴, 10⁵ and 10⁶ states, against
 * scipy's `spsolve` (SuperLU) and the project's GTH peer in Python (sparse state reduction), on the
 * same matrices (written to raw CSR files and read by bench/solvers_scipy.py).
 *
 *     npm run bench:solvers
 *     node dist/bench/solvers.js --sizes 10000,100000 --peer-timeout 120     # a quick look
 *
 * Two families:
 * - **lazy cycle**: a cycle of n states, one of which stays put with probability 1 − 1e-6. One closed
 *   class of n states; π ∝ holding time and the expected times to reach state 0 are known in closed
 *   form, so every solver's answer is checked against them. The library eliminates it (no fill).
 * - **softmax page chain**: a logit model over 10 tokens with window k = 4, 5, 6 (10⁴ … 10⁶ pages),
 *   scores a fixed hash of (previous token, last token, next token), temperature 1: full support,
 *   so the page graph is a de Bruijn graph, an expander on which every elimination order fills in.
 *   The library answers by certified iteration; answers are cross-checked against scipy's where
 *   scipy finishes. Target of the hitting times: the pages whose last token is 0.
 * Peers run in child processes with a time limit and a capped address space; a peer that runs out
 * of either is reported as such. Exits with status 1 when an answer disagrees with a reference.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { Command } from "commander";
import { MarkovChain, SparseStochasticMatrix, pageChainFromDigits } from "../src/index";

interface Problem {
  family: string;
  n: number;
  T: SparseStochasticMatrix;
  target: number[];
  exactPi?: (i: number) => number;
  exactTime?: (i: number) => number;
}

function lazyCycle(n: number): Problem {
  const eps = 1e-6, lazy = n >> 1;
  const rowStart = new Int32Array(n + 1), col = new Int32Array(n + 1), value = new Float64Array(n + 1);
  let e = 0;
  for (let i = 0; i < n; i++) {
    const next = (i + 1) % n;
    if (i === lazy) {
      const pairs: [number, number][] = [[i, 1 - eps], [next, eps]];
      pairs.sort((a, b) => a[0] - b[0]);
      for (const [j, v] of pairs) {
        col[e] = j;
        value[e++] = v;
      }
    } else {
      col[e] = next;
      value[e++] = 1;
    }
    rowStart[i + 1] = e;
  }
  const total = 1 / eps + (n - 1);
  return {
    family: "lazy cycle",
    n,
    T: new SparseStochasticMatrix(n, rowStart, col, value),
    target: [0],
    exactPi: (i) => (i === lazy ? 1 / eps : 1) / total,
    exactTime: (i) => (i === 0 ? 0 : n - i + (i <= lazy ? 1 / eps - 1 : 0)),
  };
}

function softmaxPageChain(k: number): Problem {
  const V = 10;
  const score = (a: number, b: number, t: number) => {
    let h = (a * 73856093) ^ (b * 19349663) ^ (t * 83492791);
    h = Math.imul(h ^ (h >>> 13), 0x5bd1e995);
    return (((h >>> 0) % 1000) / 1000) * 3;
  };
  const pc = pageChainFromDigits((d, out) => {
    const a = d[k - 2], b = d[k - 1];
    let z = 0;
    for (let t = 0; t < V; t++) z += out[t] = Math.exp(score(a, b, t));
    for (let t = 0; t < V; t++) out[t] /= z;
  }, Array.from({ length: V }, (_, i) => String(i)), k);
  const n = pc.size;
  const target: number[] = [];
  for (let i = 0; i < n; i += V) target.push(i); // last token 0
  return { family: `softmax page chain (|V| = 10, k = ${k})`, n, T: pc.matrix, target };
}

interface PeerResult {
  ok: boolean;
  seconds?: number;
  error?: string;
  peakRssBytes?: number;
  x?: Float64Array;
}

function runPeer(python: string, dir: string, kind: string, method: string, timeoutSeconds: number, maxGib: number): PeerResult {
  const script = resolve(__dirname, "../../bench/solvers_scipy.py");
  const r = spawnSync(python, [script, "--dir", dir, "--kind", kind, "--method", method, "--max-gib", String(maxGib)], {
    encoding: "utf8",
    timeout: timeoutSeconds * 1000,
    killSignal: "SIGKILL",
    maxBuffer: 16 * 2 ** 20,
  });
  if (r.error && (r.error as NodeJS.ErrnoException).code === "ETIMEDOUT") return { ok: false, error: `no answer within ${timeoutSeconds} s` };
  if (r.status !== 0) return { ok: false, error: `exited with ${r.status ?? r.signal}: ${(r.stderr ?? "").trim().split("\n").pop()}` };
  try {
    const v = JSON.parse(r.stdout.trim().split("\n").pop() ?? "") as PeerResult;
    if (v.ok) {
      const buf = readFileSync(join(dir, "result.f64"));
      const copy = new Uint8Array(buf.byteLength);
      copy.set(buf);
      v.x = new Float64Array(copy.buffer);
    }
    return v;
  } catch {
    return { ok: false, error: "printed no JSON" };
  }
}

const fmt = (s: number | undefined) => (s === undefined ? "—" : s < 1 ? `${(s * 1e3).toPrecision(3)} ms` : `${s.toPrecision(3)} s`);
const sci = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? "—" : x === 0 ? "0" : x.toExponential(1));

function maxRel(a: ArrayLike<number>, want: (i: number) => number): number {
  let w = 0;
  for (let i = 0; i < a.length; i++) {
    const b = want(i);
    const d = a[i] === b ? 0 : Math.abs(a[i] - b) / Math.max(Math.abs(b), 1e-300);
    if (!(d <= w)) w = d;
  }
  return w;
}
function l1(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]);
  return s;
}

function table(header: string[], rows: string[][]): string {
  const width = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? "").length)));
  const line = (cells: string[]) => cells.map((x, c) => (c < 3 ? x.padEnd(width[c]) : x.padStart(width[c]))).join("  ");
  return [line(header), width.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

function main(): void {
  const opts = new Command()
    .name("bench:solvers")
    .description("Benchmark the stationary and hitting-time solvers at 10^4 … 10^6 states against scipy spsolve and a Python GTH (see bench/solvers.ts)")
    .option("--sizes <list>", "block sizes (powers of ten from 10^4 to 10^6)", "10000,100000,1000000")
    .option("--families <list>", "cycle, softmax", "cycle,softmax")
    .option("--python <path>", "Python with numpy and scipy", "/usr/bin/python3")
    .option("--no-scipy", "skip the Python peers")
    .option("--peer-timeout <seconds>", "time limit per peer run", Number, 600)
    .option("--peer-max-gib <gib>", "address-space cap per peer run", Number, 6)
    .parse()
    .opts<{ sizes: string; families: string; python: string; scipy: boolean; peerTimeout: number; peerMaxGib: number }>();
  const sizes = opts.sizes.split(",").map(Number);
  for (const n of sizes) if (![1e4, 1e5, 1e6].includes(n)) throw new RangeError(`--sizes must list 10000, 100000 or 1000000; got ${n}`);
  const families = opts.families.split(",");
  for (const f of families) if (f !== "cycle" && f !== "softmax") throw new RangeError(`--families must list cycle or softmax; got ${JSON.stringify(f)}`);
  const progress = (m: string) => process.stderr.write(`${m}\n`);
  console.log(`solver benchmark: ${cpus()[0]?.model ?? "?"} × ${cpus().length}; load average ${loadavg().map((x) => x.toFixed(1)).join(" ")}; node ${process.version}`);

  const rows: string[][] = [];
  let allOk = true;
  for (const family of families) {
    for (const n of sizes) {
      const p = family === "cycle" ? lazyCycle(n) : softmaxPageChain(Math.round(Math.log10(n)));
      const dir = mkdtempSync(join(tmpdir(), "bench-solvers-"));
      try {
        writeFileSync(join(dir, "n.json"), JSON.stringify({ n: p.n, target: p.target }));
        writeFileSync(join(dir, "indptr.i32"), new Int32Array(p.T.rowStart));
        writeFileSync(join(dir, "indices.i32"), p.T.col);
        writeFileSync(join(dir, "data.f64"), p.T.value);
        for (const kind of ["stationary", "hitting"] as const) {
          progress(`${p.family}, n = ${n}: ${kind}, node …`);
          const chain = new MarkovChain(p.T);
          const t0 = performance.now();
          let x: Float64Array, method: string, bound: number | undefined;
          if (kind === "stationary") {
            x = chain.stationaryDistributions[0];
            const r = chain.stationaryReports[0];
            method = r.method;
            bound = r.errorBound;
          } else {
            const r = chain.expectedHittingTimesReport(p.target);
            x = r.values;
            method = r.report.blocks.map((b) => b.method).join(", ") || "single states";
            bound = r.report.errorBound || undefined;
          }
          const nodeSeconds = (performance.now() - t0) / 1000;
          const exact = kind === "stationary" ? p.exactPi : p.exactTime;
          const nodeErr = exact ? maxRel(x, exact) : undefined;
          if (nodeErr !== undefined && !(nodeErr < 1e-9)) allOk = false;
          const peers: Record<string, PeerResult> = {};
          if (opts.scipy) {
            for (const m of family === "cycle" ? ["spsolve", "gth"] : ["spsolve"]) {
              progress(`${p.family}, n = ${n}: ${kind}, python ${m} …`);
              peers[m] = runPeer(opts.python, dir, kind, m, opts.peerTimeout, opts.peerMaxGib);
            }
          }
          const sp = peers.spsolve, gth = peers.gth;
          const agree = sp?.x ? (kind === "stationary" ? l1(x, sp.x) : maxRel(x, (i) => sp.x![i])) : undefined;
          if (family === "softmax" && agree !== undefined && !(agree <= 1e-8)) allOk = false;
          const spErr = sp?.x && exact ? maxRel(sp.x, exact) : undefined;
          const gthErr = gth?.x && exact ? maxRel(gth.x, exact) : undefined;
          const peerCell = (r?: PeerResult) => (r === undefined ? "—" : r.ok ? fmt(r.seconds) : r.error!.startsWith("no answer") ? `> ${opts.peerTimeout} s` : "out of memory");
          const row = [
            p.family,
            String(n),
            kind === "stationary" ? "π" : "E[time to target]",
            method,
            fmt(nodeSeconds),
            sci(bound),
            sci(nodeErr),
            peerCell(sp),
            sci(spErr),
            peerCell(gth),
            sci(gthErr),
            sp?.ok && sp.seconds ? (nodeSeconds / sp.seconds).toFixed(2) : "—",
            sci(agree),
          ];
          rows.push(row);
          progress(row.join(" | "));
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
  console.log(
    "\n" +
      table(
        ["family", "n", "answer", "node method", "node", "proven bound", "node err", "scipy spsolve", "spsolve err", "python GTH", "GTH err", "node/spsolve", "node vs spsolve"],
        rows,
      ),
  );
  console.log(
    [
      "",
      "node = the library (MarkovChain.stationaryDistributions / expectedHittingTimes) in this process; scipy spsolve = SuperLU on",
      "(I − T)ᵀ with one entry of π fixed, or on I − Q; python GTH = sparse state reduction in pure Python (lazy cycle only: on the",
      "page chain it fills in like every elimination). 'err' = largest relative error against the closed form (lazy cycle);",
      "'proven bound' = the certified bound the library reports for an iterative answer (L1 for π, absolute for times);",
      "'node vs spsolve' = L1 distance of the two π, or the largest relative difference of the two time vectors.",
      `load average at the end: ${loadavg().map((x) => x.toFixed(1)).join(" ")} (a shared machine: times vary with it)`,
    ].join("\n"),
  );
  if (!allOk) {
    console.log("FAILED: an answer disagrees with its reference");
    process.exitCode = 1;
  }
}

main();
