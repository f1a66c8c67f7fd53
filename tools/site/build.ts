/**
 * The course as a static web site, for learners who only want to read: one page per executed
 * notebook, in the order the headless runner uses (tools/runner/run.ts `listNotebooks`), and an
 * index. Everything a page needs is in the site folder — no CDN, no web fonts, nothing fetched:
 *
 *     build/site/index.html, <notebook>.html        the pages (math already typeset to SVG)
 *     build/site/assets/site.css                     typography, code colours, MathJax's CSS
 *     build/site/assets/plotly.min.js                plotly.js from the local npm package, one copy
 *     build/site/assets/figures.js                   draws each page's figures from their specs
 *     build/site/figures/<notebook>/<figure>.png     the headless run's PNGs, for readers without JavaScript
 *
 * Two builds from the same notebooks write the same bytes (no dates, no random ids). Files left by
 * an earlier build that this one did not write are removed; a folder that holds anything else and
 * was not made by this tool is refused, so `--out` cannot wipe the wrong folder.
 *
 *     const result = buildSite({ notebooks: ["build/notebooks"], outDir: "build/site" });
 *     result.pages;     // [{ name, title, file, figures, formulas }] in course order
 *     result.problems;  // TeX errors, figures without PNG, broken links, cells that failed
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { readNotebook } from "../runner/notebook";
import { DEFAULTS, listNotebooks, notebookName, PROJECT_ROOT } from "../runner/run";
import { courseMarkdown, escapeHtml, pageEnv, type Heading, type PageEnv } from "./markdown";
import { PageMath } from "./math";
import { renderNotebook } from "./render";

export const SITE_DEFAULTS = {
  outDir: join(PROJECT_ROOT, "build", "site"),
  title: "LLM Dynamics",
};
/** Marks a folder as written by this tool: only such a folder may have old files removed. */
export const SITE_MARKER = ".llm-dynamics-site";
const ASSETS = join(PROJECT_ROOT, "tools", "site", "assets");

export interface SiteOptions {
  /** Executed notebooks, files or folders (default: the runner's output folder, build/notebooks/). */
  notebooks?: string[];
  outDir?: string;
  title?: string;
  /** Called with a line per page written. */
  log?: (line: string) => void;
}

export interface SitePage {
  name: string;
  title: string;
  /** Relative to the site folder. */
  file: string;
  source: string;
  figures: string[];
  formulas: number;
}

export interface SiteResult {
  outDir: string;
  pages: SitePage[];
  /** Things a reader would see broken; the site is still written. */
  problems: string[];
  warnings: string[];
  files: string[];
}

function plotlyFile(): string {
  return require.resolve("plotly.js-dist-min/plotly.min.js");
}

/** Title text for <title> and link text: Markdown emphasis and math delimiters dropped. */
function plainTitle(markdown: string): string {
  return markdown.replace(/\$([^$]+)\$/g, "$1").replace(/[*_`]/g, "");
}

function layout(options: {
  title: string;
  siteTitle: string;
  body: string;
  head?: string;
  scripts?: string[];
  prev?: { href: string; title: string };
  next?: { href: string; title: string };
  isIndex?: boolean;
  toc?: string;
  tail?: string;
  footer: string;
}): string {
  const pager = (where: "top" | "bottom") => {
    if (options.isIndex) return "";
    const prev = options.prev
      ? `<a class="pager-prev" rel="prev" href="${escapeHtml(options.prev.href)}"><span class="pager-label">Previous</span> <span class="pager-title">${options.prev.title}</span></a>`
      : `<span class="pager-prev pager-none"></span>`;
    const next = options.next
      ? `<a class="pager-next" rel="next" href="${escapeHtml(options.next.href)}"><span class="pager-label">Next</span> <span class="pager-title">${options.next.title}</span></a>`
      : `<span class="pager-next pager-none"></span>`;
    if (where === "top") {
      return `<nav class="top-links" aria-label="Course pages">${options.prev ? `<a rel="prev" href="${escapeHtml(options.prev.href)}">← Previous</a>` : ""}<a href="index.html">Contents</a>${options.next ? `<a rel="next" href="${escapeHtml(options.next.href)}">Next →</a>` : ""}</nav>`;
    }
    return `<nav class="pager" aria-label="Previous and next page">${prev}<a class="pager-index" href="index.html">All pages</a>${next}</nav>`;
  };
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(options.isIndex ? options.siteTitle : `${plainTitle(options.title)} · ${options.siteTitle}`)}</title>`,
    '<link rel="stylesheet" href="assets/site.css">',
    options.head ?? "",
    "</head>",
    "<body>",
    '<a class="skip-link" href="#main">Skip to the text</a>',
    `<header class="site-header"><a class="site-title" href="index.html">${escapeHtml(options.siteTitle)}</a>${pager("top")}</header>`,
    `<div class="layout${options.toc ? " with-toc" : ""}">`,
    `<main id="main" tabindex="-1">`,
    `<article class="notebook">`,
    options.body,
    "</article>",
    pager("bottom"),
    "</main>",
    options.toc ?? "",
    "</div>",
    `<footer class="site-footer">${options.footer}</footer>`,
    options.tail ?? "",
    ...(options.scripts ?? []).map((s) => `<script src="${escapeHtml(s)}"></script>`),
    "</body>",
    "</html>",
    "",
  ]
    .filter((l) => l !== "")
    .join("\n");
}

function tocHtml(headings: Heading[], md: ReturnType<typeof courseMarkdown>, env: PageEnv): string {
  const sections = headings.filter((h) => h.level === 2 || h.level === 3);
  if (sections.length < 2) return "";
  const items = sections
    .map((h) => `<li class="toc-h${h.level}"><a href="#${escapeHtml(h.id)}">${md.renderer.renderInline(h.tokens, md.options, env)}</a></li>`)
    .join("");
  return `<nav class="toc" aria-labelledby="toc-title"><details open><summary id="toc-title">On this page</summary><ol>${items}</ol></details></nav>`;
}

/** Removes files an earlier build wrote that this one did not; empty folders go too. */
function removeStale(dir: string, keep: Set<string>): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      removeStale(path, keep);
      if (readdirSync(path).length === 0) rmSync(path, { recursive: true });
    } else if (!keep.has(path) && entry.name !== SITE_MARKER) {
      rmSync(path);
    }
  }
}

