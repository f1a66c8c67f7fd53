/**
 * The grading runtime: a private folder that the sandboxed processes may read, and nothing else.
 *
 * Node 20's permission model follows symbolic links even out of the allowed paths, and the project's
 * own `node_modules/llm-dynamics` is a link to the project root (where `solutions/` lives). So the
 * sandbox never gets the project's node_modules: it gets `<runtime>/node_modules`, holding a *copy* of
 * the library (package.json, dist/src, data/check) and a link to every other installed package,
 * and read access to exactly those packages' real folders. Scratch folders, one per runner, are the
 * only writable places.
 *
 * The network is closed twice: inside the runner (see sandbox/runner.ts) and, where the kernel allows
 * it (root, or unprivileged user namespaces), by starting the runner in an empty network namespace
 * with `unshare -n`.
 *
 *     const rt = createRuntime();
 *     runnerCommand(rt, scratch, 512);   // ["unshare", "-n", "--", "/usr/bin/node", "--experimental-permission", …]
 *     disposeRuntime(rt);
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compiledGraderDir, projectRoot } from "./paths";

export interface Runtime {
  dir: string;
  nodeModules: string;
  /** Real folders of the linked packages: the sandbox may read them. */
  packageDirs: string[];
  scratchRoot: string;
  compileDir: string;
  runnerScript: string;
  compilerScript: string;
  /** How the network is closed beyond the runner's own hardening. */
  networkIsolation: "namespace" | "in-process only";
  /** The kernel's startup snapshot the compile servers start from (tools/kernel/snapshot.ts), or null. */
  compilerSnapshot: string | null;
  keep: boolean;
}

let unshareWorks: boolean | undefined;

/** Whether `unshare -n` can start a process in a new network namespace here (probed once). */
export function canUnshareNetwork(): boolean {
  if (unshareWorks === undefined) {
    const r = spawnSync("unshare", ["-n", "--", process.execPath, "-e", "0"], { stdio: "ignore", timeout: 20_000 });
    unshareWorks = r.status === 0;
  }
  return unshareWorks;
}

/** Links every installed package except the library itself and links out of node_modules. */
function linkPackages(from: string, to: string, packageDirs: string[]): void {
  for (const name of readdirSync(from)) {
    if (name === ".bin" || name.startsWith(".") || name === "llm-dynamics") continue;
    const source = join(from, name);
    const stat = lstatSync(source);
    if (stat.isSymbolicLink()) continue; // e.g. file: dependencies: they may point anywhere
    if (!stat.isDirectory()) continue;
    if (name.startsWith("@")) {
      mkdirSync(join(to, name));
      linkPackages(source, join(to, name), packageDirs);
      continue;
    }
    const real = realpathSync(source);
    symlinkSync(real, join(to, name), "dir");
    packageDirs.push(real);
  }
}

/**
 * The environment of the sandboxed processes: nothing of the grader's, so no NODE_OPTIONS can loosen
 * the sandbox. LLM_DYNAMICS_KERNEL_SNAPSHOT (off) is read by the grader, not passed on.
 */
export const SANDBOX_ENV: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? "/usr/bin:/bin" };

/**
 * A compile server's environment. Its heap limit is given in NODE_OPTIONS, not on the command line:
 * V8 loads a startup snapshot only under the V8 flags it was built with, and the snapshot's key
 * (tools/kernel/snapshot.ts) covers NODE_OPTIONS, so the blob built for this environment fits.
 */
export const COMPILER_ENV: NodeJS.ProcessEnv = { ...SANDBOX_ENV, NODE_OPTIONS: "--max-old-space-size=1024" };

export function createRuntime(options: { keep?: boolean; isolateNetwork?: boolean; compilerSnapshot?: string | null } = {}): Runtime {
  const root = projectRoot();
  const grader = compiledGraderDir();
  const libraryEntry = join(root, "dist", "src", "index.js");
  if (!existsSync(libraryEntry)) throw new Error(`the library is not built: ${libraryEntry} is missing; run npx tsc -p .`);
  const dir = mkdtempSync(join(tmpdir(), "llmd-grade-"));
  const nodeModules = join(dir, "node_modules");
  mkdirSync(nodeModules);
  const packageDirs: string[] = [];
  linkPackages(join(root, "node_modules"), nodeModules, packageDirs);
  const library = join(nodeModules, "llm-dynamics");
  mkdirSync(library);
  cpSync(join(root, "package.json"), join(library, "package.json"));
  cpSync(join(root, "dist", "src"), join(library, "dist", "src"), { recursive: true });
  if (existsSync(join(root, "data", "check"))) cpSync(join(root, "data", "check"), join(library, "data", "check"), { recursive: true });
  const scratchRoot = join(dir, "scratch");
  const compileDir = join(dir, "compile");
  mkdirSync(scratchRoot);
  mkdirSync(compileDir);
  // The sandbox scripts are copied too, so the sandbox needs no read access to the grader's folder.
  const sandbox = join(dir, "sandbox");
  cpSync(join(grader, "sandbox", "runner.js"), join(sandbox, "runner.js"));
  cpSync(join(grader, "sandbox", "compiler.js"), join(sandbox, "compiler.js"));
  const isolate = options.isolateNetwork ?? true;
  return {
    dir,
    nodeModules,
    packageDirs,
    scratchRoot,
    compileDir,
    runnerScript: join(sandbox, "runner.js"),
    compilerScript: join(sandbox, "compiler.js"),
    networkIsolation: isolate && canUnshareNetwork() ? "namespace" : "in-process only",
    compilerSnapshot: options.compilerSnapshot ?? null,
    keep: options.keep ?? false,
  };
}

export function disposeRuntime(rt: Runtime): void {
  if (!rt.keep) rmSync(rt.dir, { recursive: true, force: true });
}

function readFlags(rt: Runtime, extra: string[]): string[] {
  return [rt.nodeModules, ...rt.packageDirs, ...extra].map((p) => `--allow-fs-read=${p}`);
}

/** The command that starts a runner for one job (cwd = scratch). */
export function runnerCommand(rt: Runtime, scratch: string, memoryMb: number): string[] {
  const node = [process.execPath, "--experimental-permission", ...readFlags(rt, [scratch, rt.runnerScript]), `--allow-fs-write=${scratch}`, `--max-old-space-size=${memoryMb}`, "--no-warnings", rt.runnerScript];
  return rt.networkIsolation === "namespace" ? ["unshare", "-n", "--", ...node] : node;
}

/**
 * The command that starts a compile server (cwd = compileDir; read-only). From the kernel's snapshot
 * when there is one: the compiler comes already evaluated and lib.es2022 and @types already bound.
 * The runtime's type roots are links to the project's, so the same files, by their real paths, are
 * served from the snapshot's cache (snapshot-entry.cjs keys them without typeRoots).
 */
export function compilerCommand(rt: Runtime): string[] {
  const snapshot = rt.compilerSnapshot ? ["--snapshot-blob", rt.compilerSnapshot] : [];
  const node = [process.execPath, ...snapshot, "--experimental-permission", ...readFlags(rt, [rt.compileDir, rt.compilerScript]), "--no-warnings", rt.compilerScript, rt.nodeModules];
  return rt.networkIsolation === "namespace" ? ["unshare", "-n", "--", ...node] : node;
}

/** A fresh scratch folder for one runner. */
export function newScratch(rt: Runtime, name: string): string {
  const dir = join(rt.scratchRoot, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}
