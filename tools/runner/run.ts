/**
 * The headless run: every notebook executed top to bottom in a fresh tslab kernel (its folder as
 * working directory), the executed copy validated and written, and its figures written as files.
 *
 * Notebooks are independent, so several run at once (`jobs`, one per core by default), each in its
 * own kernel; kernels start one notebook ahead, so a notebook rarely waits for tslab's start-up;
 * figure rendering (Chromium) and file writing of one notebook overlap the execution of others.
 * Results keep the order of the notebooks given. A failed cell stops
 * its notebook only; the executed copy is still written with everything up to the failure.
 *
 * Two runs write the same bytes: outputs carry no message ids, dates or display ids (those live in
 * message headers and `transient`, which nbformat does not store), cell timing metadata is dropped,
 * and the static images are rendered with a seeded Math.random (see chromium.ts).
 *
 *     const result = await runNotebooks({ notebooks: ["notebooks/remark-4.ipynb"] });
 *     process.exitCode = result.exitCode;
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { ensureSnapshot } from "../kernel/snapshot";
import { STANDBY_ENV } from "../kernel/standby";
import { basename, dirname, join, relative, resolve } from "node:path";
import { findChromium, noChromiumAdvice, StaticRenderer } from "./chromium";
import { addStaticImages, notebookFigures, removeStaleFiles, writeFigureFiles } from "./figures";
import { CellRun, KernelNotFoundError, TslabKernel } from "./kernel";
import { cellTags, firstLine, type Notebook, readNotebook, serializeNotebook } from "./notebook";
import { injectParameters, PARAMETERS_TAG, type Parameters } from "./parameters";
import { type DisplayOutput, errorText, OutputCollector, type Output } from "./outputs";
import { type Progress, SilentProgress } from "./progress";
import { notebookSchemaErrors } from "./schema";

/** The project root: the nearest folder above this file whose package.json names llm-dynamics. */
function findProjectRoot(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    try {
      if (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).name === "llm-dynamics") return dir;
    } catch {
      // no package.json here: keep going up
    }
  }
  return process.cwd();
}
export const PROJECT_ROOT = findProjectRoot(__dirname);
export const DEFAULTS = {
  notebooksDir: join(PROJECT_ROOT, "notebooks"),
  outDir: join(PROJECT_ROOT, "build", "notebooks"),
  figuresDir: join(PROJECT_ROOT, "figures"),
  /**
   * The course's kernel launcher (tools/kernel/launcher.ts), the program Jupyter starts too; in a run
   * it starts tslab in its own process (see KernelPool's use below). `--kernel node_modules/.bin/tslab`
   * runs tslab as shipped.
   */
  kernelPath: join(PROJECT_ROOT, "dist", "tools", "kernel", "launcher.js"),
  timeoutSeconds: 300,
  interruptGraceSeconds: 5,
  /** Notebooks run at once, each in its own kernel: one per core, at most 4. */
  jobs: Math.max(1, Math.min(4, availableParallelism())),
};
export const KERNEL_ENV = "LLM_DYNAMICS_TSLAB";

export interface RunOptions {
  /** Notebook files or folders; default: every notebooks/*.ipynb. */
  notebooks?: string[];
  outDir?: string;
  figuresDir?: string;
  timeoutSeconds?: number;
  interruptGraceSeconds?: number;
  /** How many notebooks run at once (each in its own fresh kernel); default: one per core, at most 4. */
  jobs?: number;
  kernelPath?: string;
  /** A Chromium to render static images with; default: $LLM_DYNAMICS_CHROMIUM or the system's. */
  chromium?: string;
  /** false: write JSON and HTML figures only. */
  staticImages?: boolean;
  /** Where to look for a system Chromium when none is named; default: /usr/bin/chromium and kin. */
  systemChromiums?: string[];
  progress?: Progress;
  env?: NodeJS.ProcessEnv;
  /**
   * Papermill-style parameters: a cell tagged `injected-parameters` declaring them is inserted after
   * each notebook's `parameters` cell. Every notebook run must have such a cell.
   */
  parameters?: Parameters;
}

