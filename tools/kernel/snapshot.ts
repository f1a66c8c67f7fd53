/**
 * The kernel's V8 startup snapshot: a blob that holds tslab's TypeScript compiler already evaluated
 * and the first program's declaration files (lib.es2022, the project's @types) already parsed and
 * bound (tools/kernel/snapshot-entry.cjs says how, and why it cannot serve a stale file). A cold
 * kernel started from it (`node --snapshot-blob <blob> …`) skips most of the CPU of tslab's start;
 * the launcher (tools/kernel/launcher.ts) uses it whenever a valid one is there, for Jupyter's
 * kernels, the standbys and the headless runner's kernels alike.
 *
 *     node dist/tools/kernel/snapshot.js build      # what `npm run kernel:install` runs
 *     node dist/tools/kernel/snapshot.js status     # where the blob is, whether it is current
 *
 * The blob belongs to one Node binary, one tslab compiler and this snapshot code: its file name is a
 * hash of them (contents, and the compiler file's size, time and inode) and of NODE_OPTIONS, so a blob made stale by `npm ci` or
 * another Node is never loaded; a build removes the stale ones. It lives in node_modules/.cache/llm-dynamics-kernel-snapshot
 * (LLM_DYNAMICS_KERNEL_SNAPSHOT_DIR to put it elsewhere); LLM_DYNAMICS_KERNEL_SNAPSHOT=off neither
 * uses nor builds one.
 */
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { setPriority } from "node:os";
import { dirname, join, resolve } from "node:path";
import { projectRoot } from "./register";

export const SNAPSHOT_ENV = {
  /** "off": never start a kernel from the snapshot, never build one in the background. */
  mode: "LLM_DYNAMICS_KERNEL_SNAPSHOT",
  /** Folder of the blob (default node_modules/.cache/llm-dynamics-kernel-snapshot in the project). */
  dir: "LLM_DYNAMICS_KERNEL_SNAPSHOT_DIR",
} as const;

/** The global a kernel started from the snapshot carries (cells and tests read it). */
export const SNAPSHOT_MARK = Symbol.for("llm-dynamics.kernel-snapshot");

export interface SnapshotMark {
  blob: string;
  typescript: string;
  /** Declaration files in the blob's cache. */
  cached: number;
  /** Files this kernel's programs took from the cache, and the ones whose text or settings differed. */
  served: string[];
  stale: string[];
}

/** The mark when this process started from the snapshot, else undefined. */
export function snapshotMark(): SnapshotMark | undefined {
  return (globalThis as Record<symbol, SnapshotMark | undefined>)[SNAPSHOT_MARK];
}

/** tslab's compiler (the file the snapshot evaluates) and tslab's dist folder. */
export function tslabFiles(): { typescript: string; tslabDist: string } {
  const root = projectRoot();
  const tslabDist = dirname(require.resolve("tslab/dist/main.js", { paths: [root] }));
  const typescript = require.resolve("@tslab/typescript-for-tslab", { paths: [tslabDist] });
  return { typescript, tslabDist };
}

export function snapshotEntry(): string {
  return join(projectRoot(), "tools", "kernel", "snapshot-entry.cjs");
}

export function snapshotDir(env: NodeJS.ProcessEnv = process.env): string {
  return env[SNAPSHOT_ENV.dir] ? resolve(env[SNAPSHOT_ENV.dir]!) : join(projectRoot(), "node_modules", ".cache", "llm-dynamics-kernel-snapshot");
}

/**
 * What a blob is made of, in two parts: the install (Node, tslab's compiler and converter, the snapshot
 * code) and NODE_OPTIONS (a blob only loads under the flags it was built with). A build removes the
 * blobs of other installs, which nothing can load again, and keeps those of other NODE_OPTIONS: the
 * grader's compile servers start with none, a learner's shell may have some.
 */
