/**
 * The course in a real front end: Debian's classic Jupyter Notebook, driven in the system Chromium.
 *
 *     npx tsc -p . && npx vitest run test/browser.test.ts        # screenshots in test-artifacts/browser/
 *
 * A notebook server starts on 127.0.0.1 with a random token, on a temporary copy of notebooks/ (with a
 * node_modules link so `import ... from "llm-dynamics"` resolves), with its own Jupyter data, config
 * and runtime folders and the tslab kernel registered there by tools/kernel. For each course notebook
 * plus a small fixture notebook, Chromium opens it, runs all cells and waits for the kernel; then:
 * every execute_reply is "ok" and no cell has an error or stderr output; every figure output has its
 * plotly SVG drawn; every Markdown cell with math has MathJax output and no TeX error; after saving
 * and reloading, the notebook is trusted and every figure is drawn again without running anything.
 * Every request the page makes is recorded; any that leaves loopback fails the test (and is blocked).
 *
 * Skipped, with the reason printed, only when /usr/bin/chromium or Debian's jupyter-notebook is missing.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { install } from "../tools/kernel/install";
import { STANDBY_ENV, stopStandbys } from "../tools/kernel/standby";

const ROOT = resolve(__dirname, "..");
const CHROMIUM = "/usr/bin/chromium";
const JUPYTER = "/usr/bin/jupyter";
const ARTIFACTS = join(ROOT, "test-artifacts/browser");
/** Bounds per notebook: running every cell, then drawing figures / typesetting after a (re)load. */
const RUN_TIMEOUT_MS = 8 * 60_000;
const SETTLE_TIMEOUT_MS = 90_000;
const FIXTURE = "browser-fixture.ipynb";
const EDGE = "browser-edge.ipynb";

function missingComponents(): string[] {
  const missing: string[] = [];
  if (!existsSync(CHROMIUM)) missing.push(`${CHROMIUM} (Debian package chromium)`);
  if (!existsSync("/usr/bin/jupyter-notebook")) missing.push("/usr/bin/jupyter-notebook (Debian package jupyter-notebook)");
  else if (spawnSync("/usr/bin/python3", ["-c", "import notebook, jupyter_client"]).status !== 0) missing.push("python3 modules notebook and jupyter_client");
  return missing;
}
const missing = missingComponents();
if (missing.length > 0) console.log(`browser test skipped: not installed: ${missing.join("; ")}. On Debian: apt-get install chromium jupyter-notebook`);

const courseNotebooks = existsSync(join(ROOT, "notebooks"))
  ? readdirSync(join(ROOT, "notebooks")).filter((f) => f.endsWith(".ipynb")).sort()
  : [];

function notebookJson(prefix: string, cells: object[]): object {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "tslab", display_name: "TypeScript", language: "typescript" }, language_info: { name: "typescript" } },
    cells: cells.map((c, i) => ({ id: `${prefix}-${i}`, ...c })),
  };
}
const code = (source: string) => ({ cell_type: "code", execution_count: null, metadata: {}, outputs: [], source });

/** A small notebook of our own, so the front-end checks run even before the course exists. */
function fixtureNotebook(): object {
  return notebookJson("fixture", [
      { cell_type: "markdown", metadata: {}, source: "# Fixture\n\nInline $\\pi_0 T^n$ and display math:\n\n$$\\sum_{j} \\pi_j = 1, \\qquad \\pi T = \\pi.$$" },
      code('import { figure, show } from "llm-dynamics";\nshow(figure("fixture-line", [{ type: "scatter", x: [1, 2, 3], y: [1, 4, 9] }], { title: { text: "Squares" } }));'),
      { cell_type: "markdown", metadata: {}, source: "A second figure, in a later cell: $f(k) = 1 - 2^{-k}$." },
      code('show(figure("fixture-bars", [{ type: "bar", x: ["a", "b"], y: [2, 3] }], { title: { text: "Bars" } }));\n"done"'),
  ]);
}

