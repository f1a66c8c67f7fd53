/**
 * The course's kernel launcher and its warm standby (tools/kernel/launcher.ts, standby.ts), with the
 * real tslab kernel over the real Jupyter protocol (the headless runner's ZeroMQ client): a cold start
 * when no standby is there, a start served by the standby, what the kernel must still do either way
 * (first result, type errors as errors, the library's types, Node's modules, cwd and env as given,
 * interrupt, shutdown and restart), stale or wrong standbys falling back to a cold start, the idle
 * timeout, and that no process is left behind. Times are measured by `npm run bench:kernel`, not here.
 *
 *     npm run build && npx vitest run test/kernel-standby.test.ts
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { TslabKernel } from "../tools/runner/kernel";
import { expectTypeErrorsAndLibraryTypes, text } from "./support/kernel-cells";
import { SNAPSHOT_ENV } from "../tools/kernel/snapshot";
import { askStandby, STANDBY_ENV, standbyInfo, standbyKey, standbyPaths, stopStandbys } from "../tools/kernel/standby";

const ROOT = join(__dirname, "..");
const LAUNCHER = join(ROOT, "dist/tools/kernel/launcher.js");
const NOTEBOOKS = join(ROOT, "notebooks");
const dir = mkdtempSync(join(tmpdir(), "llmd-standby-test-"));
// The kernel snapshot (test/kernel-snapshot.test.ts) is off here: these cold starts are tslab in the launcher's own process.
const baseEnv = { ...process.env, [STANDBY_ENV.dir]: dir, [STANDBY_ENV.idle]: "300", LLMD_STANDBY_MARK: "first", [SNAPSHOT_ENV.mode]: "off" };
const built = existsSync(LAUNCHER);
if (!built) console.log("kernel-standby.test skipped: run `npm run build` first (dist/tools/kernel/launcher.js is missing)");

const kernels: TslabKernel[] = [];
const pids = new Set<number>();

async function start(cwd: string, env: NodeJS.ProcessEnv = baseEnv): Promise<TslabKernel> {
  const k = await TslabKernel.start({ kernelPath: LAUNCHER, cwd, env });
  kernels.push(k);
  if (k.pid) pids.add(k.pid);
  return k;
}


const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until<T>(what: string, probe: () => T | null | undefined | false, ms = 240_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const ready = (cwd: string, env: NodeJS.ProcessEnv = baseEnv) => until(`the standby of ${cwd}`, () => {
  const info = standbyInfo(cwd, env);
  return info?.ready ? info : null;
});

/** Processes of ours whose environment names this test's standby folder. */
function processesOfThisTest(): number[] {
  const found: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${name}/environ`, "utf8").includes(`${STANDBY_ENV.dir}=${dir}\0`)) found.push(Number(name));
    } catch {
      // not ours, or gone
    }
  }
  return found;
}

afterAll(async () => {
  for (const k of kernels) await k.kill();
  stopStandbys(dir);
  rmSync(dir, { recursive: true, force: true });
  // Killed launchers take their kernels with them, and standbys whose folder is gone exit.
  await until("every launcher, kernel and standby of this test to exit", () => processesOfThisTest().length === 0 && [...pids].every((p) => !alive(p)), 60_000);
}, 120_000);

describe.skipIf(!built)("the kernel launcher and its warm standby (real tslab, real Jupyter protocol)", () => {
  let standbyPid = 0;

  it("starts tslab cold in its own process when no standby is waiting, then leaves one warming up", async () => {
    expect(standbyInfo(NOTEBOOKS, baseEnv)).toBeNull();
    const k = await start(NOTEBOOKS);
    expect(await text(k, "1 + 1")).toEqual({ status: "ok", out: "2\n" });
    expect(await text(k, "process.pid")).toEqual({ status: "ok", out: `${k.pid}\n` });
    const typeError = await text(k, 'const n: number = "not a number";');
    expect(typeError.status).toBe("error");
    expect(typeError.out).toContain("Type 'string' is not assignable to type 'number'");
    const info = await ready(NOTEBOOKS);
    expect(info.cwd).toBe(NOTEBOOKS);
    expect(info.pid).not.toBe(k.pid);
    expect(alive(info.pid)).toBe(true);
    standbyPid = info.pid;
    await k.shutdown(30_000);
    expect(k.alive).toBe(false);
  }, 400_000);

  it("hands the next start to the standby, which runs as tslab with Jupyter's cwd and env", async () => {
    const k = await start(NOTEBOOKS, { ...baseEnv, LLMD_STANDBY_MARK: "second" });
    // The first result comes from the standby's process, not the launcher's.
    expect(await text(k, "1 + 1")).toEqual({ status: "ok", out: "2\n" });
    expect(await text(k, "process.pid")).toEqual({ status: "ok", out: `${standbyPid}\n` });
    expect(await text(k, "process.cwd()")).toEqual({ status: "ok", out: `${NOTEBOOKS}\n` });
    // The environment is the one this start was given, not the one the standby was born with.
    expect(await text(k, "process.env.LLMD_STANDBY_MARK")).toEqual({ status: "ok", out: "second\n" });

    await expectTypeErrorsAndLibraryTypes(k);
    expect(await text(k, 'import * as fs from "fs";\nconst v: string = process.version;\nconsole.log(fs.existsSync("01-conventions.ipynb"), v.startsWith("v"))')).toEqual({ status: "ok", out: "true true\n" });

    // Interrupt: SIGINT to the launcher reaches the kernel as a signal and breaks a busy cell.
    const busy = await k.execute("while (true) {}", { timeoutMs: 5_000, interruptGraceMs: 120_000 });
    expect(busy.status).toBe("timeout");
    expect(busy.interrupted).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    expect(await text(k, "40 + 2")).toEqual({ status: "ok", out: "42\n" });

    // Shutdown on the control channel ends the kernel and then its launcher.
    await k.shutdown(30_000);
    expect(k.alive).toBe(false);
    await until("the standby's kernel to exit after shutdown", () => !alive(standbyPid), 30_000);
  }, 400_000);

  it("restarts: a new start after a shutdown gets the next standby; killing the launcher ends its kernel, even a stuck one", async () => {
    const next = await ready(NOTEBOOKS);
    expect(next.pid).not.toBe(standbyPid);
    const k = await start(NOTEBOOKS);
    expect(await text(k, "process.pid")).toEqual({ status: "ok", out: `${next.pid}\n` });
    expect(await text(k, "const x: number = 6 * 7; x")).toEqual({ status: "ok", out: "42\n" });
    // Stuck where SIGINT cannot reach it (the loop runs outside the cell): the closed socket can no
    // longer reach the kernel's JavaScript, and it must still end with its launcher.
    expect((await k.execute("setTimeout(() => { for (;;) {} }, 200); 1", { timeoutMs: 60_000 })).status).toBe("ok");
    await new Promise((r) => setTimeout(r, 1_500));
    expect(alive(next.pid)).toBe(true);
    process.kill(k.pid!, "SIGKILL"); // the launcher alone (a standby is never in its process group anyway)
    await until("the kernel to exit when its launcher was killed", () => !alive(next.pid), 60_000);
    await k.kill();
  }, 400_000);

  it("falls back to a correct cold start when the socket is stale, and the new standby replaces it", async () => {
    const cwd = join(ROOT, "tools");
    const { socket } = standbyPaths(cwd, baseEnv);
    writeFileSync(socket, "not a socket"); // what a crashed standby's folder may hold
    const k = await start(cwd);
    expect(await text(k, "process.pid")).toEqual({ status: "ok", out: `${k.pid}\n` });
    const typeError = await text(k, 'const n: number = "x";');
    expect(typeError.status).toBe("error");
    expect(typeError.out).toContain("Type 'string' is not assignable to type 'number'");
    const info = await ready(cwd);
    expect(alive(info.pid)).toBe(true);
    await k.shutdown(30_000);
  }, 400_000);

  it("refuses a claim for another folder, keeps serving its own, and keys standbys by folder, Node options and tslab", async () => {
    const cwd = join(ROOT, "tools");
    const info = await ready(cwd);
    const refused = await askStandby(standbyPaths(cwd, baseEnv).socket, { claim: { connectionFile: "/nonexistent", cwd: NOTEBOOKS, env: {} } }, 30_000);
    refused?.socket.destroy();
    expect(refused?.answer).toMatchObject({ ok: false });
    expect(String(refused?.answer.reason)).toContain(`serves ${cwd}`);
    expect(standbyInfo(cwd, baseEnv)?.pid).toBe(info.pid);
    expect(standbyKey(cwd, baseEnv)).not.toBe(standbyKey(NOTEBOOKS, baseEnv));
    expect(standbyKey(cwd, { ...baseEnv, NODE_OPTIONS: "--max-old-space-size=999" })).not.toBe(standbyKey(cwd, baseEnv));
  }, 400_000);

  it("an unclaimed standby exits by itself after its idle time", async () => {
    const cwd = join(ROOT, "bench");
    const env = { ...baseEnv, [STANDBY_ENV.idle]: "2" };
    const k = await start(cwd, env);
    await k.shutdown(30_000);
    // It listens (and writes its info) before its warm-up of several seconds of CPU, so it is seen.
    const info = await until("the idle standby to start", () => standbyInfo(cwd, env), 240_000);
    await until("the idle standby to exit", () => !alive(info.pid), 240_000);
    expect(standbyInfo(cwd, env)).toBeNull();
  }, 400_000);
});
