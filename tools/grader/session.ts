/**
 * Running one submission's code in sandboxed runner processes, with kill-and-resume.
 *
 * A runner executes the compiled cells, then the graded functions on their draws, and reports each
 * step (sandbox/runner.ts). The grader watches: a cell or a draw that overruns its time limit (the
 * runner stops plain endless loops itself; the grader kills a runner whose event loop is stuck), a
 * runner that runs out of memory (V8's heap limit, or the grader's RSS watchdog for memory outside the
 * heap) or exits on its own, is blamed on the step it was in. The grader then starts a fresh runner
 * that skips that cell, or resumes after that draw — so one endless loop costs one exercise's draw,
 * never the other exercises. After `maxTimeouts` lost draws an exercise's remaining draws are skipped.
 *
 *     const report = await runSubmission(runtime, cells, calls, DEFAULT_LIMITS, "alice");
 *     report.draws.get("6.C.2")?.get(0);   // { status: "ok", value: 0.97 }
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { type Readable } from "node:stream";
import { encodeSpecialNumbers } from "../../src/check";
import { decodeValue } from "./wire";
import { type Runtime, newScratch, runnerCommand } from "./runtime";

export interface Limits {
  /** Per cell, for the code at the top level of a cell. */
  cellTimeoutMs: number;
  /** Per call of a graded function on one draw. */
  drawTimeoutMs: number;
  /** Per exercise, summed over its draws. */
  exerciseBudgetMs: number;
  /** Draws lost to time or memory before an exercise's remaining draws are skipped. */
  maxTimeouts: number;
  /** V8 heap limit of a runner; the RSS watchdog allows twice this plus 256 MB. */
  memoryMb: number;
  /** A runner must report that it started within this time. */
  startupTimeoutMs: number;
  /** Type-checking all of one submission's cells (pathological types can make the compiler crawl). */
  compileBudgetMs: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  cellTimeoutMs: 30_000,
  drawTimeoutMs: 10_000,
  exerciseBudgetMs: 60_000,
  maxTimeouts: 2,
  memoryMb: 512,
  startupTimeoutMs: 60_000,
  compileBudgetMs: 300_000,
});

/** Extra time the grader allows before killing, beyond the runner's own watchdog. */
const GRACE_MS = 3_000;
const MAX_REPORT_BYTES = 512 * 1024 * 1024;

export interface RunCell {
  /** Index of the cell in the notebook. */
  index: number;
  js?: string;
  async?: boolean;
  lastExpressionVar?: string;
  skip?: string;
}

export interface RunCall {
  exercise: string;
  functionName: string;
  draws: { d: number; args: unknown[] }[];
}

export type StepStatus = "ok" | "threw" | "unreadable" | "timeout" | "skipped" | "crashed" | "memory" | "not-run";

export interface StepReport {
  status: StepStatus;
  error?: string;
  /** The decoded answer (draws only). */
  value?: unknown;
  ms?: number;
}

export interface FunctionReport {
  status: "ok" | "missing" | "not-function" | "not-reached";
  value?: unknown;
}

export interface RunReport {
  cells: Map<number, StepReport>;
  functions: Map<string, FunctionReport>;
  draws: Map<string, Map<number, StepReport>>;
  runners: number;
  /** Set when the grader, not the submission, failed (the sandbox did not start). */
  fatal?: string;
}

type Message = Record<string, unknown> & { t: string };

interface ChildOutcome {
  messages: Message[];
  code: number | null;
  signal: NodeJS.Signals | null;
  killedFor?: "time" | "memory" | "output" | "startup";
  killedAfterMs?: number;
  stderrTail: string;
}