/** The awkward cases: one figure id shown twice, and a cell that fails on purpose. */
function edgeNotebook(): object {
  return notebookJson("edge", [
    { cell_type: "markdown", metadata: {}, source: "Edge cases for the browser test." },
    code('import { figure, show } from "llm-dynamics";\nshow(figure("edge-first", [{ type: "scatter", x: [0, 1], y: [1, 0] }]));'),
    code('show(figure("edge-twice", [{ type: "scatter", x: [0, 1], y: [0, 1] }], { title: { text: "Once" } }));'),
    code('show(figure("edge-twice", [{ type: "bar", x: [0, 1], y: [1, 2] }], { title: { text: "Twice" } }));'),
    code('throw new Error("deliberate failure for the browser test");'),
  ]);
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const server = createServer();
    server.once("error", rej);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => res(port));
    });
  });
}

function isLoopback(url: string): boolean {
  if (/^(data|blob|about|chrome|chrome-extension|devtools):/.test(url)) return true;
  try {
    const host = new URL(url).hostname;
    return host === "127.0.0.1" || host === "localhost" || host === "[::1]";
  } catch {
    return false;
  }
}

/** What the page reports about the notebook's cells, from Jupyter's own model. */
interface CellReport {
  index: number;
  type: string;
  firstLine: string;
  errors: string[];
  figures: string[];
  hasMath: boolean;
  mathRendered: number;
  mathErrors: number;
}

declare const Jupyter: any; // eslint-disable-line @typescript-eslint/no-explicit-any
declare const window: any; // eslint-disable-line @typescript-eslint/no-explicit-any
declare const document: any; // eslint-disable-line @typescript-eslint/no-explicit-any

