/**
 * The workbooks (Remarks 4, 5, 6 and 6.C): each committed learner copy is what the generator builds;
 * it is a valid nbformat 4.5 notebook for the tslab kernel; each exercise has its question, a stub with
 * the table's name and signature, a check cell and (where asked) a written-answer cell, all tagged with
 * metadata the grader reads; the instructor copy carries the solutions' own source and written answers;
 * and no run of eight words from the seed essay appears in a workbook's prose.
 *
 *     npx vitest run test/workbook.test.ts
 */
import { readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { writtenAnswers } from "../solutions";
import { EXERCISE_SPECS, WORKBOOKS, checkCellSource, exercisesOf, signatureOf } from "../tools/grader/exercises";
import { notebookSchemaErrors } from "../tools/runner/schema";
import { REFERENCE_FIGURE, instructorWorkbook, learnerWorkbook, stubSource } from "../tools/workbook/build";
import { solutionCellSource } from "../tools/workbook/solutionSource";

const ROOT = resolve(__dirname, "..");

interface Cell {
  id: string;
  cell_type: string;
  source: string[];
  metadata: { "llm-dynamics"?: { exercise: string | null; role: string }; tags?: string[] };
}
const text = (c: Cell) => c.source.join("");
type Notebook = { cells: Cell[]; metadata: { kernelspec: Record<string, string> } };
const learners = Object.fromEntries(WORKBOOKS.map((w) => [w.id, JSON.parse(learnerWorkbook(w.id)) as Notebook]));
const instructors = Object.fromEntries(WORKBOOKS.map((w) => [w.id, JSON.parse(instructorWorkbook(w.id)) as Notebook]));
const learner = learners["6C"];
const instructor = instructors["6C"];
const learnerOf = (id: string) => learners[EXERCISE_SPECS.find((e) => e.id === id)!.workbook];
const cellOf = (nb: { cells: Cell[] }, exercise: string, role: string) => nb.cells.filter((c) => c.metadata["llm-dynamics"]?.exercise === exercise && c.metadata["llm-dynamics"]?.role === role);

describe("the learner's workbook", () => {
  it.each(WORKBOOKS.map((w) => [w.file, w.id]))("%s is committed exactly as the generator builds it", (file, id) => {
    expect(readFileSync(join(ROOT, "notebooks", file), "utf8")).toBe(learnerWorkbook(id));
  });

  it.each(WORKBOOKS.map((w) => [w.id]))("workbook %s is a valid nbformat 4.5 notebook for the tslab kernel that names itself", (id) => {
    expect(notebookSchemaErrors(learners[id])).toEqual([]);
    expect(notebookSchemaErrors(instructors[id])).toEqual([]);
    expect(learners[id].metadata.kernelspec).toEqual({ display_name: "TypeScript", language: "typescript", name: "tslab" });
    expect(learners[id].cells[0].metadata["llm-dynamics"]).toEqual({ exercise: null, role: "intro", workbook: id });
    expect(learners[id].cells.filter((c) => c.metadata["llm-dynamics"]?.role === "answer")).toHaveLength(exercisesOf(id).length);
  });

  it("never cites the maintainers' spec in learner-facing text", () => {
    for (const nb of Object.values(learners)) for (const c of nb.cells) expect(text(c), c.id).not.toMatch(/spec(\/waluigi-model\.md| §)/);
  });

  it.each(EXERCISE_SPECS.map((e) => [e.id, e] as const))("has the question, stub, check and answer cells of %s, tagged", (id, e) => {
    const learner = learnerOf(id);
    const [question] = cellOf(learner, id, "question");
    expect(question.cell_type).toBe("markdown");
    expect(text(question)).toMatch(new RegExp(`^## ${id.replace(/\./g, "\\.")} — `));
    expect(text(question)).toContain(`\`${e.functionName}(`);
    const [answer] = cellOf(learner, id, "answer");
    expect(answer.cell_type).toBe("code");
    expect(text(answer)).toBe(stubSource(e));
    expect(text(answer).startsWith(signatureOf(e))).toBe(true);
    expect(text(answer)).toContain(`throw new Error("not implemented: ${e.functionName}")`);
    const [checkCell] = cellOf(learner, id, "check");
    expect(text(checkCell)).toBe(checkCellSource(e));
    expect(checkCell.metadata.tags).toEqual([id, "check"]);
    expect(cellOf(learner, id, "written")).toHaveLength(e.manual.some((m) => m.kind === "written") ? 1 : 0);
    expect(cellOf(learner, id, "figure")).toHaveLength(e.manual.some((m) => m.kind === "figure") ? 1 : 0);
    // Question, answer, [figure], check, [written]: in this order.
    const order = learner.cells.filter((c) => c.metadata["llm-dynamics"]?.exercise === id).map((c) => c.metadata["llm-dynamics"]!.role);
    expect(order).toEqual(["question", "answer", ...(e.manual.some((m) => m.kind === "figure") ? ["figure"] : []), "check", ...(e.manual.some((m) => m.kind === "written") ? ["written"] : [])]);
  });

  it("declares each stub with the parameters of the reference solution", () => {
    for (const e of EXERCISE_SPECS) {
      const file = join(ROOT, "solutions", `${e.id}.ts`);
      const sf = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
      const fn = sf.statements.find((s): s is ts.FunctionDeclaration => ts.isFunctionDeclaration(s) && s.name?.text === e.functionName)!;
      expect(fn, e.id).toBeDefined();
      expect(fn.parameters.map((p) => p.getText(sf)).join(", "), e.id).toBe(e.params);
    }
  });

  it("has no run of eight words from the seed essay in its prose", () => {
    const words = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, " ").trim().split(" ").filter(Boolean);
    const seedDir = resolve(ROOT, "../shared/seeds");
    let seed: string[];
    try {
      seed = words(readdirSync(seedDir).map((f) => readFileSync(join(seedDir, f), "utf8")).join(" "));
    } catch {
      console.log(`skipped the seed comparison: ${seedDir} is not readable here`);
      return;
    }
    const grams = new Set<string>();
    for (let i = 0; i + 8 <= seed.length; i++) grams.add(seed.slice(i, i + 8).join(" "));
    const prose = words(Object.values(learners).flatMap((nb) => nb.cells.filter((c) => c.cell_type === "markdown").map(text)).join(" "));
    const copied: string[] = [];
    for (let i = 0; i + 8 <= prose.length; i++) if (grams.has(prose.slice(i, i + 8).join(" "))) copied.push(prose.slice(i, i + 8).join(" "));
    expect(copied).toEqual([]);
  });
});

