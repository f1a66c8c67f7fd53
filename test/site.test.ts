/**
 * The course as a static site, read in Debian's Chromium with the network blocked.
 *
 *     npm run build && npx vitest run test/site.test.ts        # screenshots in test-artifacts/site/
 *
 * A real headless run (tools/runner) executes every course notebook into a temporary folder; the
 * site is built from those executed copies (tools/site) and served from 127.0.0.1. Chromium opens
 * every page with every request off loopback blocked and checks (tools/site/check.ts) that every
 * figure drew (plotly's `.main-svg`), every formula was typeset (MathJax SVG with its glyphs, no TeX
 * error, no `$…$` left in the text), every link resolves (pages, #sections, files), and — in a
 * second context with JavaScript off — that every figure shows its PNG. The counts are compared
 * with what the notebooks hold, counted here from their JSON and Markdown, not by the site's code.
 * A control site built from a damaged copy of a notebook must fail each check.
 *
 * LLM_DYNAMICS_SITE_NOTEBOOKS=<folder> uses executed notebooks already there instead of running the
 * course (for working on the site; CI leaves it unset and so tests a fresh run).
 *
 * Skipped, with the reason printed, only when /usr/bin/chromium is missing.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSite, type SiteResult } from "../tools/site/build";
import { checkSite, type SiteReport } from "../tools/site/check";
import { formatFailure, listNotebooks, notebookName, runNotebooks } from "../tools/runner/run";

const ROOT = resolve(__dirname, "..");
const CHROMIUM = "/usr/bin/chromium";
const ARTIFACTS = join(ROOT, "test-artifacts/site");
const missing = existsSync(CHROMIUM) ? null : `${CHROMIUM} (Debian package chromium)`;
if (missing) console.log(`site test skipped: not installed: ${missing}. On Debian: apt-get install chromium`);

type RawNotebook = { cells: { cell_type: string; source: string | string[]; outputs?: { output_type: string; metadata?: Record<string, { figure?: string }>; data?: Record<string, unknown> }[] }[] };
const joined = (s: string | string[]) => (Array.isArray(s) ? s.join("") : s);

/** Figure outputs of an executed notebook, read from its JSON (the display metadata the library sets). */
function figureOutputs(nb: RawNotebook): string[] {
  return nb.cells.flatMap((c) => (c.outputs ?? []).flatMap((o) => (o.metadata?.["llm-dynamics"]?.figure ? [o.metadata["llm-dynamics"].figure] : [])));
}

