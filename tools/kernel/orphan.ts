/**
 * A kernel must not outlive the process that stands for it in Jupyter or the headless run (the
 * launcher). The usual sign that the launcher has gone — a closed IPC channel or socket — reaches
 * JavaScript only when the event loop turns, and a cell stuck in a loop never lets it turn: after the
 * runner kills the launcher of a kernel that ignored SIGINT, the kernel would spin on for ever. A
 * worker thread has its own event loop: it polls the launcher and kills this process when it is gone.
 *
 *     dieWithProcess(process.ppid);     // in the kernel the launcher started
 */
import { Worker } from "node:worker_threads";

/** How often the launcher is looked for (ms): a stuck orphan burns at most this much CPU. */
const POLL_MS = 500;

const WATCHER = `
const { workerData: { pid, parent } } = require("node:worker_threads");
setInterval(() => {
  let gone = parent && process.ppid !== pid; // the parent died: this process was handed to another
  try {
    process.kill(pid, 0);
  } catch (err) {
    if (err.code === "ESRCH") gone = true;
  }
  if (gone) process.kill(process.pid, "SIGKILL");
}, ${POLL_MS});
`;

/** Kills this process, even when its event loop is stuck, once the process `pid` has ended. */
export function dieWithProcess(pid: number): void {
  if (!Number.isInteger(pid) || pid <= 1) throw new RangeError(`pid must be a process id above 1; got ${JSON.stringify(pid)}`);
  const watcher = new Worker(WATCHER, { eval: true, workerData: { pid, parent: pid === process.ppid } });
  watcher.unref();
}
