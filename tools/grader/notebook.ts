/**
 * Reading a submitted notebook without trusting it: any file may arrive (not JSON, a JSON array, cells
 * without sources, nbformat 3 …). The result is either the cells in order — type, source text and
 * the workbook metadata the grader uses — or a reason a learner can read.
 *
 *     parseNotebook(readFileSync("alice.ipynb", "utf8"));
 *     // { ok: true, cells: [{ index: 0, type: "markdown", source: "# Remark 6.C …", role: "intro" }, …] }
 */
import { CELL_METADATA_KEY as METADATA_KEY } from "./exercises";

export interface NotebookCell {
  /** Position in the notebook, 0-based. */
  index: number;
  type: "code" | "markdown" | "raw";
  source: string;
  exercise?: string;
  role?: string;
  /** The workbook the intro cell names (tools/workbook/build.ts). */
  workbook?: string;
}

export type ParsedNotebook = { ok: true; cells: NotebookCell[] } | { ok: false; reason: string };

const MAX_NOTEBOOK_BYTES = 50 * 1024 * 1024;
/** The workbook has 24 code cells; far more can only be an attempt to exhaust the grader. */
const MAX_CODE_CELLS = 500;

export function parseNotebook(text: string): ParsedNotebook {
  if (text.length > MAX_NOTEBOOK_BYTES) return { ok: false, reason: `the file is larger than ${MAX_NOTEBOOK_BYTES / 1024 / 1024} MB` };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, reason: `the file is not a Jupyter notebook: it is not valid JSON (${(e as Error).message})` };
  }
  if (json === null || typeof json !== "object" || Array.isArray(json)) return { ok: false, reason: "the file is not a Jupyter notebook: its JSON is not an object with cells" };
  const nb = json as Record<string, unknown>;
  if (nb.nbformat !== undefined && nb.nbformat !== 4) return { ok: false, reason: `nbformat ${JSON.stringify(nb.nbformat)} is not supported (expected 4; save the notebook with a current Jupyter)` };
  if (!Array.isArray(nb.cells)) return { ok: false, reason: 'the file is not a Jupyter notebook: it has no "cells" list' };
  const cells: NotebookCell[] = [];
  for (let i = 0; i < nb.cells.length; i++) {
    const c = nb.cells[i] as Record<string, unknown> | null;
    if (c === null || typeof c !== "object" || Array.isArray(c)) return { ok: false, reason: `cell ${i + 1} is not an object` };
    const type = c.cell_type;
    if (type !== "code" && type !== "markdown" && type !== "raw") return { ok: false, reason: `cell ${i + 1} has an unknown cell_type ${JSON.stringify(type)}` };
    let source: string;
    if (typeof c.source === "string") source = c.source;
    else if (Array.isArray(c.source) && c.source.every((s) => typeof s === "string")) source = (c.source as string[]).join("");
    else return { ok: false, reason: `cell ${i + 1} has no source text` };
    const cell: NotebookCell = { index: i, type, source };
    const meta = c.metadata && typeof c.metadata === "object" ? ((c.metadata as Record<string, unknown>)[METADATA_KEY] as Record<string, unknown> | undefined) : undefined;
    if (meta && typeof meta === "object") {
      if (typeof meta.exercise === "string") cell.exercise = meta.exercise;
      if (typeof meta.role === "string") cell.role = meta.role;
      if (typeof meta.workbook === "string") cell.workbook = meta.workbook;
    }
    cells.push(cell);
  }
  const code = cells.filter((c) => c.type === "code").length;
  if (code > MAX_CODE_CELLS) return { ok: false, reason: `the notebook has ${code} code cells; the grader accepts at most ${MAX_CODE_CELLS}` };
  return { ok: true, cells };
}
