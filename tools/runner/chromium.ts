/**
 * Static figure images (SVG and PNG) from the system's Chromium, driven headless by playwright-core.
 * No browser is ever downloaded: we use `--chromium <path>`, `$LLM_DYNAMICS_CHROMIUM`, or a Chromium
 * installed by the OS. One browser and one page serve a whole run; plotly.js is loaded once.
 *
 * Plotly names clip paths and gradients with ids drawn from Math.random, so each image is rendered
 * with Math.random replaced by a generator reset to the same seed: two runs give the same SVG.
 *
 *     const found = findChromium();            // { path: "/usr/bin/chromium", looked: [...] }
 *     const renderer = await StaticRenderer.launch(found.path!);
 *     const { svg, png } = await renderer.render({ data, layout, config });
 *     await renderer.close();
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { BrowserContext, Page } from "playwright-core";

export const CHROMIUM_ENV = "LLM_DYNAMICS_CHROMIUM";
const SYSTEM_CHROMIUMS = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"];
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
/** Plotly's own default image size, used when a layout gives none. */
const DEFAULT_SIZE = { width: 700, height: 450 };
const RANDOM_SEED = 20240601;

export interface PlotlySpec {
  data: unknown[];
  layout?: Record<string, unknown>;
  config?: Record<string, unknown>;
}

export interface ChromiumSearch {
  path: string | null;
  /** Where we looked, in order: for the message when nothing is found. */
  looked: string[];
  /** True when the user named the path (option or environment): then a missing file is an error. */
  explicit: boolean;
}

/** `candidates` are the system locations tried when no path is named (tests pass their own). */
export function findChromium(explicit?: string, env: NodeJS.ProcessEnv = process.env, candidates: string[] = SYSTEM_CHROMIUMS): ChromiumSearch {
  const named = explicit ?? env[CHROMIUM_ENV];
  if (named) return { path: existsSync(named) ? named : null, looked: [named], explicit: true };
  const path = candidates.find((p) => existsSync(p)) ?? null;
  return { path, looked: candidates, explicit: false };
}

export function noChromiumAdvice(search: ChromiumSearch): string {
  return (
    `no Chromium found (looked for ${search.looked.join(", ") || "no locations"}), so static SVG/PNG figures were not rendered; ` +
    `JSON and HTML figures were written. To get the static images, install Chromium (Debian/Ubuntu: \`apt-get install chromium\`) ` +
    `or point to one with \`--chromium <path>\` (or ${CHROMIUM_ENV}=<path>).`
  );
}

function plotlyPath(): string {
  // plotly.js-dist-min is the same build as plotly.js-dist, minified: what the notebooks inline too.
  for (const name of ["plotly.js-dist-min/plotly.min.js", "plotly.js-dist/plotly.js"]) {
    try {
      return require.resolve(name);
    } catch {
      // try the next one
    }
  }
  throw new Error("plotly.js not found: run `npm ci` (plotly.js-dist-min and plotly.js-dist are dependencies)");
}

export function imageSize(spec: PlotlySpec): { width: number; height: number } {
  const layout = spec.layout ?? {};
  return {
    width: typeof layout.width === "number" ? layout.width : DEFAULT_SIZE.width,
    height: typeof layout.height === "number" ? layout.height : DEFAULT_SIZE.height,
  };
}

export class StaticRenderer {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(private readonly context: BrowserContext, private readonly page: Page, private readonly userDataDir: string) {}

  static async launch(executablePath: string): Promise<StaticRenderer> {
    const { chromium } = await import("playwright-core");
    const userDataDir = mkdtempSync(join(tmpdir(), "llm-dynamics-chromium-"));
    let context: BrowserContext | undefined;
    try {
      context = await chromium.launchPersistentContext(userDataDir, { executablePath, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
      const page = context.pages()[0] ?? (await context.newPage());
      // Loaded from disk by the browser: several times faster than pushing 4.8 MB through the protocol.
      const html = join(userDataDir, "render.html");
      writeFileSync(html, `<!DOCTYPE html><html><head><meta charset="utf-8"><script src="${pathToFileURL(plotlyPath()).href}"></script></head><body></body></html>`);
      // Loading 4.8 MB of plotly.js takes seconds on a loaded machine; the 30 s default failed at load 36 on 2 cores.
      await page.goto(pathToFileURL(html).href, { timeout: 180_000 });
      if (!(await page.evaluate("typeof Plotly === 'object'"))) throw new Error("plotly.js did not load in the page");
      return new StaticRenderer(context, page, userDataDir);
    } catch (err) {
      await context?.close().catch(() => undefined);
      rmSync(userDataDir, { recursive: true, force: true });
      throw new Error(`could not start Chromium at ${JSON.stringify(executablePath)}: ${(err as Error).message.split("\n")[0]}`);
    }
  }

  /** SVG text and PNG bytes of one figure. Calls are serialised on the single page. */
  render(spec: PlotlySpec): Promise<{ svg: string; png: Buffer }> {
    const job = this.queue.catch(() => undefined).then(() => this.renderNow(spec));
    this.queue = job;
    return job;
  }

  private async renderNow(spec: PlotlySpec): Promise<{ svg: string; png: Buffer }> {
    const size = imageSize(spec);
    const urls = await this.page.evaluate(
      async ({ spec, size, seed }) => {
        type SvgToImg = (opts: Record<string, unknown>) => Promise<string>;
        const w = globalThis as unknown as {
          Plotly: { toImage(fig: unknown, opts: unknown): Promise<string>; Snapshot: { svgToImg: SvgToImg } };
          document: { createElement(tag: string): unknown };
        };
        const seeded = () => {
          let s = seed >>> 0;
          return () => {
            s = (s + 0x6d2b79f5) >>> 0;
            let t = s;
            t = Math.imul(t ^ (t >>> 15), t | 1);
            t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
            return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
          };
        };
        const figure = { data: spec.data, layout: spec.layout ?? {}, config: { ...(spec.config ?? {}), responsive: false } };
        Math.random = seeded();
        const svg = await w.Plotly.toImage(figure, { format: "svg", ...size });
        // The PNG is drawn from that SVG, as Plotly.toImage does for "png", without plotting twice.
        const svgText = decodeURIComponent(svg.slice(svg.indexOf(",") + 1));
        const png = await w.Plotly.Snapshot.svgToImg({ format: "png", ...size, scale: 1, svg: svgText, canvas: w.document.createElement("canvas"), promise: true });
        return { svg, png };
      },
      { spec, size, seed: RANDOM_SEED },
    );
    const svgPrefix = "data:image/svg+xml,";
    const pngPrefix = "data:image/png;base64,";
    if (!urls.svg.startsWith(svgPrefix) || !urls.png.startsWith(pngPrefix)) throw new Error("Plotly.toImage returned an unexpected data URL");
    return { svg: decodeURIComponent(urls.svg.slice(svgPrefix.length)), png: Buffer.from(urls.png.slice(pngPrefix.length), "base64") };
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
    rmSync(this.userDataDir, { recursive: true, force: true });
  }
}
