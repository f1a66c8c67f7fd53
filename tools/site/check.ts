/**
 * Opens every page of a built site in the system's Chromium, as a reader would, with every request
 * that leaves this machine blocked, and reports what a reader would find broken:
 *
 * - a figure that plotly.js did not draw (no `.main-svg` in its div);
 * - a formula MathJax could not typeset (`data-mjx-error`), TeX left in the text as typed (`$…$`
 *   outside code), a formula whose picture is empty or whose glyphs are missing from the page;
 * - a link to a page, file or `#section` that does not exist;
 * - with JavaScript off: a figure whose PNG does not show;
 * - a request off loopback, a script error, a failed load;
 * - a WCAG 2 A/AA violation that axe-core finds (when the axe-core package is installed; the
 *   charts' own SVG, which plotly.js draws, is left out).
 *
 * The site is served from 127.0.0.1 by a small static server, so pages load as they will once
 * published. tools/site/cli.ts runs it after a build with `--check`; test/site.test.ts runs it on a
 * site built from a real headless run and on a control site that has each of these faults.
 *
 *     const report = await checkSite("build/site", { chromium: "/usr/bin/chromium", screenshots: "test-artifacts/site" });
 *     report.problems;   // [{ page, kind, detail }]; empty when the site is fine
 */
import { createReadStream, existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { extname, join, normalize, resolve, sep } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { CHROMIUM_ARGS } from "../runner/chromium";

export type ProblemKind =
  | "load"
  | "figure-not-drawn"
  | "tex-error"
  | "raw-tex"
  | "math-empty"
  | "math-glyph-missing"
  | "broken-link"
  | "no-js-image"
  | "off-loopback"
  | "script-error"
  | "accessibility";

export interface SiteProblem {
  page: string;
  kind: ProblemKind;
  detail: string;
}

export interface PageReport {
  page: string;
  /** axe-core rules checked (0 when axe-core is not installed). */
  accessibilityRules: number;
  title: string;
  figures: number;
  drawn: number;
  /** Formulas in the page's text (the notebook), and in the whole page (with contents list and pager). */
  articleFormulas: number;
  formulas: number;
  links: number;
  noJsImages: number;
  noJsImagesShown: number;
  noJsFormulas: number;
  seconds: number;
}

export interface SiteReport {
  pages: PageReport[];
  problems: SiteProblem[];
  /** Every URL requested; those off loopback were blocked (and are problems). */
  requests: string[];
  screenshots: string[];
}

export interface CheckOptions {
  chromium: string;
  /** A folder for screenshots (top of every page, first figure, first display formula, no-JS figure). */
  screenshots?: string;
  /** How long a page may take to load and draw its figures (default 3 minutes: machines get busy). */
  timeoutMs?: number;
  log?: (line: string) => void;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".json": "application/json",
};

/** A static file server for one folder on 127.0.0.1 (a random port); 404 for anything outside it. */
export async function serveFolder(root: string): Promise<{ url: string; server: Server }> {
  const base = resolve(root);
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    let file = normalize(join(base, path));
    if (file !== base && !file.startsWith(base + sep)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}/`, server };
}

function isLoopback(url: string): boolean {
  if (/^(data|blob|about):/.test(url)) return true;
  try {
    const host = new URL(url).hostname;
    return host === "127.0.0.1" || host === "localhost" || host === "[::1]";
  } catch {
    return false;
  }
}

/** What a page shows, measured in the page. */
interface Measured {
  title: string;
  figures: { id: string; drawn: boolean; error: string | null }[];
  formulas: number;
  articleFormulas: number;
  texErrors: string[];
  emptyFormulas: string[];
  missingGlyphs: string[];
  rawTex: string[];
  links: string[];
}

declare const document: any; // eslint-disable-line @typescript-eslint/no-explicit-any
declare const NodeFilter: any; // eslint-disable-line @typescript-eslint/no-explicit-any

async function measure(page: Page): Promise<Measured> {
  return page.evaluate(() => {
    const plots = Array.from(document.querySelectorAll("div.plot")) as any[]; // eslint-disable-line @typescript-eslint/no-explicit-any
    const containers = Array.from(document.querySelectorAll("mjx-container")) as any[]; // eslint-disable-line @typescript-eslint/no-explicit-any
    const ids = new Set((Array.from(document.querySelectorAll("[id]")) as any[]).map((e) => e.id)); // eslint-disable-line @typescript-eslint/no-explicit-any
    const missingGlyphs = new Set<string>();
    const emptyFormulas: string[] = [];
    for (const c of containers) {
      for (const use of Array.from(c.querySelectorAll("use")) as any[]) { // eslint-disable-line @typescript-eslint/no-explicit-any
        const href = use.getAttribute("xlink:href") ?? use.getAttribute("href") ?? "";
        if (href.startsWith("#") && !ids.has(href.slice(1))) missingGlyphs.add(href.slice(1));
      }
      const box = c.querySelector("svg")?.getBoundingClientRect();
      const mml = c.querySelector("mjx-assistive-mml")?.textContent ?? "";
      if (!box || box.width < 1 || box.height < 1) emptyFormulas.push(mml.slice(0, 80));
    }
    // TeX as typed: `$…$` in text that is not code, a script, or MathJax's own output.
    const rawTex: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    let all = "";
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.parentElement?.closest("pre, code, script, style, noscript, mjx-container, textarea")) {
        all += "\uE000";
        continue;
      }
      all += n.textContent;
    }
    for (const m of all.matchAll(/\$\$?[^$\uE000]+?\$\$?|\\\([^\uE000]*?\\\)|\\\[[^\uE000]*?\\\]|\\begin\{/g)) rawTex.push(m[0].slice(0, 100));
    return {
      title: document.title,
      figures: plots.map((el) => ({ id: el.getAttribute("data-figure") ?? "", drawn: !!el.querySelector(".main-svg") && !el.classList.contains("plot-failed"), error: el.getAttribute("data-plot-error") })),
      formulas: containers.length,
      articleFormulas: document.querySelectorAll("article mjx-container").length,
      texErrors: (Array.from(document.querySelectorAll("[data-mjx-error]")) as any[]).map((e) => e.getAttribute("data-mjx-error")), // eslint-disable-line @typescript-eslint/no-explicit-any
      emptyFormulas,
      missingGlyphs: [...missingGlyphs],
      rawTex,
      links: (Array.from(document.querySelectorAll("a[href]")) as any[]).map((a) => a.href), // eslint-disable-line @typescript-eslint/no-explicit-any
    };
  });
}

function axeSource(): string | null {
  try {
    return require.resolve("axe-core/axe.min.js");
  } catch {
    return null;
  }
}

/** WCAG 2 A and AA rules, on the page as drawn, the inside of plotly's charts excepted. */
async function accessibility(page: Page, axePath: string): Promise<{ rules: number; violations: string[] }> {
  await page.addScriptTag({ path: axePath });
  return page.evaluate(async () => {
    const w = globalThis as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ passes: unknown[]; violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[]; inapplicable: unknown[]; incomplete: unknown[] }> } };
    const result = await w.axe.run({ exclude: [[".plot .plot-container"]] }, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] }, resultTypes: ["violations"] });
    return {
      rules: result.passes.length + result.violations.length + result.inapplicable.length + result.incomplete.length,
      violations: result.violations.map((v) => `${v.id} (${v.impact}): ${v.help}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}${v.nodes.length > 3 ? ` and ${v.nodes.length - 3} more` : ""}`),
    };
  });
}

/** The site's pages: index.html first, then every other .html file in the folder, sorted. */
function sitePages(root: string): string[] {
  const files = readdirSync(root).filter((f) => f.endsWith(".html")).sort();
  return files.includes("index.html") ? ["index.html", ...files.filter((f) => f !== "index.html")] : files;
}

export async function checkSite(siteDir: string, options: CheckOptions): Promise<SiteReport> {
  const { chromium } = await import("playwright-core");
  const log = options.log ?? (() => undefined);
  const timeoutMs = options.timeoutMs ?? 180_000;
  const problems: SiteProblem[] = [];
  const requests: string[] = [];
  const screenshots: string[] = [];
  const reports: PageReport[] = [];
  const shot = async (target: Page | ReturnType<Page["locator"]>, name: string, fullPage = false) => {
    if (!options.screenshots) return;
    const path = join(options.screenshots, name);
    // A screenshot is evidence, not a check: a short limit, so a missing element costs seconds, not the page timeout.
    const timeout = Math.min(timeoutMs, 15_000);
    await ("goto" in target ? target.screenshot({ path, fullPage, timeout }) : target.screenshot({ path, timeout })).catch(() => undefined);
    if (existsSync(path)) screenshots.push(path);
  };
  if (options.screenshots) mkdirSync(options.screenshots, { recursive: true });
  const pages = sitePages(siteDir);
  const { url: base, server } = await serveFolder(siteDir);
  let browser: Browser | null = null;
  try {
    browser = await chromium.launch({ executablePath: options.chromium, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
    const block = async (context: BrowserContext) => {
      await context.route("**/*", (route) => {
        const url = route.request().url();
        requests.push(url);
        if (isLoopback(url)) return route.continue();
        problems.push({ page: new URL(route.request().frame().url() || base).pathname.slice(1), kind: "off-loopback", detail: url });
        return route.abort("blockedbyclient");
      });
    };
    const withJs = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const noJs = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: false });
    await block(withJs);
    await block(noJs);

    const anchors = new Map<string, Set<string>>();
    const allLinks: { from: string; href: string }[] = [];
    for (const name of pages) {
      const started = Date.now();
      const page = await withJs.newPage();
      page.on("pageerror", (e) => problems.push({ page: name, kind: "script-error", detail: e.message }));
      page.on("console", (m) => {
        if (m.type() === "error") problems.push({ page: name, kind: "script-error", detail: m.text() });
      });
      page.setDefaultTimeout(timeoutMs);
      const response = await page.goto(base + name, { waitUntil: "load" }).catch((e: Error) => e);
      if (response instanceof Error || !response?.ok()) {
        problems.push({ page: name, kind: "load", detail: response instanceof Error ? response.message : `HTTP ${response?.status()}` });
        await page.close();
        continue;
      }
      // Figures are drawn once plotly.js has loaded; wait until each is drawn or has given up.
      await page
        .waitForFunction(() => Array.from(document.querySelectorAll("div.plot")).every((el: any) => el.querySelector(".main-svg") || el.classList.contains("plot-failed")), null, { timeout: timeoutMs, polling: 100 }) // eslint-disable-line @typescript-eslint/no-explicit-any
        .catch(() => undefined);
      const m = await measure(page);
      const axePath = axeSource();
      const a11y = axePath ? await accessibility(page, axePath) : { rules: 0, violations: [] };
      for (const v of a11y.violations) problems.push({ page: name, kind: "accessibility", detail: v });
      anchors.set(name, new Set(await page.evaluate(() => (Array.from(document.querySelectorAll("[id]")) as any[]).map((e) => e.id)))); // eslint-disable-line @typescript-eslint/no-explicit-any
      for (const f of m.figures) if (!f.drawn) problems.push({ page: name, kind: "figure-not-drawn", detail: `${f.id}${f.error ? `: ${f.error}` : ""}` });
      for (const e of m.texErrors) problems.push({ page: name, kind: "tex-error", detail: e });
      for (const r of m.rawTex) problems.push({ page: name, kind: "raw-tex", detail: r });
      for (const e of m.emptyFormulas) problems.push({ page: name, kind: "math-empty", detail: e });
      for (const g of m.missingGlyphs) problems.push({ page: name, kind: "math-glyph-missing", detail: g });
      for (const href of m.links) allLinks.push({ from: name, href });
      const stem = name.replace(/\.html$/, "");
      await shot(page, `${stem}.top.png`, name === "index.html");
      if (m.figures.length > 0) await shot(page.locator("figure.figure").first(), `${stem}.figure.png`);
      // A displayed formula if the page has one, else an inline one (some pages have only inline math).
      if (m.articleFormulas > 0) {
        const display = page.locator("article .math-display");
        await shot(((await display.count()) > 0 ? display : page.locator("article mjx-container")).first(), `${stem}.math.png`);
      }
      await page.close();

      // The same page with JavaScript off: the PNG of every figure, and the math (already SVG).
      const plain = await noJs.newPage();
      plain.setDefaultTimeout(timeoutMs);
      await plain.goto(base + name, { waitUntil: "load" });
      const images = await plain.evaluate(() =>
        (Array.from(document.querySelectorAll("figure.figure")) as any[]).map((fig) => { // eslint-disable-line @typescript-eslint/no-explicit-any
          const img = fig.querySelector("noscript img, img");
          const box = img?.getBoundingClientRect();
          return { id: fig.id, shown: !!img && img.complete && img.naturalWidth > 0 && box.width > 0 && box.height > 0 };
        }),
      );
      for (const i of images) if (!i.shown) problems.push({ page: name, kind: "no-js-image", detail: i.id });
      const noJsFormulas = await plain.evaluate(() => (Array.from(document.querySelectorAll("mjx-container > svg")) as any[]).filter((s) => s.getBoundingClientRect().width > 0).length); // eslint-disable-line @typescript-eslint/no-explicit-any
      if (images.length > 0) await shot(plain.locator("figure.figure").first(), `${stem}.no-js.figure.png`);
      await plain.close();

      const report: PageReport = {
        page: name,
        accessibilityRules: a11y.rules,
        title: m.title,
        figures: m.figures.length,
        drawn: m.figures.filter((f) => f.drawn).length,
        articleFormulas: m.articleFormulas,
        formulas: m.formulas,
        links: m.links.length,
        noJsImages: images.length,
        noJsImagesShown: images.filter((i) => i.shown).length,
        noJsFormulas,
        seconds: (Date.now() - started) / 1000,
      };
      reports.push(report);
      log(`${name}: ${report.drawn}/${report.figures} figures drawn, ${report.formulas} formulas, ${report.noJsImagesShown}/${report.noJsImages} PNGs without JavaScript (${report.seconds.toFixed(1)}s)`);
    }

    // Links: a page of the site must exist and have the #section named; other files must be served.
    const checked = new Map<string, boolean>();
    for (const { from, href } of allLinks) {
      const url = new URL(href);
      if (!href.startsWith(base)) {
        if (!/^(https?|mailto):/.test(url.protocol)) problems.push({ page: from, kind: "broken-link", detail: href });
        continue; // outside links are left to the reader's network
      }
      const path = url.pathname.slice(1) || "index.html";
      if (path.endsWith(".html")) {
        const ids = anchors.get(path);
        if (!ids) {
          if (!pages.includes(path)) problems.push({ page: from, kind: "broken-link", detail: `${path}${url.hash}: no such page` });
          // else: the page exists but did not load, which is reported as such
        }
        else if (url.hash && !ids.has(decodeURIComponent(url.hash.slice(1)))) problems.push({ page: from, kind: "broken-link", detail: `${path}${url.hash}: no such section` });
        continue;
      }
      if (!checked.has(path)) checked.set(path, existsSync(join(siteDir, decodeURIComponent(path))));
      if (!checked.get(path)) problems.push({ page: from, kind: "broken-link", detail: `${path}: no such file` });
    }
    await withJs.close();
    await noJs.close();
  } finally {
    await browser?.close().catch(() => undefined);
    await new Promise((r) => server.close(r));
  }
  return { pages: reports, problems, requests, screenshots };
}