/** Builds the site; throws only for bad input (no notebooks, a folder it must not write into). */
export function buildSite(options: SiteOptions = {}): SiteResult {
  const outDir = resolve(options.outDir ?? SITE_DEFAULTS.outDir);
  const siteTitle = options.title ?? SITE_DEFAULTS.title;
  const log = options.log ?? (() => undefined);
  const inputs = options.notebooks && options.notebooks.length > 0 ? options.notebooks : [DEFAULTS.outDir];
  for (const input of inputs) {
    if (!existsSync(input)) {
      const hint = resolve(input) === DEFAULTS.outDir ? " (run `npm run course` first: it writes the executed notebooks there)" : "";
      throw new RangeError(`notebooks: not found: ${JSON.stringify(input)}${hint}`);
    }
  }
  const files = listNotebooks(inputs);
  if (files.length === 0) throw new RangeError(`notebooks: no .ipynb files in ${JSON.stringify(inputs)}`);
  if (existsSync(outDir)) {
    if (!statSync(outDir).isDirectory()) throw new RangeError(`outDir: not a folder: ${JSON.stringify(outDir)}`);
    if (readdirSync(outDir).length > 0 && !existsSync(join(outDir, SITE_MARKER))) {
      throw new RangeError(`outDir: ${JSON.stringify(outDir)} is not empty and was not made by the site builder (no ${SITE_MARKER} in it); choose an empty or new folder`);
    }
  }

  const problems: string[] = [];
  const warnings: string[] = [];
  const names = files.map(notebookName);
  const pageSet = new Set(names);
  const md = courseMarkdown();
  const written = new Set<string>();
  const write = (rel: string, body: string | Buffer) => {
    const path = join(outDir, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, body);
    written.add(path);
  };
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, SITE_MARKER), "Written by `npm run site` (tools/site). Files in this folder that a build did not write are removed by the next one.\n");

  // Render every notebook first: the pager of each page needs its neighbours' titles.
  const rendered = files.map((file, i) => {
    const name = names[i];
    const nb = readNotebook(file);
    const math = new PageMath();
    const env = pageEnv(math, pageSet);
    const page = renderNotebook(nb, name, md, env);
    const codeCells = nb.cells.filter((c) => c.cell_type === "code" && c.source.trim() !== "");
    if (codeCells.length > 0 && codeCells.every((c) => (c.outputs ?? []).length === 0)) {
      warnings.push(`${name}: no code cell has an output; is ${relative(process.cwd(), file) || file} an executed copy? (\`npm run course\` writes them to build/notebooks/)`);
    }
    for (const e of page.errors) problems.push(`${name}: ${e} (the notebook failed when it ran)`);
    for (const f of page.figures) if (!f.png) problems.push(`${name}: figure ${JSON.stringify(f.id)} has no PNG for readers without JavaScript (run \`npm run course\` with Chromium)`);
    return { name, file, nb, math, env, page };
  });
  const footer = (source?: string) =>
    `<p>${escapeHtml(siteTitle)} — a course on language models as Markov chains on page-states.` +
    (source ? ` This page is the executed notebook <code>${escapeHtml(source)}</code>; open it in Jupyter with the TypeScript (tslab) kernel to run and change the code.` : "") +
    `</p>`;

  const pages: SitePage[] = rendered.map((r, i) => {
    const file = `${r.name}.html`;
    const toc = tocHtml(r.env.headings, md, r.env);
    const figures = r.page.figures;
    for (const f of figures) if (f.png) write(f.pngPath, f.png);
    const body = r.page.html;
    const html = layout({
      title: r.page.title,
      siteTitle,
      body,
      // Marks the page as scripted before it is drawn, so the CSS shows the charts' frames and not the PNGs.
      head: [figures.length > 0 ? '<script>document.documentElement.classList.add("js")</script>' : "", i > 0 ? `<link rel="prev" href="${escapeHtml(`${names[i - 1]}.html`)}">` : "", i < names.length - 1 ? `<link rel="next" href="${escapeHtml(`${names[i + 1]}.html`)}">` : ""].join(""),
      // Neighbours' titles are typeset with this page's math, whose glyphs this page carries.
      prev: i > 0 ? { href: `${names[i - 1]}.html`, title: md.renderInline(rendered[i - 1].page.title, r.env) } : undefined,
      next: i < names.length - 1 ? { href: `${names[i + 1]}.html`, title: md.renderInline(rendered[i + 1].page.title, r.env) } : undefined,
      toc,
      // The glyphs of the page's formulas (and of its contents list, typeset with the same env).
      tail: r.math.fontCacheSvg(),
      scripts: figures.length > 0 ? ["assets/plotly.min.js", "assets/figures.js"] : [],
      footer: footer(`${r.name}.ipynb`),
    });
    write(file, html);
    const seen = new Set<string>();
    for (const e of r.math.errors) {
      const key = `${e.tex}\u0000${e.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      problems.push(`${r.name}: TeX error in $${e.tex}$: ${e.message}`);
    }
    for (const link of brokenLinks(html, pageSet)) problems.push(`${r.name}: link to ${JSON.stringify(link)}, which is not a page of the site`);
    log(`${file}: ${figures.length} figure(s), ${r.math.count} formula(s)`);
    return { name: r.name, title: plainTitle(r.page.title), file, source: r.file, figures: figures.map((f) => f.id), formulas: r.math.count };
  });

  // The index: the pages in course order, each with its opening paragraph.
  const indexMath = new PageMath();
  const indexEnv = pageEnv(indexMath, pageSet);
  const items = rendered
    .map((r) => {
      const summary = r.page.summary ? md.render(r.page.summary, indexEnv) : "";
      const figures = r.page.figures.length;
      const meta = `${figures > 0 ? `${figures} interactive figure${figures === 1 ? "" : "s"}` : "no figures"}`;
      return `<li class="index-entry"><h2><a href="${escapeHtml(`${r.name}.html`)}">${md.renderInline(r.page.title, indexEnv)}</a></h2>${summary}<p class="index-meta">${meta}</p></li>`;
    })
    .join("\n");
  const intro =
    `<h1>${escapeHtml(siteTitle)}</h1>` +
    `<p class="lede">A language model that writes into a context window of k tokens only ever sees the last k tokens. ` +
    `Each step appends a sampled token and deletes the oldest one, so generation is a finite Markov chain on pages. ` +
    `These pages follow that idea from the chain itself to mode collapse and the “waluigi” toy model, with the code that checks every claim and the figures it draws.</p>` +
    `<p class="index-how">Read the pages in order. Figures are interactive: hover for values, drag to zoom, double-click to reset.</p>`;
  write(
    "index.html",
    layout({ title: siteTitle, siteTitle, isIndex: true, body: `${intro}<ol class="index-list">${items}</ol>`, tail: indexMath.fontCacheSvg(), footer: footer() }),
  );
  for (const e of indexMath.errors) problems.push(`index: TeX error in $${e.tex}$: ${e.message}`);

  write("assets/site.css", siteCss(new PageMath().styleSheet()));
  write("assets/figures.js", readFileSync(join(ASSETS, "figures.js"), "utf8"));
  const plotlyTarget = join(outDir, "assets", "plotly.min.js");
  copyFileSync(plotlyFile(), plotlyTarget);
  written.add(plotlyTarget);
  removeStale(outDir, written);
  return { outDir, pages, problems, warnings, files: [...written].sort() };
}

/** The site's stylesheet: highlight.js's accessible light theme, ours (which overrides it), and MathJax's rules for its SVG. */
function siteCss(mathCss: string): string {
  const ours = readFileSync(join(ASSETS, "site.css"), "utf8");
  const hljsTheme = readFileSync(require.resolve("highlight.js/styles/a11y-light.css"), "utf8");
  return `/* highlight.js: a11y-light theme (BSD-3-Clause), darkened below for our code background */\n${hljsTheme}\n${ours}\n/* MathJax SVG output */\n${mathCss}\n`;
}

/** Relative links in a page that name a file the site does not have (pages are flat, in one folder). */
export function brokenLinks(html: string, pages: ReadonlySet<string>): string[] {
  const broken: string[] = [];
  for (const m of html.matchAll(/<a\s[^>]*href="([^"]*)"/g)) {
    const href = m[1].replace(/&amp;/g, "&");
    if (/^([a-z][a-z0-9+.-]*:|#|\/\/)/i.test(href) || href === "") continue;
    const path = href.split("#")[0];
    if (path === "index.html" || path.startsWith("figures/")) continue;
    const page = /^([^/]+)\.html$/.exec(path);
    if (!page || !pages.has(page[1])) broken.push(href);
  }
  return broken;
}
