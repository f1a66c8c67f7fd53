/**
 * Grading the course's workbooks (Remarks 4, 5, 6 and 6.C): what the notebook means in the tslab
 * kernel, run in a sandbox, compared in this process with the reference solutions.
 *
 * For each submission: parse the notebook (never modifying the file); find which workbook it is (the
 * intro cell's metadata, else the exercise ids its cells carry, else `--workbook`); convert its code cells in order
 * with tslab's own converter (compilerPool.ts), so a cell that does not type-check has no effect, a
 * later definition replaces an earlier one and helpers from earlier cells are in scope — as in the
 * kernel; run them in a sandboxed runner (session.ts); call each exercise's function on the seeded
 * draws (draws.ts); decode, type-check and compare the answers here (src/compare.ts). Untouched
 * `check(...)` cells are not run: they only print. Like the kernel, a cell that throws keeps the effects
 * it had before the error, but its declarations are not visible to later cells' type-checking; when
 * that changes how a later cell compiles, the submission is run again with the corrected cells.
 *
 * Partial credit: an exercise's auto-graded points × the fraction of its draws passed. Manual parts
 * (written answers, the 6.C.3 figure) score 0 until a human marks them (marks.ts).
 *
 * The learner builds; the library does not answer: while a function answers a draw, the sandbox
 * traces which library exports it calls (src/policy.ts). If it calls one its exercise forbids
 * (`forbidden` in exercises.ts), the exercise scores 0, whatever its answers, and the feedback names the
 * function and says what to do instead — the same message `check` prints in the notebook.
 *
 *     const grader = await Grader.start({ concurrency: 2 });
 *     const results = await grader.gradeFiles(["alice.ipynb", "bob.ipynb"]);
 *     grader.close();
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { basename, join } from "node:path";
import { compareAnswer, formatValue } from "../../src/compare";
import { describeArgs } from "../../src/check";
import { CompilerPool } from "./compilerPool";
import { type Draw, DEFAULT_SEED, drawsFor } from "./draws";
import { EXERCISE_SPECS, type ExerciseSpec, WORKBOOKS, checkCellSource, exercisesOf, manualPartsOf, policyMessage, workbookById } from "./exercises";
import { workbookOf } from "../../src/check";
import { parseNotebook, type NotebookCell } from "./notebook";
import { expectedAnswer, referenceWrittenAnswer } from "./reference";
import { type Runtime, COMPILER_ENV, createRuntime, disposeRuntime } from "./runtime";
import { ensureSnapshot, SNAPSHOT_ENV } from "../kernel/snapshot";
import { DEFAULT_LIMITS, type Limits, type RunCall, type RunCell, type RunReport, runSubmission } from "./session";
import { projectRoot } from "./paths";
import { solutionCellSource } from "../workbook/solutionSource";
import { FIGURE_PLACEHOLDER, WRITTEN_PLACEHOLDER } from "../workbook/content";

export interface DrawResult {
  d: number;
  family: string;
  args: unknown[];
  /** "n = 2, k = 5, λ = 0.3, p = 0.7" */
  argsText: string;
  pass: boolean;
  message: string;
  /**
   * A failing draw's expected and actual answers, shortened for the feedback (`formatValue`, 160
   * characters); `actual` is absent when the function returned nothing readable. A passing draw keeps
   * neither: a class of learners whose answers are 729 × 729 matrices would otherwise hold every matrix
   * until the reports are written.
   */
  expected?: string;
  actual?: string;
}

export interface ExerciseResult {
  id: string;
  functionName: string;
  /** Forbidden library exports the function called (then the exercise scores 0). */
  forbiddenUsed?: string[];
  points: number;
  score: number;
  passed: number;
  total: number;
  /** One line for the report: what went right or wrong overall. */
  summary: string;
  draws: DrawResult[];
}

export interface ManualResult {
  id: string;
  exercise: string;
  kind: "written" | "figure";
  points: number;
  score: number;
  marked: boolean;
  comment?: string;
  learnerText: string;
  referenceText: string;
}

export interface CellNote {
  /** 1-based position in the notebook, as a learner counts cells. */
  cell: number;
  exercise?: string;
  role?: string;
  status: "compile-error" | "threw" | "timeout" | "memory" | "crashed" | "unsupported";
  message: string;
}