function snapshotKeys(env: NodeJS.ProcessEnv): { install: string; options: string } {
  const stamp = (file: string) => {
    try {
      return `${file}:${createHash("sha256").update(readFileSync(file)).digest("hex")}`;
    } catch {
      return `${file}:missing`;
    }
  };
  // The 8 MB compiler by size, time and inode (hashing it would cost every start ~30 ms of CPU): it
  // only changes by a reinstall, which also empties the default folder of the blob.
  const statStamp = (file: string) => {
    try {
      const st = statSync(file);
      return `${file}:${st.size}:${st.mtimeMs}:${st.ino}`;
    } catch {
      return `${file}:missing`;
    }
  };
  const { typescript, tslabDist } = tslabFiles();
  const parts = [process.execPath, process.version, process.arch, statStamp(typescript), stamp(join(tslabDist, "converter.js")), stamp(snapshotEntry())];
  const hash = (x: string, n: number) => createHash("sha256").update(x).digest("hex").slice(0, n);
  return { install: hash(JSON.stringify(parts), 20), options: hash(env.NODE_OPTIONS ?? "", 8) };
}

export function snapshotBlob(env: NodeJS.ProcessEnv = process.env): string {
  const key = snapshotKeys(env);
  return join(snapshotDir(env), `kernel-${key.install}-${key.options}.blob`);
}

/** The blob to start a kernel from, or null (turned off, none built, or none for this Node/tslab). */
export function usableSnapshot(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env[SNAPSHOT_ENV.mode] === "off") return null;
  try {
    const blob = snapshotBlob(env);
    return statSync(blob).size > 0 ? blob : null;
  } catch {
    return null;
  }
}

export interface BuildResult {
  blob: string;
  bytes: number;
  ms: number;
  /** Declaration files parsed and bound into it. */
  files: number;
}

/** Builds the blob for this Node and tslab (a few seconds of CPU); removes stale blobs beside it. */
export function buildSnapshot(env: NodeJS.ProcessEnv = process.env): BuildResult {
  const blob = snapshotBlob(env);
  const dir = dirname(blob);
  mkdirSync(dir, { recursive: true });
  const tmp = `${blob}.${process.pid}.tmp`;
  const { typescript, tslabDist } = tslabFiles();
  const t = performance.now();
  const run = spawnSync(process.execPath, ["--snapshot-blob", tmp, "--build-snapshot", snapshotEntry()], {
    cwd: projectRoot(),
    env: { ...env, LLMD_SNAPSHOT_TS: typescript, LLMD_SNAPSHOT_CWD: projectRoot(), LLMD_SNAPSHOT_TSLAB: tslabDist },
    encoding: "utf8",
    maxBuffer: 16 * 1024 * 1024,
  });
  const ms = performance.now() - t;
  if (run.status !== 0 || !existsSync(tmp)) {
    rmSync(tmp, { force: true });
    const why = `${run.stderr ?? ""}${run.error ? String(run.error) : ""}`.trim().split("\n").filter((l) => l.includes("snapshot-entry") || l.includes("Error")).slice(0, 3).join("; ");
    throw new Error(`building the kernel snapshot failed (exit ${run.status}): ${why || "no message"}`);
  }
  renameSync(tmp, blob);
  const install = `kernel-${snapshotKeys(env).install}-`;
  for (const name of readdirSync(dir)) {
    if (name.endsWith(".blob") && !name.startsWith(install)) rmSync(join(dir, name), { force: true });
  }
  const files = Number(/(\d+) declaration files parsed and bound/.exec(run.stderr ?? "")?.[1] ?? NaN);
  return { blob, bytes: statSync(blob).size, ms, files };
}

/**
 * The current blob for `env`, built first when there is none (a few seconds, once per install and
 * NODE_OPTIONS); null when turned off or when the build fails, which `log` says. The headless runner
 * and the grader call it before their first kernel or compile server.
 */
