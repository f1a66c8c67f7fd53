/**
 * `check` for the course's workbooks: instant feedback on a learner's function, without the solutions.
 *
 * The expected answers for a small public set of parameter draws ship with the course as data, one
 * file per workbook (`data/check/4.json`, `5.json`, `6.json`, `6C.json`, generated from the reference
 * solutions by `tools/grader/make-check-data.ts`). `check` calls the learner's function on each draw,
 * compares with the same code the autograder uses (`./compare`), and prints one line per draw plus the
 * details of the first failure. The public draws are drawn with their own seed, so they are not the
 * draws the autograder scores. Like the grader, `check` traces the library calls the function makes
 * (`./policy`): an answer that calls a library function its exercise forbids fails, with the name of
 * the function and what to do instead.
 *
 *     import { check } from "llm-dynamics";
 *     check("6.C.2", stayFriendlyFull);
 *     // 6.C.2 stayFriendlyFull: PASS (6 of 6 checks)
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { type AnswerKind, type Tolerance, ANSWER_KINDS, compareAnswer, formatValue } from "./compare";
import { createCallRecorder, forbiddenCalls } from "./policy";

export const CHECK_DATA_FORMAT = "llm-dynamics-check/2";
/** The check data of the 6.C workbook; `checkDataRelativePath` names the others. */
export const CHECK_DATA_RELATIVE_PATH = "data/check/6C.json";

/** Where a workbook's check data lives, relative to the package root: `data/check/<workbook>.json`. */
export function checkDataRelativePath(workbook: string): string {
  return `data/check/${workbook}.json`;
}

/** The workbook an exercise id belongs to: "6.C.4" → "6C", "4.2" → "4". */
export function workbookOf(id: string): string {
  if (typeof id !== "string") throw new TypeError(`id must be an exercise id like "4.2" or "6.C.4"; got ${formatValue(id)}`);
  return /^6\.C\./.test(id) ? "6C" : id.split(".")[0];
}

/** The feedback for a forbidden library call, the same in `check` and in the grader's report. */
export function policyMessage(exercise: { id: string; functionName: string; instead: string }, used: readonly string[]): string {
  return `${exercise.functionName} calls ${used.join(", ")} from the library, which answers ${exercise.id} for you, so ${exercise.id} scores 0 while it does. Instead, ${exercise.instead}.`;
}

export interface CheckDraw {
  args: unknown[];
  expected: unknown;
}

export interface CheckExercise {
  id: string;
  functionName: string;
  /** Names of the function's parameters, for messages ("k = 3, ℓ = 0.9, p = 0.8"). */
  argNames: string[];
  answer: AnswerKind;
  /** Whether matrix rows and vector entries are pages of {N, F, U}^k (labels in feedback). */
  pageLabels: boolean;
  /** Library exports the function must not call, and what to do instead. */
  forbidden: string[];
  instead: string;
  draws: CheckDraw[];
}

export interface CheckData {
  format: string;
  workbook: string;
  tolerance: Tolerance;
  exercises: Record<string, CheckExercise>;
}

/**
 * JSON has no Infinity or NaN; the data files write them as `{"$number": "Infinity"}`. These two
 * functions are the only place that knows it.
 */
export function encodeSpecialNumbers(value: unknown): unknown {
  if (typeof value === "number" && !Number.isFinite(value)) return { $number: String(value) };
  if (Array.isArray(value)) return value.map(encodeSpecialNumbers);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = encodeSpecialNumbers(v);
    return out;
  }
  return value;
}

export function decodeSpecialNumbers(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeSpecialNumbers);
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    if (keys.length === 1 && keys[0] === "$number") {
      const n = Number(record.$number);
      if (record.$number !== "Infinity" && record.$number !== "-Infinity" && record.$number !== "NaN") {
        throw new RangeError(`$number must be "Infinity", "-Infinity" or "NaN"; got ${formatValue(record.$number)}`);
      }
      return n;
    }
    const out: Record<string, unknown> = {};
    for (const k of keys) out[k] = decodeSpecialNumbers(record[k]);
    return out;
  }
  return value;
}

/** Validates parsed check data, naming the first thing that is wrong. */
export function parseCheckData(json: unknown, source = "check data"): CheckData {
  const data = decodeSpecialNumbers(json) as Partial<CheckData>;
  if (data === null || typeof data !== "object") throw new TypeError(`${source} must be a JSON object; got ${formatValue(json)}`);
  if (data.format !== CHECK_DATA_FORMAT) throw new RangeError(`${source}: format must be ${JSON.stringify(CHECK_DATA_FORMAT)}; got ${formatValue(data.format)}`);
  const tol = data.tolerance;
  if (!tol || typeof tol.rel !== "number" || typeof tol.abs !== "number") throw new TypeError(`${source}: tolerance must be { rel, abs }; got ${formatValue(tol)}`);
  if (!data.exercises || typeof data.exercises !== "object") throw new TypeError(`${source}: exercises must be an object; got ${formatValue(data.exercises)}`);
  for (const [id, ex] of Object.entries(data.exercises)) {
    if (ex.id !== id) throw new RangeError(`${source}: exercises[${JSON.stringify(id)}].id must be ${JSON.stringify(id)}; got ${formatValue(ex.id)}`);
    if (typeof ex.functionName !== "string") throw new TypeError(`${source}: exercises[${JSON.stringify(id)}].functionName must be a string`);
    if (!ANSWER_KINDS.includes(ex.answer)) throw new RangeError(`${source}: exercises[${JSON.stringify(id)}].answer must be one of ${ANSWER_KINDS.join(", ")}; got ${formatValue(ex.answer)}`);
    if (!Array.isArray(ex.argNames) || !Array.isArray(ex.draws) || ex.draws.length === 0) throw new TypeError(`${source}: exercises[${JSON.stringify(id)}] needs argNames and a non-empty draws array`);
    if (!Array.isArray(ex.forbidden) || typeof ex.instead !== "string") throw new TypeError(`${source}: exercises[${JSON.stringify(id)}] needs forbidden (an array) and instead (a string)`);
  }
  return data as CheckData;
}