export interface SubmissionResult {
  learner: string;
  file: string;
  /** Which workbook the submission is (`WORKBOOKS` id: "4", "5", "6", "6C"). */
  workbook: string;
  status: "graded" | "invalid" | "error";
  /** Why a submission was not graded normally. */
  reason?: string;
  exercises: ExerciseResult[];
  manual: ManualResult[];
  cells: CellNote[];
  autoScore: number;
  autoMax: number;
  score: number;
  max: number;
  elapsedMs: number;
  /** Of which running the code (all runners; compiling excluded): bounded by the submission budget. */
  runMs: number;
  runners: number;
}

export interface GradeOptions {
  seed?: string;
  /** Grade every submission as this workbook instead of recognising it from its cells. */
  workbook?: string;
  limits?: Partial<Limits>;
  concurrency?: number;
  compileCache?: boolean;
  keepRuntime?: boolean;
  /** Close the network with a namespace where possible (default true). */
  isolateNetwork?: boolean;
  onResult?: (result: SubmissionResult, done: number, total: number) => void;
  /** Progress lines (building the kernel's snapshot once after an install). */
  log?: (line: string) => void;
}

interface Reference {
  spec: ExerciseSpec;
  draws: Draw[];
  expected: unknown[];
  /** Each draw's parameters in words, shared by every learner. */
  argsText: string[];
}

/** How long a failing draw's expected and actual answers may be in the feedback. */
export const SHOWN_VALUE_LENGTH = 160;

const round = (x: number) => Math.round(x * 10000) / 10000;

export function maxPoints(workbook = "6C"): { auto: number; manual: number } {
  return { auto: exercisesOf(workbook).reduce((s, e) => s + e.points, 0), manual: manualPartsOf(workbook).reduce((s, m) => s + m.points, 0) };
}

/**
 * Which workbook a notebook is: the workbook its intro cell names, else the one most of its exercise
 * cells belong to, else `fallback`. A learner who edits the metadata only gets graded on another
 * workbook's exercises, which their functions do not answer.
 */
