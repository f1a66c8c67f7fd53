/**
 * One executed notebook as the body of a web page: Markdown cells as prose (math typeset), code
 * cells as highlighted TypeScript, and their outputs — text as text, figures as a plotly.js chart
 * with the PNG that the headless run rendered for readers without JavaScript.
 *
 * A figure is drawn in the reader's browser from its spec (kept in a `<script type="application/json">`
 * next to the chart's div, drawn by assets/figures.js with the page's one copy of plotly.js); the
 * PNG is a file of its own, shown in `<noscript>` and by the drawing script if plotly.js is missing.
 *
 * Cell tags as Jupyter Book reads them: `remove-cell`, `remove-input`, `remove-output`.
 *
 *     const page = renderNotebook(readNotebook("build/notebooks/remark-4-dynamic-gpt.ipynb"), "remark-4-dynamic-gpt", md, env);
 *     page.html; page.figures;   // [{ id, png: Buffer | null, alt }] to write to figures/<name>/<id>.png
 */
import type MarkdownIt from "markdown-it";
import { PLOTLY_MIME } from "../../src/figure";
import { figureId } from "../runner/figures";
import { cellTags, type Cell, type Notebook } from "../runner/notebook";
import type { DisplayOutput, Output } from "../runner/outputs";
import { displayMath, escapeHtml, highlight, type PageEnv } from "./markdown";

export interface PageFigure {
  id: string;
  /** The PNG the headless run rendered, or null when it had no Chromium. */
  png: Buffer | null;
  alt: string;
  /** Relative to the site's root. */
  pngPath: string;
}

export interface RenderedNotebook {
  html: string;
  title: string;
  /** The first paragraph after the title, as Markdown: the page's summary on the index. */
  summary: string;
  figures: PageFigure[];
  /** Cells whose output is an error (the notebook failed while it ran). */
  errors: string[];
}

// Terminal colour codes in tracebacks (ESC [ … letter).
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

function text(value: unknown): string {
  return Array.isArray(value) ? value.join("") : String(value ?? "");
}

/** Markdown cell attachments (`![x](attachment:plot.png)`) become data: URLs. */
function withAttachments(cell: Cell): string {
  const attachments = cell.attachments as Record<string, Record<string, unknown>> | undefined;
  if (!attachments) return cell.source;
  return cell.source.replace(/attachment:([^\s)"']+)/g, (whole, name: string) => {
    const bundle = attachments[decodeURIComponent(name)];
    const mime = bundle && Object.keys(bundle).find((m) => m.startsWith("image/"));
    return mime ? `data:${mime};base64,${text(bundle[mime]).replace(/\s/g, "")}` : whole;
  });
}

function figureHtml(output: DisplayOutput, id: string, pageName: string, figures: PageFigure[]): string {
  const spec = output.data[PLOTLY_MIME] as { data?: unknown; layout?: Record<string, unknown>; config?: Record<string, unknown> };
  const alt = text(output.data["text/plain"] || `Figure ${id}`);
  const png64 = typeof output.data["image/png"] === "string" ? (output.data["image/png"] as string).replace(/\s/g, "") : null;
  // A figure id shown twice on a page keeps both charts; the second PNG gets a suffix.
  const taken = figures.filter((f) => f.id === id || f.id.startsWith(`${id}~`)).length;
  const fileId = taken === 0 ? id : `${id}~${taken + 1}`;
  const pngPath = `figures/${pageName}/${fileId}.png`;
  figures.push({ id: fileId, png: png64 ? Buffer.from(png64, "base64") : null, alt, pngPath });
  const domId = `figure-${fileId.replace("~", "-")}`;
  const json = JSON.stringify({ data: spec.data ?? [], layout: spec.layout ?? {}, config: spec.config ?? {} }).replace(/</g, "\\u003c");
  const height = typeof spec.layout?.height === "number" ? spec.layout.height : 450;
  const img = `<img src="${escapeHtml(pngPath)}" alt="${escapeHtml(alt)}" loading="lazy">`;
  const noscript = png64 ? `<noscript>${img}</noscript>` : `<noscript><p class="figure-missing">${escapeHtml(alt)}. (No static image of this figure was made: the course was run without Chromium.)</p></noscript>`;
  return (
    `<figure class="figure" id="${escapeHtml(domId)}">` +
    `<div class="plot" data-figure="${escapeHtml(id)}" data-spec="${escapeHtml(domId)}-spec"${png64 ? ` data-png="${escapeHtml(pngPath)}"` : ""} data-alt="${escapeHtml(alt)}" style="height:${height}px"></div>` +
    `<script type="application/json" id="${escapeHtml(domId)}-spec">${json}</script>${noscript}` +
    // The chart shows its title; the caption names it for screen readers and offers the image file.
    `<figcaption><span class="visually-hidden">${escapeHtml(alt)}. </span>${png64 ? `<a class="figure-png" href="${escapeHtml(pngPath)}">Static image (PNG)</a>` : ""}</figcaption>` +
    `</figure>`
  );
}