export function ensureSnapshot(env: NodeJS.ProcessEnv, log: (line: string) => void): string | null {
  if (env[SNAPSHOT_ENV.mode] === "off") return null;
  const current = usableSnapshot(env);
  if (current) return current;
  log("building the kernel's startup snapshot (once after npm ci; a few seconds)");
  try {
    const built = buildSnapshot(env);
    log(`kernel startup snapshot: ${built.blob} (${(built.bytes / 1e6).toFixed(0)} MB, ${(built.ms / 1000).toFixed(1)} s)`);
    return built.blob;
  } catch (err) {
    log(`${(err as Error).message}; starting without the snapshot`);
    return null;
  }
}

/**
 * Starts a build in the background, at the lowest CPU priority, unless one is running (a lock file
 * younger than 5 minutes). The launcher does this when it finds no blob, so the next start is fast.
 */
export function buildSnapshotInBackground(env: NodeJS.ProcessEnv = process.env): void {
  if (env[SNAPSHOT_ENV.mode] === "off") return;
  try {
    const dir = snapshotDir(env);
    mkdirSync(dir, { recursive: true });
    const lock = join(dir, "build.lock");
    try {
      if (Date.now() - statSync(lock).mtimeMs < 300_000) return;
      rmSync(lock, { force: true });
    } catch {
      // no lock: nobody is building
    }
    closeSync(openSync(lock, "wx"));
    const child = spawn(process.execPath, [__filename, "build", "--quiet", "--unlock", lock], { env, detached: true, stdio: "ignore" });
    child.on("error", () => rmSync(lock, { force: true }));
    if (child.pid) {
      try {
        setPriority(child.pid, 19);
      } catch {
        // not allowed: it builds at normal priority
      }
    }
    child.unref();
  } catch {
    // a read-only project or a race with another launcher: this start is unaffected
  }
}

function main(argv: string[]): void {
  const [command, ...rest] = argv;
  if (command === "--help" || command === "-h" || command === undefined) {
    console.log(
      [
        "Usage: node dist/tools/kernel/snapshot.js build [--quiet]   build the tslab kernel's startup snapshot",
        "       node dist/tools/kernel/snapshot.js status            where the snapshot is and whether it is current",
        "",
        "The snapshot holds tslab's TypeScript compiler already loaded and lib.es2022 and the project's @types",
        "already parsed and bound, so a cold kernel answers sooner with less CPU. `npm run kernel:install` builds",
        "it; the kernel launcher uses it when it is current and otherwise starts tslab as usual (and builds it in",
        "the background, at low priority, for the next start).",
        `Environment: ${SNAPSHOT_ENV.dir} (folder of the blob), ${SNAPSHOT_ENV.mode}=off (never use or build it).`,
      ].join("\n"),
    );
    return;
  }
  if (command === "status") {
    const blob = snapshotBlob();
    const usable = usableSnapshot();
    console.log(usable ? `current: ${usable} (${(statSync(usable).size / 1e6).toFixed(1)} MB)` : `none for this Node and tslab (would be ${blob})`);
    return;
  }
  if (command === "build") {
    const quiet = rest.includes("--quiet");
    const unlock = rest.indexOf("--unlock") >= 0 ? rest[rest.indexOf("--unlock") + 1] : undefined;
    try {
      if (!quiet) console.log("Building the tslab kernel's startup snapshot (a few seconds)…");
      const r = buildSnapshot();
      if (!quiet) console.log(`Built ${r.blob}: ${(r.bytes / 1e6).toFixed(1)} MB, ${r.files} declaration files, in ${(r.ms / 1000).toFixed(1)} s`);
    } catch (err) {
      console.error((err as Error).message);
      process.exitCode = 1;
    } finally {
      if (unlock) rmSync(unlock, { force: true });
    }
    return;
  }
  console.error(`unknown command; got ${JSON.stringify(command)} (try --help)`);
  process.exitCode = 1;
}

if (require.main === module) main(process.argv.slice(2));
