/**
 * The headless runner on fixture notebooks, with the real tslab kernel and (when installed) the
 * system Chromium: outputs in place, figure files, schema validity, the failed-cell report, other
 * notebooks still running after a failure, and byte-identical results from two runs.
 *
 *     npx vitest run test/runner.test.ts
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findChromium } from "../tools/runner/chromium";
import { notebookSchemaErrors } from "../tools/runner/schema";
import { formatFailure, runNotebooks, type RunResult } from "../tools/runner/run";

const FIXTURES = resolve(__dirname, "fixtures/notebooks");
const basic = join(FIXTURES, "basic.ipynb");
const failing = join(FIXTURES, "failing.ipynb");
const chromium = findChromium();
if (!chromium.path) console.log(`runner.test: static SVG/PNG checks skipped: no Chromium at ${chromium.looked.join(", ")} (apt-get install chromium)`);

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const joined = (v: unknown) => (Array.isArray(v) ? v.join("") : v);
const readJson = (file: string): Json => JSON.parse(readFileSync(file, "utf8"));
const cellById = (nb: Json, id: string): Json => nb.cells.find((c: Json) => c.id === id);
const streams = (cell: Json) => cell.outputs.filter((o: Json) => o.output_type === "stream").map((o: Json) => [o.name, joined(o.text)]);

/** Width and height from a PNG's IHDR chunk, read straight from the bytes. */
function pngSize(png: Buffer): [number, number] {
  expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
  expect(png.subarray(12, 16).toString("ascii")).toBe("IHDR");
  return [png.readUInt32BE(16), png.readUInt32BE(20)];
}

let work: string;
let first: RunResult;
let second: RunResult;
const dirs = (name: string) => ({ outDir: join(work, name, "notebooks"), figuresDir: join(work, name, "figures") });

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "runner-test-"));
  // One at a time, the failing notebook first: the one after it must still run.
  first = await runNotebooks({ notebooks: [failing, basic], ...dirs("a"), timeoutSeconds: 120, jobs: 1 });
  // The same notebooks side by side in two kernels: the results must not depend on that.
  second = await runNotebooks({ notebooks: [failing, basic], ...dirs("b"), timeoutSeconds: 120, jobs: 2 });
}, 900_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("a clean notebook", () => {
  it("runs every code cell in the notebook's folder and keeps outputs in place", () => {
    const result = first.notebooks.find((r) => r.name === "basic")!;
    expect(result.ok, formatFailure(result)).toBe(true);
    expect(result.problems).toEqual([]);
    const nb = readJson(join(work, "a", "notebooks", "basic.ipynb"));
    expect(streams(cellById(nb, "imports"))).toEqual([["stdout", "cwd: notebooks\n"]]);
    expect(streams(cellById(nb, "streams"))).toEqual([
      ["stdout", "1,4,9,16\n"],
      ["stderr", "a line on stderr\n"],
      ["stdout", "back on stdout\n"],
    ]);
    // Timing metadata left by an earlier nbclient run is time-stamped: not carried over.
    expect(cellById(nb, "streams").metadata).toEqual({});
    expect(streams(cellById(nb, "two-logs"))).toEqual([["stdout", "first line\nsecond line\n"]]);
    expect(cellById(nb, "empty")).toMatchObject({ outputs: [], execution_count: null });
    const html = cellById(nb, "html").outputs;
    expect(html).toEqual([{ output_type: "display_data", data: { "text/html": ["<b>bold</b> text"] }, metadata: {} }]);
    expect(streams(cellById(nb, "last-expression"))).toEqual([["stdout", "30\n"]]);
    const counts = nb.cells.filter((c: Json) => c.cell_type === "code" && c.execution_count !== null).map((c: Json) => c.execution_count);
    expect(counts).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(nb.metadata.language_info.name).toBe("typescript");
  });

  it("writes an executed notebook that is valid nbformat 4.5", () => {
    const nb = readJson(join(work, "a", "notebooks", "basic.ipynb"));
    expect(nb.nbformat).toBe(4);
    expect(nb.nbformat_minor).toBe(5);
    expect(notebookSchemaErrors(nb)).toEqual([]);
  });

  it("writes each figure's spec and an offline HTML page", () => {
    const dir = join(work, "a", "figures", "basic");
    const nb = readJson(join(work, "a", "notebooks", "basic.ipynb"));
    const bundle = cellById(nb, "bars").outputs[0];
    expect(bundle.metadata).toEqual({ "llm-dynamics": { figure: "fixture-squares" } });
    const spec = readJson(join(dir, "fixture-squares.json"));
    // Independent of the kernel: the squares the fixture computes.
    expect(spec.data[0].y).toEqual([1, 2, 3, 4].map((n) => n * n));
    expect(spec).toEqual(bundle.data["application/vnd.plotly.v1+json"]);
    const page = readFileSync(join(dir, "fixture-squares.html"), "utf8");
    expect(page.length).toBeGreaterThan(1_000_000); // plotly.js is inside
    expect(page).toContain("Plotly.newPlot");
    expect(page).toContain('"y":[1,4,9,16]');
    expect(page).not.toMatch(/<script[^>]+src=/);
    expect(first.notebooks.find((r) => r.name === "basic")!.figures.map((f) => f.id)).toEqual(["fixture-squares", "fixture-line"]);
  });

  it.skipIf(!chromium.path)("renders SVG and PNG with Chromium and puts them into the display bundle", () => {
    const dir = join(work, "a", "figures", "basic");
    const nb = readJson(join(work, "a", "notebooks", "basic.ipynb"));
    const line = cellById(nb, "line").outputs[0].data;
    const png = readFileSync(join(dir, "fixture-line.png"));
    expect(pngSize(png)).toEqual([500, 300]); // the layout's size
    expect(pngSize(readFileSync(join(dir, "fixture-squares.png")))).toEqual([700, 450]); // plotly's default
    const svg = readFileSync(join(dir, "fixture-line.svg"), "utf8");
    expect(svg).toMatch(/^<svg[^>]*width="500" height="300"/);
    expect(joined(line["image/svg+xml"])).toBe(svg);
    expect(joined(line["image/png"])).toBe(png.toString("base64"));
    // Viewers without JavaScript see the PNG inside the figure's div.
    expect(joined(line["text/html"])).toContain(`<img src="data:image/png;base64,${png.toString("base64")}"`);
  });
});

