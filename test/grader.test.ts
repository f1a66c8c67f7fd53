/**
 * The autograder on ordinary submissions: the instructor copy scores full marks, the blank workbook
 * scores 0 with a message per exercise, an off-by-one in one exercise costs exactly that exercise's
 * points, a file that is not a notebook gets 0 with its reason, every report is written, marks are
 * applied, grading is deterministic and the submitted files are never modified. Runs the real
 * sandbox (tslab's converter, Node's permission model); needs `npx tsc -p .` first (npm test does it).
 *
 *     npx vitest run test/grader.test.ts
 */
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXERCISES, writtenAnswers } from "../solutions";
import { EXERCISE_SPECS, exercisesOf, manualPartsOf } from "../tools/grader/exercises";
import { Grader, type SubmissionResult } from "../tools/grader/grade";
import { applyMarks, parseMarks } from "../tools/grader/marks";
import { gradescopeResults, terminalTable, writeReports } from "../tools/grader/reports";
import { main as gradeCli } from "../tools/grader/cli";
import { copyRawFixture, writeWorkbooks } from "./fixtures/workbooks/files";

const LIMITS = { drawTimeoutMs: 15_000, cellTimeoutMs: 30_000, exerciseBudgetMs: 30_000, maxTimeouts: 2, memoryMb: 256 };

let dir: string;
let files: Record<string, string>;
let grader: Grader;
let results: Record<string, SubmissionResult>;
const before = new Map<string, { hash: string; mtimeMs: number }>();

const fingerprint = (f: string) => ({ hash: createHash("sha256").update(readFileSync(f)).digest("hex"), mtimeMs: statSync(f).mtimeMs });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "grader-test-"));
  files = writeWorkbooks(dir, {
    instructor: { base: "instructor", edits: [] },
    blank: { base: "learner", edits: [] },
    ...Object.fromEntries(["4", "5", "6"].flatMap((w) => [[`instructor-${w}`, { base: "instructor" as const, edits: [], workbook: w }], [`blank-${w}`, { base: "learner" as const, edits: [], workbook: w }]])),
    // An off-by-one in n: f(n + 1) instead of f(n).
    "off-by-one": {
      base: "instructor",
      edits: [
        {
          replace: "ex1-answer",
          source: `function stayFriendlyPadded(n: number, k: number, params: WaluigiParams): number {
  const { luigiPrior: lambda, pFriendly: p } = params;
  return (lambda + (1 - lambda) * p ** (n + 2)) / (lambda + (1 - lambda) * p ** (n + 1));
}`,
        },
      ],
    },
  });
  files["not-json"] = copyRawFixture(dir, "not-json.ipynb");
  files["json-array"] = copyRawFixture(dir, "json-array.ipynb");
  files["nbformat3"] = copyRawFixture(dir, "nbformat3.ipynb");
  for (const f of Object.values(files)) before.set(f, fingerprint(f));
  grader = await Grader.start({ concurrency: 2, limits: LIMITS });
  const names = Object.keys(files);
  const graded = await grader.gradeFiles(names.map((n) => files[n]));
  results = Object.fromEntries(names.map((n, i) => [n, graded[i]]));
}, 600_000);

