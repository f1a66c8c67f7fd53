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
 * Nothing the runner says is trusted: learner code shares its process and can forge report lines.
 * Every line is checked against a schema (`MESSAGE_SCHEMA`) and against the job (known cells,
 * exercises and draws, in a possible order); a line that fails ends the runner as a crash of the step
 * it was in. Time limits are the grader's own, measured on its own clock, and one submission's runners
 * together never run longer than `submissionBudgetMs`.
 *
 *     const report = await runSubmission(runtime, cells, calls, DEFAULT_LIMITS, "alice");
 *     report.draws.get("6.C.2")?.get(0);   // { status: "ok", value: 0.97 }
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { type Readable } from "node:stream";
import Ajv from "ajv";
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
  /** Running one submission: all its runners (restarts and reruns included) together. */
  submissionBudgetMs: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  cellTimeoutMs: 30_000,
  drawTimeoutMs: 10_000,
  exerciseBudgetMs: 60_000,
  maxTimeouts: 2,
  memoryMb: 512,
  startupTimeoutMs: 60_000,
  compileBudgetMs: 300_000,
  submissionBudgetMs: 600_000,
});

/** The largest delay Node's timers honour (a longer one fires after 1 ms). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** Extra time the grader allows before killing, beyond the runner's own watchdog. */
const GRACE_MS = 3_000;
const MAX_REPORT_BYTES = 512 * 1024 * 1024;
const MAX_LINE_BYTES = 64 * 1024 * 1024;
const MAX_MESSAGES = 200_000;

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
  /** Library exports the answer must not call; the runner reports the ones a draw used. */
  forbidden?: readonly string[];
  draws: { d: number; args: unknown[] }[];
}

export type StepStatus = "ok" | "threw" | "unreadable" | "timeout" | "skipped" | "crashed" | "memory" | "not-run";

export interface StepReport {
  status: StepStatus;
  error?: string;
  /** The decoded answer (draws only). */
  value?: unknown;
  ms?: number;
  /** Forbidden library exports the function called on this draw (draws only). */
  forbidden?: string[];
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
  /** Set when the submission's time budget ran out. */
  budgetExceeded?: boolean;
}

// ------------------------------------------------------------ what a runner may say

const index = { type: "integer", minimum: 0, maximum: 1_000_000 };
const exercise = { type: "string", maxLength: 64 };
const text = { type: "string", maxLength: 20_000 };
const message = (t: string, properties: Record<string, object> = {}, required: string[] = []) => ({
  type: "object",
  properties: { t: { const: t }, ...properties },
  required: ["t", ...required],
  additionalProperties: false,
});

/** Every line a runner may write (sandbox/runner.ts); anything else is a forgery or a broken runner. */
export const MESSAGE_SCHEMA = {
  $id: "llm-dynamics/grader-runner-message",
  oneOf: [
    message("hello"),
    message("cell-start", { i: index }, ["i"]),
    message("cell", { i: index, status: { enum: ["ok", "threw", "timeout", "skipped"] }, error: text }, ["i", "status"]),
    message("bg", { i: index }, ["i"]),
    message("fn", { ex: exercise, status: { enum: ["ok", "missing", "not-function"] }, value: {} }, ["ex", "status"]),
    message("draw-start", { ex: exercise, d: index, limitMs: { type: "number" } }, ["ex", "d"]),
    message("draw", { ex: exercise, d: index, status: { enum: ["ok", "threw", "unreadable", "timeout", "skipped"] }, error: text, value: {}, ms: { type: "number", minimum: 0 }, forbidden: { type: "array", maxItems: 100, items: { type: "string", maxLength: 100 } } }, ["ex", "d", "status"]),
    message("done"),
    message("fatal", { error: text }),
  ],
} as const;

type Message =
  | { t: "hello" | "done" }
  | { t: "fatal"; error?: string }
  | { t: "cell-start" | "bg"; i: number }
  | { t: "cell"; i: number; status: "ok" | "threw" | "timeout" | "skipped"; error?: string }
  | { t: "fn"; ex: string; status: "ok" | "missing" | "not-function"; value?: unknown }
  | { t: "draw-start"; ex: string; d: number }
  | { t: "draw"; ex: string; d: number; status: "ok" | "threw" | "unreadable" | "timeout" | "skipped"; error?: string; value?: unknown; forbidden?: string[] };

