/**
 * Unit checks of the headless runner's pieces that need no kernel: message signing, output
 * assembly, nbformat writing and the schema validator (which must reject broken notebooks).
 *
 *     npx vitest run test/runner-units.test.ts
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { WireCodec, type JupyterMessage } from "../tools/runner/protocol";
import { errorText, OutputCollector } from "../tools/runner/outputs";
import { parseNotebook, serializeNotebook, splitLines } from "../tools/runner/notebook";
import { notebookSchemaErrors } from "../tools/runner/schema";
import { addStaticImages, notebookFigures, standaloneHtml } from "../tools/runner/figures";
import { figure, figureBundle, figureHtml } from "../src/figure";
import { COURSE_ORDER, listNotebooks, notebookName } from "../tools/runner/run";

function iopub(type: string, content: Record<string, unknown>): JupyterMessage {
  const codec = new WireCodec("k");
  return codec.message(type, content) as JupyterMessage;
}

describe("wire codec", () => {
  it("signs the four JSON frames with HMAC-SHA256 of the key, as the spec defines", () => {
    const codec = new WireCodec("secret");
    const frames = codec.encode(codec.message("kernel_info_request", {}));
    expect(frames[0].toString()).toBe("<IDS|MSG>");
    // Independent route: compute the HMAC directly with node:crypto over frames 2..5.
    const hmac = createHmac("sha256", "secret");
    for (const f of frames.slice(2, 6)) hmac.update(f);
    expect(frames[1].toString()).toBe(hmac.digest("hex"));
    const header = JSON.parse(frames[2].toString());
    expect(header).toMatchObject({ msg_type: "kernel_info_request", version: "5.3", session: codec.session });
  });

  it("decodes a message after routing identities and rejects a tampered one", () => {
    const codec = new WireCodec("secret");
    const frames = codec.encode(codec.message("execute_request", { code: "1" }));
    const decoded = codec.decode([Buffer.from("topic"), ...frames]);
    expect(decoded.content).toEqual({ code: "1" });
    const tampered = [...frames];
    tampered[5] = Buffer.from(JSON.stringify({ code: "2" }));
    expect(() => codec.decode(tampered)).toThrow(/signature/);
    expect(() => new WireCodec("other").decode(frames)).toThrow(/signature/);
  });
});

describe("output collector", () => {
  it("merges consecutive streams of one name and keeps interleaved ones apart", () => {
    const c = new OutputCollector();
    c.add(iopub("stream", { name: "stdout", text: "a\n" }));
    c.add(iopub("stream", { name: "stdout", text: "b\n" }));
    c.add(iopub("stream", { name: "stderr", text: "e\n" }));
    c.add(iopub("stream", { name: "stdout", text: "c\n" }));
    expect(c.outputs).toEqual([
      { output_type: "stream", name: "stdout", text: "a\nb\n" },
      { output_type: "stream", name: "stderr", text: "e\n" },
      { output_type: "stream", name: "stdout", text: "c\n" },
    ]);
  });

  it("applies update_display_data across cells and clear_output(wait) at the next output", () => {
    const displays = new Map();
    const first = new OutputCollector(displays);
    first.add(iopub("display_data", { data: { "text/plain": "v1" }, metadata: {}, transient: { display_id: "d" } }));
    const second = new OutputCollector(displays);
    second.add(iopub("update_display_data", { data: { "text/plain": "v2" }, metadata: {}, transient: { display_id: "d" } }));
    expect(first.outputs).toEqual([{ output_type: "display_data", data: { "text/plain": "v2" }, metadata: {} }]);
    second.add(iopub("stream", { name: "stdout", text: "x" }));
    second.add(iopub("clear_output", { wait: true }));
    expect(second.outputs).toHaveLength(1);
    second.add(iopub("stream", { name: "stdout", text: "y" }));
    expect(second.outputs).toEqual([{ output_type: "stream", name: "stdout", text: "y" }]);
  });

  it("reports stderr and error outputs without ANSI colours", () => {
    const c = new OutputCollector();
    c.add(iopub("stream", { name: "stdout", text: "fine\n" }));
    c.add(iopub("stream", { name: "stderr", text: "Error: boom\n" }));
    c.add(iopub("error", { ename: "E", evalue: "v", traceback: ["\u001b[31mE: v\u001b[0m"] }));
    expect(errorText(c.outputs)).toBe("Error: boom\n\nE: v");
  });
});

describe("nbformat writing", () => {
  it("splits lines like nbformat's split_lines", () => {
    expect(splitLines("a\nb")).toEqual(["a\n", "b"]);
    expect(splitLines("a\n")).toEqual(["a\n"]);
    expect(splitLines("")).toEqual([]);
    expect(splitLines("\n\n")).toEqual(["\n", "\n"]);
  });

  it("round-trips a notebook, gives missing cell ids stable values, and validates", () => {
    const text = JSON.stringify({
      nbformat: 4,
      nbformat_minor: 4,
      metadata: {},
      cells: [
        { cell_type: "markdown", metadata: {}, source: ["# T\n", "x"] },
        { cell_type: "code", metadata: {}, source: "1", execution_count: null, outputs: [{ output_type: "stream", name: "stdout", text: ["a\n", "b"] }] },
      ],
    });
    const nb = parseNotebook(text);
    expect(nb.cells.map((c) => c.id)).toEqual(["cell-1", "cell-2"]);
    expect(nb.cells[1].outputs).toEqual([{ output_type: "stream", name: "stdout", text: "a\nb" }]);
    const written = serializeNotebook(nb);
    expect(written).toBe(serializeNotebook(parseNotebook(written)));
    const json = JSON.parse(written);
    expect(json.nbformat_minor).toBe(5);
    expect(json.cells[0].source).toEqual(["# T\n", "x"]);
    expect(notebookSchemaErrors(json)).toEqual([]);
  });

  it("the schema validator rejects what nbformat 4.5 forbids", () => {
    const good = JSON.parse(serializeNotebook(parseNotebook(JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ id: "a", cell_type: "code", metadata: {}, source: "", execution_count: null, outputs: [] }] }))));
    expect(notebookSchemaErrors(good)).toEqual([]);
    const noId = structuredClone(good);
    delete noId.cells[0].id;
    expect(notebookSchemaErrors(noId).join()).toMatch(/id/);
    const badOutput = structuredClone(good);
    badOutput.cells[0].outputs = [{ output_type: "stream", text: "x" }];
    expect(notebookSchemaErrors(badOutput).length).toBeGreaterThan(0);
    const badCount = structuredClone(good);
    badCount.cells[0].execution_count = -1;
    expect(notebookSchemaErrors(badCount).length).toBeGreaterThan(0);
  });

  it("refuses notebooks that are not nbformat 4, naming the file", () => {
    expect(() => parseNotebook(JSON.stringify({ nbformat: 3, cells: [] }), "old.ipynb")).toThrow(/old\.ipynb.*nbformat 3/);
    expect(() => parseNotebook("{", "broken.ipynb")).toThrow(/broken\.ipynb: not JSON/);
  });
});

describe("figures", () => {
  it("adds the static images so that the HTML is what figureHtml makes with an image fallback", () => {
    const fig = figure("unit-fig", [{ type: "bar", x: [1], y: [2] }], { title: { text: "A <b>" } });
    for (const includePlotly of [false, true]) {
      const bundle = figureBundle(fig, includePlotly);
      const nb = parseNotebook(JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ id: "c", cell_type: "code", metadata: {}, source: "", execution_count: 1, outputs: [{ output_type: "display_data", ...bundle }] }] }));
      const [found] = notebookFigures(nb);
      expect(found.id).toBe("unit-fig");
      const png = Buffer.from("not really a png");
      addStaticImages(found, { svg: "<svg></svg>", png });
      const img = `<img src="data:image/png;base64,${png.toString("base64")}" alt="Figure unit-fig: A &lt;b&gt;">`;
      // Independent route: the library's own renderer, asked for that fallback.
      expect(found.output.data["text/html"]).toBe(figureHtml(fig, { includePlotly, fallback: img }));
      expect(found.output.data["image/svg+xml"]).toBe("<svg></svg>");
      expect(found.output.data["image/png"]).toBe(png.toString("base64"));
    }
  });

  it("leaves HTML it did not recognise alone", () => {
    const nb = parseNotebook(JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ id: "c", cell_type: "code", metadata: {}, source: "", execution_count: 1, outputs: [{ output_type: "display_data", data: { "application/vnd.plotly.v1+json": { data: [], layout: {} }, "text/html": "<div>custom</div>" }, metadata: { "llm-dynamics": { figure: "x" } } }] }] }));
    const [found] = notebookFigures(nb);
    addStaticImages(found, { svg: "<svg></svg>", png: Buffer.from("p") });
    expect(found.output.data["text/html"]).toBe("<div>custom</div>");
  });

  it("writes an offline page: plotly.js inline, no external script", () => {
    const page = Buffer.concat(standaloneHtml("p", { data: [{ type: "bar", y: [1] }], layout: { title: { text: "T" } } })).toString("utf8");
    expect(page).toMatch(/^<!DOCTYPE html>/);
    expect(page).toContain("<title>T (p)</title>");
    expect(page).not.toMatch(/<script[^>]+src=/);
    expect(page).toContain('var spec={"data":[{"type":"bar","y":[1]}]');
    expect(page.length).toBeGreaterThan(1_000_000);
  });

  it("rejects figure ids that cannot name a file", () => {
    const nb = parseNotebook(JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ id: "c", cell_type: "code", metadata: {}, source: "", execution_count: 1, outputs: [{ output_type: "display_data", data: { "application/vnd.plotly.v1+json": { data: [] } }, metadata: { "llm-dynamics": { figure: "../evil" } } }] }] }));
    expect(() => notebookFigures(nb)).toThrow(/cell 1: figure id must be lower-case.*"\.\.\/evil"/);
  });
});

describe("course order", () => {
  it("lists the course's notebooks Remark by Remark, each followed by its workbook, and names every notebook", () => {
    const names = listNotebooks([join(__dirname, "..", "notebooks")]).map(notebookName);
    expect([...names].sort()).toEqual([...COURSE_ORDER].sort()); // a new notebook must be given its place
    expect(names).toEqual(COURSE_ORDER);
    expect(names.indexOf("4-workbook")).toBe(names.indexOf("remark-4-dynamic-gpt") + 1);
  });

  it("puts notebooks it does not know after the known ones, by file name", () => {
    const dir = mkdtempSync(join(tmpdir(), "llmd-order-"));
    try {
      for (const f of ["zz.ipynb", "6C-workbook.ipynb", "aa.ipynb", "remark-4-dynamic-gpt.ipynb"]) writeFileSync(join(dir, f), "{}");
      expect(listNotebooks([dir]).map(notebookName)).toEqual(["remark-4-dynamic-gpt", "6C-workbook", "aa", "zz"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
