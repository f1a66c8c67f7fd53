/**
 * Figures in executed notebooks: found by their display metadata (`metadata["llm-dynamics"].figure`,
 * see src/figure.ts), written to `figures/<notebook>/<id>.{json,html,svg,png}`, and given static
 * SVG/PNG renderings inside the notebook for viewers that run no JavaScript.
 *
 *     for (const fig of notebookFigures(nb)) writeFigureFiles(join("figures", "remark-4"), fig, images);
 */
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { FIGURE_METADATA_KEY, figureHtml, PLOTLY_MIME, type Figure } from "../../src/figure";
import type { PlotlySpec } from "./chromium";
import type { Notebook } from "./notebook";
import type { DisplayOutput, Output } from "./outputs";

export interface NotebookFigure {
  id: string;
  /** 0-based index of the cell that showed it. */
  cellIndex: number;
  output: DisplayOutput;
  spec: PlotlySpec;
}

const FIGURE_ID = /^[a-z0-9][a-z0-9-]*$/;

export function figureId(output: Output): string | null {
  if (output.output_type !== "display_data" && output.output_type !== "execute_result") return null;
  const meta = output.metadata?.[FIGURE_METADATA_KEY] as { figure?: unknown } | undefined;
  return typeof meta?.figure === "string" ? meta.figure : null;
}

/** Every figure output of a notebook, in order; throws on an id that cannot name a file. */
export function notebookFigures(nb: Notebook): NotebookFigure[] {
  const found: NotebookFigure[] = [];
  nb.cells.forEach((cell, cellIndex) => {
    for (const output of cell.outputs ?? []) {
      const id = figureId(output);
      if (id === null) continue;
      if (!FIGURE_ID.test(id)) throw new RangeError(`cell ${cellIndex + 1}: figure id must be lower-case letters, digits and dashes; got ${JSON.stringify(id)}`);
      const spec = (output as DisplayOutput).data[PLOTLY_MIME] as PlotlySpec | undefined;
      if (!spec || !Array.isArray(spec.data)) throw new TypeError(`cell ${cellIndex + 1}: figure ${JSON.stringify(id)} has no ${PLOTLY_MIME} data`);
      found.push({ id, cellIndex, output: output as DisplayOutput, spec });
    }
  });
  return found;
}

let plotlyBlock: Buffer | undefined;
/** The constant middle of every page, plotly.js included, encoded once: 4.8 MB per figure adds up. */
function plotlyHead(): Buffer {
  // The same minified build the notebooks inline (plotly.js-dist-min = plotly.js-dist, minified).
  plotlyBlock ??= Buffer.from(
    "<style>html,body{margin:0;height:100%}#figure{width:100%;height:100%}</style>\n<script>" +
      readFileSync(require.resolve("plotly.js-dist-min/plotly.min.js"), "utf8").replace(/<\/script/gi, "<\\/script") +
      "</script>\n</head>\n",
    "utf8",
  );
  return plotlyBlock;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] as string);
}

/**
 * A page that shows the figure with no network: plotly.js is inside the file. Returned as parts to
 * write one after the other (the shared plotly.js part is never copied).
 */
export function standaloneHtml(id: string, spec: PlotlySpec): Buffer[] {
  const title = (spec.layout?.title as { text?: unknown } | undefined)?.text;
  const json = JSON.stringify({ data: spec.data, layout: spec.layout ?? {}, config: spec.config ?? {} }).replace(/</g, "\\u003c");
  const head = [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(typeof title === "string" ? `${title} (${id})` : id)}</title>`,
    "",
  ].join("\n");
  const body = ["<body>", '<div id="figure"></div>', `<script>var spec=${json};Plotly.newPlot("figure",spec.data,spec.layout,spec.config);</script>`, "</body>", "</html>", ""].join("\n");
  return [Buffer.from(head, "utf8"), plotlyHead(), Buffer.from(body, "utf8")];
}

export function specJson(spec: PlotlySpec): string {
  return JSON.stringify({ data: spec.data, layout: spec.layout ?? {}, config: spec.config ?? {} }, null, 1) + "\n";
}

/** Writes the figure's files; returns their paths. */
export function writeFigureFiles(dir: string, fig: NotebookFigure, images?: { svg: string; png: Buffer }): string[] {
  mkdirSync(dir, { recursive: true });
  const files: [string, string | Buffer | Buffer[]][] = [
    [`${fig.id}.json`, specJson(fig.spec)],
    [`${fig.id}.html`, standaloneHtml(fig.id, fig.spec)],
  ];
  if (images) files.push([`${fig.id}.svg`, images.svg], [`${fig.id}.png`, images.png]);
  return files.map(([name, body]) => {
    const path = join(dir, name);
    if (Array.isArray(body)) {
      const fd = openSync(path, "w");
      try {
        for (const part of body) writeSync(fd, part);
      } finally {
        closeSync(fd);
      }
    } else {
      writeFileSync(path, body);
    }
    return path;
  });
}

/** Removes files in `dir` that this run did not write (figures renamed or deleted since). */
export function removeStaleFiles(dir: string, keep: Set<string>): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const path = join(dir, name);
    if (!keep.has(path) && /\.(json|html|svg|png)$/.test(name)) {
      rmSync(path, { force: true });
      removed.push(path);
    }
  }
  return removed;
}

/**
 * Puts the static images into the display bundle, and into the HTML as the fallback that the
 * drawing script replaces: viewers that drop scripts (GitHub, nbviewer without JS) then show the PNG
 * instead of the text fallback. The result is what `figureHtml(fig, { includePlotly, fallback })`
 * of src/figure.ts gives, built without copying plotly.js: the HTML is only changed when it starts
 * with the div and default fallback that figureHtml makes for this spec and ends with its drawing
 * script; everything between (plotly.js, when the figure carries it) is kept byte for byte.
 */
export function addStaticImages(fig: NotebookFigure, images: { svg: string; png: Buffer }): void {
  const data = fig.output.data;
  const png64 = images.png.toString("base64");
  data["image/svg+xml"] = images.svg;
  data["image/png"] = png64;
  const html = data["text/html"];
  if (typeof html !== "string") return;
  const asFigure: Figure = { id: fig.id, data: fig.spec.data as object[], layout: fig.spec.layout ?? {}, config: fig.spec.config ?? {} };
  const MARK = "\u0000llm-dynamics-fallback\u0000";
  const marked = figureHtml(asFigure, { includePlotly: false, fallback: MARK });
  const before = marked.slice(0, marked.indexOf(MARK));
  const after = marked.slice(before.length + MARK.length);
  const plain = figureHtml(asFigure, { includePlotly: false });
  const head = plain.slice(0, plain.length - after.length); // the div and its default fallback
  const drawScript = plain.slice(plain.lastIndexOf("<script"));
  if (!marked.includes(MARK) || !html.startsWith(head) || !html.endsWith(drawScript)) return;
  const alt = escapeHtml(String(data["text/plain"] ?? `Figure ${fig.id}`));
  data["text/html"] = `${before}<img src="data:image/png;base64,${png64}" alt="${alt}">${html.slice(head.length)}`;
}