const validateMessage = new Ajv({ allErrors: false, strict: false }).compile(MESSAGE_SCHEMA);

interface ChildOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  killedFor?: "time" | "memory" | "output" | "startup" | "budget" | "forged";
  killedAfterMs?: number;
  /** The runner's resident memory at the last sample (MB). */
  lastRssMb?: number;
  /** Why a report line was refused (killedFor "forged"). */
  refused?: string;
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

/**
 * Receives one runner's messages (already schema-checked) in order; returns the time limit to arm
 * (ms) or a reason to refuse the message.
 */
type Listener = (msg: Message) => { armMs: number } | { refuse: string };

/** One runner process for one job; resolves when it has exited, whatever happened. */
function runChild(rt: Runtime, job: object, nonce: string, limits: Limits, scratch: string, deadline: number, listener: Listener): Promise<ChildOutcome> {
  return new Promise((resolve) => {
    const [cmd, ...args] = runnerCommand(rt, scratch, limits.memoryMb);
    const child = spawn(cmd, args, {
      cwd: scratch,
      stdio: ["pipe", "pipe", "pipe", "pipe"],
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: scratch, LANG: "C.UTF-8" },
    });
    track(child);
    const outcome: ChildOutcome = { code: null, signal: null, stderrTail: "" };
    let timer: NodeJS.Timeout | null = null;
    let reportBytes = 0;
    let messages = 0;
    const kill = (why: ChildOutcome["killedFor"], afterMs?: number) => {
      if (outcome.killedFor) return;
      outcome.killedFor = why;
      outcome.killedAfterMs = afterMs;
      child.kill("SIGKILL");
    };
    const arm = (ms: number, why: ChildOutcome["killedFor"]) => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => kill(why, ms), Math.min(Math.max(1, ms), MAX_TIMER_MS));
    };
    arm(limits.startupTimeoutMs, "startup");
    // The submission's budget, on the grader's clock, whatever the runner reports.
    const budget = setTimeout(() => kill("budget"), Math.min(MAX_TIMER_MS, Math.max(1, deadline - Date.now())));
    const watchdog = setInterval(() => {
      if (!child.pid) return;
      const rss = rssMb(child.pid);
      outcome.lastRssMb = rss;
      if (rss > 2 * limits.memoryMb + 256) kill("memory");
    }, 200);

    const bornAt = Date.now();
    const onLine = (line: string) => {
      if (outcome.killedFor) return;
      // Only lines carrying the nonce are the runner's; anything else on fd 3 is dropped.
      const at = line.indexOf(nonce + " ");
      if (at < 0) return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line.slice(at + nonce.length + 1));
      } catch {
        return; // a report line cut by a crash
      }
      if (++messages > MAX_MESSAGES) return kill("output");
      if (!validateMessage(parsed)) {
        outcome.refused = `a report line that is not one the runner writes (${(validateMessage.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}`).join("; ").slice(0, 200)})`;
        return kill("forged");
      }
      const msg = parsed as Message;
      if (process.env.LLMD_GRADE_DEBUG) console.error(`[runner ${child.pid} +${Date.now() - bornAt} ms] ${JSON.stringify(msg).slice(0, 200)}`);
      const verdict = listener(msg);
      if ("refuse" in verdict) {
        outcome.refused = verdict.refuse;
        return kill("forged");
      }
      arm(verdict.armMs, "time");
    };
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    (child.stdio[3] as Readable).on("data", (chunk: Buffer) => {
      reportBytes += chunk.length;
      if (reportBytes > MAX_REPORT_BYTES) return kill("output");
      let start = 0;
      let nl: number;
      while ((nl = chunk.indexOf(10, start)) >= 0) {
        pending.push(chunk.subarray(start, nl));
        const line = Buffer.concat(pending).toString("utf8");
        pending = [];
        pendingBytes = 0;
        start = nl + 1;
        onLine(line);
      }
      if (start < chunk.length) {
        pending.push(chunk.subarray(start));
        pendingBytes += chunk.length - start;
        if (pendingBytes > MAX_LINE_BYTES) kill("output");
      }
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
      clearTimeout(budget);
      clearInterval(watchdog);
      untrack(child);
      outcome.code = code;
      outcome.signal = signal;
      resolve(outcome);
    });
  });
}

// ------------------------------------------------------------ children to stop on SIGINT/SIGTERM

const live = new Set<{ kill: (signal: NodeJS.Signals) => boolean }>();
function track(child: { kill: (signal: NodeJS.Signals) => boolean }): void {
  live.add(child);
}
function untrack(child: { kill: (signal: NodeJS.Signals) => boolean }): void {
  live.delete(child);
}
/** Kills every runner still running (the grader was interrupted). */
export function killRunners(): void {
  for (const c of live) c.kill("SIGKILL");
  live.clear();
}

/** Why a runner stopped, in words for the feedback. */
function stopReason(o: ChildOutcome, limits: Limits): { status: StepStatus; text: string } {
  if (o.killedFor === "budget") return { status: "timeout", text: `not finished: this submission's time budget of ${limits.submissionBudgetMs / 1000} s ran out` };
  if (o.killedFor === "forged") return { status: "crashed", text: `the grading runner was disrupted (its report channel was tampered with or it failed): ${o.refused ?? "an invalid report"}` };
  // A runner stopped for time while holding about its whole heap limit was thrashing in the garbage
  // collector at that limit: it ran out of memory.
  const atHeapLimit = o.killedFor === "time" && (o.lastRssMb ?? 0) >= 0.9 * limits.memoryMb;
  if (o.killedFor === "memory" || atHeapLimit || /heap out of memory|Reached heap limit|Allocation failed/i.test(o.stderrTail)) {
    return { status: "memory", text: `ran out of memory (limit ${limits.memoryMb} MB)` };
  }
  if (o.killedFor === "time" || o.killedFor === "startup") return { status: "timeout", text: `time limit exceeded (stopped after ${Math.round((o.killedAfterMs ?? 0) / 1000)} s)` };
  if (o.killedFor === "output") return { status: "crashed", text: "wrote more output than the grader accepts" };
  return { status: "crashed", text: `the process stopped (${o.signal ?? `exit code ${o.code}`})` };
}