describe("a failing notebook", () => {
  const result = () => first.notebooks.find((r) => r.name === "failing")!;

  it("stops at the failed cell and reports notebook, cell, first line and error text", () => {
    const r = result();
    expect(r.ok).toBe(false);
    expect(r.failure).toMatchObject({ kind: "error", cell: 5, codeCell: 4, codeCells: 5, firstLine: "const answer = 41;" });
    expect(r.failure!.error).toContain("Error: deliberate failure: 42");
    const report = formatFailure(r);
    expect(report).toContain("failing.ipynb");
    expect(report).toContain("cell 5 (code cell 4 of 5): const answer = 41;");
    expect(report).toContain("deliberate failure: 42");
    expect(first.exitCode).toBe(1);
  });

  it("honours raises-exception, and leaves cells after the failure unexecuted", () => {
    const nb = readJson(join(work, "a", "notebooks", "failing.ipynb"));
    expect(streams(cellById(nb, "allowed"))[0][1]).toContain("allowed failure");
    expect(streams(cellById(nb, "after-allowed"))).toEqual([["stdout", "after the allowed failure\n"]]);
    expect(cellById(nb, "unreachable")).toMatchObject({ outputs: [], execution_count: null });
    expect(notebookSchemaErrors(nb)).toEqual([]);
  });

  it("does not keep the next notebook from running", () => {
    expect(first.notebooks.map((r) => [r.name, r.ok])).toEqual([
      ["failing", false],
      ["basic", true],
    ]);
  });
});

describe("determinism", () => {
  it("two runs (one sequential, one parallel) write identical notebooks and figure files", () => {
    expect(second.notebooks.map((r) => [r.name, r.ok])).toEqual([
      ["failing", false],
      ["basic", true],
    ]);
    const files = ["notebooks/basic.ipynb", "notebooks/failing.ipynb", ...["fixture-squares", "fixture-line"].flatMap((id) => ["json", "html", "svg", "png"].map((ext) => `figures/basic/${id}.${ext}`))];
    for (const file of files) {
      const a = join(work, "a", file);
      const b = join(work, "b", file);
      if (!existsSync(a) && /\.(svg|png)$/.test(file) && !chromium.path) continue;
      expect(readFileSync(a).equals(readFileSync(b)), file).toBe(true);
    }
  });
});

describe("without Chromium", () => {
  it("still writes JSON and HTML, and says how to get the static images", async () => {
    const result = await runNotebooks({ notebooks: [basic], ...dirs("c"), systemChromiums: ["/nonexistent/chromium"], env: { ...process.env, LLM_DYNAMICS_CHROMIUM: "" } });
    expect(result.exitCode).toBe(0);
    expect(result.staticSkipped).toMatch(/apt-get install chromium/);
    expect(result.staticSkipped).toMatch(/--chromium <path>/);
    const dir = join(work, "c", "figures", "basic");
    expect(existsSync(join(dir, "fixture-line.json"))).toBe(true);
    expect(existsSync(join(dir, "fixture-line.html"))).toBe(true);
    expect(existsSync(join(dir, "fixture-line.svg"))).toBe(false);
    const nb = readJson(join(work, "c", "notebooks", "basic.ipynb"));
    expect(Object.keys(cellById(nb, "line").outputs[0].data).sort()).toEqual(["application/vnd.plotly.v1+json", "text/html", "text/plain"]);
  });
});