const cached = new Map<string, CheckData>();

/** The shipped check data of one workbook, found next to the package (dist/src/ or src/ → data/check/). */
export function loadCheckData(workbook = "6C"): CheckData {
  const hit = cached.get(workbook);
  if (hit) return hit;
  const relative = checkDataRelativePath(workbook);
  let dir = __dirname;
  for (let up = 0; up < 4; up++) {
    const file = join(dir, relative);
    if (existsSync(file)) {
      const data = parseCheckData(JSON.parse(readFileSync(file, "utf8")), file);
      cached.set(workbook, data);
      return data;
    }
    dir = dirname(dir);
  }
  throw new Error(`cannot find ${relative} above ${__dirname}: is the llm-dynamics package complete? (workbook ${formatValue(workbook)})`);
}

export interface DrawOutcome {
  args: unknown[];
  pass: boolean;
  message: string;
  expected: unknown;
  actual?: unknown;
}

export interface CheckReport {
  id: string;
  functionName: string;
  passed: number;
  total: number;
  draws: DrawOutcome[];
}

/** Describes a draw's arguments with their names; the params object as ℓ and p. */
export function describeArgs(argNames: readonly string[], args: readonly unknown[]): string {
  return args
    .map((a, i) => {
      const name = argNames[i] ?? `arg${i + 1}`;
      if (Array.isArray(a) && a.length > 0 && Array.isArray(a[0])) return `${name} = ${formatValue(a, 200)}`;
      if (a !== null && typeof a === "object" && "luigiPrior" in a && "pFriendly" in a) {
        const p = a as { luigiPrior: unknown; pFriendly: unknown };
        return `ℓ = ${formatValue(p.luigiPrior)}, p = ${formatValue(p.pFriendly)}`;
      }
      return `${name} = ${formatValue(a)}`;
    })
    .join(", ");
}

/** Runs the checks for one exercise and returns the outcome without printing. */
export function checkResult(id: string, fn: unknown, data: CheckData = loadCheckData(workbookOf(id))): CheckReport {
  const exercise = Object.prototype.hasOwnProperty.call(data.exercises, id) ? data.exercises[id] : undefined;
  if (!exercise) throw new RangeError(`id must be one of ${Object.keys(data.exercises).join(", ")}; got ${formatValue(id)}`);
  const draws: DrawOutcome[] = exercise.draws.map((draw) => {
    if (typeof fn !== "function") return { args: draw.args, pass: false, message: `expected a function ${exercise.functionName}; got ${formatValue(fn)}`, expected: draw.expected };
    let actual: unknown;
    const recorder = createCallRecorder();
    // A fresh copy of the arguments: a function that mutates its params must not spoil later draws.
    const args = structuredClone(draw.args) as unknown[];
    recorder.start();
    try {
      actual = (fn as (...a: unknown[]) => unknown)(...args);
    } catch (e) {
      const used = forbiddenCalls(recorder.stop(), exercise.forbidden);
      if (used.length > 0) return { args: draw.args, pass: false, message: policyMessage(exercise, used), expected: draw.expected };
      const text = e instanceof Error ? `${e.name}: ${e.message}` : formatValue(e);
      return { args: draw.args, pass: false, message: `your function threw ${text}`, expected: draw.expected };
    }
    const used = forbiddenCalls(recorder.stop(), exercise.forbidden);
    if (used.length > 0) return { args: draw.args, pass: false, message: policyMessage(exercise, used), expected: draw.expected, actual };
    const verdict = compareAnswer(exercise.answer, draw.expected, actual, { tolerance: data.tolerance, ...(exercise.pageLabels ? {} : { labels: null }) });
    return { args: draw.args, pass: verdict.pass, message: verdict.message, expected: draw.expected, actual };
  });
  return { id, functionName: exercise.functionName, passed: draws.filter((d) => d.pass).length, total: draws.length, draws };
}

/** Formats a report as the lines `check` prints. */
export function formatCheckReport(report: CheckReport, argNames: readonly string[]): string[] {
  const verdict = report.passed === report.total ? "PASS" : "FAIL";
  const lines = [`${report.id} ${report.functionName}: ${verdict} (${report.passed} of ${report.total} checks)`];
  for (const d of report.draws) lines.push(`  ${d.pass ? "✓" : "✗"} ${describeArgs(argNames, d.args)}`);
  const first = report.draws.find((d) => !d.pass);
  if (first) {
    lines.push(`First failing check: ${report.functionName}(${describeArgs(argNames, first.args)})`);
    lines.push(`  ${first.message}`);
    lines.push(`  expected: ${formatValue(first.expected, 300)}`);
    if ("actual" in first) lines.push(`  yours:    ${formatValue(first.actual, 300)}`);
  }
  return lines;
}

/**
 * Checks a workbook answer against the public draws and prints the verdict. Returns nothing, so the
 * kernel prints only the verdict; use `checkResult` for the numbers.
 */
export function check(id: string, fn: unknown): void {
  const data = loadCheckData(workbookOf(id));
  const report = checkResult(id, fn, data);
  console.log(formatCheckReport(report, data.exercises[id].argNames).join("\n"));
}