type Step = { kind: "cell"; i: number } | { kind: "draw"; ex: string; d: number; limitMs: number; startedAt: number } | { kind: "after-cell"; i: number } | { kind: "after-draw"; ex: string };

/**
 * Runs one submission to the end, restarting runners as needed. `deadline` (ms since the epoch) bounds
 * all its runners together; by default it is `submissionBudgetMs` from now.
 */
export async function runSubmission(rt: Runtime, cells: RunCell[], calls: RunCall[], limits: Limits, name: string, deadline = Date.now() + limits.submissionBudgetMs): Promise<RunReport> {
  const report: RunReport = { cells: new Map(), functions: new Map(), draws: new Map(), runners: 0 };
  for (const c of calls) report.draws.set(c.exercise, new Map());
  const skip = new Map<number, string>();
  const spent = new Map<string, number>();
  const timeouts = new Map<string, number>();
  const maxRunners = cells.length + calls.reduce((n, c) => n + c.draws.length, 0) + 3;
  const cellIndices = new Set(cells.map((c) => c.index));
  let startFailures = 0;

  while (report.runners < maxRunners) {
    if (Date.now() >= deadline) {
      report.budgetExceeded = true;
      break;
    }
    const remaining = calls
      .filter((c) => !["missing", "not-function"].includes(report.functions.get(c.exercise)?.status ?? ""))
      .map((c) => ({
        exercise: c.exercise,
        functionName: c.functionName,
        forbidden: c.forbidden,
        draws: c.draws.filter((d) => !report.draws.get(c.exercise)!.has(d.d)),
        drawTimeoutMs: limits.drawTimeoutMs,
        budgetMs: limits.exerciseBudgetMs,
        maxTimeouts: limits.maxTimeouts,
        spentMs: spent.get(c.exercise) ?? 0,
        timeoutsSoFar: timeouts.get(c.exercise) ?? 0,
      }))
      .filter((c) => c.draws.length > 0);
    const nonce = randomBytes(18).toString("hex");
    const jobCells = cells.map((c) => (skip.has(c.index) ? { index: c.index, skip: skip.get(c.index) } : c));
    const job = { nonce, cellTimeoutMs: limits.cellTimeoutMs, cells: jobCells, calls: remaining };
    const scratch = newScratch(rt, `${name}-${report.runners}`);
    report.runners++;

    // What this runner may still say, in order: each cell once, each exercise once, each draw once.
    const runnable = new Set(jobCells.filter((c) => c.skip === undefined).map((c) => c.index));
    const started = new Set<number>();
    const drawsLeft = new Map(remaining.map((c) => [c.exercise, new Set(c.draws.map((d) => d.d))]));
    const fnSeen = new Set<string>();
    let sawHello = false;
    let done = false;
    let current: Step | null = null;
    /** The cell whose top-level code is running (between its start and its result). */
    let runningCell = -1;
    const listener: Listener = (m) => {
      if (done) return { refuse: "a report after the end" };
      if (!sawHello && m.t !== "hello") return { refuse: "a report before the runner started" };
      const cellLimit = limits.cellTimeoutMs + GRACE_MS;
      switch (m.t) {
        case "hello":
          if (sawHello) return { refuse: "a second start" };
          sawHello = true;
          return { armMs: cellLimit };
        case "cell-start":
          if (!runnable.has(m.i) || started.has(m.i)) return { refuse: `a start of cell ${m.i}, which is not due` };
          if (runningCell >= 0) return { refuse: `a start of cell ${m.i} while cell ${runningCell} runs` };
          started.add(m.i);
          runningCell = m.i;
          current = { kind: "cell", i: m.i };
          return { armMs: cellLimit };
        case "cell":
          if (!cellIndices.has(m.i)) return { refuse: `a report of cell ${m.i}, which the notebook does not have` };
          if (m.status === "skipped") {
            if (runnable.has(m.i)) return { refuse: `cell ${m.i} reported skipped` };
            if (!report.cells.has(m.i)) report.cells.set(m.i, { status: "skipped", error: skip.get(m.i) });
            return { armMs: cellLimit };
          }
          if (runningCell !== m.i) return { refuse: `a result of cell ${m.i}, which is not running` };
          runningCell = -1;
          report.cells.set(m.i, { status: m.status, error: m.error });
          current = { kind: "after-cell", i: m.i };
          return { armMs: cellLimit };
        case "bg":
          // Code a finished cell left running (a timer, a promise) has the event loop now.
          if (!started.has(m.i)) return { refuse: `code of cell ${m.i}, which has not run` };
          current = m.i === runningCell ? { kind: "cell", i: m.i } : { kind: "after-cell", i: m.i };
          return { armMs: cellLimit };
        case "fn":
          if (!drawsLeft.has(m.ex) || fnSeen.has(m.ex)) return { refuse: `a report of exercise ${JSON.stringify(m.ex)}, which is not due` };
          fnSeen.add(m.ex);
          report.functions.set(m.ex, { status: m.status, value: m.value === undefined ? undefined : decodeValue(m.value) });
          current = { kind: "after-draw", ex: m.ex };
          return { armMs: cellLimit };
        case "draw-start": {
          if (!fnSeen.has(m.ex) || !drawsLeft.get(m.ex)?.has(m.d)) return { refuse: `a start of draw ${m.d} of ${JSON.stringify(m.ex)}, which is not due` };
          const limitMs = Math.max(0, Math.min(limits.drawTimeoutMs, limits.exerciseBudgetMs - (spent.get(m.ex) ?? 0)));
          current = { kind: "draw", ex: m.ex, d: m.d, limitMs, startedAt: Date.now() };
          return { armMs: limitMs + GRACE_MS };
        }
        case "draw": {
          if (!fnSeen.has(m.ex) || !drawsLeft.get(m.ex)?.has(m.d)) return { refuse: `a result of draw ${m.d} of ${JSON.stringify(m.ex)}, which is not due` };
          const running = current?.kind === "draw" && current.ex === m.ex && current.d === m.d ? current : null;
          if (m.status !== "skipped" && !running) return { refuse: `a result of draw ${m.d} of ${JSON.stringify(m.ex)}, which did not start` };
          drawsLeft.get(m.ex)!.delete(m.d);
          // Time is the grader's own measure, never the runner's.
          const ms = running ? Date.now() - running.startedAt : 0;
          // Only names the exercise forbids count: the runner cannot make up a violation of another rule.
          const forbidden = m.forbidden?.filter((f) => calls.find((c) => c.exercise === m.ex)?.forbidden?.includes(f));
          report.draws.get(m.ex)!.set(m.d, { status: m.status, error: m.error, value: m.status === "ok" ? decodeValue(m.value) : undefined, ms, ...(forbidden?.length ? { forbidden } : {}) });
          spent.set(m.ex, (spent.get(m.ex) ?? 0) + ms);
          if (m.status === "timeout") timeouts.set(m.ex, (timeouts.get(m.ex) ?? 0) + 1);
          current = { kind: "after-draw", ex: m.ex };
          return { armMs: cellLimit };
        }
        case "done":
          done = true;
          return { armMs: 5_000 };
        case "fatal":
          return { refuse: `the runner failed: ${m.error ?? "no reason"}` };
      }
    };
    const o = await runChild(rt, job, nonce, limits, scratch, deadline, listener);
    if (done) break;

    const why = stopReason(o, limits);
    if (o.killedFor === "budget") report.budgetExceeded = true;
    if (!sawHello) {
      if (o.killedFor === "budget") break;
      if (++startFailures >= 2) {
        report.fatal = `the grading sandbox did not start: ${why.text}; ${o.stderrTail.trim().slice(-600) || "no error output"}`;
        break;
      }
      continue;
    }
    const step = current as Step | null;
    if (!step) {
      if (o.killedFor === "forged" || o.killedFor === "budget") {
        // Blamed on the submission, not the grader: nothing more of it runs.
        for (const c of cells) if (!report.cells.has(c.index) && !skip.has(c.index)) report.cells.set(c.index, { status: why.status, error: why.text });
        break;
      }
      report.fatal = `the grading sandbox stopped before running any cell: ${why.text}; ${o.stderrTail.trim().slice(-600)}`;
      break;
    }
    if (step.kind === "cell" || step.kind === "after-cell") {
      const text = step.kind === "cell" ? why.text : `${why.text}, after the cell had finished (code it left running)`;
      skip.set(step.i, text);
      report.cells.set(step.i, { status: why.status, error: text });
    } else if (step.kind === "draw") {
      report.draws.get(step.ex)?.set(step.d, { status: why.status, error: why.text });
      spent.set(step.ex, (spent.get(step.ex) ?? 0) + Math.max(step.limitMs, Date.now() - step.startedAt));
      timeouts.set(step.ex, (timeouts.get(step.ex) ?? 0) + 1);
    } else {
      // Stopped between two draws (code the function left running): count it against the exercise.
      timeouts.set(step.ex, (timeouts.get(step.ex) ?? 0) + 1);
      if ((timeouts.get(step.ex) ?? 0) >= limits.maxTimeouts) {
        const call = calls.find((c) => c.exercise === step.ex)!;
        for (const d of call.draws) if (!report.draws.get(step.ex)!.has(d.d)) report.draws.get(step.ex)!.set(d.d, { status: "skipped", error: `not run: the process stopped repeatedly (${why.text})` });
      }
    }
    if (o.killedFor === "budget") break;
  }
  const unfinished = report.fatal ?? (report.budgetExceeded ? `not run: this submission's time budget of ${limits.submissionBudgetMs / 1000} s ran out` : "not run: grading of this submission stopped after too many restarts");
  for (const c of calls) {
    if (!report.functions.has(c.exercise)) report.functions.set(c.exercise, { status: "not-reached" });
    const got = report.draws.get(c.exercise)!;
    for (const d of c.draws) if (!got.has(d.d)) got.set(d.d, { status: "not-run", error: unfinished });
  }
  return report;
}
