/**
 * The course's tslab kernel command (what `npm run kernel:install` registers and the headless runner
 * starts): hands Jupyter's connection file to a warm standby (tools/kernel/standby.ts) when one is
 * ready for this folder, and otherwise starts tslab in its own process exactly as `tslab kernel` does.
 * Either way it leaves a standby warming up for the next start (a restart, the next notebook).
 *
 *     node dist/tools/kernel/launcher.js kernel --config-path /run/user/1000/jupyter/kernel-1.json
 *     node dist/tools/kernel/launcher.js --version          # "tslab 1.0.22 (llm-dynamics launcher)"
 *     node dist/tools/kernel/launcher.js stop [folder]      # stop the standby of a folder (default: here)
 *
 * With a standby, Jupyter still talks to this process's PID: SIGINT (interrupt) and SIGTERM are
 * forwarded to the kernel as signals (tslab breaks a busy cell only on a real SIGINT), the kernel's own
 * stdout/stderr come back through the standby's socket, and this process exits with the kernel. If
 * this process is killed outright, the kernel sees its socket close and exits too.
 * LLM_DYNAMICS_STANDBY=off gives plain tslab behaviour (no standby used or left).
 */
import { spawn } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import type { Socket } from "node:net";
import { askStandby, STANDBY_ENV, standbyPaths, stopStandby, tslabMain } from "./standby";
import { dieWithProcess } from "./orphan";
import { buildSnapshotInBackground, snapshotMark, usableSnapshot } from "./snapshot";

/** How long a launcher waits for a standby that is still warming up before it starts cold itself. */
const CLAIM_TIMEOUT_MS = 180_000;
/**
 * The next standby's warm-up (seconds of CPU) waits this long, so it does not compete with the first
 * cells of the kernel just started (Run All right after a restart) on a machine with few cores.
 */
const NEXT_STANDBY_DELAY_MS = 4_000;

function tslabVersion(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(resolve(tslabMain(), "..", "..", "package.json")) as { version: string }).version;
}

/** Starts a standby for `cwd` in the background; it outlives this process until claimed or idle. */
export function spawnStandby(cwd: string, env: NodeJS.ProcessEnv = process.env): number | undefined {
  // From the kernel snapshot when there is one: the standby's warm-up then costs less CPU too.
  const blob = usableSnapshot(env);
  const args = [...(blob ? ["--snapshot-blob", blob] : []), resolve(__dirname, "standby.js")];
  const child = spawn(process.execPath, args, { cwd, env, detached: true, stdio: "ignore" });
  child.on("error", () => undefined);
  child.unref();
  return child.pid;
}

/** Starts the next standby after the delay, or when this kernel ends before it (a quick restart). */
function nextStandbyLater(cwd: string): void {
  let done = false;
  const next = () => {
    if (!done) spawnStandby(cwd);
    done = true;
  };
  setTimeout(next, NEXT_STANDBY_DELAY_MS).unref();
  process.once("exit", next);
}

function relay(socket: Socket, kernelPid: number): void {
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT"] as const) {
    process.on(signal, () => {
      try {
        process.kill(kernelPid, signal);
      } catch {
        process.exit(0);
      }
    });
  }
  let buffer = "";
  socket.on("data", (chunk) => {
    buffer += chunk.toString("utf8");
    let nl: number;
    while ((nl = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      try {
        const m = JSON.parse(line) as { out?: number; data?: string };
        if (typeof m.data === "string") (m.out === 2 ? process.stderr : process.stdout).write(m.data);
      } catch {
        // a torn line from a dying kernel: nothing to show
      }
    }
  });
  socket.on("close", () => process.exit(0));
  socket.on("error", () => process.exit(0));
}

/** Starts tslab here, as `tslab kernel --config-path <file>` would. */
function coldStart(configPath: string): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startKernel } = require(tslabMain()) as { startKernel: (o: object) => void };
  startKernel({ configPath, enableFindLocal: false, jsKernel: false, globalVersion: tslabVersion() });
}

const FORWARDED_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT"] as const;

/**
 * Starts tslab in a child process started from the kernel snapshot (tools/kernel/snapshot.ts), which
 * this process then stands for: signals are forwarded, and it exits with the child. The child exits
 * when this process goes away (its IPC channel closes). Resolves false, having printed one line, when
 * the child did not get as far as a warm converter (a blob Node refuses, say): the caller then starts
 * tslab itself, and the blob is removed so that it is not tried again.
 */