function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** One runner process for one job; resolves when it has exited, whatever happened. */
function runChild(rt: Runtime, job: object, nonce: string, limits: Limits, scratch: string): Promise<ChildOutcome> {
  return new Promise((resolve) => {
    const [cmd, ...args] = runnerCommand(rt, scratch, limits.memoryMb);
    const child = spawn(cmd, args, {
      cwd: scratch,
      stdio: ["pipe", "pipe", "pipe", "pipe"],
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: scratch, LANG: "C.UTF-8" },
    });
    const outcome: ChildOutcome = { messages: [], code: null, signal: null, stderrTail: "" };
    let timer: NodeJS.Timeout | null = null;
    let reportBytes = 0;
    const kill = (why: ChildOutcome["killedFor"], afterMs?: number) => {
      if (outcome.killedFor) return;
      outcome.killedFor = why;
      outcome.killedAfterMs = afterMs;
      child.kill("SIGKILL");
    };
    const arm = (ms: number, why: ChildOutcome["killedFor"]) => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => kill(why, ms), ms);
    };
    arm(limits.startupTimeoutMs, "startup");
    const watchdog = setInterval(() => {
      if (child.pid && rssMb(child.pid) > 2 * limits.memoryMb + 256) kill("memory");
    }, 200);

    const bornAt = Date.now();
    const onMessage = (msg: Message) => {
      if (process.env.LLMD_GRADE_DEBUG) console.error(`[runner ${child.pid} +${Date.now() - bornAt} ms] ${msg.t} ${msg.i ?? ""}${msg.ex ?? ""} ${msg.d ?? ""} ${msg.status ?? ""} ${msg.ms ?? ""}`);
      outcome.messages.push(msg);
      switch (msg.t) {
        case "hello":
        case "cell":
        case "draw":
        case "fn":
          // Between steps the runner moves on at once; a stuck event loop is blamed on the last step.
          arm(limits.cellTimeoutMs + GRACE_MS, "time");
          break;
        case "cell-start":
          arm(limits.cellTimeoutMs + GRACE_MS, "time");
          break;
        case "draw-start":
          arm(Number(msg.limitMs) + GRACE_MS, "time");
          break;
        case "done":
          arm(5_000, "time");
          break;
      }
    };
    let pending: Buffer[] = [];
    (child.stdio[3] as Readable).on("data", (chunk: Buffer) => {
      reportBytes += chunk.length;
      if (reportBytes > MAX_REPORT_BYTES) {
        kill("output");
        return;
      }
      let start = 0;
      let nl: number;
      while ((nl = chunk.indexOf(10, start)) >= 0) {
        pending.push(chunk.subarray(start, nl));
        const line = Buffer.concat(pending).toString("utf8");
        pending = [];
        start = nl + 1;
        // Only lines carrying the nonce are the runner's; anything the learner writes to fd 3 is dropped.
        const at = line.indexOf(nonce + " ");
        if (at < 0) continue;
        try {
          onMessage(JSON.parse(line.slice(at + nonce.length + 1)) as Message);
        } catch {
          // a report line cut by a crash
        }
      }
      if (start < chunk.length) pending.push(chunk.subarray(start));
    });
    // The learner may print anything (a fake "score: 100" too): it is read and discarded.
    child.stdout!.on("data", () => undefined);
    child.stderr!.on("data", (c: Buffer) => (outcome.stderrTail = (outcome.stderrTail + c.toString("utf8")).slice(-8000)));
    child.stdin!.on("error", () => undefined);
    child.stdin!.end(JSON.stringify(encodeSpecialNumbers(job)));
    child.on("error", (e) => {
      outcome.stderrTail += `\nspawn failed: ${e.message}`;
    });
    child.on("close", (code, signal) => {
      if (timer) clearTimeout(timer);
      clearInterval(watchdog);
      outcome.code = code;
      outcome.signal = signal;
      resolve(outcome);
    });
  });
}

/** Why a runner stopped, in words for the feedback. */
function stopReason(o: ChildOutcome, limits: Limits): { status: StepStatus; text: string } {
  if (o.killedFor === "memory" || /heap out of memory|Reached heap limit|Allocation failed/i.test(o.stderrTail)) {
    return { status: "memory", text: `ran out of memory (limit ${limits.memoryMb} MB)` };
  }
  if (o.killedFor === "time" || o.killedFor === "startup") return { status: "timeout", text: `time limit exceeded (stopped after ${Math.round((o.killedAfterMs ?? 0) / 1000)} s)` };
  if (o.killedFor === "output") return { status: "crashed", text: "wrote more output than the grader accepts" };
  return { status: "crashed", text: `the process stopped (${o.signal ?? `exit code ${o.code}`})` };
}