export function recogniseWorkbook(cells: readonly NotebookCell[], fallback = "6C"): string {
  const named = cells.find((c) => c.role === "intro" && typeof c.workbook === "string" && WORKBOOKS.some((w) => w.id === c.workbook));
  if (named) return named.workbook!;
  const counts = new Map<string, number>();
  for (const c of cells) {
    if (!c.exercise || !EXERCISE_SPECS.some((e) => e.id === c.exercise)) continue;
    const w = workbookOf(c.exercise);
    counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  const best = [...counts.entries()].sort((a, b) => b[1] - a[1])[0];
  return best ? best[0] : fallback;
}

/** A learner id from a file name: the base name without .ipynb, made unique by the caller. */
export function learnerIdOf(file: string): string {
  // Also no leading dot (no hidden or "." / ".." names) and short enough for any file system.
  return basename(file).replace(/\.ipynb$/i, "").replace(/[^A-Za-z0-9._-]+/g, "_").replace(/^\.+/, "_").slice(0, 100) || "submission";
}

/** The reference figure: the solution's drawing function and the call the instructor copy makes. */
function referenceFigureText(): string {
  const file = join(projectRoot(), "solutions", "6.C.3.ts");
  return existsSync(file) ? solutionCellSource(file).cell + "\n\nshow(drawTransitionNetwork(2, { luigiPrior: 0.9, pFriendly: 0.8 }));" : "(solutions/6.C.3.ts not found)";
}

function emptyResult(file: string, learner: string, status: "invalid" | "error", reason: string, started: number, workbook = "6C"): SubmissionResult {
  const { auto, manual } = maxPoints(workbook);
  return {
    learner,
    file,
    workbook,
    status,
    reason,
    exercises: exercisesOf(workbook).map((e) => ({ id: e.id, functionName: e.functionName, points: e.points, score: 0, passed: 0, total: 0, summary: `not graded: ${reason}`, draws: [] })),
    manual: manualPartsOf(workbook).map((m) => ({ id: m.id, exercise: m.exercise, kind: m.kind, points: m.points, score: 0, marked: false, learnerText: "", referenceText: "" })),
    cells: [],
    autoScore: 0,
    autoMax: auto,
    score: 0,
    max: auto + manual,
    elapsedMs: Date.now() - started,
    runMs: 0,
    runners: 0,
  };
}

/** The result of a submission that was never graded (the run stopped first), saying why. */
export function notGradedResult(file: string, learner: string, reason: string, workbook?: string): SubmissionResult {
  return emptyResult(file, learner, "error", reason, Date.now(), workbook);
}

/** The code cells the grader runs, compiled in order as the kernel would (see the doc block). */
interface CompiledCell {
  cell: NotebookCell;
  run: RunCell;
  /** Declarations before this cell, and after it when it runs cleanly. */
  declBefore: string;
  declAfter: string;
  note?: CellNote;
}

/**
 * The kernel's startup snapshot for the compile servers, built if none is current (a few seconds, once
 * per install: Gradescope's setup.sh does it in the image): keyed by the servers' environment, which
 * LLM_DYNAMICS_KERNEL_SNAPSHOT(_DIR) in ours can turn off or move. Null when off or not buildable.
 */
export function prepareCompilerSnapshot(log: (line: string) => void): string | null {
  const env: NodeJS.ProcessEnv = { ...COMPILER_ENV };
  for (const name of [SNAPSHOT_ENV.mode, SNAPSHOT_ENV.dir]) if (process.env[name] !== undefined) env[name] = process.env[name];
  return ensureSnapshot(env, log);
}

export class Grader {
  private references = new Map<string, Reference>();
  private figureText: string | undefined;

  /** Graders not yet closed: an interrupted run stops them all (`Grader.killAll`). */
  private static readonly live = new Set<Grader>();

  private constructor(readonly runtime: Runtime, readonly pool: CompilerPool, readonly limits: Limits, readonly options: GradeOptions) {
    Grader.live.add(this);
  }

  /** Stops every grader of this process at once: compile servers killed, runtime folders removed. */
  static killAll(): void {
    for (const g of Grader.live) g.kill();
  }

  static async start(options: GradeOptions = {}): Promise<Grader> {
    if (options.workbook !== undefined) workbookById(options.workbook);
    const compilerSnapshot = prepareCompilerSnapshot(options.log ?? (() => undefined));
    const runtime = createRuntime({ keep: options.keepRuntime, isolateNetwork: options.isolateNetwork, compilerSnapshot });
    const concurrency = Math.max(1, options.concurrency ?? availableParallelism());
    const pool = new CompilerPool(runtime, concurrency, { cache: options.compileCache });
    return new Grader(runtime, pool, { ...DEFAULT_LIMITS, ...options.limits }, { ...options, concurrency });
  }

  close(): void {
    Grader.live.delete(this);
    this.pool.close();
    disposeRuntime(this.runtime);
  }

  /** Stops at once (an interrupted run): compile servers killed, the runtime folder removed. */
  kill(): void {
    Grader.live.delete(this);
    this.pool.kill();
    disposeRuntime(this.runtime);
  }

  private reference(spec: ExerciseSpec): Reference {
    let ref = this.references.get(spec.id);
    if (!ref) {
      const draws = drawsFor(spec.id, { seed: this.options.seed ?? DEFAULT_SEED, set: "graded" });
      ref = { spec, draws, expected: draws.map((d) => expectedAnswer(spec.id, d.args)), argsText: draws.map((d) => describeArgs(spec.argNames, d.args)) };
      this.references.set(spec.id, ref);
    }
    return ref;
  }

  /** Grades many files, `concurrency` at a time; results come back in the order of `files`. */
  async gradeFiles(files: string[]): Promise<SubmissionResult[]> {
    const results: SubmissionResult[] = new Array(files.length);
    await this.gradeEach(files, (r, i) => {
      results[i] = r;
    });
    return results;
  }

  /**
   * Grades many files, `concurrency` at a time, handing each result to `take` (with its index in
   * `files`) as soon as it is ready and keeping nothing of it: a class of any size costs the memory of
   * the submissions in flight (see ReportWriter in reports.ts, which writes each learner's reports at
   * once). `take` runs before the next submission starts on that worker.
   */
  async gradeEach(files: string[], take: (result: SubmissionResult, index: number) => void): Promise<void> {
    const ids = uniqueLearnerIds(files);
    let next = 0;
    let done = 0;
    const worker = async () => {
      while (next < files.length) {
        const i = next++;
        const result = await this.gradeFile(files[i], ids[i]);
        done++;
        take(result, i);
        this.options.onResult?.(result, done, files.length);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency!, files.length) }, worker));
  }

  /** Grades one file. Never throws: a broken submission or a grader failure is a result with a reason. */
  async gradeFile(file: string, learner = learnerIdOf(file)): Promise<SubmissionResult> {
    const started = Date.now();
    let text: string;
    try {
      if (!statSync(file).isFile()) return emptyResult(file, learner, "invalid", "not a file", started);
      text = readFileSync(file, "utf8");
    } catch (e) {
      return emptyResult(file, learner, "invalid", `cannot read the file: ${(e as Error).message}`, started);
    }
    const parsed = parseNotebook(text);
    if (!parsed.ok) return emptyResult(file, learner, "invalid", parsed.reason, started, this.options.workbook);
    const workbook = this.options.workbook ?? recogniseWorkbook(parsed.cells);
    try {
      return await this.gradeCells(file, learner, workbook, parsed.cells, started);
    } catch (e) {
      return emptyResult(file, learner, "error", `internal grader error: ${(e as Error).stack ?? e}`, started, workbook);
    }
  }

  private async compileChain(cells: NotebookCell[], failed: Set<number>): Promise<CompiledCell[]> {
    const out: CompiledCell[] = [];
    let decl = "";
    const started = Date.now();
    for (const cell of cells) {
      if (cell.type !== "code" || cell.source.trim() === "") continue;
      const spec = cell.exercise ? EXERCISE_SPECS.find((e) => e.id === cell.exercise) : undefined;
      if (cell.role === "check" && spec && cell.source.trim() === checkCellSource(spec)) continue;
      const note = (status: CellNote["status"], message: string): CellNote => ({ cell: cell.index + 1, exercise: cell.exercise, role: cell.role, status, message });
      const left = this.limits.compileBudgetMs - (Date.now() - started);
      let r = left > 0 ? await this.pool.compile(decl, cell.source) : { internalError: `not compiled: type-checking this submission's cells took more than ${this.limits.compileBudgetMs / 1000} s` };
      // A compile server that crashed is replaced: one retry tells a broken server from a broken cell.
      if (r.internalError && left > 0) r = await this.pool.compile(decl, cell.source);
      if (r.internalError) {
        out.push({ cell, run: { index: cell.index, skip: "did not compile" }, declBefore: decl, declAfter: decl, note: note("compile-error", r.internalError) });
      } else if (r.unsupported) {
        out.push({ cell, run: { index: cell.index, skip: "unsupported" }, declBefore: decl, declAfter: decl, note: note("unsupported", r.unsupported) });
      } else if (r.diagnostics && r.diagnostics.length > 0) {
        out.push({ cell, run: { index: cell.index, skip: "did not compile" }, declBefore: decl, declAfter: decl, note: note("compile-error", `does not compile, so it has no effect (as in the kernel): ${r.diagnostics.join("; ")}`) });
      } else {
        const after = failed.has(cell.index) ? decl : (r.declOutput ?? "");
        out.push({ cell, run: { index: cell.index, js: r.output ?? "", async: r.hasToplevelAwait, lastExpressionVar: r.lastExpressionVar }, declBefore: decl, declAfter: r.declOutput ?? "" });
        decl = after;
      }
    }
    return out;
  }

  private async gradeCells(file: string, learner: string, workbook: string, cells: NotebookCell[], started: number): Promise<SubmissionResult> {
    const refs = exercisesOf(workbook).map((e) => this.reference(e));
    const calls: RunCall[] = refs.map((r) => ({ exercise: r.spec.id, functionName: r.spec.functionName, forbidden: r.spec.forbidden, draws: r.draws.map((d, i) => ({ d: i, args: d.args })) }));
    // A cell that throws does not add its declarations for later cells (tslab updates them only after a
    // clean run). Compile optimistically, run, and recompile if a throwing cell had declared something.
    const failed = new Set<number>();
    let compiled = await this.compileChain(cells, failed);
    let report: RunReport;
    let runners = 0;
    // One budget for every run of this submission, reruns included.
    const runStarted = Date.now();
    let compileMs = 0;
    const deadline = runStarted + this.limits.submissionBudgetMs;
    for (let round = 0; ; round++) {
      report = await runSubmission(this.runtime, compiled.map((c) => c.run), calls, this.limits, `${learner}-${round}`, deadline);
      runners += report.runners;
      if (report.fatal) return emptyResult(file, learner, "error", report.fatal, started, workbook);
      let changed = false;
      for (const c of compiled) {
        const status = report.cells.get(c.cell.index)?.status;
        if (status && status !== "ok" && status !== "skipped" && !failed.has(c.cell.index)) {
          failed.add(c.cell.index);
          if (c.declAfter !== c.declBefore) changed = true;
        }
      }
      if (!changed || round >= 3 || report.budgetExceeded) break;
      const compileStarted = Date.now();
      const recompiled = await this.compileChain(cells, failed);
      compileMs += Date.now() - compileStarted;
      const same = recompiled.length === compiled.length && recompiled.every((c, i) => c.run.js === compiled[i].run.js && c.run.skip === compiled[i].run.skip);
      compiled = recompiled;
      if (same) break;
    }

    const notes: CellNote[] = compiled.filter((c) => c.note).map((c) => c.note!);
    for (const c of compiled) {
      const r = report.cells.get(c.cell.index);
      if (!r || r.status === "ok" || r.status === "skipped") continue;
      const status = r.status === "threw" ? "threw" : r.status === "timeout" ? "timeout" : r.status === "memory" ? "memory" : "crashed";
      notes.push({ cell: c.cell.index + 1, exercise: c.cell.exercise, role: c.cell.role, status, message: r.status === "threw" ? `threw ${r.error}` : (r.error ?? status) });
    }
    notes.sort((a, b) => a.cell - b.cell);

    const exercises = refs.map((ref) => this.scoreExercise(ref, report, cells, notes));
    const manual = this.collectManual(cells, workbook);
    const { auto, manual: manualMax } = maxPoints(workbook);
    const autoScore = round(exercises.reduce((s, e) => s + e.score, 0));
    return {
      learner,
      file,
      workbook,
      status: "graded",
      exercises,
      manual,
      cells: notes,
      autoScore,
      autoMax: auto,
      score: round(autoScore + manual.reduce((s, m) => s + m.score, 0)),
      max: auto + manualMax,
      elapsedMs: Date.now() - started,
      runMs: Date.now() - runStarted - compileMs,
      runners,
    };
  }

  private scoreExercise(ref: Reference, report: RunReport, cells: NotebookCell[], notes: CellNote[]): ExerciseResult {
    const { spec } = ref;
    const fn = report.functions.get(spec.id) ?? { status: "not-reached" as const };
    const base = { id: spec.id, functionName: spec.functionName, points: spec.points, total: ref.draws.length };
    if (fn.status !== "ok") {
      const why = fn.status === "missing"
        ? `${spec.functionName} is not defined when the notebook has run${definitionHint(spec, cells, notes)}`
        : fn.status === "not-function"
          ? `${spec.functionName} is not a function: it is ${formatValue(fn.value)}`
          : `${spec.functionName} was not reached: the notebook's code did not finish`;
      return { ...base, score: 0, passed: 0, summary: why, draws: [] };
    }
    const got = report.draws.get(spec.id)!;
    const draws: DrawResult[] = ref.draws.map((draw, d) => {
      const step = got.get(d) ?? { status: "not-run" as const, error: "not run" };
      const common = { d, family: draw.family, args: draw.args, argsText: ref.argsText[d] };
      const expected = () => formatValue(ref.expected[d], SHOWN_VALUE_LENGTH);
      if (step.status !== "ok") {
        const message = step.status === "threw" ? `your function threw ${step.error}` : (step.error ?? step.status);
        return { ...common, pass: false, message, expected: expected() };
      }
      if (step.forbidden?.length) return { ...common, pass: false, message: policyMessage(spec, step.forbidden), expected: expected(), actual: formatValue(step.value, SHOWN_VALUE_LENGTH) };
      const verdict = compareAnswer(spec.answer, ref.expected[d], step.value, spec.pageLabels ? {} : { labels: null });
      // The learner's value is read once more only when the feedback shows it: a passing draw keeps none.
      return verdict.pass ? { ...common, pass: true, message: verdict.message } : { ...common, pass: false, message: verdict.message, expected: expected(), actual: formatValue(step.value, SHOWN_VALUE_LENGTH) };
    });
    // The library answered: the exercise scores 0 whatever the answers were (one draw is enough).
    const used = spec.forbidden.filter((f) => ref.draws.some((_, d) => got.get(d)?.forbidden?.includes(f)));
    if (used.length > 0) {
      for (const [d, r] of draws.entries()) {
        if (r.pass) Object.assign(r, { pass: false, message: policyMessage(spec, used), expected: formatValue(ref.expected[d], SHOWN_VALUE_LENGTH), actual: formatValue(got.get(d)?.value, SHOWN_VALUE_LENGTH) });
      }
      return { ...base, score: 0, passed: 0, forbiddenUsed: used, summary: policyMessage(spec, used), draws };
    }
    const passed = draws.filter((d) => d.pass).length;
    const score = round((spec.points * passed) / draws.length);
    return { ...base, score, passed, summary: summarize(draws), draws };
  }

  private collectManual(cells: NotebookCell[], workbook: string): ManualResult[] {
    return manualPartsOf(workbook).map((m) => {
      const role = m.kind === "written" ? "written" : "figure";
      const placeholder = m.kind === "written" ? WRITTEN_PLACEHOLDER : FIGURE_PLACEHOLDER;
      // Duplicated cells are all kept, in order: nothing the learner wrote is hidden from the grader.
      const texts = cells.filter((c) => c.exercise === m.exercise && c.role === role).map((c) => c.source.trim()).filter((t) => t !== "" && t !== placeholder.trim());
      const reference = m.kind === "written" ? (referenceWrittenAnswer(m.exercise) ?? "") : (this.figureText ??= referenceFigureText());
      return { id: m.id, exercise: m.exercise, kind: m.kind, points: m.points, score: 0, marked: false, learnerText: texts.join("\n\n---\n\n"), referenceText: reference };
    });
  }
}