function snapshotStart(blob: string, configPath: string): Promise<boolean> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ["--snapshot-blob", blob, __filename, "kernel-here", "--config-path", configPath], {
      env: process.env,
      stdio: ["inherit", "inherit", "pipe", "ipc"],
    });
    let ready = false;
    let early = "";
    const forward = (signal: NodeJS.Signals) => () => {
      try {
        child.kill(signal);
      } catch {
        // already gone
      }
    };
    const handlers = FORWARDED_SIGNALS.map((s) => [s, forward(s)] as const);
    for (const [s, h] of handlers) process.on(s, h);
    child.stderr!.on("data", (chunk: Buffer) => {
      if (ready) process.stderr.write(chunk);
      else early += chunk.toString("utf8");
    });
    const failed = (why: string) => {
      if (ready) return;
      ready = true; // settled
      for (const [s, h] of handlers) process.off(s, h);
      try {
        rmSync(blob, { force: true });
      } catch {
        // read-only: it is keyed, so the next build replaces it
      }
      const first = early.split("\n").find((l) => l.trim() !== "") ?? why;
      console.error(`[llm-dynamics launcher] the kernel snapshot did not start (${first.trim()}); starting tslab here`);
      done(false);
    };
    child.on("message", (m) => {
      if (m !== "ready" || ready) return;
      ready = true;
      if (early) process.stderr.write(early);
      done(true);
    });
    child.on("error", (err) => failed(err.message));
    child.on("exit", (code, signal) => {
      if (!ready) return failed(`exit ${code ?? signal}`);
      process.exit(code ?? 0);
    });
  });
}

/** The child's side of snapshotStart: tslab here, then "ready"; exit when the launcher goes away. */
function kernelHere(configPath: string): void {
  // A cell's fork() inherits process.execArgv: its Node should start plain, not from the kernel's snapshot.
  const i = process.execArgv.indexOf("--snapshot-blob");
  if (i >= 0) process.execArgv.splice(i, 2);
  coldStart(configPath);
  if (process.send) {
    process.send("ready");
    process.on("disconnect", () => process.exit(0));
    process.channel?.unref();
    dieWithProcess(process.ppid); // also when a cell holds the event loop (the runner kills only the launcher)
  }
}

/** A cold start: from the snapshot when a current one is there, else tslab as usual. */
async function cold(configPath: string, standbys: boolean): Promise<void> {
  const blob = snapshotMark() ? null : usableSnapshot();
  if (blob && (await snapshotStart(blob, configPath))) return;
  // Interactive use (standbys on) builds one for next time; the headless run uses one when it is there.
  if (!blob && standbys) buildSnapshotInBackground();
  coldStart(configPath);
}

export async function launch(configPath: string): Promise<void> {
  const cwd = process.cwd();
  if (!existsSync(configPath)) throw new RangeError(`--config-path names no file; got ${JSON.stringify(configPath)}`);
  if (process.env[STANDBY_ENV.mode] === "off") return cold(configPath, false);
  let paths: ReturnType<typeof standbyPaths> | null = null;
  try {
    paths = standbyPaths(cwd);
  } catch (err) {
    console.error(`[llm-dynamics launcher] no standby: ${(err as Error).message}`);
  }
  const claimed = paths && existsSync(paths.socket) ? await askStandby(paths.socket, { claim: { connectionFile: resolve(configPath), cwd, env: process.env, pid: process.pid } }, CLAIM_TIMEOUT_MS) : null;
  if (claimed && claimed.answer.ok === true && typeof claimed.answer.pid === "number") {
    relay(claimed.socket, claimed.answer.pid);
    nextStandbyLater(cwd);
    return;
  }
  claimed?.socket.destroy();
  if (claimed) console.error(`[llm-dynamics launcher] standby refused (${String(claimed.answer.reason)}); starting tslab here`);
  await cold(configPath, true); // resolves once the converter is warm
  if (paths) nextStandbyLater(cwd);
}

function usage(): string {
  return [
    "Usage: launcher.js kernel --config-path <connection file>   start the course's tslab kernel (what Jupyter runs)",
    "       launcher.js stop [folder]                             stop the warm standby of a folder (default: the current one)",
    "       launcher.js --version | --help",
    "",
    "A warm standby (a tslab kernel already past its TypeScript start-up) is used when one is ready for the",
    "current folder; otherwise tslab starts here as usual. Either way a standby is left warming up for the",
    "next start; it exits after LLM_DYNAMICS_STANDBY_IDLE_SECONDS (default 600) unused.",
    "LLM_DYNAMICS_STANDBY=off: never use or leave a standby (plain tslab).",
    "A cold start runs tslab from the kernel's startup snapshot when a current one is built (node dist/tools/kernel/snapshot.js",
    "--help); LLM_DYNAMICS_KERNEL_SNAPSHOT=off: never.",
  ].join("\n");
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === "--version" || command === "-V") return void console.log(`tslab ${tslabVersion()} (llm-dynamics launcher)`);
  if (command === "--help" || command === "-h" || command === undefined) return void console.log(usage());
  if (command === "stop") {
    const folder = resolve(rest[0] ?? ".");
    const stopped = await stopStandby(folder);
    console.log(stopped ? `stopped the standby of ${folder}` : `no standby was waiting for ${folder}`);
    return;
  }
  if (command === "kernel-here") {
    const i = rest.indexOf("--config-path");
    return kernelHere(rest[i + 1]);
  }
  if (command === "kernel") {
    const i = rest.indexOf("--config-path");
    const configPath = i >= 0 ? rest[i + 1] : undefined;
    if (!configPath) throw new RangeError(`kernel needs --config-path <file>; got ${JSON.stringify(rest)}`);
    return launch(configPath);
  }
  throw new RangeError(`unknown command; got ${JSON.stringify(command)}\n${usage()}`);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err: Error) => {
    console.error(err.message);
    process.exit(1);
  });
}
