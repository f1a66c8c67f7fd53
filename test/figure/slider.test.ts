/**
 * sliderFigure: the spec it builds, and the slider working offline in the system Chromium, both in the
 * figure's standalone page (tools/runner/figures.ts) and in the notebook's HTML output (figureHtml with
 * plotly.js inlined). Every request that leaves file:// is blocked and fails the test. The browser part
 * is skipped, with the reason printed, when /usr/bin/chromium is missing.
 *
 *     npx vitest run test/figure/slider.test.ts
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type Page } from "playwright-core";
import { figureHtml, sliderFigure } from "llm-dynamics";
import { standaloneHtml } from "../../tools/runner/figures";
import type { PlotlySpec } from "../../tools/runner/chromium";

const CHROMIUM = "/usr/bin/chromium";
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.log(`slider browser test skipped: ${CHROMIUM} is not installed (Debian package chromium)`);

const family = () => sliderFigure("slider-demo", "a", [1, 2, 3].map((a) => ({
  label: String(a), title: `Lines of slope ${a}`,
  traces: [{ type: "scatter", mode: "lines", name: `slope ${a}`, x: [0, 1], y: [0, a] }, { type: "scatter", mode: "markers", name: `points ${a}`, x: [0.5], y: [a / 2] }],
})), { active: 1, layout: { title: { text: "" }, xaxis: { title: { text: "x" } }, yaxis: { title: { text: "y" } } }, common: [{ type: "scatter", mode: "lines", name: "zero", x: [0, 1], y: [0, 0] }] });

describe("sliderFigure", () => {
  it("shows only the active member's traces (and the common ones), and each step shows its own", () => {
    const fig = family();
    expect(fig.data.map((t) => (t as { visible: unknown }).visible)).toEqual([false, false, true, true, false, false, undefined]);
    const slider = (fig.layout.sliders as { active: number; steps: { label: string; method: string; args: [{ visible: boolean[] }, { "title.text": string }] }[] }[])[0];
    expect(slider.active).toBe(1);
    expect(slider.steps.map((s) => s.label)).toEqual(["1", "2", "3"]);
    expect(slider.steps[2].args[0].visible).toEqual([false, false, false, false, true, true, true]);
    expect(slider.steps[0].args[1]["title.text"]).toBe("Lines of slope 1");
    expect((fig.layout.title as { text: string }).text).toBe("Lines of slope 2");
  });

  it("rejects bad members and an active index out of range, naming the argument", () => {
    expect(() => sliderFigure("x", "a", [])).toThrow(/members must be a non-empty array/);
    expect(() => sliderFigure("x", "a", [{ label: 1 as unknown as string, traces: [] }])).toThrow(/members\[0\] must be/);
    expect(() => sliderFigure("x", "a", [{ label: "1", traces: [] }], { active: 1 })).toThrow(/options.active must be an index into members \(0 … 0\); got 1/);
  });
});

describe.skipIf(!haveChromium)("the slider works offline in Chromium", () => {
  let browser: Browser;
  let dir: string;
  const external: string[] = [];
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--headless", "--disable-gpu"] });
    dir = mkdtempSync(join(tmpdir(), "slider-test-"));
  }, 400_000);
  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function open(html: string, name: string): Promise<Page> {
    const path = join(dir, name);
    writeFileSync(path, html);
    const page = await browser.newPage({ viewport: { width: 900, height: 700 } });
    await page.route("**/*", (route) => {
      if (route.request().url().startsWith("file:")) return route.continue();
      external.push(route.request().url());
      return route.abort();
    });
    page.setDefaultTimeout(180_000); // a 4.8 MB page on a loaded machine
    await page.goto(pathToFileURL(path).href, { waitUntil: "domcontentloaded" });
    await page.waitForSelector(".slider-container .slider-rail-rect");
    return page;
  }

  /** Clicks the slider at the step labelled `label` and returns the title and the names of the visible traces. */
  async function choose(page: Page, label: string): Promise<{ title: string; visible: string[] }> {
    const box = await page.evaluate((label) => {
      const labels = Array.from(document.querySelectorAll(".slider-container .slider-label, .slider-container text"));
      const el = labels.find((t) => (t.textContent ?? "").trim() === label && t.closest(".slider-labels-group, .slider-group") !== null) ?? labels.find((t) => (t.textContent ?? "").trim() === label);
      const rail = document.querySelector(".slider-container .slider-rail-rect")!.getBoundingClientRect();
      const b = el!.getBoundingClientRect();
      return { x: (b.left + b.right) / 2, y: (rail.top + rail.bottom) / 2 };
    }, label);
    await page.mouse.click(box.x, box.y);
    await page.waitForTimeout(300);
    return page.evaluate(() => {
      const gd = document.querySelector(".js-plotly-plot") as unknown as { _fullLayout: { title: { text: string } }; _fullData: { visible: unknown; name: string }[] };
      return { title: gd._fullLayout.title.text, visible: gd._fullData.filter((t) => t.visible === true).map((t) => t.name) };
    });
  }

  it("in the figure's standalone page", async () => {
    const fig = family();
    const html = Buffer.concat(standaloneHtml(fig.id, { data: fig.data, layout: fig.layout, config: fig.config } as PlotlySpec)).toString("utf8");
    const page = await open(html, "standalone.html");
    expect(await choose(page, "3")).toEqual({ title: "Lines of slope 3", visible: ["slope 3", "points 3", "zero"] });
    expect(await choose(page, "1")).toEqual({ title: "Lines of slope 1", visible: ["slope 1", "points 1", "zero"] });
    expect(external).toEqual([]);
  }, 400_000);

  it("in the notebook's HTML output", async () => {
    const fig = family();
    const page = await open(`<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>${figureHtml(fig, { includePlotly: true })}</body></html>`, "notebook.html");
    expect(await choose(page, "3")).toEqual({ title: "Lines of slope 3", visible: ["slope 3", "points 3", "zero"] });
    expect(external).toEqual([]);
  }, 400_000);
});