describe("the instructor's copy", () => {
  it("carries each solution's own source, without export keywords, in the answer cells", () => {
    for (const e of EXERCISE_SPECS) {
      const [answer] = cellOf(instructors[e.workbook], e.id, "answer");
      const source = solutionCellSource(join(ROOT, "solutions", `${e.id}.ts`));
      expect(text(answer)).toBe(source.cell);
      expect(text(answer)).toMatch(new RegExp(`^function ${e.functionName}\\(${e.params.replace(/[()[\]|{}]/g, "\\$&")}\\)`, "m"));
      expect(text(answer)).not.toMatch(/^export /m);
      for (const body of Object.values(source.bodies)) expect(text(answer)).toContain(body);
      expect(text(answer)).not.toContain("writtenAnswer");
    }
  });

  it("carries the reference written answers and a figure call", () => {
    for (const [id, answer] of Object.entries(writtenAnswers)) expect(text(cellOf(instructors[EXERCISE_SPECS.find((e) => e.id === id)!.workbook], id, "written")[0])).toBe(answer);
    expect(text(cellOf(instructor, "6.C.3", "figure")[0])).toBe(REFERENCE_FIGURE);
    // The learner's figure cell names the library helpers that draw a page network.
    expect(text(cellOf(learner, "6.C.3", "figure")[0])).toMatch(/networkPlot\(pageNetwork\(/);
  });

  it("drops imports of earlier solutions: the function comes from the earlier cell", () => {
    for (const id of ["6.C.8", "6.C.10", "6.C.11"]) {
      const answer = text(cellOf(instructor, id, "answer")[0]);
      expect(answer).not.toMatch(/from "\.\//);
      expect(answer).toContain("// Uses transitionMatrix from the earlier exercise's cell.");
    }
  });

  it.each(WORKBOOKS.map((w) => [w.id]))("of workbook %s differs from the learner's copy only in answers, figure, written cells and the title", (id) => {
    const [learner, instructor] = [learners[id], instructors[id]];
    expect(instructor.cells.map((c) => c.id)).toEqual(learner.cells.map((c) => c.id));
    learner.cells.forEach((c, i) => {
      const role = c.metadata["llm-dynamics"]?.role;
      if (!["answer", "figure", "written", "intro"].includes(role ?? "")) expect(text(instructor.cells[i]), c.id).toBe(text(c));
    });
  });
});