function displayHtml(output: DisplayOutput, md: MarkdownIt, env: PageEnv): string {
  const data = output.data;
  if (typeof data["text/html"] === "string" || Array.isArray(data["text/html"])) return `<div class="output output-html">${text(data["text/html"])}</div>`;
  if (data["image/svg+xml"]) return `<div class="output output-image">${text(data["image/svg+xml"])}</div>`;
  for (const mime of ["image/png", "image/jpeg", "image/gif"]) {
    if (data[mime]) return `<div class="output output-image"><img src="data:${mime};base64,${text(data[mime]).replace(/\s/g, "")}" alt="${escapeHtml(text(data["text/plain"] || "output image"))}"></div>`;
  }
  if (data["text/markdown"]) return `<div class="output output-markdown">${md.render(text(data["text/markdown"]), env)}</div>`;
  if (data["text/latex"]) {
    const tex = text(data["text/latex"]).trim().replace(/^\$\$?([\s\S]*?)\$?\$$/, "$1");
    return `<div class="output">${displayMath("div", env.math.typeset(tex, true))}</div>`;
  }
  if (data["application/json"] !== undefined) return `<pre class="output output-text" tabindex="0">${escapeHtml(JSON.stringify(data["application/json"], null, 2))}</pre>`;
  return `<pre class="output output-text" tabindex="0">${escapeHtml(text(data["text/plain"]))}</pre>`;
}

function outputHtml(output: Output, pageName: string, md: MarkdownIt, env: PageEnv, figures: PageFigure[]): string {
  switch (output.output_type) {
    case "stream":
      return `<pre class="output output-${output.name === "stderr" ? "stderr" : "stdout"}" tabindex="0">${escapeHtml(text(output.text).replace(ANSI, ""))}</pre>`;
    case "error": {
      const trace = output.traceback.length > 0 ? output.traceback.join("\n") : `${output.ename}: ${output.evalue}`;
      return `<pre class="output output-error" tabindex="0">${escapeHtml(trace.replace(ANSI, ""))}</pre>`;
    }
    default: {
      const id = figureId(output);
      if (id !== null && output.data[PLOTLY_MIME]) return figureHtml(output, id, pageName, figures);
      return displayHtml(output, md, env);
    }
  }
}

/** The page's title: the text of its first level-1 heading, else its file name. */
function titleOf(nb: Notebook, name: string): { title: string; summarySource: string } {
  for (const cell of nb.cells) {
    if (cell.cell_type !== "markdown") continue;
    const lines = cell.source.split("\n");
    const at = lines.findIndex((l) => /^#\s+\S/.test(l));
    if (at < 0) continue;
    const rest = lines.slice(at + 1).join("\n").trim();
    return { title: lines[at].replace(/^#\s+/, "").trim(), summarySource: rest.split(/\n\s*\n/)[0] ?? "" };
  }
  return { title: name, summarySource: "" };
}

export function renderNotebook(nb: Notebook, pageName: string, md: MarkdownIt, env: PageEnv): RenderedNotebook {
  const figures: PageFigure[] = [];
  const errors: string[] = [];
  const parts: string[] = [];
  nb.cells.forEach((cell, index) => {
    const tags = cellTags(cell);
    if (tags.includes("remove-cell")) return;
    if (cell.cell_type === "markdown") {
      parts.push(`<section class="cell cell-markdown" id="cell-${escapeHtml(cell.id)}">${md.render(withAttachments(cell), env)}</section>`);
      return;
    }
    if (cell.cell_type !== "code") return; // raw cells are for converters, not readers
    const outputs = tags.includes("remove-output") ? [] : (cell.outputs ?? []);
    for (const o of cell.outputs ?? []) if (o.output_type === "error") errors.push(`cell ${index + 1}: ${o.ename}: ${o.evalue}`);
    const showInput = !tags.includes("remove-input") && cell.source.trim() !== "";
    if (!showInput && outputs.length === 0) return;
    const input = showInput
      ? `<pre class="code-block" tabindex="0" aria-label="TypeScript code"><code class="hljs language-typescript">${highlight(cell.source, "typescript")}</code></pre>`
      : "";
    const out = outputs.map((o) => outputHtml(o, pageName, md, env, figures)).join("");
    parts.push(`<div class="cell cell-code" id="cell-${escapeHtml(cell.id)}">${input}${out ? `<div class="outputs">${out}</div>` : ""}</div>`);
  });
  const { title, summarySource } = titleOf(nb, pageName);
  return { html: parts.join("\n"), title, summary: summarySource, figures, errors };
}