export async function runSubmission(rt: Runtime, cells: RunCell[], calls: RunCall[], limits: Limits, name: string): Promise<RunReport> {
  const report: RunReport = { cells: new Map(), functions: new Map(), draws: new Map(), runners: 0 };
  for (const c of calls) report.draws.set(c.exercise, new Map());
  const skip = new Map<number, string>();
  const spent = new Map<string, number>();
  const timeouts = new Map<string, number>();
  const maxRunners = cells.length + calls.reduce((n, c) => n + c.draws.length, 0) + 3;
  let startFailures = 0;

  while (report.runners < maxRunners) {
    const remaining = calls
      .filter((c) => !["missing", "not-function"].includes(report.functions.get(c.exercise)?.status ?? ""))
      .map((c) => ({
        exercise: c.exercise,
        functionName: c.functionName,
        draws: c.draws.filter((d) => !report.draws.get(c.exercise)!.has(d.d)),
        drawTimeoutMs: limits.drawTimeoutMs,
        budgetMs: limits.exerciseBudgetMs,
        maxTimeouts: limits.maxTimeouts,
        spentMs: spent.get(c.exercise) ?? 0,
        timeoutsSoFar: timeouts.get(c.exercise) ?? 0,
      }))
      .filter((c) => c.draws.length > 0);
    const nonce = randomBytes(18).toString("hex");
    const job = {
      nonce,
      cellTimeoutMs: limits.cellTimeoutMs,
      cells: cells.map((c) => (skip.has(c.index) ? { index: c.index, skip: skip.get(c.index) } : c)),
      calls: remaining,
    };
    const scratch = newScratch(rt, `${name}-${report.runners}`);
    report.runners++;
    const o = await runChild(rt, job, nonce, limits, scratch);

    let sawHello = false;
    let done = false;
    let current: { kind: "cell"; i: number } | { kind: "draw"; ex: string; d: number; limitMs: number } | { kind: "after-cell"; i: number } | { kind: "after-draw"; ex: string } | null = null;
    for (const m of o.messages) {
      switch (m.t) {
        case "hello":
          sawHello = true;
          break;
        case "cell-start":
          current = { kind: "cell", i: Number(m.i) };
          break;
        case "cell": {
          const i = Number(m.i);
          if (m.status !== "skipped" || !report.cells.has(i)) report.cells.set(i, { status: m.status as StepStatus, error: m.error as string | undefined });
          if (m.status !== "skipped") current = { kind: "after-cell", i };
          break;
        }
        case "fn":
          report.functions.set(String(m.ex), { status: m.status as FunctionReport["status"], value: m.value === undefined ? undefined : decodeValue(m.value) });
          break;
        case "draw-start":
          current = { kind: "draw", ex: String(m.ex), d: Number(m.d), limitMs: Number(m.limitMs) };
          break;
        case "draw": {
          const ex = String(m.ex);
          const status = m.status as StepStatus;
          report.draws.get(ex)?.set(Number(m.d), { status, error: m.error as string | undefined, value: status === "ok" ? decodeValue(m.value) : undefined, ms: m.ms as number | undefined });
          spent.set(ex, (spent.get(ex) ?? 0) + (Number(m.ms) || 0));
          if (status === "timeout") timeouts.set(ex, (timeouts.get(ex) ?? 0) + 1);
          current = { kind: "after-draw", ex };
          break;
        }
        case "done":
          done = true;
          break;
      }
    }
    if (done) break;

    const why = stopReason(o, limits);
    if (!sawHello) {
      if (++startFailures >= 2) {
        report.fatal = `the grading sandbox did not start: ${why.text}; ${o.stderrTail.trim().slice(-600) || "no error output"}`;
        break;
      }
      continue;
    }
    if (!current) {
      report.fatal = `the grading sandbox stopped before running any cell: ${why.text}; ${o.stderrTail.trim().slice(-600)}`;
      break;
    }
    if (current.kind === "cell" || current.kind === "after-cell") {
      const text = current.kind === "cell" ? why.text : `${why.text}, after the cell had finished (code it left running)`;
      skip.set(current.i, text);
      report.cells.set(current.i, { status: why.status, error: text });
    } else if (current.kind === "draw") {
      report.draws.get(current.ex)?.set(current.d, { status: why.status, error: why.text });
      spent.set(current.ex, (spent.get(current.ex) ?? 0) + current.limitMs);
      timeouts.set(current.ex, (timeouts.get(current.ex) ?? 0) + 1);
    } else {
      // Stopped between two draws (code the function left running): count it against the exercise.
      timeouts.set(current.ex, (timeouts.get(current.ex) ?? 0) + 1);
      if ((timeouts.get(current.ex) ?? 0) >= limits.maxTimeouts) {
        const call = calls.find((c) => c.exercise === current.ex)!;
        for (const d of call.draws) if (!report.draws.get(current.ex)!.has(d.d)) report.draws.get(current.ex)!.set(d.d, { status: "skipped", error: `not run: the process stopped repeatedly (${why.text})` });
      }
    }
  }
  for (const c of calls) {
    if (!report.functions.has(c.exercise)) report.functions.set(c.exercise, { status: "not-reached" });
    const got = report.draws.get(c.exercise)!;
    for (const d of c.draws) if (!got.has(d.d)) got.set(d.d, { status: "not-run", error: report.fatal ?? "not run: grading of this submission stopped after too many restarts" });
  }
  return report;
}
