/**
 * Builds every workbook (Remarks 4, 5, 6 and 6.C; `WORKBOOKS` in tools/grader/exercises.ts) in two
 * variants from one description:
 *
 * - the learner's copy, `notebooks/<id>-workbook.ipynb` (committed): questions, stubs that throw
 *   "not implemented", `check(...)` cells, empty written-answer cells;
 * - the instructor's copy, `build/instructor/<id>-workbook.ipynb` (not committed; rebuilt from
 *   `solutions/` whenever needed): the same cells with the reference solutions' source (taken from
 *   `solutions/<exercise id>.ts` with the TypeScript compiler API), the reference written answers and
 *   the reference figure.
 *
 * Every cell carries `metadata["llm-dynamics"] = { exercise, role }` (role: intro, setup, question,
 * answer, figure, check, written) and tags (exercise id, role); the intro cell also names its
 * `workbook`. The grader finds the workbook, written answers and untouched check cells by them.
 *
 *     npx tsc -p . && node dist/tools/workbook/build.js              # both copies
 *     node dist/tools/workbook/build.js --check                      # fail if the committed copy is stale
 *     node dist/tools/workbook/build.js --instructor-out /tmp/i.ipynb
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Command } from "commander";
import { renderNotebook, type SourceCell } from "../notebooks/format";
import { CELL_METADATA_KEY, type ExerciseSpec, WORKBOOKS, checkCellSource, exercisesOf, signatureOf, workbookById } from "../grader/exercises";
import { projectRoot } from "../grader/paths";
import { referenceWrittenAnswer } from "../grader/reference";
import { FIGURE_PLACEHOLDER, INTRO, INTROS, QUESTIONS, SETUP_SOURCES, WRITTEN_PLACEHOLDER } from "./content";
import { solutionCellSource } from "./solutionSource";
import { runMain } from "../cli";

export const WORKBOOK_NAME = "6C-workbook.ipynb";
export const METADATA_KEY = CELL_METADATA_KEY;
export type CellRole = "intro" | "setup" | "question" | "answer" | "figure" | "check" | "written";

/** What the instructor copy adds: solution cells, the figure call and the reference written answers. */
export interface InstructorContent {
  answers: Record<string, string>;
  figure: string;
  written: Record<string, string>;
}

/** Cell ids: "ex1-answer" for 6.C.1 (as the 6.C workbook always had), "ex4-2-answer" for 4.2. */
const cellId = (e: ExerciseSpec | null, role: CellRole) => (e ? `ex${e.id.startsWith("6.C.") ? e.id.slice(4) : e.id.replace(/\./g, "-")}-${role}` : role);

function cell(cellType: "markdown" | "code", e: ExerciseSpec | null, role: CellRole, source: string, extra: Record<string, unknown> = {}): SourceCell {
  return {
    cellType,
    id: cellId(e, role),
    source,
    tags: e ? [e.id, role] : [role],
    metadata: { [METADATA_KEY]: { exercise: e ? e.id : null, role }, ...extra },
  };
}

/** The learner's stub: the spec's signature and a body that throws until it is replaced. */
/** The instructor copy's figure cell: the reference drawing of 6.C.3. */
export const REFERENCE_FIGURE = `show(drawTransitionNetwork(2, { luigiPrior: 0.9, pFriendly: 0.8 }));`;

export function stubSource(e: ExerciseSpec): string {
  return `${signatureOf(e)} {\n  // Replace this line with your answer.\n  throw new Error("not implemented: ${e.functionName}");\n}`;
}

