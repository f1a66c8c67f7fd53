/**
 * The kernel's startup snapshot (tools/kernel/snapshot.ts, snapshot-entry.cjs): a blob built here,
 * then the course's launcher with standbys off (as the headless runner starts it) with the real
 * tslab over the real Jupyter protocol: the kernel starts from the snapshot (it carries the mark),
 * answers, reports type errors, sees the library's and Node's types; a stale or broken blob is not
 * used and the start still works; a declaration file whose text differs from the cached one is
 * parsed afresh. Times are for `npm run bench:kernel`, not here.
 *
 *     npm run build && npx vitest run test/kernel-snapshot.test.ts
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TslabKernel } from "../tools/runner/kernel";
import { expectTypeErrorsAndLibraryTypes, text } from "./support/kernel-cells";
import { STANDBY_ENV, stopStandbys } from "../tools/kernel/standby";
import { buildSnapshot, SNAPSHOT_ENV, snapshotBlob, snapshotEntry, tslabFiles, usableSnapshot } from "../tools/kernel/snapshot";

const ROOT = join(__dirname, "..");
const LAUNCHER = join(ROOT, "dist/tools/kernel/launcher.js");
const NOTEBOOKS = join(ROOT, "notebooks");
const dir = mkdtempSync(join(tmpdir(), "llmd-snapshot-test-"));
const env = { ...process.env, [SNAPSHOT_ENV.dir]: join(dir, "blobs"), [STANDBY_ENV.mode]: "off", [STANDBY_ENV.dir]: join(dir, "standby") };
const built = existsSync(LAUNCHER);
if (!built) console.log("kernel-snapshot.test skipped: run `npm run build` first (dist/tools/kernel/launcher.js is missing)");

const kernels: TslabKernel[] = [];

/** Whether a process exists and is not a zombie. */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

async function start(e: NodeJS.ProcessEnv = env): Promise<TslabKernel> {
  const k = await TslabKernel.start({ kernelPath: LAUNCHER, cwd: NOTEBOOKS, env: e, startupTimeoutMs: 240_000 });
  kernels.push(k);
  return k;
}


/** What the kernel says about its start: "none", or "<cached> <served> <stale>" from the snapshot's mark. */
const MARK_CELL = 'const snapshotMarkOfThisKernel = (globalThis as any)[Symbol.for("llm-dynamics.kernel-snapshot")];\n' +
  'snapshotMarkOfThisKernel ? [snapshotMarkOfThisKernel.cached, snapshotMarkOfThisKernel.served.length, snapshotMarkOfThisKernel.stale.length].join(" ") : "none"';

beforeAll(() => {
  if (built) buildSnapshot(env);
}, 300_000);

afterAll(async () => {
  for (const k of kernels) await k.kill();
  rmSync(dir, { recursive: true, force: true });
}, 120_000);

