/**
 * Layout rules for the course's figures, checked on the figure as plotly.js actually draws it in the
 * system Chromium (the spec alone cannot say whether a title fits: that depends on font metrics).
 *
 * Rules (each problem names its rule):
 * - `text-inside`: every piece of text — titles, axis titles, tick labels, legend, annotations,
 *   slider labels — lies inside the figure's box;
 * - `legend-clear`: the legend lies outside every plot area, or no trace passes under it;
 *   `annotation-clear`: no annotation's text lies over a trace;
 * - `axis-titled`: every visible axis that shows tick labels has a title (a panel that hides its tick
 *   labels shares its neighbour's, as in a row of matrices);
 * - `traces-distinct`: traces of different series (legend group, else name) differ in colour, dash or
 *   marker symbol. Traces of one series (say ten seeded runs drawn alike) may look the same.
 *
 * Only what is visible counts: a slider figure is checked as it first appears.
 *
 *     const checker = await LayoutChecker.launch("/usr/bin/chromium");
 *     const problems = await checker.check(spec);    // [{ rule: "text-inside", message: "…" }]
 *     await checker.close();
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { BrowserContext, Page } from "playwright-core";
import { CHROMIUM_ARGS, imageSize, type PlotlySpec } from "./chromium";

export type LayoutRule = "text-inside" | "legend-clear" | "annotation-clear" | "axis-titled" | "traces-distinct";

export interface LayoutProblem {
  rule: LayoutRule;
  message: string;
}

/** Pixels of slack for anti-aliasing and rounding in bounding boxes. */
const SLACK = 1;

export class LayoutChecker {
  private constructor(private readonly context: BrowserContext, private readonly page: Page, private readonly userDataDir: string) {}

  static async launch(executablePath: string): Promise<LayoutChecker> {
    const { chromium } = await import("playwright-core");
    const userDataDir = mkdtempSync(join(tmpdir(), "llm-dynamics-layout-"));
    let context: BrowserContext | undefined;
    try {
      context = await chromium.launchPersistentContext(userDataDir, { executablePath, headless: true, args: CHROMIUM_ARGS, timeout: 180_000 });
      const page = context.pages()[0] ?? (await context.newPage());
      const html = join(userDataDir, "layout.html");
      const plotly = pathToFileURL(require.resolve("plotly.js-dist-min/plotly.min.js")).href;
      writeFileSync(html, `<!DOCTYPE html><html><head><meta charset="utf-8"><style>body{margin:0}</style><script src="${plotly}"></script></head><body><div id="figure"></div></body></html>`);
      // Generous: loading 4.8 MB of plotly.js takes long on a loaded machine.
      page.setDefaultTimeout(300_000);
      await page.goto(pathToFileURL(html).href, { timeout: 300_000 });
      if (!(await page.evaluate("typeof Plotly === 'object'"))) throw new Error("plotly.js did not load in the page");
      return new LayoutChecker(context, page, userDataDir);
    } catch (err) {
      await context?.close().catch(() => undefined);
      rmSync(userDataDir, { recursive: true, force: true });
      throw new Error(`could not start Chromium at ${JSON.stringify(executablePath)}: ${(err as Error).message.split("\n")[0]}`);
    }
  }