export interface CellFailure {
  kind: "error" | "timeout" | "kernel died" | "kernel failed to start";
  /** 1-based position among all cells, and among code cells. */
  cell: number;
  codeCell: number;
  codeCells: number;
  firstLine: string;
  error: string;
  /** Timeouts: whether SIGINT got a reply, and that the kernel was restarted. */
  interrupted?: boolean;
  restarted?: boolean;
}

export interface NotebookResult {
  notebook: string;
  name: string;
  ok: boolean;
  codeCells: number;
  cellsRun: number;
  seconds: number;
  failure?: CellFailure;
  /** The executed copy. */
  output: string;
  figures: { id: string; files: string[] }[];
  /** Problems that do not stop the notebook but fail the run: schema violations, figures that did not render. */
  problems: string[];
  warnings: string[];
}

export interface RunResult {
  notebooks: NotebookResult[];
  /** Why static images were not rendered, when they were not. */
  staticSkipped?: string;
  outDir: string;
  figuresDir: string;
  seconds: number;
  exitCode: number;
}

/**
 * The course's reading order: each Remark, then its workbook. Notebooks of a folder are listed in this
 * order, and any not named here after them by file name, so the runner, the site's index and its
 * previous/next links all follow the course rather than the alphabet.
 */
export const COURSE_ORDER = [
  "00-setup-check",
  "01-conventions",
  "remark-4-dynamic-gpt",
  "4-workbook",
  "remark-5-mode-collapse",
  "remark-5-real-text",
  "5-workbook",
  "remark-6a-waluigi-model",
  "remark-6b-long-contexts",
  "6-workbook",
  "6C-workbook",
];

