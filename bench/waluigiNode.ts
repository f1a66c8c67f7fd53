/**
 * One k of the waluigi benchmark in Node, run by bench/waluigi.ts in a fresh process so that the
 * peak memory it reports belongs to this k alone. Prints one JSON line on stdout, progress on stderr.
 *
 *     node --expose-gc dist/bench/waluigiNode.js --k 12 --steps 1000 --dump-dir /tmp/x
 *
 * Stages, each through the library's public API:
 *   build           waluigiChain(k, params) on all of {N,F,U}^k, plus its sparse matrix (chain.matrix)
 *   closed classes  new MarkovChain(T).closedClasses (SCCs + sink detection)
 *   expected steps  chain.expectedHittingTimes(mask of the pages holding a U), the mask included
 *   steps           `steps` matrix-free de Bruijn steps π → πT from N^k (PageChain.step, two buffers)
 *   second modulus  largestModuli(T, classes, 2) — what chain.secondLargestModulus caches
 * A stage whose first run takes less than --repeat-below seconds runs again, up to five times (at
 * least three; fewer than five once the runs add up to twice the limit), and the median is reported,
 * with a garbage collection between runs so that earlier runs' arrays do not inflate the peak.
 * Separately (not a stage) it times single steps on a dense π (uniform), the worst case for the
 * memory-bandwidth comparison, since a step from N^k skips suffixes that carry no mass; each one
 * right after a plain copy of a π-sized Float64Array, the same-moment bandwidth reference, both by
 * wall clock and by CPU time.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Command } from "commander";
import { MarkovChain, type PageChain, largestModuli, waluigiChain } from "../src";

interface StageResult {
  stage: string;
  seconds: number;
  /** This process's CPU time (user + system) for the stage, median of the runs like `seconds`. */
  cpuSeconds: number;
  runs: number;
  /** Peak resident set size of this process so far (bytes): the stage that raises it is the culprit. */
  peakRssBytes: number;
  /** V8 heap in use plus ArrayBuffer memory right after the stage and a full GC (bytes). */
  liveBytes: number;
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const progress = (message: string) => process.stderr.write(`${message}\n`);
const now = () => performance.now() / 1000;
const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

function memory(): { peakRssBytes: number; liveBytes: number } {
  gc(); // so that heap+ArrayBuffers counts what the stage keeps, not garbage awaiting collection
  const m = process.memoryUsage();
  return { peakRssBytes: process.resourceUsage().maxRSS * 1024, liveBytes: m.heapUsed + m.arrayBuffers };
}

function timed<R>(name: string, run: () => R, repeatBelow: number, stages: StageResult[]): R {
  progress(`  node: ${name} …`);
  const times: number[] = [], cpu: number[] = [];
  let result: R;
  for (;;) {
    const t0 = now(), c0 = cpuSeconds();
    result = run();
    times.push(now() - t0);
    cpu.push(cpuSeconds() - c0);
    if (times[0] >= repeatBelow || times.length >= 5 || (times.length >= 3 && times.reduce((a, b) => a + b) >= 2 * repeatBelow)) break;
    gc();
  }
  stages.push({ stage: name, seconds: median(times), cpuSeconds: median(cpu), runs: times.length, ...memory() });
  return result;
}

