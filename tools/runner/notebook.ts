/**
 * Reading and writing notebooks as nbformat does: multi-line strings are stored as lists of lines,
 * keys sorted, one-space indent, UTF-8, a final newline — so an executed notebook written here
 * diffs cleanly against one saved by Jupyter. Cells without an id get a stable one (nbformat 4.5
 * requires ids; Jupyter would invent random ones).
 *
 *     const nb = readNotebook("notebooks/remark-4.ipynb");
 *     writeNotebook("build/notebooks/remark-4.ipynb", nb);
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Output } from "./outputs";

export interface Cell {
  id: string;
  cell_type: "code" | "markdown" | "raw";
  metadata: Record<string, unknown>;
  source: string;
  outputs?: Output[];
  execution_count?: number | null;
  attachments?: Record<string, unknown>;
}

export interface Notebook {
  nbformat: number;
  nbformat_minor: number;
  metadata: Record<string, unknown>;
  cells: Cell[];
}

const CELL_ID = /^[a-zA-Z0-9-_]{1,64}$/;

function joinLines(value: unknown): string {
  return Array.isArray(value) ? value.join("") : String(value ?? "");
}

/** Mime data as nbformat keeps it in memory: text joined; JSON mimetypes left as objects. */
function joinData(data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [mime, value] of Object.entries(data)) out[mime] = isJsonMime(mime) ? value : joinLines(value);
  return out;
}

function isJsonMime(mime: string): boolean {
  return mime === "application/json" || mime.endsWith("+json");
}

/** Parses notebook JSON (nbformat 4.x); errors name the file. */
export function parseNotebook(text: string, file = "notebook"): Notebook {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new SyntaxError(`${file}: not JSON: ${(err as Error).message}`);
  }
  if (raw?.nbformat !== 4) throw new RangeError(`${file}: only nbformat 4 notebooks can be run; got nbformat ${JSON.stringify(raw?.nbformat)}`);
  if (!Array.isArray(raw.cells)) throw new TypeError(`${file}: "cells" must be an array`);
  const seen = new Set<string>();
  const cells = (raw.cells as Record<string, unknown>[]).map((c, index): Cell => {
    let id = typeof c.id === "string" && CELL_ID.test(c.id) && !seen.has(c.id) ? c.id : `cell-${index + 1}`;
    while (seen.has(id)) id = `${id}-${index + 1}`;
    seen.add(id);
    const cell: Cell = {
      id,
      cell_type: c.cell_type as Cell["cell_type"],
      metadata: (c.metadata as Record<string, unknown>) ?? {},
      source: joinLines(c.source),
    };
    if (c.attachments) cell.attachments = c.attachments as Record<string, unknown>;
    if (cell.cell_type === "code") {
      cell.execution_count = (c.execution_count as number | null) ?? null;
      cell.outputs = ((c.outputs as Record<string, unknown>[]) ?? []).map((o) => {
        const output = { ...o } as Record<string, unknown>;
        if (output.output_type === "stream") output.text = joinLines(output.text);
        if (output.data) output.data = joinData(output.data as Record<string, unknown>);
        return output as unknown as Output;
      });
    }
    return cell;
  });
  return { nbformat: 4, nbformat_minor: Math.max(5, Number(raw.nbformat_minor) || 0), metadata: (raw.metadata as Record<string, unknown>) ?? {}, cells };
}

export function readNotebook(file: string): Notebook {
  return parseNotebook(readFileSync(file, "utf8"), file);
}

/** nbformat's `split_lines`: "a\nb" → ["a\n", "b"]. */
export function splitLines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  while (start < text.length) {
    const end = text.indexOf("\n", start);
    if (end < 0) {
      lines.push(text.slice(start));
      break;
    }
    lines.push(text.slice(start, end + 1));
    start = end + 1;
  }
  return lines;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/** The notebook as plain JSON data in nbformat's on-disk shape. */
export function notebookJson(nb: Notebook): Record<string, unknown> {
  const cells = nb.cells.map((cell) => {
    const out: Record<string, unknown> = { ...cell, source: splitLines(cell.source) };
    if (cell.cell_type === "code") {
      out.outputs = (cell.outputs ?? []).map((o) => {
        const output = { ...o } as Record<string, unknown>;
        if (o.output_type === "stream") output.text = splitLines(o.text);
        if ("data" in o) {
          const data: Record<string, unknown> = {};
          for (const [mime, value] of Object.entries(o.data)) data[mime] = isJsonMime(mime) || typeof value !== "string" ? value : splitLines(value);
          output.data = data;
        }
        return output;
      });
    }
    return out;
  });
  return sortKeys({ nbformat: nb.nbformat, nbformat_minor: nb.nbformat_minor, metadata: nb.metadata, cells }) as Record<string, unknown>;
}

export function serializeNotebook(nb: Notebook): string {
  return JSON.stringify(notebookJson(nb), null, 1) + "\n";
}

export function writeNotebook(file: string, nb: Notebook): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, serializeNotebook(nb));
}

/** A cell's first non-empty line, shortened, for reports. */
export function firstLine(source: string, max = 100): string {
  const line = source.split("\n").find((l) => l.trim() !== "") ?? "";
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export function cellTags(cell: Cell): string[] {
  const tags = cell.metadata.tags;
  return Array.isArray(tags) ? tags.map(String) : [];
}