  /** Draws the figure at its own size (plotly's default 700 × 450 when it gives none) and lists the problems. */
  async check(spec: PlotlySpec): Promise<LayoutProblem[]> {
    const size = imageSize(spec);
    return this.page.evaluate(
      async ({ spec, size, slack }) => {
        type Box = { left: number; top: number; right: number; bottom: number };
        type Axis = { _offset: number; _length: number; visible?: boolean; showticklabels?: boolean; title?: { text?: string }; type: string; d2c(v: unknown): number; c2p(v: number): number };
        type FullTrace = {
          type: string; visible: unknown; name?: string; legendgroup?: string; showlegend?: boolean; mode?: string;
          xaxis?: string; yaxis?: string; x?: unknown[]; y?: unknown[];
          line?: { color?: unknown; dash?: unknown }; marker?: { color?: unknown; symbol?: unknown };
        };
        const w = globalThis as unknown as {
          Plotly: { newPlot(el: unknown, data: unknown, layout: unknown, config: unknown): Promise<unknown>; purge(el: unknown): void };
          document: { getElementById(id: string): { querySelectorAll(s: string): ArrayLike<{ getBoundingClientRect(): Box; textContent: string | null; closest(s: string): unknown; getAttribute(n: string): string | null }> } & Record<string, unknown> };
          getComputedStyle(el: unknown): { display: string; visibility: string; opacity: string };
        };
        const problems: { rule: string; message: string }[] = [];
        const el = w.document.getElementById("figure");
        w.Plotly.purge(el);
        const layout = { ...(spec.layout ?? {}), width: size.width, height: size.height };
        await w.Plotly.newPlot(el, spec.data, layout, { ...(spec.config ?? {}), responsive: false, staticPlot: false });
        const svg = el.querySelectorAll("svg.main-svg")[0].getBoundingClientRect();
        const inside = (b: Box) => b.left >= svg.left - slack && b.top >= svg.top - slack && b.right <= svg.right + slack && b.bottom <= svg.bottom + slack;
        const shown = (node: unknown): boolean => {
          for (let n = node as { parentElement?: unknown } | null; n && (n as unknown) !== el; n = (n as { parentElement: unknown }).parentElement as never) {
            const st = w.getComputedStyle(n);
            if (st.display === "none" || st.visibility === "hidden" || st.opacity === "0") return false;
          }
          return true;
        };
        const kindOf = (node: { closest(s: string): unknown }): string => {
          const kinds: [string, string][] = [["g.g-gtitle, .gtitle", "title"], [".g-xtitle, .g-x2title, .xtitle", "x axis title"], [".g-ytitle, .ytitle", "y axis title"],
            [".xtick", "x tick label"], [".ytick", "y tick label"], [".legend", "legend"], [".annotation", "annotation"], [".slider-container", "slider"], [".updatemenu-container", "menu"]];
          for (const [sel, name] of kinds) if (node.closest(sel)) return name;
          return "text";
        };
        // 1. Text inside the figure's box.
        const texts = el.querySelectorAll("svg.main-svg text");
        for (let i = 0; i < texts.length; i++) {
          const t = texts[i];
          const content = (t.textContent ?? "").trim();
          if (content === "" || !shown(t)) continue;
          const b = t.getBoundingClientRect();
          if (b.right - b.left === 0 && b.bottom - b.top === 0) continue;
          if (!inside(b)) {
            problems.push({ rule: "text-inside", message: `${kindOf(t)} ${JSON.stringify(content.slice(0, 60))} at x ${Math.round(b.left - svg.left)}…${Math.round(b.right - svg.left)}, y ${Math.round(b.top - svg.top)}…${Math.round(b.bottom - svg.top)} is outside the ${Math.round(svg.right - svg.left)} × ${Math.round(svg.bottom - svg.top)} figure` });
          }
        }
        // Trace points in page pixels, with segments sampled so that a line crossing a box is seen.
        const full = (el as unknown as { _fullLayout: Record<string, unknown>; _fullData: FullTrace[] });
        const fl = full._fullLayout;
        const axisOf = (id: string | undefined, letter: string): Axis | undefined => fl[(id ?? letter).replace(/^([xy])(\d*)$/, "$1axis$2")] as Axis | undefined;
        const points: { x: number; y: number; trace: string }[] = [];
        for (const tr of full._fullData) {
          if (tr.visible !== true || !Array.isArray(tr.x) || !Array.isArray(tr.y)) continue;
          const xa = axisOf(tr.xaxis, "x"), ya = axisOf(tr.yaxis, "y");
          if (!xa || !ya) continue;
          const px: [number, number][] = [];
          for (let i = 0; i < tr.x.length; i++) {
            const cx = xa.d2c(tr.x[i]), cy = ya.d2c(tr.y[i]);
            if (!Number.isFinite(cx) || !Number.isFinite(cy)) continue;
            const X = svg.left + xa._offset + xa.c2p(cx), Y = svg.top + ya._offset + ya.c2p(cy);
            if (Number.isFinite(X) && Number.isFinite(Y)) px.push([X, Y]);
          }
          const lines = (tr.mode ?? "").includes("lines") || tr.type === "bar";
          px.forEach(([X, Y], i) => {
            points.push({ x: X, y: Y, trace: tr.name ?? "trace" });
            if (lines && i > 0) for (let s = 1; s < 8; s++) points.push({ x: px[i - 1][0] + ((X - px[i - 1][0]) * s) / 8, y: px[i - 1][1] + ((Y - px[i - 1][1]) * s) / 8, trace: tr.name ?? "trace" });
          });
        }
        const under = (b: Box) => points.find((q) => q.x > b.left && q.x < b.right && q.y > b.top && q.y < b.bottom);
        // 2. The legend outside the plot areas, or over no trace.
        const plotAreas = Array.from(el.querySelectorAll(".draglayer .nsewdrag"), (d) => d.getBoundingClientRect());
        const overlaps = (a: Box, b: Box) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
        const legend = el.querySelectorAll(".legend .bg")[0];
        if (legend && shown(legend)) {
          const b = legend.getBoundingClientRect();
          if (plotAreas.some((a) => overlaps(a, b))) {
            const hit = under(b);
            if (hit) problems.push({ rule: "legend-clear", message: `the legend lies over the plot area and over the trace ${JSON.stringify(hit.trace)}` });
          }
        }
        // ... and annotations over no trace.
        const notes = el.querySelectorAll(".annotation .annotation-text-g");
        for (let i = 0; i < notes.length; i++) {
          // An annotation without text is an arrow (the network plot draws its edges so): no text to hide the data.
          if (!shown(notes[i]) || (notes[i].textContent ?? "").trim() === "") continue;
          const b = notes[i].getBoundingClientRect();
          const hit = under(b);
          if (hit) problems.push({ rule: "annotation-clear", message: `the annotation ${JSON.stringify((notes[i].textContent ?? "").slice(0, 40))} lies over the trace ${JSON.stringify(hit.trace)}` });
        }
        // 3. Every visible axis titled.
        for (const key of Object.keys(fl).filter((k) => /^[xy]axis\d*$/.test(k)).sort()) {
          const ax = fl[key] as Axis;
          if (!ax || ax.visible === false || ax.showticklabels === false || !(ax._length > 0)) continue;
          const used = full._fullData.some((tr) => tr.visible === true && axisOf(key.startsWith("x") ? tr.xaxis : tr.yaxis, key[0]) === ax);
          if (!used) continue;
          // plotly fills an untitled axis with an (invisible) placeholder such as "Click to enter Y axis title".
          const title = (ax.title?.text ?? "").trim();
          if (title === "" || /^Click to enter .* title$/.test(title)) problems.push({ rule: "axis-titled", message: `${key} has no title` });
        }
        // 4. Different series look different.
        const series = new Map<string, string>();
        for (const tr of full._fullData) {
          if (tr.visible !== true || !["scatter", "scattergl", "bar"].includes(tr.type)) continue;
          const key = tr.legendgroup || tr.name || "";
          const mode = tr.type === "bar" ? "bar" : tr.mode ?? "";
          const style = JSON.stringify([
            mode.includes("lines") ? [tr.line?.color, tr.line?.dash] : null,
            mode.includes("markers") || mode === "bar" ? [tr.marker?.color, tr.marker?.symbol] : null,
          ]);
          const seen = series.get(style);
          if (seen !== undefined && seen !== key) problems.push({ rule: "traces-distinct", message: `the series ${JSON.stringify(seen)} and ${JSON.stringify(key)} are drawn alike (${style})` });
          else series.set(style, key);
        }
        w.Plotly.purge(el);
        return problems as { rule: "text-inside" | "legend-clear" | "annotation-clear" | "axis-titled" | "traces-distinct"; message: string }[];
      },
      { spec, size, slack: SLACK },
    );
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
    rmSync(this.userDataDir, { recursive: true, force: true });
  }
}
