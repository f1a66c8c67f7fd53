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
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { Socket } from "node:net";
import { askStandby, STANDBY_ENV, standbyPaths, stopStandby, tslabMain } from "./standby";

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
  const child = spawn(process.execPath, [resolve(__dirname, "standby.js")], { cwd, env, detached: true, stdio: "ignore" });
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

export async function launch(configPath: string): Promise<void> {
  const cwd = process.cwd();
  if (!existsSync(configPath)) throw new RangeError(`--config-path names no file; got ${JSON.stringify(configPath)}`);
  if (process.env[STANDBY_ENV.mode] === "off") return coldStart(configPath);
  let paths: ReturnType<typeof standbyPaths> | null = null;
  try {
    paths = standbyPaths(cwd);
  } catch (err) {
    console.error(`[llm-dynamics launcher] no standby: ${(err as Error).message}`);
  }
  const claimed = paths && existsSync(paths.socket) ? await askStandby(paths.socket, { claim: { connectionFile: resolve(configPath), cwd, env: process.env } }, CLAIM_TIMEOUT_MS) : null;
  if (claimed && claimed.answer.ok === true && typeof claimed.answer.pid === "number") {
    relay(claimed.socket, claimed.answer.pid);
    nextStandbyLater(cwd);
    return;
  }
  claimed?.socket.destroy();
  if (claimed) console.error(`[llm-dynamics launcher] standby refused (${String(claimed.answer.reason)}); starting tslab here`);
  coldStart(configPath); // synchronous up to the warm converter
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