describe.skipIf(missing.length > 0)("the course in Debian's classic Jupyter Notebook and Chromium", () => {
  let scratch = "";
  let server: ChildProcess | null = null;
  let context: BrowserContext | null = null;
  let base = "";
  let token = "";
  const offLoopback: string[] = [];
  let requests = 0;
  const summary: string[] = [];

  beforeAll(async () => {
    rmSync(ARTIFACTS, { recursive: true, force: true });
    mkdirSync(ARTIFACTS, { recursive: true });
    scratch = mkdtempSync(join(tmpdir(), "llmd-browser-"));
    const nbDir = join(scratch, "notebooks");
    if (existsSync(join(ROOT, "notebooks"))) cpSync(join(ROOT, "notebooks"), nbDir, { recursive: true });
    mkdirSync(nbDir, { recursive: true });
    symlinkSync(join(ROOT, "node_modules"), join(scratch, "node_modules"), "dir");
    writeFileSync(join(nbDir, FIXTURE), JSON.stringify(fixtureNotebook(), null, 1));
    writeFileSync(join(nbDir, EDGE), JSON.stringify(edgeNotebook(), null, 1));

    // Jupyter's folders of its own: a fresh trust database, no user config, our kernel registration.
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      JUPYTER_DATA_DIR: join(scratch, "jupyter-data"),
      JUPYTER_CONFIG_DIR: join(scratch, "jupyter-config"),
      JUPYTER_RUNTIME_DIR: join(scratch, "jupyter-runtime"),
      // The registered kernel is the course's launcher: its warm standbys live here, stopped at tear-down.
      [STANDBY_ENV.dir]: join(scratch, "standby"),
      PYDEVD_DISABLE_FILE_VALIDATION: "1",
    };
    const log: string[] = [];
    const code = install({ env, log: (l) => log.push(l), error: (l) => log.push(l) });
    writeFileSync(join(ARTIFACTS, "kernel-install.log"), log.join("\n") + "\n");
    if (code !== 0) throw new Error(`kernel registration failed (exit ${code}):\n${log.join("\n")}`);

    const port = await freePort();
    token = randomBytes(24).toString("hex");
    const args = ["notebook", "--no-browser", "--ip=127.0.0.1", `--port=${port}`, "--port-retries=0", `--NotebookApp.token=${token}`, `--notebook-dir=${nbDir}`];
    if (process.getuid?.() === 0) args.push("--allow-root");
    server = spawn(JUPYTER, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    const serverLog = createWriteStream(join(ARTIFACTS, "jupyter-server.log"));
    server.stdout?.pipe(serverLog);
    server.stderr?.pipe(serverLog);
    base = `http://127.0.0.1:${port}`;
    const started = Date.now();
    while (true) {
      if (server.exitCode !== null) throw new Error(`the notebook server exited with code ${server.exitCode}; see ${join(ARTIFACTS, "jupyter-server.log")}`);
      try {
        const r = await fetch(`${base}/api/status?token=${token}`);
        if (r.ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() - started > 60_000) throw new Error(`the notebook server did not answer on ${base} within 60 s`);
      await new Promise((r) => setTimeout(r, 250));
    }

    context = await chromium.launchPersistentContext(join(scratch, "chromium-profile"), {
      executablePath: CHROMIUM,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
      viewport: { width: 1280, height: 900 },
    });
    const requestLog = createWriteStream(join(ARTIFACTS, "requests.log"));
    await context.route("**/*", (route) => {
      const url = route.request().url();
      requests++;
      requestLog.write(`${url.replace(token, "<token>")}\n`);
      if (isLoopback(url)) return route.continue();
      offLoopback.push(url);
      return route.abort("blockedbyclient");
    });
  }, 180_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    if (server && server.exitCode === null) {
      server.kill("SIGTERM"); // the server shuts its kernels down on SIGTERM
      const stopped = await new Promise<boolean>((r) => {
        const timer = setTimeout(() => r(false), 15_000);
        server!.once("exit", () => {
          clearTimeout(timer);
          r(true);
        });
      });
      if (!stopped) server.kill("SIGKILL");
    }
    if (scratch) stopStandbys(join(scratch, "standby"));
    if (summary.length) {
      writeFileSync(join(ARTIFACTS, "summary.txt"), summary.join("\n") + "\n");
      console.log(summary.join("\n"));
    }
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }, 60_000);

  async function openNotebook(name: string): Promise<Page> {
    const page = await context!.newPage();
    const consoleLog = createWriteStream(join(ARTIFACTS, `${basename(name, ".ipynb")}.console.log`), { flags: "a" });
    page.on("console", (m) => consoleLog.write(`[${m.type()}] ${m.text()}\n`));
    page.on("pageerror", (e) => consoleLog.write(`[pageerror] ${e.message}\n`));
    await page.goto(`${base}/notebooks/${encodeURIComponent(name)}?token=${token}`);
    await page.waitForFunction(
      () => window.Jupyter?.notebook?._fully_loaded && Jupyter.notebook.kernel?.is_connected() && Object.keys(Jupyter.notebook.kernel.info_reply ?? {}).length > 0,
      null,
      { timeout: SETTLE_TIMEOUT_MS, polling: 250 },
    );
    return page;
  }

  /** Waits until every figure output has plotly's SVG and MathJax has finished; returns the cells. */
  async function settle(page: Page): Promise<CellReport[]> {
    await page.waitForFunction(
      () => {
        const figures = Array.from(document.querySelectorAll(".llm-dynamics-figure"));
        const drawn = figures.every((el: any) => el.querySelector(".main-svg")); // eslint-disable-line @typescript-eslint/no-explicit-any
        const hub = window.MathJax?.Hub;
        const typeset = !hub || (hub.queue.pending === 0 && hub.queue.running === 0);
        return drawn && typeset;
      },
      null,
      { timeout: SETTLE_TIMEOUT_MS, polling: 250 },
    ).catch(() => undefined); // the assertions below say what is missing
    return page.evaluate(() => {
      const MATH = /\$[^$]+\$|\\\(|\\\[|\\begin\{/;
      return Jupyter.notebook.get_cells().map((cell: any, index: number) => { // eslint-disable-line @typescript-eslint/no-explicit-any
        const errors: string[] = [];
        const figures: string[] = [];
        for (const out of cell.output_area?.outputs ?? []) {
          if (out.output_type === "error") errors.push(`error output ${out.ename}: ${out.evalue}`);
          if (out.output_type === "stream" && out.name === "stderr") errors.push(`stderr: ${String(out.text).slice(0, 500)}`);
          const id = out.metadata?.["llm-dynamics"]?.figure;
          if (id) figures.push(id);
        }
        for (const el of Array.from(cell.element[0].querySelectorAll(".js-error")) as any[]) errors.push(`javascript error shown: ${el.textContent}`); // eslint-disable-line @typescript-eslint/no-explicit-any
        const root = cell.element[0];
        return {
          index,
          type: cell.cell_type,
          firstLine: cell.get_text().split("\n")[0].slice(0, 80),
          errors,
          figures,
          hasMath: cell.cell_type === "markdown" && MATH.test(cell.get_text()),
          mathRendered: root.querySelectorAll(".MathJax, .MathJax_Display, .MathJax_CHTML, .MathJax_SVG, mjx-container").length,
          mathErrors: root.querySelectorAll(".MathJax_Error, .merror, .noError").length,
        };
      });
    });
  }

  /** The figures drawn in the page, by figure id as the output metadata gives it. */
  async function drawnFigures(page: Page): Promise<{ total: number; drawn: number; undrawn: string[] }> {
    return page.evaluate(() => {
      const els = Array.from(document.querySelectorAll(".llm-dynamics-figure")) as any[]; // eslint-disable-line @typescript-eslint/no-explicit-any
      const undrawn = els.filter((el) => !el.querySelector(".main-svg")).map((el) => `${el.id}: ${el.textContent.trim().slice(0, 400)}`);
      return { total: els.length, drawn: els.length - undrawn.length, undrawn };
    });
  }

  async function screenshots(page: Page, stem: string, cells: CellReport[], limit: number): Promise<void> {
    await page.evaluate(() => Jupyter.notebook.scroll_to_top());
    await page.screenshot({ path: join(ARTIFACTS, `${stem}.top.png`) });
    const figureCells = cells.filter((c) => c.figures.length > 0).slice(0, limit);
    for (const c of figureCells) {
      const el = page.locator(".cell").nth(c.index).locator(".output_area").filter({ has: page.locator(".llm-dynamics-figure") }).first();
      await el.screenshot({ path: join(ARTIFACTS, `${stem}.cell${String(c.index).padStart(2, "0")}-${c.figures[0]}.png`) }).catch(() => undefined);
    }
    const mathCell = cells.find((c) => c.hasMath);
    if (mathCell) await page.locator(".cell").nth(mathCell.index).screenshot({ path: join(ARTIFACTS, `${stem}.cell${String(mathCell.index).padStart(2, "0")}-math.png`) }).catch(() => undefined);
  }

  type Reply = { index: number; status: string; ename?: string; evalue?: string };

  /** Records every execute_reply: tslab reports a failed cell by its status and stderr only. */
  async function recordReplies(page: Page): Promise<void> {
    await page.evaluate(() => {
      window.__llmdReplies = [];
      const code = Jupyter.notebook.get_cells().find((c: any) => c.cell_type === "code"); // eslint-disable-line @typescript-eslint/no-explicit-any
      if (!code) return;
      const proto = Object.getPrototypeOf(code);
      if (proto.__llmdWrapped) return;
      const original = proto._handle_execute_reply;
      proto._handle_execute_reply = function (this: unknown, ...args: any[]) { // eslint-disable-line @typescript-eslint/no-explicit-any
        const content = args[0].content;
        window.__llmdReplies.push({ index: Jupyter.notebook.find_cell_index(this), status: content.status, ename: content.ename, evalue: content.evalue });
        return original.apply(this, args);
      };
      proto.__llmdWrapped = true;
    });
  }

  /** Runs the given cells (all when omitted) and waits, within RUN_TIMEOUT_MS, for their replies and an idle kernel. */
  async function run(page: Page, only?: number): Promise<{ replies: Reply[]; expected: number; seconds: number }> {
    await recordReplies(page);
    const expected = await page.evaluate((i) => {
      const cells = i === null ? Jupyter.notebook.get_cells() : [Jupyter.notebook.get_cell(i)];
      return cells.filter((c: any) => c.cell_type === "code" && c.get_text().trim() !== "").length; // eslint-disable-line @typescript-eslint/no-explicit-any
    }, only ?? null);
    const started = Date.now();
    await page.evaluate((i) => (i === null ? Jupyter.notebook.execute_all_cells() : Jupyter.notebook.get_cell(i).execute()), only ?? null);
    await page.waitForFunction(
      (n) => {
        const pending = Jupyter.notebook.get_cells().some((c: any) => c.cell_type === "code" && c.input_prompt_number === "*"); // eslint-disable-line @typescript-eslint/no-explicit-any
        const idle = document.querySelector("#kernel_indicator_icon")?.classList.contains("kernel_idle_icon");
        return window.__llmdReplies.length >= n && !pending && idle;
      },
      expected,
      { timeout: RUN_TIMEOUT_MS, polling: 500 },
    ).catch(() => undefined); // reported by problems(), cell by cell
    return { replies: (await page.evaluate(() => window.__llmdReplies)) as Reply[], expected, seconds: (Date.now() - started) / 1000 };
  }

  /** Every failed cell, error or stderr output, missing or broken math, and undrawn figure. */
  async function problems(page: Page, cells: CellReport[], ran: { replies: Reply[]; expected: number }): Promise<string[]> {
    const found: string[] = [];
    for (const r of ran.replies) if (r.status !== "ok") found.push(`cell ${r.index} (${cells[r.index]?.firstLine}): execute_reply ${r.status}${r.ename ? ` ${r.ename}: ${r.evalue}` : ""}`);
    if (ran.replies.length < ran.expected) found.push(`only ${ran.replies.length} of ${ran.expected} code cells finished within ${RUN_TIMEOUT_MS / 1000} s`);
    for (const c of cells) for (const e of c.errors) found.push(`cell ${c.index} (${c.firstLine}): ${e}`);
    for (const c of cells) {
      if (c.hasMath && c.mathRendered === 0) found.push(`cell ${c.index} (${c.firstLine}): math not typeset by MathJax`);
      if (c.mathErrors > 0) found.push(`cell ${c.index} (${c.firstLine}): ${c.mathErrors} TeX error(s)`);
    }
    const expectedFigures = cells.reduce((n, c) => n + c.figures.length, 0);
    const live = await drawnFigures(page);
    if (live.total !== expectedFigures) found.push(`${expectedFigures} figure outputs but ${live.total} figure elements in the page`);
    for (const u of live.undrawn) found.push(`figure not drawn: ${u}`);
    return found;
  }

  async function saveAndReload(page: Page, name: string): Promise<void> {
    await page.evaluate(() => Jupyter.notebook.save_notebook());
    await page.reload();
    await page.waitForFunction(() => window.Jupyter?.notebook?._fully_loaded, null, { timeout: SETTLE_TIMEOUT_MS });
    expect(await page.evaluate(() => Jupyter.notebook.trusted), `${name}, saved after running, is trusted on reload`).toBe(true);
  }

  async function closeNotebook(page: Page): Promise<void> {
    await page.evaluate(() => Jupyter.notebook.session?.delete()).catch(() => undefined);
    await page.close();
  }

  const names = [...courseNotebooks, FIXTURE];
  if (courseNotebooks.length === 0) console.log("browser test: notebooks/ has no .ipynb yet; only the fixture notebook is checked");

  for (const name of names) {
    it(`${name}: runs clean, draws every figure and the math, and still shows the figures after save and reload`, async () => {
      const stem = basename(name, ".ipynb");
      const declared = (JSON.parse(readFileSync(join(scratch, "notebooks", name), "utf8")) as { metadata?: { kernelspec?: { name?: string } } }).metadata?.kernelspec?.name;
      expect(declared, `${name} must declare the tslab kernel in metadata.kernelspec`).toBe("tslab");

      const page = await openNotebook(name);
      const ran = await run(page);
      const cells = await settle(page);
      await screenshots(page, `${stem}.1-run`, cells, 4);
      const found = await problems(page, cells, ran);
      if (found.length) writeFileSync(join(ARTIFACTS, `${stem}.problems.txt`), found.join("\n") + "\n");
      expect(found, found.join("\n")).toEqual([]);
      const expectedFigures = cells.reduce((n, c) => n + c.figures.length, 0);

      await saveAndReload(page, name);
      const saved = JSON.parse(readFileSync(join(scratch, "notebooks", name), "utf8")) as { cells: { outputs?: { metadata?: Record<string, { figure?: string }> }[] }[] };
      const savedFigures = saved.cells.flatMap((c) => (c.outputs ?? []).filter((o) => o.metadata?.["llm-dynamics"]?.figure)).length;
      expect(savedFigures, "figure outputs in the saved file").toBe(expectedFigures);
      const cellsAfter = await settle(page);
      const reloaded = await drawnFigures(page);
      await screenshots(page, `${stem}.2-reloaded`, cellsAfter, 2);
      expect(reloaded.total, "figure elements after reload").toBe(expectedFigures);
      expect(reloaded.undrawn, "figures not drawn after reload").toEqual([]);
      for (const c of cellsAfter) if (c.hasMath) expect(c.mathRendered, `math in cell ${c.index} after reload`).toBeGreaterThan(0);

      await closeNotebook(page);
      const math = cells.reduce((n, c) => n + c.mathRendered, 0);
      summary.push(`${name}: ${cells.length} cells (${ran.expected} code) ran in ${ran.seconds.toFixed(1)} s; ${expectedFigures} figures drawn live and after reload; ${math} MathJax elements`);
    }, RUN_TIMEOUT_MS + 4 * SETTLE_TIMEOUT_MS);
  }

  it("edge cases: a failing cell is reported, a figure shown twice draws twice, untrusted shows text, lost plotly.js is explained", async () => {
    const page = await openNotebook(EDGE);
    const ran = await run(page);
    const cells = await settle(page);
    await screenshots(page, "edge.1-run", cells, 3);
    // The detector must see the deliberate failure, and only it (tslab: status "error" plus stderr).
    const found = await problems(page, cells, ran);
    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(/^cell 4 .*execute_reply error/);
    expect(found[1]).toMatch(/^cell 4 .*stderr: .*deliberate failure/s);
    expect((await drawnFigures(page)).drawn, "edge-first once and edge-twice twice").toBe(3);

    // Untrusted: the same outputs in a notebook whose signature no longer matches run no script.
    await page.evaluate(() => Jupyter.notebook.save_notebook());
    const saved = JSON.parse(readFileSync(join(scratch, "notebooks", EDGE), "utf8")) as { metadata: Record<string, unknown> };
    saved.metadata.edited_elsewhere = true;
    writeFileSync(join(scratch, "notebooks", "browser-edge-untrusted.ipynb"), JSON.stringify(saved));
    const untrusted = await openNotebook("browser-edge-untrusted.ipynb");
    expect(await untrusted.evaluate(() => Jupyter.notebook.trusted)).toBe(false);
    const shown = await untrusted.evaluate(() =>
      Array.from(document.querySelectorAll(".output_html")).map((el: any) => ({ svg: !!el.querySelector(".main-svg"), text: el.textContent as string })), // eslint-disable-line @typescript-eslint/no-explicit-any
    );
    expect(shown.map((s) => s.svg)).toEqual([false, false, false]);
    expect(shown.map((s) => /^Figure edge-(first|twice)(: \w+)?\. This interactive figure is drawn by JavaScript/.test(s.text.trim()))).toEqual([true, true, true]);
    await untrusted.screenshot({ path: join(ARTIFACTS, "edge.2-untrusted.top.png") });
    await closeNotebook(untrusted);

    // Re-running only the first figure's cell drops the one output that carried plotly.js; after
    // save and reload the figures say how to get it back instead of staying blank.
    const rerun = await run(page, 1);
    expect(rerun.replies.map((r) => r.status)).toEqual(["ok"]);
    await saveAndReload(page, EDGE);
    await page.waitForFunction(() => document.querySelectorAll(".llm-dynamics-figure-note").length === 3, null, { timeout: 30_000 }).catch(() => undefined);
    const after = await drawnFigures(page);
    expect(after.drawn).toBe(0);
    expect(after.undrawn.every((u) => u.includes("Restart & Run All") && !u.includes("trust it"))).toBe(true);
    expect(after.undrawn).toHaveLength(3);
    await page.locator(".cell").nth(1).screenshot({ path: join(ARTIFACTS, "edge.3-no-plotly.cell01.png") });
    await closeNotebook(page);
  }, RUN_TIMEOUT_MS + 4 * SETTLE_TIMEOUT_MS);

  it("made no request off loopback (plotly.js inlined, MathJax served by the local server)", () => {
    expect(requests).toBeGreaterThan(0);
    expect(offLoopback).toEqual([]);
  });
});
