/**
 * A kernel must not outlive the process that stands for it in Jupyter or the headless run (the
 * launcher). The usual sign that the launcher has gone — a closed IPC channel or socket — reaches
 * JavaScript only when the event loop turns, and a cell stuck in a loop never lets it turn: after the
 * runner kills the launcher of a kernel that ignored SIGINT, the kernel would spin on for ever. So a
 * watcher outside the kernel's event loop looks for the launcher once a second and kills the kernel
 * when it has gone. It is a shell loop, not a worker thread: a worker costs a kernel started from the
 * startup snapshot about 0.25 s of CPU to boot, a shell and its `sleep`s well under a millisecond.
 *
 *     dieWithProcess(process.ppid);     // in the kernel the launcher started
 */
import { spawn } from "node:child_process";

// $1 the launcher, $2 this kernel; the watcher ends with either, and kills the kernel only when the
// launcher has gone first.
const WATCHER = 'while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep 1; done; kill -0 "$1" 2>/dev/null || kill -9 "$2" 2>/dev/null';

/** Kills this process, even when its event loop is stuck, once the process `pid` has ended. */
export function dieWithProcess(pid: number): void {
  if (!Number.isInteger(pid) || pid <= 1) throw new RangeError(`pid must be a process id above 1; got ${JSON.stringify(pid)}`);
  const watcher = spawn("/bin/sh", ["-c", WATCHER, "llm-dynamics-kernel-watch", String(pid), String(process.pid)], { stdio: "ignore" });
  watcher.on("error", () => undefined); // no shell: the IPC channel or socket still ends an idle kernel
  watcher.unref();
}
