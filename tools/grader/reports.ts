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
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { formatValue } from "../../src/compare";
import { EXERCISE_SPECS, MANUAL_PARTS, WORKBOOKS } from "./exercises";
import type { ExerciseResult, SubmissionResult } from "./grade";

const MAX_FAILURES_LISTED = 25;
const fmt = (x: number) => (Math.round(x * 100) / 100).toString();

function csvCell(value: string | number): string {
  const s = String(value);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The exercises of the workbooks among the results (all of them when there are none), in table order. */
function specsOf(results: SubmissionResult[]): typeof EXERCISE_SPECS {
  const present = new Set(results.map((r) => r.workbook));
  return present.size ? EXERCISE_SPECS.filter((e) => present.has(e.workbook)) : EXERCISE_SPECS;
}

/** The manual parts of the workbooks among the results. */
function partsOf(results: SubmissionResult[]): typeof MANUAL_PARTS {
  const specs = specsOf(results);
  return MANUAL_PARTS.filter((m) => specs.some((e) => e.id === m.exercise));
}

function workbookTitle(id: string): string {
  return WORKBOOKS.find((w) => w.id === id)?.title ?? `${id} workbook`;
}

export function gradesCsv(results: SubmissionResult[]): string {
  const specs = specsOf(results);
  const parts = MANUAL_PARTS.filter((m) => specs.some((e) => e.id === m.exercise));
  const header = ["learner", "file", "status", "score", "max", "auto_score", "auto_max", ...specs.map((e) => e.id), ...parts.map((m) => m.id), "reason"];
  const rows = results.map((r) => [
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
  ]);
  return [header, ...rows].map((row) => row.map(csvCell).join(",")).join("\n") + "\n";
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
    rows.push(`| ${d.d + 1} (${mdEscape(d.family)}) | ${mdEscape(d.argsText)} | ${code(formatValue(d.expected, 160))} | ${"actual" in d ? code(formatValue(d.actual, 160)) : "—"} | ${mdEscape(d.message)} |`);
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
        parts.push(`<tr><td>${d.d + 1} (${esc(d.family)})</td><td>${esc(d.argsText)}</td><td><code>${esc(formatValue(d.expected, 160))}</code></td><td>${"actual" in d ? `<code>${esc(formatValue(d.actual, 160))}</code>` : "—"}</td><td>${esc(d.message)}</td></tr>`);
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

export function manualGradingMarkdown(results: SubmissionResult[]): string {
  const lines = ["# Workbooks — parts for a human grader", "", "Record marks in a JSON or CSV file and pass it with `npm run grade -- <submissions> --marks <file>` (format: tools/grader/marks.ts). Part ids:", ""];
  const manualParts = partsOf(results);
  for (const m of manualParts) lines.push(`- \`${m.id}\` (${m.points} point${m.points === 1 ? "" : "s"})`);
  for (const m of manualParts) {
    const ref = results.flatMap((r) => r.manual).find((x) => x.id === m.id && x.referenceText)?.referenceText ?? "";
    lines.push("", `## ${m.id}`, "", "### Reference (from solutions/)", "", m.kind === "figure" ? "```ts\n" + ref + "\n```" : ref, "");
    for (const r of results.filter((x) => x.manual.some((p) => p.id === m.id))) {
      const part = r.manual.find((x) => x.id === m.id);
      lines.push(`### ${r.learner} — ${part?.marked ? `marked ${fmt(part.score)} / ${m.points}` : "not marked yet"}`, "");
      const text = part?.learnerText ?? "";
      lines.push(text ? fenced(text, m.kind === "figure" ? "ts" : "text") : `_(nothing written${r.status !== "graded" ? `: ${inline(r.reason ?? "")}` : ""})_`, "");
    }
  }
  return lines.join("\n") + "\n";
}

export function manualGradingHtml(results: SubmissionResult[]): string {
  const parts = ["<h1>Workbooks — parts for a human grader</h1>", "<p>Record marks in a JSON or CSV file and pass it with <code>npm run grade -- &lt;submissions&gt; --marks &lt;file&gt;</code>.</p>"];
  for (const m of partsOf(results)) {
    const ref = results.flatMap((r) => r.manual).find((x) => x.id === m.id && x.referenceText)?.referenceText ?? "";
    parts.push(`<h2>${esc(m.id)}</h2><table><tr><th>learner</th><th>answer</th><th>reference</th><th>mark</th></tr>`);
    for (const r of results.filter((x) => x.manual.some((p) => p.id === m.id))) {
      const part = r.manual.find((x) => x.id === m.id);
      parts.push(`<tr><td>${esc(r.learner)}</td><td><pre>${esc(part?.learnerText || "(nothing written)")}</pre></td><td><pre>${esc(ref)}</pre></td><td>${part?.marked ? `${fmt(part.score)} / ${m.points}` : "not marked"}</td></tr>`);
    }
    parts.push("</table>");
  }
  return page("Manual grading", parts.join("\n"));
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

export function terminalTable(results: SubmissionResult[]): string {
  const idWidth = Math.max(7, ...results.map((r) => r.learner.length));
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
 * disks): a clash or an unsafe id is renamed in place (`alice-2`), so no report overwrites another
 * and grades.csv names each learner once.
 */
export function makeIdsDistinct(results: SubmissionResult[]): void {
  const safe = (id: string) => (String(id).replace(/[^A-Za-z0-9._-]+/g, "_").replace(/^\.+/, "_").slice(0, 100) || "submission");
  const taken = new Set<string>();
  for (const r of results) {
    const base = safe(r.learner);
    let id = base;
    for (let n = 2; taken.has(id.toLowerCase()); n++) id = `${base}-${n}`;
    taken.add(id.toLowerCase());
    r.learner = id;
  }
}

/**
 * Writes every report; returns the paths written. One learner's report that cannot be built is
 * replaced by a short one that says so: every other learner still gets theirs.
 */
export function writeReports(outDir: string, results: SubmissionResult[]): string[] {
  makeIdsDistinct(results);
  const written: string[] = [];
  const write = (path: string, text: string) => {
    writeFileSync(path, text);
    written.push(path);
  };
  const guarded = (what: string, build: () => string, fallback: (why: string) => string) => {
    try {
      return build();
    } catch (e) {
      return fallback(`${what} could not be built: ${(e as Error)?.message ?? String(e)}`);
    }
  };
  mkdirSync(join(outDir, "feedback"), { recursive: true });
  mkdirSync(join(outDir, "gradescope"), { recursive: true });
  write(join(outDir, "grades.csv"), gradesCsv(results));
  write(join(outDir, "manual-grading.md"), guarded("the sheet", () => manualGradingMarkdown(results), (why) => `# 6.C workbook — parts for a human grader\n\n${inline(why)}\n`));
  write(join(outDir, "manual-grading.html"), guarded("the sheet", () => manualGradingHtml(results), (why) => page("6.C manual grading", `<p>${esc(why)}</p>`)));
  for (const r of results) {
    write(join(outDir, "feedback", `${r.learner}.md`), guarded("this feedback", () => feedbackMarkdown(r), (why) => `# 6.C workbook — feedback for ${r.learner}\n\nScore: ${fmt(Number(r.score) || 0)} of ${r.max}. ${inline(why)}\n`));
    write(join(outDir, "feedback", `${r.learner}.html`), guarded("this feedback", () => feedbackHtml(r), (why) => page(`Feedback: ${r.learner}`, `<p>Score: ${fmt(Number(r.score) || 0)} of ${r.max}. ${esc(why)}</p>`)));
    write(join(outDir, "gradescope", `${r.learner}.json`), JSON.stringify(gradescopeResults(r), null, 2) + "\n");
  }
  if (results.length === 1) write(join(outDir, "results.json"), JSON.stringify(gradescopeResults(results[0]), null, 2) + "\n");
  return written;
}
