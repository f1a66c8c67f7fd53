/**
 * Grading reports, written for every submission whatever happened to it:
 *
 * - `grades.csv` — one row per learner (score, maximum, status, reason, each exercise and manual part);
 * - `feedback/<learner>.md` and `.html` — for the learner: each exercise's score, every failing draw
 *   with its parameters, the expected and the actual answer, notes on cells that did not compile or
 *   threw, their own written answers and whether a person has marked them;
 * - `manual-grading.md` and `.html` — for the human grader: each learner's written answers and figure
 *   code next to the reference from `solutions/`, with the part ids a marks file uses;
 * - `gradescope/<learner>.json` (Gradescope's results.json format: tests with score, max_score,
 *   visibility, output), and `results.json` itself when a single submission was graded;
 * - a table for the terminal.
 *
 *     writeReports("grades/", results);
 *     console.log(terminalTable(results));
 */
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { EXERCISE_SPECS, MANUAL_PARTS, WORKBOOKS } from "./exercises";
import type { ExerciseResult, SubmissionResult } from "./grade";
import { type Marks, applyMarksTo, unmatchedMarks } from "./marks";

const MAX_FAILURES_LISTED = 25;
const fmt = (x: number) => (Math.round(x * 100) / 100).toString();

function csvCell(value: string | number): string {
  const s = String(value);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The exercises of the workbooks among the results (all of them when there are none), in table order. */
function specsOf(results: Iterable<SubmissionResult>): typeof EXERCISE_SPECS {
  const present = new Set<string>();
  for (const r of results) present.add(r.workbook);
  return present.size ? EXERCISE_SPECS.filter((e) => present.has(e.workbook)) : EXERCISE_SPECS;
}

/** The manual parts of the workbooks among the results. */
function partsOf(results: Iterable<SubmissionResult>): typeof MANUAL_PARTS {
  const specs = specsOf(results);
  return MANUAL_PARTS.filter((m) => specs.some((e) => e.id === m.exercise));
}

function workbookTitle(id: string): string {
  return WORKBOOKS.find((w) => w.id === id)?.title ?? `${id} workbook`;
}

export function gradesCsv(results: Iterable<SubmissionResult>): string {
  return [...gradesCsvLines(results)].join("");
}

/** grades.csv line by line (each ending in a newline), reading the results once more per call. */
function* gradesCsvLines(results: Iterable<SubmissionResult>): Generator<string> {
  const specs = specsOf(results);
  const parts = MANUAL_PARTS.filter((m) => specs.some((e) => e.id === m.exercise));
  const header = ["learner", "file", "status", "score", "max", "auto_score", "auto_max", ...specs.map((e) => e.id), ...parts.map((m) => m.id), "reason"];
  yield header.map(csvCell).join(",") + "\n";
  for (const r of results) {
    const row = [
      r.learner,
      r.file,
      r.status,
      r.score,
      r.max,
      r.autoScore,
      r.autoMax,
      ...specs.map((e) => (e.workbook === r.workbook ? (r.exercises.find((x) => x.id === e.id)?.score ?? 0) : "")),
      ...parts.map((m) => {
        const part = r.manual.find((x) => x.id === m.id);
        return part?.marked ? part.score : "";
      }),
      r.reason ?? "",
    ];
    yield row.map(csvCell).join(",") + "\n";
  }
}

// ------------------------------------------------------------ learner feedback (Markdown)

const mdEscape = (s: string) => String(s).replace(/\|/g, "\\|").replace(/\n/g, " ");
const code = (s: string) => "`` " + String(s).replace(/[`\r\n]/g, (c) => (c === "`" ? "ˋ" : " ")) + " ``";
/** Learner text on one line, with nothing Markdown would read as structure or markup. */
const inline = (s: string) => String(s).replace(/[\r\n]+/g, " ").replace(/[\\`*_[\]<>#|~!]/g, (c) => "\\" + c);

/**
 * Learner text as a fenced block: whatever it holds (headings, fences, HTML) stays text. The fence is
 * longer than any run of backticks inside, which CommonMark requires of the closing fence.
 */
export function fenced(text: string, lang = ""): string {
  const runs = String(text).match(/`+/g) ?? [];
  const fence = "`".repeat(Math.max(3, ...runs.map((r) => r.length + 1)));
  return `${fence}${lang}\n${String(text).replace(/\r\n?/g, "\n")}\n${fence}`;
}

function failureRows(e: ExerciseResult): string[] {
  const failed = e.draws.filter((d) => !d.pass);
  if (failed.length === 0) return [];
  const rows = ["", `| draw | parameters | expected | yours | why |`, `|---|---|---|---|---|`];
  for (const d of failed.slice(0, MAX_FAILURES_LISTED)) {
    rows.push(`| ${d.d + 1} (${mdEscape(d.family)}) | ${mdEscape(d.argsText)} | ${code(d.expected ?? "")} | ${d.actual !== undefined ? code(d.actual) : "—"} | ${mdEscape(d.message)} |`);
  }
  if (failed.length > MAX_FAILURES_LISTED) rows.push(`| … | ${failed.length - MAX_FAILURES_LISTED} more failing draws | | | |`);
  return rows;
}

export function feedbackMarkdown(r: SubmissionResult): string {
  const lines = [`# ${workbookTitle(r.workbook)} — feedback for ${r.learner}`, "", `File: ${code(r.file)}`, ""];
  if (r.status !== "graded") {
    lines.push(`**Not graded: ${inline(r.reason ?? "")}.** Score 0 of ${r.max}.`, "");
    return lines.join("\n") + "\n";
  }
  const manualMarked = r.manual.filter((m) => m.marked).length;
  lines.push(`**Score: ${fmt(r.score)} of ${r.max}** — ${fmt(r.autoScore)} of ${r.autoMax} auto-graded points; ${manualMarked} of ${r.manual.length} parts marked by a person (unmarked parts count 0 for now).`, "");
  lines.push("Each function was called on many parameter draws, edge cases included; an exercise earns its points times the fraction of draws it passes. A function that calls a library function its exercise forbids scores 0 on that exercise.", "");
  lines.push("| exercise | function | score | draws passed | summary |", "|---|---|---|---|---|");
  for (const e of r.exercises) lines.push(`| ${e.id} | \`${e.functionName}\` | ${fmt(e.score)} / ${e.points} | ${e.passed} / ${e.total} | ${mdEscape(e.summary)} |`);
  if (r.cells.length) {
    lines.push("", "## Cells that had no effect or stopped", "", "These cells behave the same in the kernel when the notebook runs top to bottom.", "");
    for (const c of r.cells) lines.push(`- cell ${c.cell}${c.exercise ? ` (${inline(c.exercise)} ${inline(c.role ?? "")})` : ""}: ${c.status} — ${inline(c.message)}`);
  }
  for (const e of r.exercises) {
    if (e.passed === e.total && e.total > 0) continue;
    lines.push("", `## ${e.id} \`${e.functionName}\` — ${fmt(e.score)} / ${e.points}`, "", inline(e.summary), ...failureRows(e));
  }
  lines.push("", "## Parts marked by a person", "");
  for (const m of r.manual) {
    lines.push(`### ${m.id} — ${m.marked ? `${fmt(m.score)} / ${m.points}` : `awaiting a human grader (0 / ${m.points} for now)`}`, "");
    if (m.comment) lines.push(`> ${inline(m.comment)}`, "");
    lines.push(m.learnerText ? fenced(m.learnerText, m.kind === "figure" ? "ts" : "text") : "_(nothing written)_", "");
  }
  return lines.join("\n") + "\n";
}

// ------------------------------------------------------------ HTML

const esc = (s: string) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:70em;margin:2em auto;padding:0 1em;line-height:1.4}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.3em .5em;vertical-align:top;text-align:left}
code,pre{font-family:ui-monospace,monospace;font-size:90%}pre{background:#f6f6f6;padding:.6em;white-space:pre-wrap}
.pass{color:#1a7f37}.fail{color:#b42318}.note{color:#555}</style></head><body>
${body}
</body></html>
`;
}

export function feedbackHtml(r: SubmissionResult): string {
  const parts = [`<h1>${esc(workbookTitle(r.workbook))} — feedback for ${esc(r.learner)}</h1>`, `<p>File: <code>${esc(r.file)}</code></p>`];
  if (r.status !== "graded") {
    parts.push(`<p class="fail"><strong>Not graded: ${esc(r.reason ?? "")}.</strong> Score 0 of ${r.max}.</p>`);
    return page(`Feedback: ${r.learner}`, parts.join("\n"));
  }
  parts.push(`<p><strong>Score: ${fmt(r.score)} of ${r.max}</strong> — ${fmt(r.autoScore)} of ${r.autoMax} auto-graded points; ${r.manual.filter((m) => m.marked).length} of ${r.manual.length} parts marked by a person.</p>`);
  parts.push("<table><tr><th>exercise</th><th>function</th><th>score</th><th>draws passed</th><th>summary</th></tr>");
  for (const e of r.exercises) {
    parts.push(`<tr><td>${e.id}</td><td><code>${esc(e.functionName)}</code></td><td class="${e.passed === e.total ? "pass" : "fail"}">${fmt(e.score)} / ${e.points}</td><td>${e.passed} / ${e.total}</td><td>${esc(e.summary)}</td></tr>`);
  }
  parts.push("</table>");
  if (r.cells.length) {
    parts.push("<h2>Cells that had no effect or stopped</h2><ul>");
    for (const c of r.cells) parts.push(`<li>cell ${c.cell}${c.exercise ? ` (${esc(c.exercise)} ${esc(c.role ?? "")})` : ""}: ${esc(c.status)} — ${esc(c.message)}</li>`);
    parts.push("</ul>");
  }
  for (const e of r.exercises) {
    const failed = e.draws.filter((d) => !d.pass);
    if (failed.length === 0 && e.total > 0) continue;
    parts.push(`<h2>${e.id} <code>${esc(e.functionName)}</code> — ${fmt(e.score)} / ${e.points}</h2><p>${esc(e.summary)}</p>`);
    if (failed.length) {
      parts.push("<table><tr><th>draw</th><th>parameters</th><th>expected</th><th>yours</th><th>why</th></tr>");
      for (const d of failed.slice(0, MAX_FAILURES_LISTED)) {
        parts.push(`<tr><td>${d.d + 1} (${esc(d.family)})</td><td>${esc(d.argsText)}</td><td><code>${esc(d.expected ?? "")}</code></td><td>${d.actual !== undefined ? `<code>${esc(d.actual)}</code>` : "—"}</td><td>${esc(d.message)}</td></tr>`);
      }
      parts.push("</table>");
      if (failed.length > MAX_FAILURES_LISTED) parts.push(`<p class="note">… and ${failed.length - MAX_FAILURES_LISTED} more failing draws.</p>`);
    }
  }
  parts.push("<h2>Parts marked by a person</h2>");
  for (const m of r.manual) {
    parts.push(`<h3>${esc(m.id)} — ${m.marked ? `${fmt(m.score)} / ${m.points}` : `awaiting a human grader (0 / ${m.points} for now)`}</h3>`);
    if (m.comment) parts.push(`<blockquote>${esc(m.comment)}</blockquote>`);
    parts.push(m.learnerText ? `<pre>${esc(m.learnerText)}</pre>` : "<p class=note>(nothing written)</p>");
  }
  return page(`Feedback: ${r.learner}`, parts.join("\n"));
}

// ------------------------------------------------------------ for the human grader

/** The reference text of a manual part: the first learner's copy that has one. */
function referenceOf(results: Iterable<SubmissionResult>, id: string): string {
  for (const r of results) {
    const ref = r.manual.find((x) => x.id === id && x.referenceText)?.referenceText;
    if (ref) return ref;
  }
  return "";
}

/**
 * One learner's section of the sheet, or a line that says it could not be built: one learner's odd
 * result never costs the others their place on the sheet.
 */
function sheetSection(r: SubmissionResult, build: () => string, fallback: (why: string) => string): string {
  try {
    return build();
  } catch (e) {
    return fallback(`the part of ${String(r.learner)} could not be built: ${(e as Error)?.message ?? String(e)}`);
  }
}

export function manualGradingMarkdown(results: Iterable<SubmissionResult>): string {
  return [...manualGradingMarkdownChunks(results)].join("");
}

function* manualGradingMarkdownChunks(results: Iterable<SubmissionResult>): Generator<string> {
  const lines = ["# Workbooks — parts for a human grader", "", "Record marks in a JSON or CSV file and pass it with `npm run grade -- <submissions> --marks <file>` (format: tools/grader/marks.ts). Part ids:", ""];
  const manualParts = partsOf(results);
  for (const m of manualParts) lines.push(`- \`${m.id}\` (${m.points} point${m.points === 1 ? "" : "s"})`);
  yield lines.join("\n") + "\n";
  for (const m of manualParts) {
    const ref = referenceOf(results, m.id);
    yield ["", `## ${m.id}`, "", "### Reference (from solutions/)", "", m.kind === "figure" ? "```ts\n" + ref + "\n```" : ref, ""].join("\n") + "\n";
    for (const r of results) {
      const part = r.manual.find((x) => x.id === m.id);
      if (!part) continue;
      yield sheetSection(
        r,
        () => {
          const text = part.learnerText ?? "";
          return [`### ${r.learner} — ${part.marked ? `marked ${fmt(part.score)} / ${m.points}` : "not marked yet"}`, "", text ? fenced(text, m.kind === "figure" ? "ts" : "text") : `_(nothing written${r.status !== "graded" ? `: ${inline(r.reason ?? "")}` : ""})_`, ""].join("\n") + "\n";
        },
        (why) => `### ${inline(String(r.learner))} — not marked yet\n\n${inline(why)}\n\n`,
      );
    }
  }
}

export function manualGradingHtml(results: Iterable<SubmissionResult>): string {
  return [...manualGradingHtmlChunks(results)].join("");
}

function* manualGradingHtmlChunks(results: Iterable<SubmissionResult>): Generator<string> {
  const [head, tail] = page("Manual grading", "\u0000").split("\u0000");
  yield head;
  yield ["<h1>Workbooks — parts for a human grader</h1>", "<p>Record marks in a JSON or CSV file and pass it with <code>npm run grade -- &lt;submissions&gt; --marks &lt;file&gt;</code>.</p>"].join("\n") + "\n";
  for (const m of partsOf(results)) {
    const ref = referenceOf(results, m.id);
    yield `<h2>${esc(m.id)}</h2><table><tr><th>learner</th><th>answer</th><th>reference</th><th>mark</th></tr>\n`;
    for (const r of results) {
      const part = r.manual.find((x) => x.id === m.id);
      if (!part) continue;
      yield sheetSection(
        r,
        () => `<tr><td>${esc(r.learner)}</td><td><pre>${esc(part.learnerText || "(nothing written)")}</pre></td><td><pre>${esc(ref)}</pre></td><td>${part.marked ? `${fmt(part.score)} / ${m.points}` : "not marked"}</td></tr>\n`,
        (why) => `<tr><td colspan="4">${esc(why)}</td></tr>\n`,
      );
    }
    yield "</table>\n";
  }
  yield tail;
}

// ------------------------------------------------------------ Gradescope

export interface GradescopeResults {
  score: number;
  output: string;
  visibility: "visible";
  stdout_visibility: "hidden";
  tests: { name: string; score: number; max_score: number; visibility: "visible"; output: string }[];
}

export function gradescopeResults(r: SubmissionResult): GradescopeResults {
  const tests: GradescopeResults["tests"] = r.exercises.map((e) => {
    const failed = e.draws.filter((d) => !d.pass).slice(0, 10);
    const details = failed.map((d) => `draw ${d.d + 1} (${d.argsText}): ${d.message}`);
    return { name: `${e.id} ${e.functionName}`, score: e.score, max_score: e.points, visibility: "visible", output: [e.summary, ...details].join("\n") };
  });
  for (const m of r.manual) {
    tests.push({ name: `${m.id} (marked by a person)`, score: m.score, max_score: m.points, visibility: "visible", output: m.marked ? (m.comment ?? "marked") : "awaiting a human grader" });
  }
  const output = r.status === "graded" ? `${fmt(r.autoScore)} of ${r.autoMax} auto-graded points.` : `Not graded: ${r.reason}`;
  return { score: r.score, output, visibility: "visible", stdout_visibility: "hidden", tests };
}

// ------------------------------------------------------------ terminal

export function terminalTable(results: Iterable<SubmissionResult>): string {
  let idWidth = 7;
  for (const r of results) idWidth = Math.max(idWidth, r.learner.length);
  const specs = specsOf(results);
  const head = ["learner".padEnd(idWidth), ...specs.map((e) => e.id.replace(/^6\.C\./, "C").padStart(5)), "  auto", " total", "  status"];
  const lines = [head.join(" ")];
  for (const r of results) {
    const cells = specs.map((e) => (e.workbook === r.workbook ? fmt(r.exercises.find((x) => x.id === e.id)?.score ?? 0) : "").padStart(5));
    const status = r.status === "graded" ? "graded" : `${r.status}: ${(r.reason ?? "").split("\n")[0].slice(0, 60)}`;
    lines.push([r.learner.padEnd(idWidth), ...cells, fmt(r.autoScore).padStart(6), `${fmt(r.score)}/${r.max}`.padStart(6), `  ${status}`].join(" "));
  }
  return lines.join("\n");
}

/**
 * Learner ids that are safe and distinct as file names (case-insensitively, for case-insensitive
 * disks): a clash or an unsafe id is renamed (`alice-2`), so no report overwrites another and
 * grades.csv names each learner once.
 */
export function distinctIds(learners: readonly string[]): string[] {
  const safe = (id: string) => (String(id).replace(/[^A-Za-z0-9._-]+/g, "_").replace(/^\.+/, "_").slice(0, 100) || "submission");
  const taken = new Set<string>();
  return learners.map((learner) => {
    const base = safe(learner);
    let id = base;
    for (let n = 2; taken.has(id.toLowerCase()); n++) id = `${base}-${n}`;
    taken.add(id.toLowerCase());
    return id;
  });
}

/** `distinctIds`, renaming the results in place. */
export function makeIdsDistinct(results: SubmissionResult[]): void {
  const ids = distinctIds(results.map((r) => r.learner));
  results.forEach((r, i) => (r.learner = ids[i]));
}

/** What the end-of-run reports (grades.csv, the sheet, the table) need of a result: no draws, no cell notes. */
function summaryOf(r: SubmissionResult): SubmissionResult {
  return { ...r, exercises: r.exercises.map((e) => ({ ...e, draws: [] })), cells: [] };
}

/**
 * Writes a class's reports while it is being graded, holding nothing of a learner once their result
 * is in: their feedback (Markdown, HTML) and Gradescope file are written at once, and what grades.csv
 * and the human grader's sheet need of them goes to a summary file on disk. `finish` writes
 * grades.csv and the sheet from those summaries, one learner at a time and in the order of the
 * submissions (so the reports do not depend on which submission finished first); `dispose` removes
 * them.
 *
 * Every submission gets every report: `finish(reason)` — after an interrupt or a grader failure —
 * first gives each submission without a result a "not graded" result that says why. One learner's
 * report that cannot be built is replaced by a short one that says so.
 *
 *     const writer = new ReportWriter("grades", files, learners);
 *     await grader.gradeEach(files, (r, i) => writer.add(i, r));
 *     writer.finish();
 *     console.log(terminalTable(writer.summaries()));
 *     writer.dispose();
 */
export class ReportWriter {
  /** Report file names, in the order of the submissions. */
  readonly ids: string[];
  private readonly spill: string;
  private readonly got: Uint8Array;
  private count = 0;
  private finished = false;
  /** How many report files have been written. */
  filesWritten = 0;

  /**
   * `learners`: the grader's learner id of each file (`uniqueLearnerIds`), which marks refer to.
   * `notGraded` builds the result of a submission that has none when the run finishes early.
   */
  constructor(
    readonly outDir: string,
    readonly files: readonly string[],
    readonly learners: readonly string[],
    private readonly options: { marks?: Marks; notGraded?: (file: string, learner: string, reason: string) => SubmissionResult } = {},
  ) {
    this.ids = distinctIds(learners);
    this.got = new Uint8Array(files.length);
    mkdirSync(join(outDir, "feedback"), { recursive: true });
    mkdirSync(join(outDir, "gradescope"), { recursive: true });
    this.spill = mkdtempSync(join(outDir, ".summaries-"));
  }

  /** Marks for learners that no submission has (to warn about). */
  unmatchedMarks(): string[] {
    return this.options.marks ? unmatchedMarks(this.learners, this.options.marks) : [];
  }

  private write(path: string, text: string): void {
    writeFileSync(path, text);
    this.filesWritten++;
  }

  /** Takes the result of submission `index`: writes its own reports and its summary. */
  add(index: number, result: SubmissionResult): void {
    if (this.finished || this.got[index]) return;
    this.got[index] = 1;
    this.count++;
    if (this.options.marks) applyMarksTo(result, this.options.marks);
    const r = { ...result, learner: this.ids[index] };
    const guarded = (build: () => string, fallback: (why: string) => string) => {
      try {
        return build();
      } catch (e) {
        return fallback(`this feedback could not be built: ${(e as Error)?.message ?? String(e)}`);
      }
    };
    this.write(join(this.outDir, "feedback", `${r.learner}.md`), guarded(() => feedbackMarkdown(r), (why) => `# 6.C workbook — feedback for ${r.learner}\n\nScore: ${fmt(Number(r.score) || 0)} of ${r.max}. ${inline(why)}\n`));
    this.write(join(this.outDir, "feedback", `${r.learner}.html`), guarded(() => feedbackHtml(r), (why) => page(`Feedback: ${r.learner}`, `<p>Score: ${fmt(Number(r.score) || 0)} of ${r.max}. ${esc(why)}</p>`)));
    const gradescope = JSON.stringify(gradescopeResults(r), null, 2) + "\n";
    this.write(join(this.outDir, "gradescope", `${r.learner}.json`), gradescope);
    if (this.files.length === 1) this.write(join(this.outDir, "results.json"), gradescope);
    writeFileSync(this.summaryFile(index), JSON.stringify(summaryOf(r)));
  }

  private summaryFile(index: number): string {
    return join(this.spill, `${index}.json`);
  }

  /** The summaries in the order of the submissions, read from disk one at a time (re-iterable). */
  summaries(): Iterable<SubmissionResult> {
    const n = this.files.length;
    const file = (i: number) => this.summaryFile(i);
    return {
      *[Symbol.iterator]() {
        for (let i = 0; i < n; i++) yield JSON.parse(readFileSync(file(i), "utf8")) as SubmissionResult;
      },
    };
  }

  /**
   * Gives every submission still without a result one that says `reason` (when given), writes
   * grades.csv and the sheets. Synchronous, so a signal handler can call it.
   */
  finish(reason = "the grading run ended before this submission was graded"): void {
    if (this.finished) return;
    const make = this.options.notGraded;
    for (let i = 0; i < this.files.length; i++) {
      if (this.got[i]) continue;
      const result = make ? make(this.files[i], this.learners[i], reason) : undefined;
      if (result) this.add(i, result);
    }
    this.finished = true;
    const all = this.summaries();
    const stream = (path: string, chunks: () => Iterable<string>, fallback: (why: string) => string) => {
      const fd = openSync(path, "w");
      try {
        try {
          for (const chunk of chunks()) writeSync(fd, chunk);
        } catch (e) {
          writeSync(fd, fallback(`the sheet could not be built: ${(e as Error)?.message ?? String(e)}`));
        }
      } finally {
        closeSync(fd);
      }
      this.filesWritten++;
    };
    stream(join(this.outDir, "grades.csv"), () => gradesCsvLines(all), (why) => `\n${csvCell(why)}\n`);
    stream(join(this.outDir, "manual-grading.md"), () => manualGradingMarkdownChunks(all), (why) => `\n\n${inline(why)}\n`);
    stream(join(this.outDir, "manual-grading.html"), () => manualGradingHtmlChunks(all), (why) => `<p>${esc(why)}</p>\n`);
  }

  /** Removes the summaries (after `finish`, and after reading `summaries()` for the terminal table). */
  dispose(): void {
    rmSync(this.spill, { recursive: true, force: true });
  }

  /** Submissions whose result is in. */
  get done(): number {
    return this.count;
  }
}

/**
 * Writes every report of results already in memory; returns the paths written. One learner's report
 * that cannot be built is replaced by a short one that says so: every other learner still gets theirs.
 */
export function writeReports(outDir: string, results: SubmissionResult[]): string[] {
  const writer = new ReportWriter(outDir, results.map((r) => r.file), results.map((r) => r.learner));
  try {
    results.forEach((r, i) => writer.add(i, r));
    writer.finish();
  } finally {
    writer.dispose();
  }
  makeIdsDistinct(results);
  const written = [join(outDir, "grades.csv"), join(outDir, "manual-grading.md"), join(outDir, "manual-grading.html")];
  for (const r of results) written.push(...["md", "html"].map((x) => join(outDir, "feedback", `${r.learner}.${x}`)), join(outDir, "gradescope", `${r.learner}.json`));
  if (results.length === 1) written.push(join(outDir, "results.json"));
  return written;
}