afterAll(() => {
  grader?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("grading ordinary submissions", () => {
  it("gives the instructor copy full marks on every draw of every exercise", () => {
    const r = results.instructor;
    expect(r.status, r.reason).toBe("graded");
    for (const e of r.exercises) expect(`${e.id}: ${e.passed}/${e.total} ${e.summary}`).toBe(`${e.id}: ${e.total}/${e.total} all ${e.total} draws pass`);
    expect(r.autoScore).toBe(r.autoMax);
    expect(r.cells.filter((c) => c.status !== "ok")).toEqual([]);
    // Draws include the edge cases.
    const families = new Set(r.exercises.flatMap((e) => e.draws.map((d) => d.family)));
    for (const f of ["p = 0", "p = 1", "k = 1", "ℓ = 0.001", "ℓ = 0.999", "random"]) expect(families).toContain(f);
  });

  it.each(["4", "5", "6"])("recognises workbook %s, gives its instructor copy full marks and its learner copy 0", (w) => {
    const r = results[`instructor-${w}`];
    expect(r.status, r.reason).toBe("graded");
    expect(r.workbook).toBe(w);
    expect(r.exercises.map((e) => e.id)).toEqual(exercisesOf(w).map((e) => e.id));
    for (const e of r.exercises) expect(`${e.id}: ${e.passed}/${e.total} ${e.summary}`).toBe(`${e.id}: ${e.total}/${e.total} all ${e.total} draws pass`);
    expect(r.autoScore).toBe(r.autoMax);
    expect(r.manual.map((m) => m.id)).toEqual(manualPartsOf(w).map((m) => m.id));
    for (const m of r.manual) expect(m.learnerText).toBe(writtenAnswers[m.exercise].trim());
    const blank = results[`blank-${w}`];
    expect(blank.workbook).toBe(w);
    expect(blank.autoScore).toBe(0);
    for (const e of blank.exercises) expect(e.summary).toBe(`all ${e.total} draws fail: your function threw Error: not implemented: ${e.functionName}`);
  });

  it("collects the written answers of the instructor copy, which are the reference answers", () => {
    for (const m of results.instructor.manual.filter((x) => x.kind === "written")) {
      expect(m.learnerText).toBe(writtenAnswers[m.exercise].trim());
      expect(m.referenceText).toBe(writtenAnswers[m.exercise]);
      expect(m.score).toBe(0);
      expect(m.marked).toBe(false);
    }
    const figure = results.instructor.manual.find((m) => m.kind === "figure")!;
    expect(figure.learnerText).toContain("drawTransitionNetwork");
  });

  it("gives the blank workbook 0 with a useful message for every exercise", () => {
    const r = results.blank;
    expect(r.status).toBe("graded");
    expect(r.autoScore).toBe(0);
    for (const e of r.exercises) {
      expect(e.score).toBe(0);
      expect(e.summary).toBe(`all ${e.total} draws fail: your function threw Error: not implemented: ${e.functionName}`);
    }
    expect(r.manual.every((m) => m.learnerText === "")).toBe(true);
  });

  it("takes away exactly the points of the exercise with an off-by-one", () => {
    const r = results["off-by-one"];
    for (const e of r.exercises) {
      if (e.id === "6.C.1") continue;
      expect(`${e.id} ${e.score}`).toBe(`${e.id} ${e.points}`);
    }
    const e = r.exercises.find((x) => x.id === "6.C.1")!;
    expect(e.score).toBeLessThan(0.5);
    expect(e.score).toBeCloseTo(e.passed / e.total, 4);
    expect(r.autoScore).toBeCloseTo(r.autoMax - e.points + e.score, 4);
    // Every random draw fails (only p = 0 / p = 1 draws can coincide), and the feedback shows the draw.
    const failing = e.draws.filter((d) => !d.pass);
    expect(failing.filter((d) => d.family === "random").length).toBe(e.draws.filter((d) => d.family === "random").length);
    const first = failing[0];
    expect(first.message).toMatch(/^expected [\d.e-]+, got [\d.e-]+$/);
    expect(first.argsText).toMatch(/^n = \d+, k = \d+, ℓ = [\d.]+, p = [\d.]+$/);
  });

  it("gives files that are not notebooks 0 and says why", () => {
    expect(results["not-json"].status).toBe("invalid");
    expect(results["not-json"].reason).toMatch(/not valid JSON/);
    expect(results["json-array"].reason).toMatch(/not an object with cells/);
    expect(results["nbformat3"].reason).toMatch(/nbformat 3 is not supported/);
    for (const name of ["not-json", "json-array", "nbformat3"]) {
      expect(results[name].score).toBe(0);
      expect(results[name].exercises.every((e) => e.score === 0 && /^not graded/.test(e.summary))).toBe(true);
    }
  });

  it("never modifies a submission", () => {
    for (const [f, fp] of before) expect(fingerprint(f), f).toEqual(fp);
  });

  it("gives the same grade to the same submission every time", async () => {
    const again = await grader.gradeFile(files["off-by-one"], "off-by-one");
    const strip = (r: SubmissionResult) => r.exercises.map((e) => ({ id: e.id, draws: e.draws.map((d) => [d.args, d.pass, d.message]) }));
    expect(strip(again)).toEqual(strip(results["off-by-one"]));
  });
});

describe("reports", () => {
  let out: string;
  let all: SubmissionResult[];
  beforeAll(() => {
    out = join(dir, "reports");
    all = Object.values(results);
    writeReports(out, all);
  });

  it("writes grades.csv with one row per submission, including those that could not be graded", () => {
    const lines = readFileSync(join(out, "grades.csv"), "utf8").trim().split("\n");
    expect(lines[0].split(",").slice(0, 5)).toEqual(["learner", "file", "status", "score", "max"]);
    expect(lines[0]).toContain("6.C.11");
    expect(lines[0]).toContain("6.C.5 written");
    expect(lines).toHaveLength(all.length + 1);
    expect(lines.find((l) => l.startsWith("not-json,"))).toMatch(/,invalid,0,19,/);
    expect(lines.find((l) => l.startsWith("instructor,"))).toMatch(/,graded,11,19,11,11,/);
    // A Remark 4 submission has no 6.C scores: those cells are empty, not 0.
    const header = lines[0].split(",");
    const row4 = lines.find((l) => l.startsWith("instructor-4,"))!.split(",");
    expect(row4[header.indexOf("4.1")]).toBe("1");
    expect(row4[header.indexOf("6.C.1")]).toBe("");
  });

  it("writes Markdown and HTML feedback for every learner, with failing draws' parameters, expected and actual values", () => {
    for (const r of all) {
      expect(existsSync(join(out, "feedback", `${r.learner}.md`))).toBe(true);
      expect(existsSync(join(out, "feedback", `${r.learner}.html`))).toBe(true);
    }
    const md = readFileSync(join(out, "feedback", "off-by-one.md"), "utf8");
    expect(md).toMatch(/## 6\.C\.1 `stayFriendlyPadded`/);
    expect(md).toMatch(/\| \d+ \(random\) \| n = \d+, k = \d+, ℓ = [\d.]+, p = [\d.]+ \| `` [\d.]+ `` \| `` [\d.]+ `` \| expected/);
    const html = readFileSync(join(out, "feedback", "off-by-one.html"), "utf8");
    expect(html).toMatch(/<td>n = \d+, k = \d+, ℓ = [\d.]+, p = [\d.]+<\/td>/);
    expect(readFileSync(join(out, "feedback", "not-json.md"), "utf8")).toMatch(/Not graded: the file is not a Jupyter notebook/);
    // The learner's feedback never shows the reference written answers.
    for (const text of Object.values(writtenAnswers)) expect(readFileSync(join(out, "feedback", "blank.md"), "utf8")).not.toContain(text.slice(0, 60));
  });

  it("writes Gradescope results: one test per exercise and manual part, scores adding up", () => {
    const gs = JSON.parse(readFileSync(join(out, "gradescope", "off-by-one.json"), "utf8"));
    expect(gs.tests).toHaveLength(exercisesOf("6C").length + manualPartsOf("6C").length);
    for (const t of gs.tests) {
      expect(Object.keys(t).sort()).toEqual(["max_score", "name", "output", "score", "visibility"]);
      expect(t.visibility).toBe("visible");
    }
    expect(gs.tests.reduce((s: number, t: { score: number }) => s + t.score, 0)).toBeCloseTo(gs.score, 6);
    expect(existsSync(join(out, "results.json"))).toBe(false); // only for a single submission
  });

  it("puts written answers next to the reference answer for the human grader", () => {
    const md = readFileSync(join(out, "manual-grading.md"), "utf8");
    for (const m of EXERCISE_SPECS.flatMap((e) => e.manual)) expect(md).toContain(`## ${m.id}`);
    expect(md).toContain(writtenAnswers["6.C.8"]);
    expect(readFileSync(join(out, "manual-grading.html"), "utf8")).toContain("6.C.9 written");
  });

  it("prints a terminal table with a row per learner", () => {
    const table = terminalTable(all);
    expect(table.split("\n")).toHaveLength(all.length + 1);
    expect(table).toMatch(/instructor .* 11 +11\/19 +graded/);
  });

  it("applies human marks from CSV, clamped, and warns about unknown learners", () => {
    const copy = structuredClone(all);
    const marks = parseMarks('learner,part,score,comment\ninstructor,6.C.5 written,1,"clear, complete"\ninstructor,6.C.3 figure,7,\nnobody,6.C.6 written,1,\n', "marks.csv");
    const warnings = applyMarks(copy, marks);
    expect(warnings).toEqual(['marks for "nobody" match no submission']);
    const r = copy.find((x) => x.learner === "instructor")!;
    expect(r.score).toBe(13);
    expect(r.manual.find((m) => m.id === "6.C.5 written")).toMatchObject({ score: 1, marked: true, comment: "clear, complete" });
    expect(gradescopeResults(r).tests.find((t) => t.name.startsWith("6.C.3 figure"))!.score).toBe(1);
    expect(() => parseMarks('{"alice": {"6.C.4 written": 1}}', "m.json")).toThrow(/part must be one of/);
  });
});

describe("the grader's exercise table", () => {
  it("agrees with solutions/index.ts", () => {
    expect(EXERCISE_SPECS.map((e) => [e.id, e.workbook, e.functionName, e.answer, e.manual.some((m) => m.kind === "written")])).toEqual(EXERCISES.map((e) => [e.id, e.workbook, e.functionName, e.answer, e.written]));
    expect(EXERCISES.map((e) => e.signature)).toEqual(EXERCISE_SPECS.map((e) => `${e.functionName}(${e.params}): ${e.returnType}`));
  });
});

describe("the grade command", () => {
  it("documents its options in --help", async () => {
    let help = "";
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((s: string) => ((help += s), true)) as typeof process.stdout.write;
    let code: number;
    try {
      code = await gradeCli(["node", "grade", "--help"]);
    } finally {
      process.stdout.write = write;
    }
    expect(code).toBe(0);
    for (const opt of ["--out", "--marks", "--seed", "--jobs", "--draw-timeout", "--memory"]) expect(help).toContain(opt);
  });

  it("grades one workbook end to end and writes results.json", async () => {
    const out = join(dir, "cli-out");
    const marks = join(dir, "marks.json");
    writeFileSync(marks, JSON.stringify({ blank: { "6.C.9 written": { score: 0.5, comment: "partly" } } }));
    const code = await gradeCli(["node", "grade", files.blank, "--out", out, "--marks", marks, "--jobs", "1", "--quiet"]);
    expect(code).toBe(0);
    const gs = JSON.parse(readFileSync(join(out, "results.json"), "utf8"));
    expect(gs.score).toBe(0.5);
    expect(gs.tests.find((t: { name: string }) => t.name.startsWith("6.C.9 written")).output).toBe("partly");
  });
});