function byCourseOrder(a: string, b: string): number {
  const rank = (f: string) => {
    const i = COURSE_ORDER.indexOf(basename(f, ".ipynb"));
    return i < 0 ? COURSE_ORDER.length : i;
  };
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** Notebook files from arguments (files or folders), in course order within each folder. */
export function listNotebooks(paths: string[] | undefined): string[] {
  const inputs = paths && paths.length > 0 ? paths : [DEFAULTS.notebooksDir];
  const files: string[] = [];
  for (const input of inputs) {
    const path = resolve(input);
    if (!existsSync(path)) throw new RangeError(`notebook not found: ${JSON.stringify(input)} (resolved to ${path})`);
    if (statSync(path).isDirectory()) {
      files.push(...readdirSync(path).filter((f) => f.endsWith(".ipynb")).sort(byCourseOrder).map((f) => join(path, f)));
    } else {
      if (!path.endsWith(".ipynb")) throw new RangeError(`not a notebook (.ipynb): ${JSON.stringify(input)}`);
      files.push(path);
    }
  }
  const names = new Map<string, string>();
  for (const file of files) {
    const name = notebookName(file);
    const other = names.get(name);
    if (other && other !== file) throw new RangeError(`two notebooks named ${JSON.stringify(name)} (${other} and ${file}): their outputs would overwrite each other`);
    names.set(name, file);
  }
  return [...new Set(files)];
}

export function notebookName(file: string): string {
  return basename(file, ".ipynb");
}

/** Kernels started ahead of use, one queue per working directory. */
class KernelPool {
  private readonly ready = new Map<string, Promise<TslabKernel>[]>();
  private readonly retiring: Promise<void>[] = [];
  constructor(private readonly kernelPath: string, private readonly env: NodeJS.ProcessEnv | undefined) {}

  private start(cwd: string): Promise<TslabKernel> {
    const started = TslabKernel.start({ kernelPath: this.kernelPath, cwd, env: this.env });
    started.catch(() => undefined);
    return started;
  }
  prestart(cwd: string): void {
    this.ready.set(cwd, [...(this.ready.get(cwd) ?? []), this.start(cwd)]);
  }
  take(cwd: string): Promise<TslabKernel> {
    return this.ready.get(cwd)?.shift() ?? this.start(cwd);
  }
  /** A freshly restarted kernel can serve a later notebook in the same folder. */
  offer(cwd: string, kernel: TslabKernel): void {
    this.ready.set(cwd, [Promise.resolve(kernel), ...(this.ready.get(cwd) ?? [])]);
  }
  /** Shuts a used kernel down in the background; `closeAll` waits for it. */
  retire(kernel: TslabKernel | null): void {
    if (kernel) this.retiring.push(kernel.shutdown().catch(() => undefined));
  }
  async closeAll(): Promise<void> {
    const all = [...this.ready.values()].flat();
    this.ready.clear();
    await Promise.all([...this.retiring, ...all.map((p) => p.then((k) => k.shutdown(), () => undefined))]);
  }
}

function outputsOf(run: CellRun, displays: Map<string, DisplayOutput[]>): Output[] {
  const collector = new OutputCollector(displays);
  for (const msg of run.messages) collector.add(msg);
  return collector.outputs;
}

function describeTimeout(run: CellRun, timeoutSeconds: number, graceSeconds: number): string {
  const answered = run.interrupted
    ? "the kernel answered SIGINT and was then restarted"
    : `the kernel did not answer SIGINT within ${graceSeconds} s and was killed and restarted`;
  return `cell timed out after ${timeoutSeconds} s; ${answered}`;
}

interface Executed {
  /** null when the file was not a notebook (nothing to write). */
  nb: Notebook | null;
  result: NotebookResult;
}

async function executeNotebook(file: string, kernelPromise: Promise<TslabKernel>, pool: KernelPool, options: Required<Pick<RunOptions, "timeoutSeconds" | "interruptGraceSeconds">> & { progress: Progress; outDir: string; parameters?: Parameters }): Promise<Executed> {
  const started = Date.now();
  const name = notebookName(file);
  let nb: Notebook;
  try {
    nb = readNotebook(file);
  } catch (err) {
    // Not a notebook: this one fails, its kernel goes back, and the run goes on to its summary.
    pool.retire(await kernelPromise.catch(() => null));
    const result: NotebookResult = { notebook: file, name, ok: false, codeCells: 0, cellsRun: 0, seconds: (Date.now() - started) / 1000, output: join(options.outDir, `${name}.ipynb`), figures: [], problems: [], warnings: [] };
    result.failure = { kind: "error", cell: 0, codeCell: 0, codeCells: 0, firstLine: "", error: `not a valid notebook: ${(err as Error).message}` };
    options.progress.notebookStart(name, 0);
    options.progress.notebookEnd(name, false, result.seconds);
    return { nb: null, result };
  }
  const parameterWarnings = options.parameters ? injectParameters(nb, options.parameters, basename(file)) : [];
  const codeIndices = nb.cells.map((c, i) => (c.cell_type === "code" ? i : -1)).filter((i) => i >= 0);
  // The executed copy holds this run's outputs only, and nothing time-stamped: timing metadata
  // left by nbclient (`metadata.execution`) goes; message ids, dates and display ids are never saved.
  for (const i of codeIndices) {
    nb.cells[i].outputs = [];
    nb.cells[i].execution_count = null;
    delete nb.cells[i].metadata.execution;
  }
  const result: NotebookResult = {
    notebook: file,
    name,
    ok: true,
    codeCells: codeIndices.length,
    cellsRun: 0,
    seconds: 0,
    output: join(options.outDir, `${name}.ipynb`),
    figures: [],
    problems: [],
    warnings: parameterWarnings,
  };
  options.progress.notebookStart(name, codeIndices.length);
  let kernel: TslabKernel | null = null;
  try {
    kernel = await kernelPromise;
  } catch (err) {
    result.ok = false;
    result.failure = { kind: "kernel failed to start", cell: 0, codeCell: 0, codeCells: codeIndices.length, firstLine: "", error: (err as Error).message };
  }
  if (kernel) {
    const spec = nb.metadata.kernelspec as { name?: unknown } | undefined;
    if (spec && spec.name !== "tslab") result.warnings.push(`its kernelspec names ${JSON.stringify(spec.name)}; it was run with the tslab (TypeScript) kernel`);
    nb.metadata.kernelspec ??= { name: "tslab", display_name: "TypeScript", language: "typescript" };
    if (kernel.kernelInfo.language_info) nb.metadata.language_info = kernel.kernelInfo.language_info;
    const displays = new Map<string, DisplayOutput[]>();
    for (const [k, i] of codeIndices.entries()) {
      const cell = nb.cells[i];
      const tags = cellTags(cell);
      // An empty cell is not sent, and `skip-execution` is honoured, as nbclient does.
      if (cell.source.trim() === "" || tags.includes("skip-execution")) continue;
      options.progress.cellStart(name, k + 1, codeIndices.length);
      const cellStarted = Date.now();
      const run = await kernel.execute(cell.source, { timeoutMs: options.timeoutSeconds * 1000, interruptGraceMs: options.interruptGraceSeconds * 1000 });
      cell.outputs = outputsOf(run, displays);
      cell.execution_count = run.executionCount;
      result.cellsRun += 1;
      options.progress.cellEnd(name, k + 1, codeIndices.length, run.status, (Date.now() - cellStarted) / 1000);
      if (run.status === "ok" || (run.status === "error" && tags.includes("raises-exception"))) continue;
      const text = errorText(cell.outputs);
      let error: string;
      if (run.status === "timeout") error = [describeTimeout(run, options.timeoutSeconds, options.interruptGraceSeconds), text].filter(Boolean).join("\n");
      else if (run.status === "died") error = [run.detail ?? "the kernel process exited", text].filter(Boolean).join("\n");
      else error = text || (run.status === "abort" ? "the kernel aborted the request" : "the kernel reported status error with no message");
      const failure: CellFailure = {
        kind: run.status === "timeout" ? "timeout" : run.status === "died" ? "kernel died" : "error",
        cell: i + 1,
        codeCell: k + 1,
        codeCells: codeIndices.length,
        firstLine: firstLine(cell.source),
        error,
      };
      if (run.status === "timeout") failure.interrupted = run.interrupted;
      if (run.status === "timeout" || run.status === "died") {
        // Restart: the stuck or dead kernel goes, a fresh one is started and must answer the handshake.
        await kernel.kill();
        try {
          const fresh = await TslabKernel.start({ ...kernel.options });
          pool.offer(kernel.options.cwd, fresh);
          failure.restarted = true;
        } catch (err) {
          failure.restarted = false;
          failure.error += `\nrestarting the kernel failed: ${(err as Error).message}`;
        }
      }
      result.ok = false;
      result.failure = failure;
      break;
    }
    if (kernel.alive) pool.retire(kernel);
  }
  result.seconds = (Date.now() - started) / 1000;
  options.progress.notebookEnd(name, result.ok, result.seconds);
  return { nb, result };
}

/** Figures and the executed copy: rendered, written, validated. */
async function finishNotebook(executed: Executed, renderer: Promise<StaticRenderer | null>, figuresRoot: string, progress: Progress): Promise<void> {
  const { nb, result } = executed;
  if (!nb) return;
  const dir = join(figuresRoot, result.name);
  const written = new Set<string>();
  let figures: ReturnType<typeof notebookFigures> = [];
  try {
    figures = notebookFigures(nb);
  } catch (err) {
    result.problems.push((err as Error).message);
  }
  const seen = new Set<string>();
  const chromium = await renderer;
  for (const fig of figures) {
    if (seen.has(fig.id)) result.warnings.push(`figure id ${JSON.stringify(fig.id)} is shown more than once; its files hold the last one`);
    seen.add(fig.id);
    let images: { svg: string; png: Buffer } | undefined;
    if (chromium) {
      try {
        images = await chromium.render(fig.spec);
        addStaticImages(fig, images);
      } catch (err) {
        result.problems.push(`figure ${JSON.stringify(fig.id)} (cell ${fig.cellIndex + 1}) could not be rendered to SVG/PNG: ${(err as Error).message.split("\n")[0]}`);
      }
    }
    const files = writeFigureFiles(dir, fig, images);
    files.forEach((f) => written.add(f));
    result.figures = result.figures.filter((f) => f.id !== fig.id);
    result.figures.push({ id: fig.id, files });
  }
  // Only a complete run knows which figures exist; after a failure older files are kept.
  if (result.ok && result.problems.length === 0) removeStaleFiles(dir, written);
  const text = serializeNotebook(nb);
  const schemaErrors = notebookSchemaErrors(JSON.parse(text));
  if (schemaErrors.length > 0) result.problems.push(`executed notebook is not valid nbformat 4.5: ${schemaErrors.join("; ")}`);
  mkdirSync(dirname(result.output), { recursive: true });
  writeFileSync(result.output, text);
  if (result.figures.length > 0) progress.log(`[${result.name}] ${result.figures.length} figure(s) written to ${relative(process.cwd(), dir) || dir}`);
}

/** Runs the notebooks; never throws for notebook failures (see `exitCode`), only for bad setup. */
export async function runNotebooks(options: RunOptions = {}): Promise<RunResult> {
  const started = Date.now();
  const progress = options.progress ?? new SilentProgress();
  const env = options.env ?? process.env;
  const kernelPath = resolve(options.kernelPath ?? env[KERNEL_ENV] ?? DEFAULTS.kernelPath);
  if (!existsSync(kernelPath)) throw new KernelNotFoundError(kernelPath);
  const timeoutSeconds = options.timeoutSeconds ?? DEFAULTS.timeoutSeconds;
  if (!(timeoutSeconds > 0)) throw new RangeError(`timeoutSeconds must be a positive number; got ${JSON.stringify(timeoutSeconds)}`);
  const interruptGraceSeconds = options.interruptGraceSeconds ?? DEFAULTS.interruptGraceSeconds;
  if (!(interruptGraceSeconds >= 0)) throw new RangeError(`interruptGraceSeconds must be a non-negative number; got ${JSON.stringify(interruptGraceSeconds)}`);
  if (options.jobs !== undefined && !(Number.isInteger(options.jobs) && options.jobs >= 1)) throw new RangeError(`jobs must be a positive integer; got ${JSON.stringify(options.jobs)}`);
  const files = listNotebooks(options.notebooks);
  if (files.length === 0) throw new RangeError(`no notebooks (.ipynb) found in ${JSON.stringify(options.notebooks ?? [DEFAULTS.notebooksDir])}`);
  const parameters = options.parameters && Object.keys(options.parameters).length > 0 ? options.parameters : undefined;
  if (parameters) {
    // Refuse before any kernel starts: a run that silently ignored a parameter would mislead.
    const without = files.filter((f) => !readNotebook(f).cells.some((c) => c.cell_type === "code" && cellTags(c).includes(PARAMETERS_TAG)));
    if (without.length > 0) {
      throw new RangeError(`parameters (${Object.keys(parameters).join(", ")}) were given, but ${without.map((f) => basename(f)).join(", ")} ${without.length === 1 ? "has" : "have"} no code cell tagged "${PARAMETERS_TAG}" to inject them after`);
    }
  }
  const outDir = resolve(options.outDir ?? DEFAULTS.outDir);
  const figuresDir = resolve(options.figuresDir ?? DEFAULTS.figuresDir);
  if (kernelPath === resolve(DEFAULTS.kernelPath)) ensureSnapshot(env, (line) => progress.log(line));

  let staticSkipped: string | undefined;
  let renderer: Promise<StaticRenderer | null> = Promise.resolve(null);
  if (options.staticImages === false) {
    staticSkipped = "static images turned off (--no-static)";
  } else {
    const search = findChromium(options.chromium, env, options.systemChromiums);
    if (search.path) {
      renderer = StaticRenderer.launch(search.path).catch((err: Error) => {
        staticSkipped = `${err.message}; JSON and HTML figures were written. Check the browser, or pass another with \`--chromium <path>\`.`;
        return null;
      });
    } else if (search.explicit) {
      throw new RangeError(`Chromium not found at ${JSON.stringify(search.looked[0])} (from --chromium or $LLM_DYNAMICS_CHROMIUM)`);
    } else {
      staticSkipped = noChromiumAdvice(search);
    }
  }

  // The launcher runs tslab in its own process here and leaves no standby behind: the pool already
  // starts each kernel while the previous notebook runs, and standbys warming up during a run took
  // CPU from it (3 notebooks, --jobs 1, load 2–5: 19.8 and 20.9 s with standbys, 16.4 and 17.7 s without).
  const pool = new KernelPool(kernelPath, { ...env, [STANDBY_ENV.mode]: "off" });
  const results: NotebookResult[] = new Array(files.length);
  const finishing: Promise<void>[] = [];
  const jobs = Math.min(options.jobs ?? DEFAULTS.jobs, files.length);
  try {
    // Each worker has a kernel starting and one more is ready ahead, so no notebook waits for
    // tslab's start-up after the first ones.
    let prestarted = 0;
    const prestartNext = () => {
      if (prestarted < files.length) pool.prestart(dirname(files[prestarted++]));
    };
    for (let i = 0; i <= jobs; i++) prestartNext();
    let claimed = 0;
    const worker = async () => {
      while (claimed < files.length) {
        const n = claimed++;
        const kernel = pool.take(dirname(files[n]));
        prestartNext();
        const executed = await executeNotebook(files[n], kernel, pool, { timeoutSeconds, interruptGraceSeconds, progress, outDir, parameters });
        results[n] = executed.result;
        finishing.push(
          finishNotebook(executed, renderer, figuresDir, progress).catch((err: Error) => {
            executed.result.problems.push(`writing outputs failed: ${err.message}`);
          }),
        );
      }
    };
    await Promise.all(Array.from({ length: jobs }, worker));
    await Promise.all(finishing);
  } finally {
    await pool.closeAll();
    await (await renderer)?.close();
    progress.stop();
  }
  const failed = results.some((r) => !r.ok || r.problems.length > 0);
  return { notebooks: results, staticSkipped, outDir, figuresDir, seconds: (Date.now() - started) / 1000, exitCode: failed ? 1 : 0 };
}

/**
 * A kernel started from the startup snapshot costs about 1 s less CPU (tools/kernel/snapshot.ts), so
 * the first run after `npm ci` builds it, once (about 7 s of CPU), unless `kernel:install` already did:
 * every later kernel of this run and of later runs gains. A failed build costs only the gain.
 */
/** Stack frames inside tslab and Node's vm say nothing about the notebook: the report leaves them out. */
function withoutKernelFrames(text: string): string {
  return text
    .split("\n")
    .filter((line) => !/^\s+at .*(node:vm|node:internal|\/tslab\/dist\/|sigintHandlersWrap|evalmachine\.<anonymous>)/.test(line))
    .join("\n");
}

/** The failure report: notebook, cell, the cell's first line and the error text. */
export function formatFailure(result: NotebookResult): string {
  const lines: string[] = [];
  const f = result.failure;
  if (f) {
    const where = f.cell > 0 ? `cell ${f.cell} (code cell ${f.codeCell} of ${f.codeCells}): ${f.firstLine}` : "before the first cell";
    lines.push(`FAILED ${relative(process.cwd(), result.notebook) || result.notebook}, ${where}`);
    lines.push(`  ${f.kind}: ${withoutKernelFrames(f.error).split("\n").join("\n  ")}`);
  }
  for (const problem of result.problems) lines.push(`PROBLEM ${relative(process.cwd(), result.notebook) || result.notebook}: ${problem}`);
  return lines.join("\n");
}