/** Formulas in the Markdown cells, counted by delimiters after dropping code: `$$…$$` and `$…$`. */
function formulasInMarkdown(nb: RawNotebook): number {
  let n = 0;
  for (const c of nb.cells) {
    if (c.cell_type !== "markdown") continue;
    const text = joined(c.source).replace(/```[\s\S]*?```/g, "").replace(/`[^`]*`/g, "");
    n += (text.match(/\$\$[\s\S]+?\$\$|\$[^$]+?\$/g) ?? []).length;
  }
  return n;
}

describe.skipIf(missing !== null)("the course as a static site, in Chromium with the network blocked", () => {
  let scratch = "";
  let executed = "";
  let site: SiteResult;
  let report: SiteReport;
  const preExecuted = process.env.LLM_DYNAMICS_SITE_NOTEBOOKS ? resolve(process.env.LLM_DYNAMICS_SITE_NOTEBOOKS) : null;
  const expectedNames = listNotebooks([preExecuted ?? join(ROOT, "notebooks")]).map(notebookName);
  const notebooks = new Map<string, RawNotebook>();

  beforeAll(async () => {
    rmSync(ARTIFACTS, { recursive: true, force: true });
    mkdirSync(ARTIFACTS, { recursive: true });
    scratch = mkdtempSync(join(tmpdir(), "llmd-site-"));
    executed = preExecuted ?? join(scratch, "executed");
    // The real headless run, one notebook per run. On a loaded machine tslab can miss the runner's
    // 60 s start-up limit, or Chromium its page-load limit; such a notebook is run again (up to
    // three times). Anything else that fails stops the test.
    if (preExecuted) console.log(`site test: using the executed notebooks in ${preExecuted} (LLM_DYNAMICS_SITE_NOTEBOOKS), not a fresh run`);
    for (const file of preExecuted ? [] : listNotebooks([join(ROOT, "notebooks")])) {
      for (let attempt = 1; ; attempt++) {
        const run = await runNotebooks({ notebooks: [file], outDir: executed, figuresDir: join(scratch, "figures"), chromium: CHROMIUM, jobs: 1 });
        const r = run.notebooks[0];
        if (r.ok && r.problems.length === 0 && !run.staticSkipped) break;
        const slow = r.failure?.kind === "kernel failed to start" || (r.ok && run.staticSkipped !== undefined);
        if (!slow || attempt === 3) throw new Error(`the headless run failed, so there is no site to test:\n${formatFailure(r)}\n${run.staticSkipped ?? ""}`);
        console.log(`site test: running ${r.name} again (attempt ${attempt + 1}): ${r.failure?.error.split("\n")[0] ?? run.staticSkipped}`);
      }
    }
    for (const name of expectedNames) notebooks.set(name, JSON.parse(readFileSync(join(executed, `${name}.ipynb`), "utf8")));
    site = buildSite({ notebooks: [executed], outDir: join(scratch, "site") });
    report = await checkSite(site.outDir, { chromium: CHROMIUM, screenshots: ARTIFACTS, timeoutMs: 180_000 });
    writeFileSync(join(ARTIFACTS, "report.json"), JSON.stringify({ pages: site.pages, builder: site.problems, check: report.pages, problems: report.problems }, null, 1) + "\n");
  }, 30 * 60_000);

  afterAll(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it("has one page per executed notebook, in the runner's order, listed in that order on the index", () => {
    expect(expectedNames.length).toBeGreaterThanOrEqual(4);
    expect(site.pages.map((p) => p.name)).toEqual(expectedNames);
    const index = readFileSync(join(site.outDir, "index.html"), "utf8");
    const list = index.slice(index.indexOf('<ol class="index-list">'));
    expect([...list.matchAll(/<h2><a href="([^"]+)"/g)].map((m) => m[1])).toEqual(expectedNames.map((n) => `${n}.html`));
    // Previous / next follow the same order; the first has no previous page, the last no next.
    expectedNames.forEach((name, i) => {
      const html = readFileSync(join(site.outDir, `${name}.html`), "utf8");
      const prev = /<a class="pager-prev" rel="prev" href="([^"]+)"/.exec(html)?.[1];
      const next = /<a class="pager-next" rel="next" href="([^"]+)"/.exec(html)?.[1];
      expect([prev, next]).toEqual([i > 0 ? `${expectedNames[i - 1]}.html` : undefined, i < expectedNames.length - 1 ? `${expectedNames[i + 1]}.html` : undefined]);
      expect(html).toContain('href="index.html"');
    });
  });

  it("was built without a problem, and loads plotly.js once per page with figures, from the site itself", () => {
    expect(site.problems).toEqual([]);
    for (const name of expectedNames) {
      const html = readFileSync(join(site.outDir, `${name}.html`), "utf8");
      const figures = figureOutputs(notebooks.get(name)!).length;
      expect((html.match(/<script src="assets\/plotly\.min\.js">/g) ?? []).length).toBe(figures > 0 ? 1 : 0);
      expect(html).not.toMatch(/<script src="(https?:)?\/\//); // no script from elsewhere
      expect(html).not.toContain("Plotly.newPlot"); // no plotly.js inlined per figure
    }
    expect(readFileSync(join(site.outDir, "assets/plotly.min.js"))).toEqual(readFileSync(require.resolve("plotly.js-dist-min/plotly.min.js")));
  });

  it("opens every page with no problem: figures drawn, formulas typeset, links resolved, nothing fetched off loopback", () => {
    expect(report.problems).toEqual([]);
    expect(report.pages.map((p) => p.page)).toEqual(["index.html", ...expectedNames.map((n) => `${n}.html`).sort()]);
    expect(report.requests.length).toBeGreaterThan(0);
    expect(report.requests.every((u) => u.startsWith("http://127.0.0.1:"))).toBe(true);
  });

  it("draws every figure of every notebook and typesets every formula of its Markdown", () => {
    let figures = 0;
    let formulas = 0;
    for (const name of expectedNames) {
      const page = report.pages.find((p) => p.page === `${name}.html`)!;
      const nb = notebooks.get(name)!;
      expect({ name, figures: page.figures, drawn: page.drawn }).toEqual({ name, figures: figureOutputs(nb).length, drawn: figureOutputs(nb).length });
      expect({ name, formulas: page.articleFormulas }).toEqual({ name, formulas: formulasInMarkdown(nb) });
      figures += page.drawn;
      formulas += page.articleFormulas;
    }
    // The course has figures and math; a run that lost them must not pass as "nothing to check".
    expect(figures).toBeGreaterThanOrEqual(10);
    expect(formulas).toBeGreaterThanOrEqual(100);
  });

  it("shows every figure's PNG, and the math, with JavaScript off", () => {
    for (const page of report.pages) {
      expect({ page: page.page, shown: page.noJsImagesShown }).toEqual({ page: page.page, shown: page.figures });
      expect({ page: page.page, formulas: page.noJsFormulas }).toEqual({ page: page.page, formulas: page.formulas });
    }
    expect(report.screenshots.some((s) => s.endsWith(".no-js.figure.png"))).toBe(true);
  });

  it("writes the same bytes when built twice from the same notebooks", () => {
    const again = buildSite({ notebooks: [executed], outDir: join(scratch, "site-again") });
    const rel = (files: string[], root: string) => files.map((f) => f.slice(root.length));
    expect(rel(again.files, again.outDir)).toEqual(rel(site.files, site.outDir));
    for (const f of site.files) expect(readFileSync(join(again.outDir, f.slice(site.outDir.length))).equals(readFileSync(f))).toBe(true);
  });

  it("fails on a control site with a broken formula, TeX left as typed, an undrawn figure, a missing PNG, broken links and an outside request", async () => {
    // A damaged copy of the first notebook with figures, plus the next page so that links have a target.
    const withFigures = expectedNames.find((n) => figureOutputs(notebooks.get(n)!).length >= 2)!;
    const other = expectedNames.find((n) => n !== withFigures)!;
    const controlIn = join(scratch, "control-in");
    mkdirSync(controlIn, { recursive: true });
    copyFileSync(join(executed, `${other}.ipynb`), join(controlIn, `${other}.ipynb`));
    const nb = JSON.parse(readFileSync(join(executed, `${withFigures}.ipynb`), "utf8"));
    nb.cells.splice(1, 0, {
      cell_type: "markdown",
      id: "control-damage",
      metadata: {},
      source: `## Control\n\nA misspelt macro: $\\fracc{1}{2}$. A link to [a page that is gone](no-such-notebook.ipynb) and to [a section that is gone](${other}.ipynb#no-such-section).`,
    });
    const figureCells = nb.cells.filter((c: RawNotebook["cells"][number]) => (c.outputs ?? []).some((o) => o.metadata?.["llm-dynamics"]?.figure));
    const noPng = figureCells[0].outputs.find((o: { metadata?: Record<string, { figure?: string }> }) => o.metadata?.["llm-dynamics"]?.figure);
    delete noPng.data["image/png"];
    const noPngId = noPng.metadata["llm-dynamics"].figure;
    writeFileSync(join(controlIn, `${withFigures}.ipynb`), JSON.stringify(nb));
    const control = buildSite({ notebooks: [controlIn], outDir: join(scratch, "control-site") });

    // The builder itself sees what it can see without a browser.
    expect(control.problems.some((p) => p.includes("TeX error") && p.includes("\\fracc"))).toBe(true);
    expect(control.problems.some((p) => p.includes(`figure "${noPngId}" has no PNG`))).toBe(true);
    expect(control.problems.some((p) => p.includes('"no-such-notebook.ipynb"'))).toBe(true);

    // Damage a browser would show: TeX the parser never saw, a figure whose data is corrupt, a glyph
    // missing from the page's font cache, and an image from outside.
    const file = join(control.outDir, `${withFigures}.html`);
    let html = readFileSync(file, "utf8");
    const secondFigure = figureCells[1].outputs.find((o: { metadata?: Record<string, { figure?: string }> }) => o.metadata?.["llm-dynamics"]?.figure).metadata["llm-dynamics"].figure;
    const specStart = html.indexOf(`id="figure-${secondFigure}-spec">`) + `id="figure-${secondFigure}-spec">`.length;
    expect(specStart).toBeGreaterThan(100);
    html = html.slice(0, specStart) + "{not json" + html.slice(specStart);
    const glyph = /<path id="(MJX-[^"]+)"/.exec(html)![1];
    html = html.replace(`<path id="${glyph}"`, `<path id="${glyph}-gone"`);
    html = html.replace('<article class="notebook">', '<article class="notebook"><p>Typed but never typeset: $\\alpha + \\beta$.</p><p><img src="https://site-check.invalid/pixel.png" alt="outside"></p>');
    writeFileSync(file, html);

    const checked = await checkSite(control.outDir, { chromium: CHROMIUM, screenshots: join(ARTIFACTS, "control"), timeoutMs: 180_000 });
    const found = (kind: string, detail: string | RegExp) =>
      checked.problems.some((p) => p.page === `${withFigures}.html` && p.kind === kind && (typeof detail === "string" ? p.detail.includes(detail) : detail.test(p.detail)));
    expect(found("tex-error", "\\fracc")).toBe(true);
    expect(found("raw-tex", "$\\alpha + \\beta$")).toBe(true);
    expect(found("figure-not-drawn", secondFigure)).toBe(true);
    expect(found("no-js-image", `figure-${noPngId}`)).toBe(true);
    expect(found("broken-link", "no-such-notebook.ipynb")).toBe(true);
    expect(found("broken-link", `${other}.html#no-such-section: no such section`)).toBe(true);
    expect(found("math-glyph-missing", glyph)).toBe(true);
    expect(found("off-loopback", "https://site-check.invalid/pixel.png")).toBe(true);
    // The undamaged figures still drew, and the undamaged page has no problem.
    const page = checked.pages.find((p) => p.page === `${withFigures}.html`)!;
    expect(page.drawn).toBe(page.figures - 1);
    expect(checked.problems.filter((p) => p.page !== `${withFigures}.html`)).toEqual([]);
    expect(readdirSync(join(ARTIFACTS, "control")).length).toBeGreaterThan(0);
  }, 15 * 60_000);
});