function median(xs: ArrayLike<number>): number {
  const s = Float64Array.from(xs).sort();
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * mask[i] = 1 when page i holds a U. The oldest token is page i's leading base-3 digit, so the pages
 * of length m + 1 are those of length m behind N (same mask), behind F (same mask) and behind U (all
 * ones): each level is one copy and one fill, native calls as numpy's vectorised peer uses, with no
 * loop over pages in JavaScript.
 */
function pagesHoldingU(k: number): Uint8Array {
  const mask = new Uint8Array(3 ** k);
  for (let size = 1; size < mask.length; size *= 3) {
    mask.copyWithin(size, 0, size);
    mask.fill(1, 2 * size, 3 * size);
  }
  return mask;
}

function writeF64(path: string, x: Float64Array): void {
  writeFileSync(path, new Uint8Array(x.buffer, x.byteOffset, x.byteLength));
}

function evolveTimed(pc: PageChain, steps: number): { pi: Float64Array; spare: Float64Array; stepSeconds: Float64Array } {
  let a: Float64Array = pc.delta(0); // N^k is page 0 in the canonical order
  let b: Float64Array = new Float64Array(pc.size);
  const stepSeconds = new Float64Array(steps);
  for (let s = 0; s < steps; s++) {
    const t0 = now();
    pc.step(a, b);
    stepSeconds[s] = now() - t0;
    [a, b] = [b, a];
  }
  return { pi: a, spare: b, stepSeconds };
}

function main(): void {
  const opts = new Command()
    .name("waluigiNode")
    .description("One k of the waluigi chain benchmark (Node side); prints one JSON line")
    .requiredOption("--k <k>", "context window: pages are {N,F,U}^k", Number)
    .option("--lambda <lambda>", "prior credence in Luigi, in (0, 1)", Number, 0.9)
    .option("--p <p>", "P(F | Waluigi, no U on the page), in [0, 1]", Number, 0.8)
    .option("--steps <steps>", "number of π → πT steps from N^k", Number, 1000)
    .option("--repeat-below <seconds>", "repeat a stage 3× (median) when its first run takes less", Number, 1)
    .option("--dense-steps <count>", "single steps on a dense π, timed for the bandwidth comparison", Number, 9)
    .option("--dump-dir <dir>", "write hitting.f64 and pi.f64 here for the cross-check with scipy")
    .parse()
    .opts<{ k: number; lambda: number; p: number; steps: number; repeatBelow: number; denseSteps: number; dumpDir?: string }>();
  if (!Number.isInteger(opts.k) || opts.k < 1) throw new RangeError(`--k must be an integer ≥ 1; got ${opts.k}`);
  if (!Number.isInteger(opts.steps) || opts.steps < 0) throw new RangeError(`--steps must be an integer ≥ 0; got ${opts.steps}`);
  const params = { luigiPrior: opts.lambda, pFriendly: opts.p };
  const stages: StageResult[] = [];

  const pc = timed(
    "build",
    () => {
      const chain = waluigiChain(opts.k, params);
      void chain.matrix; // built and validated on first use
      return chain;
    },
    opts.repeatBelow,
    stages,
  );
  const T = pc.matrix;
  const chain = timed(
    "closed classes",
    () => {
      const c = new MarkovChain(T);
      void c.closedClasses;
      return c;
    },
    opts.repeatBelow,
    stages,
  );
  const hitting = timed("expected steps", () => chain.expectedHittingTimes(pagesHoldingU(opts.k)), opts.repeatBelow, stages);

  progress(`  node: ${opts.steps} steps …`);
  const t0 = now(), c0 = cpuSeconds();
  const { pi, spare, stepSeconds } = evolveTimed(pc, opts.steps);
  stages.push({ stage: "steps", seconds: now() - t0, cpuSeconds: cpuSeconds() - c0, runs: 1, ...memory() });
  if (opts.dumpDir) writeF64(join(opts.dumpDir, "pi.f64"), pi);

  const slem = timed("second modulus", () => largestModuli(T, chain.classes, 2)[1] ?? 0, opts.repeatBelow, stages);

  // The dense-π step (every suffix carries mass, so every row is read), each one right after a plain
  // copy of a π-sized array. Both are timed by the wall clock and by this process's CPU time: on a
  // shared machine a 70 ms step is descheduled more often than a 10 ms copy, which the wall clock
  // charges to the step; CPU time does not (memory contention still shows in both). The two π
  // buffers of the steps stage are reused: no new memory.
  const dense: number[] = [], copy: number[] = [], denseCpu: number[] = [], copyCpu: number[] = [];
  if (opts.denseSteps > 0) {
    const u = pi.fill(1 / pc.size);
    for (let r = 0; r < opts.denseSteps; r++) {
      const c0 = now(), u0 = cpuSeconds();
      spare.set(u);
      const c1 = now(), u1 = cpuSeconds();
      pc.step(u, spare);
      const c2 = now(), u2 = cpuSeconds();
      copy.push(c1 - c0);
      dense.push(c2 - c1);
      copyCpu.push(u1 - u0);
      denseCpu.push(u2 - u1);
    }
  }
  if (opts.dumpDir) writeF64(join(opts.dumpDir, "hitting.f64"), hitting);
  const out = {
    k: opts.k,
    n: pc.size,
    nnz: T.nnz,
    vocabulary: pc.vocabulary.size,
    stages,
    stepMedianSeconds: opts.steps ? median(stepSeconds) : 0,
    denseStepMedianSeconds: dense.length ? median(dense) : 0,
    copyMedianSeconds: copy.length ? median(copy) : 0,
    denseStepMedianCpuSeconds: denseCpu.length ? median(denseCpu) : 0,
    copyMedianCpuSeconds: copyCpu.length ? median(copyCpu) : 0,
    classes: chain.classes.count,
    closedClasses: chain.closedClasses.slice(0, 10),
    closedClassCount: chain.closedClasses.length,
    expectedFromEmpty: hitting[0],
    secondModulus: slem,
    secondModulusCached: chain.secondLargestModulus,
    versions: { node: process.version, v8: process.versions.v8 },
  };
  process.stdout.write(JSON.stringify(out) + "\n");
}

main();
