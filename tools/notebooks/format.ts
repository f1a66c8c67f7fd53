/**
 * Notebook sources: a readable text format in, nbformat 4.5 JSON out.
 *
 * Shared by every course notebook (Remarks 4, 5, 6 and the 6.C workbook may all use it). A source is
 * a plain text file; a line `%% markdown <id>` or `%% code <id>` opens a cell, optionally followed by
 * `tags=a,b` and `meta=<json object>` (merged into the cell's metadata). Cell ids are written by hand
 * so they stay stable when cells are inserted, and the notebook carries no outputs: the headless
 * runner writes executed copies elsewhere.
 *
 *     %% markdown intro
 *     # Remark 4
 *     %% code setup tags=setup
 *     import { pageChain } from "llm-dynamics";
 *
 *     const nb = renderNotebook(parseNotebookSource(text, "remark-4.nb.txt"));
 */

export interface SourceCell {
  cellType: "markdown" | "code";
  id: string;
  source: string;
  tags: string[];
  metadata: Record<string, unknown>;
}

const HEADER = /^%%\s+(markdown|code)\s+(\S+)(.*)$/;
/** nbformat 4.5 allows 1–64 characters of letters, digits, "-" and "_"; we also forbid upper case. */
const ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** Parses a source file into cells; errors name the file and the line. */
export function parseNotebookSource(text: string, fileName = "source"): SourceCell[] {
  if (typeof text !== "string") throw new TypeError(`text must be a string; got ${typeof text}`);
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  const cells: SourceCell[] = [];
  const bodies: string[][] = [];
  const ids = new Set<string>();
  let body: string[] | null = null;
  lines.forEach((line, i) => {
    const where = `${fileName}:${i + 1}`;
    const m = HEADER.exec(line);
    if (!m) {
      if (body) body.push(line);
      else if (line.trim() !== "") throw new RangeError(`${where}: text before the first "%% markdown <id>" or "%% code <id>" line: ${JSON.stringify(line.slice(0, 60))}`);
      return;
    }
    const [, cellType, id, rest] = m;
    if (!ID_PATTERN.test(id)) throw new RangeError(`${where}: cell id must be 1–64 lower-case letters, digits, "-" or "_"; got ${JSON.stringify(id)}`);
    if (ids.has(id)) throw new RangeError(`${where}: cell id ${JSON.stringify(id)} is used twice`);
    ids.add(id);
    const cell: SourceCell = { cellType: cellType as "markdown" | "code", id, source: "", tags: [], metadata: {} };
    let options = rest.trim();
    const tagMatch = /^tags=(\S+)\s*/.exec(options);
    if (tagMatch) {
      cell.tags = tagMatch[1].split(",").filter((t) => t.length > 0);
      options = options.slice(tagMatch[0].length);
    }
    if (options.startsWith("meta=")) {
      let meta: unknown;
      try {
        meta = JSON.parse(options.slice(5));
      } catch (e) {
        throw new RangeError(`${where}: meta= must be a JSON object; ${(e as Error).message}`);
      }
      if (meta === null || typeof meta !== "object" || Array.isArray(meta)) throw new RangeError(`${where}: meta= must be a JSON object; got ${options.slice(5)}`);
      cell.metadata = meta as Record<string, unknown>;
      options = "";
    }
    if (options !== "") throw new RangeError(`${where}: unexpected text after the cell id: ${JSON.stringify(options)} (allowed: tags=a,b then meta={...})`);
    cells.push(cell);
    body = [];
    bodies.push(body);
  });
  cells.forEach((cell, c) => {
    const raw = bodies[c];
    // Blank lines around a cell are layout in the source file, not content.
    let a = 0, b = raw.length;
    while (a < b && raw[a].trim() === "") a++;
    while (b > a && raw[b - 1].trim() === "") b--;
    cell.source = raw.slice(a, b).join("\n");
    if (cell.source === "") throw new RangeError(`${fileName}: cell ${JSON.stringify(cell.id)} is empty`);
  });
  if (cells.length === 0) throw new RangeError(`${fileName}: no cells (a cell starts with "%% markdown <id>" or "%% code <id>")`);
  return cells;
}

/** Jupyter stores a cell's source as lines that keep their "\n", the last one without. */
function sourceLines(source: string): string[] {
  const parts = source.split("\n");
  return parts.map((p, i) => (i < parts.length - 1 ? p + "\n" : p));
}

/** The notebook as nbformat 4.5 JSON text (one-space indent, as Jupyter writes it), without outputs. */
export function renderNotebook(cells: readonly SourceCell[]): string {
  const nb = {
    cells: cells.map((c) => {
      const metadata = { ...c.metadata, ...(c.tags.length ? { tags: c.tags } : {}) };
      return c.cellType === "markdown"
        ? { cell_type: "markdown", id: c.id, metadata, source: sourceLines(c.source) }
        : { cell_type: "code", execution_count: null, id: c.id, metadata, outputs: [], source: sourceLines(c.source) };
    }),
    metadata: {
      kernelspec: { display_name: "TypeScript", language: "typescript", name: "tslab" },
      language_info: { name: "typescript" },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
  return JSON.stringify(nb, null, 1) + "\n";
}