/** Why a function is missing: the notes of the cells that try to define it. */
function definitionHint(spec: ExerciseSpec, cells: NotebookCell[], notes: CellNote[]): string {
  const defines = new RegExp(`\\b(function\\s*\\*?\\s*${spec.functionName}\\b|(const|let|var)\\s+${spec.functionName}\\b)`);
  const defining = cells.filter((c) => c.type === "code" && defines.test(c.source)).map((c) => c.index + 1);
  if (defining.length === 0) return ": no code cell defines it (was the answer cell deleted or renamed?)";
  const relevant = notes.filter((n) => defining.includes(n.cell));
  if (relevant.length === 0) return ` (cells ${defining.join(", ")} mention it)`;
  return `: ${relevant.map((n) => `cell ${n.cell} ${n.message}`).join("; ")}`;
}

/** One line per submission exercise: all passed, or the commonest failure. */
function summarize(draws: DrawResult[]): string {
  const failed = draws.filter((d) => !d.pass);
  if (failed.length === 0) return `all ${draws.length} draws pass`;
  const counts = new Map<string, number>();
  for (const d of failed) {
    const key = d.message.replace(/: expected .*$/, "");
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const [top, n] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0];
  if (n === failed.length && failed.length === draws.length) return `all ${draws.length} draws fail: ${top}`;
  return `${draws.length - failed.length} of ${draws.length} draws pass; first failure (${failed[0].argsText}): ${failed[0].message}`;
}

/**
 * Distinct learner ids (case-insensitively): an id that only one file has keeps it, and files whose
 * names sanitise to the same id (`a b`, `a_b`, `A_B`) are numbered past every id already taken.
 */
export function uniqueLearnerIds(files: string[]): string[] {
  const base = files.map(learnerIdOf);
  const count = new Map<string, number>();
  for (const id of base) count.set(id.toLowerCase(), (count.get(id.toLowerCase()) ?? 0) + 1);
  const taken = new Set(base.filter((id) => count.get(id.toLowerCase()) === 1).map((id) => id.toLowerCase()));
  return base.map((id) => {
    if (count.get(id.toLowerCase()) === 1) return id;
    let candidate = id;
    for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${id}-${n}`;
    taken.add(candidate.toLowerCase());
    return candidate;
  });
}
