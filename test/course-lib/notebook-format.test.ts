/**
 * The notebook source format (tools/notebooks/format.ts): parsing, and the JSON it writes checked by
 * an independent route — Debian's Python `nbformat.validate` against the official 4.5 schema.
 *
 *     npx vitest run test/course-lib/notebook-format.test.ts
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseNotebookSource, renderNotebook } from "../../tools/notebooks/format";

const SAMPLE = [
  "%% markdown intro",
  "# Title",
  "",
  "Some $x^2$ maths.",
  "",
  "%% code setup tags=setup,hidden",
  "",
  "const a = 1;",
  "a + 1;",
  "",
  '%% code answer meta={"llm-dynamics":{"exercise":"6.C.1"}}',
  "answer();",
].join("\n");

describe("parseNotebookSource", () => {
  it("splits cells at the header lines and trims blank lines around each body", () => {
    const cells = parseNotebookSource(SAMPLE, "sample");
    expect(cells.map((c) => [c.cellType, c.id])).toEqual([["markdown", "intro"], ["code", "setup"], ["code", "answer"]]);
    expect(cells[0].source).toBe("# Title\n\nSome $x^2$ maths.");
    expect(cells[1].source).toBe("const a = 1;\na + 1;");
    expect(cells[1].tags).toEqual(["setup", "hidden"]);
    expect(cells[2].metadata).toEqual({ "llm-dynamics": { exercise: "6.C.1" } });
  });

  it("rejects duplicate ids, bad ids, empty cells and stray text, naming the line", () => {
    expect(() => parseNotebookSource("%% code a\nx\n%% code a\ny", "f")).toThrow(/f:3: cell id "a" is used twice/);
    expect(() => parseNotebookSource("%% code Bad\nx", "f")).toThrow(/f:1: cell id must be/);
    expect(() => parseNotebookSource("%% code a\n\n%% code b\ny", "f")).toThrow(/cell "a" is empty/);
    expect(() => parseNotebookSource("hello\n%% code a\nx", "f")).toThrow(/f:1: text before the first/);
    expect(() => parseNotebookSource("%% code a foo\nx", "f")).toThrow(/unexpected text after the cell id: "foo"/);
    expect(() => parseNotebookSource("%% code a meta={bad\nx", "f")).toThrow(/meta= must be a JSON object/);
  });
});

describe("renderNotebook", () => {
  const json = renderNotebook(parseNotebookSource(SAMPLE, "sample"));
  const nb = JSON.parse(json);

  it("writes cells without outputs, with the tslab kernelspec and source lines keeping their newlines", () => {
    expect(nb.nbformat).toBe(4);
    expect(nb.nbformat_minor).toBe(5);
    expect(nb.metadata.kernelspec).toEqual({ display_name: "TypeScript", language: "typescript", name: "tslab" });
    expect(nb.cells[1]).toEqual({
      cell_type: "code", execution_count: null, id: "setup", metadata: { tags: ["setup", "hidden"] }, outputs: [],
      source: ["const a = 1;\n", "a + 1;"],
    });
    // Joining the lines gives back the body exactly.
    expect(nb.cells[0].source.join("")).toBe("# Title\n\nSome $x^2$ maths.");
  });

  const python = "/usr/bin/python3";
  const hasNbformat = existsSync(python) && (() => {
    try {
      execFileSync(python, ["-c", "import nbformat"], { stdio: "ignore" });
      return true;
    } catch {
      return false;
    }
  })();
  if (!hasNbformat) console.log("skipping nbformat validation: Debian's python3-nbformat is not installed");
  it.skipIf(!hasNbformat)("passes nbformat.validate (the official schema, via Debian's Python)", () => {
    const script = "import sys, nbformat; nb = nbformat.reads(sys.stdin.read(), as_version=4); nbformat.validate(nb); print(nb.nbformat_minor, len(nb.cells))";
    expect(execFileSync(python, ["-c", script], { input: json, encoding: "utf8" }).trim()).toBe("5 3");
    // And it can fail: a cell id with a space is a schema error.
    const broken = json.replace('"id": "answer"', '"id": "an answer"');
    expect(() => execFileSync(python, ["-c", script], { input: broken, encoding: "utf8", stdio: "pipe" })).toThrow();
  });
});

describe("committed notebooks", () => {
  const root = join(__dirname, "../..");
  const sources = readdirSync(join(root, "tools/notebooks/sources")).filter((f) => f.endsWith(".nb.txt"));
  it.each(sources)("notebooks/ holds exactly what %s renders to (rebuild with dist/tools/notebooks/build.js)", (file) => {
    const rendered = renderNotebook(parseNotebookSource(readFileSync(join(root, "tools/notebooks/sources", file), "utf8"), file));
    const target = join(root, "notebooks", file.replace(/\.nb\.txt$/, ".ipynb"));
    expect(existsSync(target)).toBe(true);
    expect(readFileSync(target, "utf8")).toBe(rendered);
  });
});
