/**
 * Human marks for the parts a person grades (written answers, the 6.C.3 figure).
 *
 * A marks file is JSON or CSV, passed to `grade --marks <file>`; until a part is marked it scores 0.
 *
 *     { "alice": { "6.C.5 written": 1, "6.C.3 figure": { "score": 0.5, "comment": "labels missing" } } }
 *
 *     learner,part,score,comment
 *     alice,6.C.5 written,1,
 *     alice,6.C.3 figure,0.5,labels missing
 *
 * The learner id is the submission's file name without `.ipynb` (as in grades.csv); part ids are listed
 * in `manual-grading.md`. Scores are clamped to [0, the part's points].
 */
import { readFileSync } from "node:fs";
import { MANUAL_PARTS } from "./exercises";
import type { SubmissionResult } from "./grade";

export interface Mark {
  score: number;
  comment?: string;
}

export type Marks = Map<string, Map<string, Mark>>;

/** Splits one CSV line, honouring double quotes. */
function csvFields(line: string): string[] {
  const out: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      out.push(field);
      field = "";
    } else field += ch;
  }
  out.push(field);
  return out.map((f) => f.trim());
}

function addMark(marks: Marks, learner: string, part: string, score: unknown, comment: unknown, where: string): void {
  if (!MANUAL_PARTS.some((m) => m.id === part)) throw new RangeError(`${where}: part must be one of ${MANUAL_PARTS.map((m) => JSON.stringify(m.id)).join(", ")}; got ${JSON.stringify(part)}`);
  const n = typeof score === "string" ? Number(score) : score;
  if (typeof n !== "number" || !Number.isFinite(n)) throw new TypeError(`${where}: score must be a number; got ${JSON.stringify(score)}`);
  if (!marks.has(learner)) marks.set(learner, new Map());
  marks.get(learner)!.set(part, { score: n, ...(typeof comment === "string" && comment ? { comment } : {}) });
}

export function parseMarks(text: string, fileName: string): Marks {
  const marks: Marks = new Map();
  if (/\.json$/i.test(fileName)) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new SyntaxError(`${fileName}: the marks file is not valid JSON (${(e as Error).message})`);
    }
    if (json === null || typeof json !== "object" || Array.isArray(json)) throw new TypeError(`${fileName}: must be an object { learner: { part: score } }`);
    for (const [learner, parts] of Object.entries(json as Record<string, unknown>)) {
      if (parts === null || typeof parts !== "object") throw new TypeError(`${fileName}: marks of ${JSON.stringify(learner)} must be an object`);
      for (const [part, value] of Object.entries(parts as Record<string, unknown>)) {
        const v = value !== null && typeof value === "object" ? (value as Record<string, unknown>) : { score: value };
        addMark(marks, learner, part, v.score, v.comment, `${fileName}: ${learner}`);
      }
    }
    return marks;
  }
  const lines = text.replace(/\r\n/g, "\n").split("\n").filter((l) => l.trim() !== "");
  const header = csvFields(lines[0] ?? "").map((h) => h.toLowerCase());
  const col = (name: string) => header.indexOf(name);
  if (col("learner") < 0 || col("part") < 0 || col("score") < 0) throw new RangeError(`${fileName}: the first line must name the columns learner,part,score[,comment]; got ${JSON.stringify(lines[0] ?? "")}`);
  lines.slice(1).forEach((line, i) => {
    const f = csvFields(line);
    addMark(marks, f[col("learner")], f[col("part")], f[col("score")], col("comment") >= 0 ? f[col("comment")] : undefined, `${fileName}:${i + 2}`);
  });
  return marks;
}

export function readMarks(file: string): Marks {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new Error(`--marks ${JSON.stringify(file)} cannot be read: ${(e as Error).message}`);
  }
  return parseMarks(text, file);
}

/** Applies marks to the results (in place); returns warnings about marks that matched nothing. */
export function applyMarks(results: SubmissionResult[], marks: Marks): string[] {
  for (const r of results) applyMarksTo(r, marks);
  return unmatchedMarks(results.map((r) => r.learner), marks);
}

/** Applies a learner's marks to their result (in place). */
export function applyMarksTo(r: SubmissionResult, marks: Marks): void {
  const mine = marks.get(r.learner);
  if (!mine) return;
  for (const part of r.manual) {
    const mark = mine.get(part.id);
    if (!mark) continue;
    part.score = Math.min(part.points, Math.max(0, mark.score));
    part.marked = true;
    part.comment = mark.comment;
  }
  r.score = Math.round((r.autoScore + r.manual.reduce((s, m) => s + m.score, 0)) * 10000) / 10000;
}

/** Warnings about marks for learners that no submission has. */
export function unmatchedMarks(learners: readonly string[], marks: Marks): string[] {
  const known = new Set(learners);
  const warnings: string[] = [];
  for (const learner of marks.keys()) if (!known.has(learner)) warnings.push(`marks for ${JSON.stringify(learner)} match no submission`);
  return warnings;
}
