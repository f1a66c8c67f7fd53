/**
 * The machine's copy bandwidth as seen from Node: a plain Float64Array copy (`dst.set(src)`, which V8
 * turns into memcpy) of arrays far larger than the caches, median of repetitions. Bandwidth counts the
 * bytes read plus the bytes written (2 × array size) per copy, the same accounting as the step's bound.
 *
 *     node dist/bench/bandwidth.js --mib 256 --reps 11     # one JSON line
 */
import { Command } from "commander";

export interface Bandwidth {
  /** (bytes read + bytes written) per second. */
  bytesPerSecond: number;
  arrayBytes: number;
  medianSeconds: number;
  minSeconds: number;
  reps: number;
}

export function measureCopyBandwidth(mib: number, reps: number): Bandwidth {
  const n = Math.floor((mib * 2 ** 20) / 8);
  const src = new Float64Array(n);
  for (let i = 0; i < n; i++) src[i] = i;
  const dst = new Float64Array(n);
  dst.set(src); // first touch: page faults, not bandwidth
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    dst.set(src);
    times.push((performance.now() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  const median = times[times.length >> 1];
  if (dst[n - 1] !== n - 1) throw new Error("bandwidth: the copy did not arrive");
  return { bytesPerSecond: (2 * 8 * n) / median, arrayBytes: 8 * n, medianSeconds: median, minSeconds: times[0], reps };
}

if (require.main === module) {
  const opts = new Command()
    .name("bandwidth")
    .description("Measure Float64Array copy bandwidth (read + write bytes per second); prints one JSON line")
    .option("--mib <mib>", "size of each array in MiB", Number, 256)
    .option("--reps <reps>", "repetitions (median reported)", Number, 11)
    .parse()
    .opts<{ mib: number; reps: number }>();
  if (!(opts.mib > 0)) throw new RangeError(`--mib must be > 0; got ${opts.mib}`);
  if (!Number.isInteger(opts.reps) || opts.reps < 1) throw new RangeError(`--reps must be an integer ≥ 1; got ${opts.reps}`);
  process.stdout.write(JSON.stringify(measureCopyBandwidth(opts.mib, opts.reps)) + "\n");
}
