/**
 * Builds the 6.C workbook in two variants from one description:
 *
 * - the learner's copy, `notebooks/6C-workbook.ipynb` (committed): questions, stubs that throw
 *   "not implemented", `check(...)` cells, empty written-answer cells;
 * - the instructor's copy, `build/instructor/6C-workbook.ipynb` (not committed; rebuilt from
 *   `solutions/` whenever needed): the same cells with the reference solutions' source (taken from
 *   `solutions/6.C.n.ts` with the TypeScript compiler API) and the reference written answers.
 *
 * Every cell carries `metadata["llm-dynamics"] = { exercise, role }` (role: intro, setup, question,
 * answer, figure, check, written) and tags (`6.C.n`, role); the grader finds written answers and
 * untouched check cells by them.
 *
 *     npx tsc -p . && node dist/tools/workbook/build.js              # both copies
 *     node dist/tools/workbook/build.js --check                      # fail if the committed copy is stale
 *     node dist/tools/workbook/build.js --instructor-out /tmp/i.ipynb
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Command } from "commander";
import { renderNotebook, type SourceCell } from "../notebooks/format";
import { CELL_METADATA_KEY, EXERCISE_SPECS, type ExerciseSpec, checkCellSource, signatureOf } from "../grader/exercises";
import { projectRoot } from "../grader/paths";
import { referenceWrittenAnswer } from "../grader/reference";
import { FIGURE_PLACEHOLDER, INTRO, QUESTIONS, SETUP_SOURCE, WRITTEN_PLACEHOLDER } from "./content";
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

const cellId = (e: ExerciseSpec | null, role: CellRole) => (e ? `ex${e.id.slice(4).replace(".", "-")}-${role}` : role);

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
export function stubSource(e: ExerciseSpec): string {
  return `${signatureOf(e)} {\n  // Replace this line with your answer.\n  throw new Error("not implemented: ${e.functionName}");\n}`;
}

/** The workbook's cells; with `instructor`, the answers filled in. */
export function workbookCells(instructor?: InstructorContent): SourceCell[] {
  const cells: SourceCell[] = [];
  const intro = instructor
    ? INTRO.replace(/^# (.*)$/m, "# $1 (instructor copy)\n\n**Generated from `solutions/` by `tools/workbook/build.ts`: do not hand this copy out.**")
    : INTRO;
  cells.push(cell("markdown", null, "intro", intro, { editable: false, deletable: false }));
  cells.push(cell("code", null, "setup", SETUP_SOURCE, { deletable: false }));
  for (const e of EXERCISE_SPECS) {
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
export function instructorContent(root = projectRoot()): InstructorContent {
  const answers: Record<string, string> = {};
  for (const e of EXERCISE_SPECS) {
    const file = join(root, "solutions", `${e.id}.ts`);
    if (!existsSync(file)) throw new Error(`the instructor copy needs ${file}`);
    const source = solutionCellSource(file);
    if (!source.functions.includes(e.functionName)) throw new Error(`${file} does not declare ${e.functionName}`);
    answers[e.id] = source.cell;
  }
  const written: Record<string, string> = {};
  for (const e of EXERCISE_SPECS) {
    if (!e.manual.some((m) => m.kind === "written")) continue;
    const text = referenceWrittenAnswer(e.id);
    if (typeof text !== "string" || !text.trim()) throw new Error(`solutions/index.ts has no written answer for ${e.id}`);
    written[e.id] = text;
  }
  return { answers, written, figure: `show(drawTransitionNetwork(2, { luigiPrior: 0.9, pFriendly: 0.8 }));` };
}

export function learnerWorkbook(): string {
  return renderNotebook(workbookCells());
}

export function instructorWorkbook(root = projectRoot()): string {
  return renderNotebook(workbookCells(instructorContent(root)));
}

function main(argv: string[]): number {
  const root = projectRoot();
  const program = new Command()
    .name("workbook")
    .description("Build the 6.C workbook (learner copy, committed) and its instructor copy (from solutions/, not committed)")
    .option("--out <file>", "learner copy", join(root, "notebooks", WORKBOOK_NAME))
    .option("--instructor-out <file>", "instructor copy", join(root, "build", "instructor", WORKBOOK_NAME))
    .option("--no-instructor", "skip the instructor copy (e.g. without solutions/)")
    .option("--check", "write nothing; exit 1 if the committed learner copy differs from a fresh build")
    .parse(argv);
  const opts = program.opts<{ out: string; instructorOut: string; instructor: boolean; check?: boolean }>();
  const learner = learnerWorkbook();
  const current = existsSync(opts.out) ? readFileSync(opts.out, "utf8") : null;
  if (opts.check) {
    if (current !== learner) {
      console.error(`${opts.out}: differs from a fresh build; run npm run workbook`);
      return 1;
    }
    console.log(`${opts.out}: up to date`);
    return 0;
  }
  if (current !== learner) writeFileSync(opts.out, learner);
  console.log(`${opts.out}: ${current === learner ? "unchanged" : "written"} (learner copy)`);
  if (opts.instructor) {
    mkdirSync(dirname(opts.instructorOut), { recursive: true });
    writeFileSync(opts.instructorOut, instructorWorkbook(root));
    console.log(`${opts.instructorOut}: written (instructor copy, from solutions/)`);
  }
  return 0;
}

if (require.main === module) runMain(main);
