/**
 * Papermill-style parameters in the headless runner (tools/runner/parameters.ts, no kernel needed):
 * how `-p` values are read, what the `-f` file must hold, and where the injected cell goes.
 * test/notebook-parameters.test.ts runs the course notebooks with their parameter sets.
 *
 *     npx vitest run test/runner-parameters.test.ts
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { extractParameterPairs } from "../tools/runner/cli";
import { parseNotebook } from "../tools/runner/notebook";
import { injectedSource, injectParameters, parseParameterPairs, parseParameterValue, readParametersFile } from "../tools/runner/parameters";

const work = mkdtempSync(join(tmpdir(), "runner-parameters-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function notebook(cells: { source: string; tags?: string[]; type?: string }[]) {
  return parseNotebook(JSON.stringify({
    nbformat: 4, nbformat_minor: 5, metadata: {},
    cells: cells.map((c, i) => ({ cell_type: c.type ?? "code", id: `c${i}`, metadata: c.tags ? { tags: c.tags } : {}, source: c.source, outputs: [], execution_count: null })),
  }));
}

describe("-p values", () => {
  it("are JSON when they parse and strings otherwise, as the brief's papermill rule says", () => {
    expect(parseParameterValue("4")).toBe(4);
    expect(parseParameterValue("0.25")).toBe(0.25);
    expect(parseParameterValue("true")).toBe(true);
    expect(parseParameterValue("[1,2]")).toEqual([1, 2]);
    expect(parseParameterValue('"4"')).toBe("4");
    expect(parseParameterValue("ABBA")).toBe("ABBA");
    expect(parseParameterValue("")).toBe("");
  });

  it("later pairs override earlier ones; a bad name is refused, echoed", () => {
    expect(parseParameterPairs([["K", "3"], ["K", "5"]])).toEqual({ K: 5 });
    expect(() => parseParameterPairs([["bad-name", "1"]])).toThrow(/TypeScript identifier; got "bad-name"/);
  });

  it("are taken out of argv as triples before commander parses it", () => {
    const { rest, pairs } = extractParameterPairs(["node", "cli", "nb.ipynb", "-p", "K", "4", "--parameters", "TAU", "0.5", "-o", "out"]);
    expect(rest).toEqual(["node", "cli", "nb.ipynb", "-o", "out"]);
    expect(pairs).toEqual([["K", "4"], ["TAU", "0.5"]]);
    expect(() => extractParameterPairs(["node", "cli", "-p", "K"])).toThrow(/takes a name and a value/);
  });
});

describe("-f files", () => {
  it("hold one JSON object; anything else is refused naming the file", () => {
    const good = join(work, "good.json"), list = join(work, "list.json"), bad = join(work, "bad.json");
    writeFileSync(good, JSON.stringify({ K: 4, PROMPT: "ABBA" }));
    writeFileSync(list, "[1]");
    writeFileSync(bad, "{K: 4}");
    expect(readParametersFile(good)).toEqual({ K: 4, PROMPT: "ABBA" });
    expect(() => readParametersFile(list)).toThrow(`parameters file ${JSON.stringify(list)} must hold one JSON object`);
    expect(() => readParametersFile(bad)).toThrow(/is not JSON/);
    expect(() => readParametersFile(join(work, "missing.json"))).toThrow(/cannot be read/);
  });
});

describe("injection", () => {
  it("inserts a cell tagged injected-parameters right after the parameters cell, replacing an old one", () => {
    const nb = notebook([{ source: "import x;" }, { source: "const K: number = 3;\nlet TAU = 1;", tags: ["parameters"] }, { source: "use(K);" }]);
    expect(injectParameters(nb, { K: 5 })).toEqual([]);
    expect(nb.cells.map((c) => c.source)).toEqual(["import x;", "const K: number = 3;\nlet TAU = 1;", injectedSource({ K: 5 }), "use(K);"]);
    expect(nb.cells[2].metadata.tags).toEqual(["injected-parameters"]);
    // Run on an executed copy: the old injected cell is replaced, not stacked.
    const warnings = injectParameters(nb, { TAU: 0.5, SEED: "x" });
    expect(nb.cells.filter((c) => (c.metadata.tags as string[] | undefined)?.includes("injected-parameters"))).toHaveLength(1);
    expect(nb.cells[2].source).toContain("const TAU: number = 0.5;");
    expect(warnings).toEqual([expect.stringContaining('parameter "SEED" is not declared in the parameters cell')]);
  });

  it("declares primitives with a wide type and other values as JSON", () => {
    const src = injectedSource({ K: 4, NAME: "dog", ON: false, TAUS: [0.5, 1] });
    expect(src).toContain("const K: number = 4;");
    expect(src).toContain('const NAME: string = "dog";');
    expect(src).toContain("const ON: boolean = false;");
    expect(src).toContain("const TAUS = [0.5,1];");
  });

  it("refuses a notebook without a parameters cell, saying which and what was given", () => {
    const nb = notebook([{ source: "const K = 3;" }]);
    expect(() => injectParameters(nb, { K: 4 }, "remark-9.ipynb")).toThrow('remark-9.ipynb has no code cell tagged "parameters", so the parameters K cannot be injected');
  });
});