/** A workbook's cells; with `instructor`, the answers filled in. */
export function workbookCells(workbook = "6C", instructor?: InstructorContent): SourceCell[] {
  workbookById(workbook);
  const cells: SourceCell[] = [];
  const base = workbook === "6C" ? INTRO : INTROS[workbook];
  const intro = instructor
    ? base.replace(/^# (.*)$/m, "# $1 (instructor copy)\n\n**Generated from `solutions/` by `tools/workbook/build.ts`: do not hand this copy out.**")
    : base;
  const introCell = cell("markdown", null, "intro", intro, { editable: false, deletable: false });
  (introCell.metadata[METADATA_KEY] as Record<string, unknown>).workbook = workbook;
  cells.push(introCell);
  cells.push(cell("code", null, "setup", SETUP_SOURCES[workbook], { deletable: false }));
  for (const e of exercisesOf(workbook)) {
    cells.push(cell("markdown", e, "question", QUESTIONS[e.id], { editable: false, deletable: false }));
    cells.push(cell("code", e, "answer", instructor ? instructor.answers[e.id] : stubSource(e)));
    if (e.manual.some((m) => m.kind === "figure")) cells.push(cell("code", e, "figure", instructor ? instructor.figure : FIGURE_PLACEHOLDER));
    cells.push(cell("code", e, "check", checkCellSource(e), { deletable: false }));
    if (e.manual.some((m) => m.kind === "written")) {
      cells.push(cell("markdown", e, "written", instructor ? instructor.written[e.id] : WRITTEN_PLACEHOLDER));
    }
  }
  return cells;
}

/** The instructor content, read from solutions/ (the .ts sources for code, `writtenAnswers` for prose). */
export function instructorContent(workbook = "6C", root = projectRoot()): InstructorContent {
  const answers: Record<string, string> = {};
  for (const e of exercisesOf(workbook)) {
    const file = join(root, "solutions", `${e.id}.ts`);
    if (!existsSync(file)) throw new Error(`the instructor copy needs ${file}`);
    const source = solutionCellSource(file);
    if (!source.functions.includes(e.functionName)) throw new Error(`${file} does not declare ${e.functionName}`);
    answers[e.id] = source.cell;
  }
  const written: Record<string, string> = {};
  for (const e of exercisesOf(workbook)) {
    if (!e.manual.some((m) => m.kind === "written")) continue;
    const text = referenceWrittenAnswer(e.id);
    if (typeof text !== "string" || !text.trim()) throw new Error(`solutions/index.ts has no written answer for ${e.id}`);
    written[e.id] = text;
  }
  return { answers, written, figure: REFERENCE_FIGURE };
}

export function learnerWorkbook(workbook = "6C"): string {
  return renderNotebook(workbookCells(workbook));
}

export function instructorWorkbook(workbook = "6C", root = projectRoot()): string {
  return renderNotebook(workbookCells(workbook, instructorContent(workbook, root)));
}

function main(argv: string[]): number {
  const root = projectRoot();
  const program = new Command()
    .name("workbook")
    .description("Build every workbook (learner copies in notebooks/, committed) and their instructor copies (from solutions/, in build/instructor/, not committed)")
    .option("--workbook <id>", `only this workbook (${WORKBOOKS.map((w) => w.id).join(", ")})`)
    .option("--out-dir <dir>", "folder of the learner copies", join(root, "notebooks"))
    .option("--instructor-dir <dir>", "folder of the instructor copies", join(root, "build", "instructor"))
    .option("--no-instructor", "skip the instructor copies (e.g. without solutions/)")
    .option("--check", "write nothing; exit 1 if a committed learner copy differs from a fresh build")
    .parse(argv);
  const opts = program.opts<{ workbook?: string; outDir: string; instructorDir: string; instructor: boolean; check?: boolean }>();
  const chosen = opts.workbook ? [workbookById(opts.workbook)] : WORKBOOKS;
  let stale = 0;
  for (const w of chosen) {
    const out = join(opts.outDir, w.file);
    const learner = learnerWorkbook(w.id);
    const current = existsSync(out) ? readFileSync(out, "utf8") : null;
    if (opts.check) {
      if (current !== learner) {
        console.error(`${out}: differs from a fresh build; run npm run workbook`);
        stale++;
      } else console.log(`${out}: up to date`);
      continue;
    }
    if (current !== learner) writeFileSync(out, learner);
    console.log(`${out}: ${current === learner ? "unchanged" : "written"} (learner copy)`);
    if (opts.instructor) {
      const instructorOut = join(opts.instructorDir, w.file);
      mkdirSync(dirname(instructorOut), { recursive: true });
      writeFileSync(instructorOut, instructorWorkbook(w.id, root));
      console.log(`${instructorOut}: written (instructor copy, from solutions/)`);
    }
  }
  return stale > 0 ? 1 : 0;
}

if (require.main === module) runMain(main);