describe.skipIf(!built)("the kernel's startup snapshot (real tslab, real Jupyter protocol)", () => {
  it("is built under a key of Node, tslab's compiler and the snapshot code", () => {
    const blob = usableSnapshot(env);
    expect(blob).toBe(snapshotBlob(env));
    expect(readdirSync(join(dir, "blobs")).filter((n) => n.endsWith(".blob"))).toHaveLength(1);
    expect(usableSnapshot({ ...env, [SNAPSHOT_ENV.mode]: "off" })).toBeNull();
    // Another NODE_OPTIONS is another blob (flags must match the ones it was built with).
    expect(snapshotBlob({ ...env, NODE_OPTIONS: "--max-old-space-size=999" })).not.toBe(blob);
  });

  it("starts a cold kernel from the snapshot: it answers, reports type errors, has the library's and Node's types", async () => {
    const k = await start();
    expect(await text(k, "1 + 1")).toEqual({ status: "ok", out: "2\n" });
    // The kernel is a child of the launcher, started from the blob, and its first program took
    // lib.es2022's and @types' files from the cache (none was stale: the blob was just built from
    // these files); the library's wait for the first cell that imports it.
    expect(await text(k, "process.pid === " + String(k.pid))).toEqual({ status: "ok", out: "false\n" });
    const counts = async () => {
      const mark = await text(k, MARK_CELL);
      expect(mark.status).toBe("ok");
      const [cached, served, stale] = mark.out.trim().split(" ").map(Number);
      return { cached, served, stale };
    };
    const first = await counts();
    expect(first.cached).toBeGreaterThan(150);
    expect(first.stale).toBe(0);
    expect(first.served).toBeGreaterThan(100);
    expect(first.served).toBeLessThan(first.cached);

    // A cell's fork() starts a plain Node (the snapshot's flag is not passed on).
    expect(await text(k, "process.execArgv.includes(\"--snapshot-blob\")")).toEqual({ status: "ok", out: "false\n" });

    await expectTypeErrorsAndLibraryTypes(k);
    expect(await counts()).toEqual({ cached: first.cached, served: first.cached, stale: 0 });
    // Node's types: a wrong use of fs is a type error, a right one runs.
    const fsWrong = await text(k, 'import * as fs from "fs";\nconst notABoolean: number = fs.existsSync("x");');
    expect(fsWrong.status).toBe("error");
    expect(fsWrong.out).toContain("Type 'boolean' is not assignable to type 'number'");
    await new Promise((r) => setTimeout(r, 300));
    expect(await text(k, 'import * as fs from "fs";\nfs.existsSync("01-conventions.ipynb")')).toEqual({ status: "ok", out: "true\n" });

    // Interrupt reaches the kernel through the launcher; shutdown ends both.
    const busy = await k.execute("while (true) {}", { timeoutMs: 5_000, interruptGraceMs: 120_000 });
    expect(busy.status).toBe("timeout");
    expect(busy.interrupted).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    expect(await text(k, "40 + 2")).toEqual({ status: "ok", out: "42\n" });
    await k.shutdown(30_000);
    expect(k.alive).toBe(false);
  }, 400_000);

  it("a kernel stuck where SIGINT cannot reach it still ends when its launcher is killed", async () => {
    const k = await start();
    const child = Number((await text(k, "process.pid")).out.trim());
    expect(child).not.toBe(k.pid);
    // As in test/fixtures/notebooks/stuck.ipynb: the loop runs outside the cell, and the kernel's event
    // loop never turns again, so a closed IPC channel can no longer reach its JavaScript.
    expect((await k.execute("setTimeout(() => { for (;;) {} }, 200); 1", { timeoutMs: 60_000 })).status).toBe("ok");
    await new Promise((r) => setTimeout(r, 1_500));
    expect(running(child)).toBe(true);
    process.kill(k.pid!, "SIGKILL"); // the launcher alone, as a front end that does not kill the process group does
    const deadline = Date.now() + 60_000;
    while (running(child) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(running(child), `kernel ${child} outlived its launcher`).toBe(false);
    await k.kill();
  }, 300_000);

  it("without a current blob (another key, or turned off) starts tslab as before, in the launcher's process", async () => {
    const blob = snapshotBlob(env);
    const other = join(dir, "blobs", "kernel-00000000000000000000.blob");
    renameSync(blob, other); // a blob of another Node or tslab: its name is another key
    try {
      const k = await start();
      expect(await text(k, MARK_CELL)).toEqual({ status: "ok", out: "none\n" });
      expect(await text(k, "process.pid === " + String(k.pid))).toEqual({ status: "ok", out: "true\n" });
      await k.shutdown(30_000);
    } finally {
      renameSync(other, blob);
    }
    const off = await start({ ...env, [SNAPSHOT_ENV.mode]: "off" });
    expect(await text(off, MARK_CELL)).toEqual({ status: "ok", out: "none\n" });
    await off.shutdown(30_000);
  }, 400_000);

  it("a blob Node cannot load is not used: the start still works, and the blob is removed", async () => {
    const blob = snapshotBlob(env);
    const good = `${blob}.good`;
    renameSync(blob, good);
    writeFileSync(blob, "not a V8 snapshot");
    try {
      const k = await start();
      expect(await text(k, MARK_CELL)).toEqual({ status: "ok", out: "none\n" });
      expect(await text(k, "1 + 1")).toEqual({ status: "ok", out: "2\n" });
      expect(existsSync(blob)).toBe(false);
      await k.shutdown(30_000);
    } finally {
      rmSync(blob, { force: true });
      renameSync(good, blob);
    }
  }, 400_000);

  it("with standbys on, a start that finds no blob builds one in the background for the next start", async () => {
    const blobs = join(dir, "background-blobs");
    const standbys = join(dir, "background-standby");
    const e = { ...env, [SNAPSHOT_ENV.dir]: blobs, [STANDBY_ENV.mode]: "", [STANDBY_ENV.dir]: standbys };
    expect(usableSnapshot(e)).toBeNull();
    const k = await start(e);
    expect(await text(k, MARK_CELL)).toEqual({ status: "ok", out: "none\n" });
    await k.shutdown(30_000);
    const deadline = Date.now() + 240_000;
    while (!usableSnapshot(e) || existsSync(join(blobs, "build.lock"))) {
      if (Date.now() > deadline) throw new Error("no blob was built in the background within 240 s");
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(usableSnapshot(e)).toBe(snapshotBlob(e));
    // The standby this start left behind is not needed here.
    await new Promise((r) => setTimeout(r, 5_000));
    stopStandbys(standbys);
  }, 400_000);

  it("parses a declaration file afresh when its text differs from the cached one", () => {
    // A program from the snapshot with tslab's own converter, where lib.es5.d.ts reads with one more
    // interface: served from the cache, the cell could not see it; the other files are still served.
    const { typescript, tslabDist } = tslabFiles();
    const main = join(dir, "changed-lib.js");
    writeFileSync(
      main,
      `const ts = require(${JSON.stringify(typescript)});
const es5 = require("path").join(require("path").dirname(${JSON.stringify(typescript)}), "lib.es5.d.ts");
const read = ts.sys.readFile;
ts.sys.readFile = (p, enc) => { const t = read(p, enc); return p === es5 ? t + "\\ninterface LlmdChangedLib { changed: number }\\n" : t; };
const { createConverter } = require(${JSON.stringify(join(tslabDist, "converter.js"))});
const out = createConverter({ isJS: false, isBrowser: false }).convert("", "const c: LlmdChangedLib = { changed: 1 }; c.changed");
const mark = globalThis[Symbol.for("llm-dynamics.kernel-snapshot")];
console.log(JSON.stringify({ fromSnapshot: !!mark, diagnostics: out.diagnostics.map((d) => d.messageText), stale: mark && mark.stale.map((f) => require("path").basename(f)), served: mark && mark.served.length, es5Served: mark && mark.served.includes(es5) }));
process.exit(0);`,
    );
    const run = spawnSync(process.execPath, ["--snapshot-blob", snapshotBlob(env), main], { cwd: NOTEBOOKS, encoding: "utf8", timeout: 240_000 });
    expect(run.status, run.stderr).toBe(0);
    const r = JSON.parse(run.stdout.trim().split("\n").pop()!) as { fromSnapshot: boolean; diagnostics: string[]; stale: string[]; served: number; es5Served: boolean };
    expect(r.fromSnapshot).toBe(true);
    expect(r.diagnostics).toEqual([]);
    expect(r.stale).toEqual(["lib.es5.d.ts"]);
    expect(r.es5Served).toBe(false);
    expect(r.served).toBeGreaterThan(50);
  }, 300_000);

  it("a build removes the blobs of other installs and keeps those of other NODE_OPTIONS", () => {
    const blobs = join(dir, "blobs");
    const otherOptions = snapshotBlob({ ...env, NODE_OPTIONS: "--max-old-space-size=1024" });
    const otherInstall = join(blobs, "kernel-00000000000000000000-00000000.blob");
    // Stand-ins: only their names matter to the build.
    writeFileSync(otherOptions, "");
    writeFileSync(otherInstall, "");
    buildSnapshot(env);
    expect(existsSync(otherOptions)).toBe(true);
    expect(existsSync(otherInstall)).toBe(false);
    expect(usableSnapshot(env)).toBe(snapshotBlob(env));
    rmSync(otherOptions);
  }, 300_000);

  it("keys its cache by the options that shape parsing and binding: not by where the type roots are", () => {
    // A program with the converter's options (copied from snapshot-entry.cjs; the control shows the
    // copy is exact) takes every file from the cache; so does one whose type root is a folder of links
    // to the same packages (the grader's runtime); one that binds differently (alwaysStrict,
    // isolatedModules) takes none.
    const { typescript } = tslabFiles();
    const links = join(dir, "links", "@types");
    mkdirSync(links, { recursive: true });
    for (const name of readdirSync(join(ROOT, "node_modules", "@types"))) symlinkSync(join(ROOT, "node_modules", "@types", name), join(links, name), "dir");
    const main = join(dir, "options-program.js");
    writeFileSync(join(dir, "cell.ts"), "export const one = 1;\n");
    writeFileSync(
      main,
      `const ts = require(${JSON.stringify(typescript)});
const variant = process.argv[2];
const cwd = ${JSON.stringify(ROOT)};
const options = {
  module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Node10, esModuleInterop: true,
  target: ts.ScriptTarget.ES2022, lib: ["lib.es2022.d.ts"], declaration: true, newLine: ts.NewLineKind.LineFeed,
  noImplicitUseStrict: true, experimentalDecorators: true, resolveJsonModule: true, jsx: ts.JsxEmit.React,
  typeRoots: variant === "links" ? [${JSON.stringify(links)}] : ts.getDefaultTypeRoots(cwd, ts.sys),
  allowJs: true, checkJs: true, disableTopLevelAwait: true, skipLibCheck: true, rootDir: cwd, outDir: "outDir",
  ...(variant === "alwaysStrict" ? { alwaysStrict: true } : {}),
  ...(variant === "isolatedModules" ? { isolatedModules: true } : {}),
};
const program = ts.createProgram({ rootNames: [${JSON.stringify(join(dir, "cell.ts"))}], options, host: ts.createCompilerHost(options) });
const errors = [...program.getSyntacticDiagnostics(), ...program.getSemanticDiagnostics()].map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\\n"));
const mark = globalThis[Symbol.for("llm-dynamics.kernel-snapshot")];
console.log(JSON.stringify({ files: program.getSourceFiles().length, served: mark.served.length, stale: mark.stale.length, errors }));
process.exit(0);`,
    );
    const run = (variant: string) => {
      const r = spawnSync(process.execPath, ["--snapshot-blob", snapshotBlob(env), main, variant], { cwd: ROOT, encoding: "utf8", timeout: 240_000 });
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout.trim().split("\n").pop()!) as { files: number; served: number; stale: number; errors: string[] };
    };
    const control = run("control");
    expect(control.errors).toEqual([]);
    expect(control.stale).toBe(0);
    // Every file but the cell itself.
    expect(control.served).toBe(control.files - 1);
    expect(control.served).toBeGreaterThan(100);
    expect(run("links")).toEqual(control);
    const strict = run("alwaysStrict");
    expect(strict.served).toBe(0);
    expect(strict.stale).toBe(control.served);
    // Outside TypeScript's own key, but read by the binder.
    const isolated = run("isolatedModules");
    expect(isolated.served).toBe(0);
    expect(isolated.stale).toBe(control.served);
  }, 300_000);

  it("refuses to build from a compiler whose source does not have the expected shape", () => {
    const fake = join(dir, "fake-typescript.js");
    writeFileSync(fake, "module.exports = { version: '0.0.0' };\n");
    const { tslabDist } = tslabFiles();
    const run = spawnSync(process.execPath, ["--snapshot-blob", join(dir, "fake.blob"), "--build-snapshot", snapshotEntry()], {
      cwd: ROOT,
      env: { ...process.env, LLMD_SNAPSHOT_TS: fake, LLMD_SNAPSHOT_CWD: ROOT, LLMD_SNAPSHOT_TSLAB: tslabDist },
      encoding: "utf8",
    });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("expected 1 (another TypeScript?)");
  }, 120_000);
});
