/**
 * Issue 11's gate: a learner may change a notebook's inputs. Every notebook listed in
 * tools/notebooks/parameter-sets.json runs with each of its parameter sets through the headless
 * runner (the same path as `npm run course -- <nb> -p name value`), in the real tslab kernel, and
 * must run clean: its checks compare two computations, never a literal, so they hold for any value
 * in the documented range. An invalid value must stop the first cell that uses it, naming it.
 *
 *     npx vitest run test/notebook-parameters.test.ts
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cellTags, readNotebook } from "../tools/runner/notebook";
import { declaredParameters, INJECTED_TAG, PARAMETERS_TAG, type Parameters } from "../tools/runner/parameters";
import { formatFailure, runNotebooks, type NotebookResult } from "../tools/runner/run";

const ROOT = resolve(__dirname, "..");
const NOTEBOOKS = join(ROOT, "notebooks");
const SETS_FILE = join(ROOT, "tools/notebooks/parameter-sets.json");
const sets = JSON.parse(readFileSync(SETS_FILE, "utf8")) as Record<string, Parameters[]>;
const runs = Object.entries(sets).flatMap(([file, list]) => list.map((params, i) => ({ file, set: i + 1, params })));
const kernel = join(ROOT, "node_modules/.bin/tslab");
const haveKernel = existsSync(kernel);
if (!haveKernel) console.log(`notebook-parameters.test skipped: no tslab kernel at ${kernel} (run npm ci)`);

let work: string;
const results = new Map<string, NotebookResult>();
const key = (file: string, set: number) => `${file}#${set}`;

beforeAll(async () => {
  if (!haveKernel) return;
  work = mkdtempSync(join(tmpdir(), "notebook-parameters-"));
  // Two runs at a time: each has its own kernel; one run per call, since a notebook's outputs are named after it.
  const queue = [...runs];
  const worker = async () => {
    for (let run = queue.shift(); run; run = queue.shift()) {
      const out = join(work, `${run.file}-${run.set}`);
      const result = await runNotebooks({ notebooks: [join(NOTEBOOKS, run.file)], parameters: run.params, outDir: join(out, "nb"), figuresDir: join(out, "fig"), staticImages: false, jobs: 1, timeoutSeconds: 900 });
      const r = result.notebooks[0];
      console.log(`${run.file} set ${run.set}: ${r.ok ? "ok" : "FAILED"}, ${r.cellsRun}/${r.codeCells} cells, ${r.seconds.toFixed(1)} s`);
      results.set(key(run.file, run.set), r);
    }
  };
  await Promise.all([worker(), worker()]);
}, 3_600_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("parameter-sets.json", () => {
  it("lists notebooks that exist, each with a parameters cell declaring every name its sets use, and at least two sets", () => {
    expect(runs.length).toBeGreaterThan(0);
    for (const [file, list] of Object.entries(sets)) {
      expect(existsSync(join(NOTEBOOKS, file)), `${file} is listed but not in notebooks/`).toBe(true);
      expect(list.length, `${file}: at least two parameter sets`).toBeGreaterThanOrEqual(2);
      const cell = readNotebook(join(NOTEBOOKS, file)).cells.find((c) => c.cell_type === "code" && cellTags(c).includes(PARAMETERS_TAG));
      expect(cell, `${file} has no cell tagged parameters`).toBeDefined();
      const declared = declaredParameters(cell!);
      for (const params of list) for (const name of Object.keys(params)) expect(declared, `${file}: ${name} is not declared in its parameters cell`).toContain(name);
    }
  });
});

describe.skipIf(!haveKernel)("every notebook runs clean with each of its parameter sets", () => {
  it.each(runs.map((r) => [r.file, r.set, r.params] as const))("%s, set %i", (file, set, params) => {
    const r = results.get(key(file, set))!;
    expect(r, `no result for ${file} set ${set}`).toBeDefined();
    expect(r.ok && r.problems.length === 0, formatFailure(r)).toBe(true);
    expect(r.warnings).toEqual([]);
    // The executed copy holds the injected cell right after the parameters cell, and it ran.
    const cells = readNotebook(r.output).cells;
    const at = cells.findIndex((c) => cellTags(c).includes(PARAMETERS_TAG));
    expect(cellTags(cells[at + 1])).toContain(INJECTED_TAG);
    expect(cells[at + 1].execution_count).not.toBeNull();
    for (const name of Object.keys(params)) expect(cells[at + 1].source).toContain(`const ${name}`);
    for (const value of Object.values(params)) expect(cells[at + 1].source).toContain(JSON.stringify(value));
  });
});

describe.skipIf(!haveKernel)("an invalid value", () => {
  it("stops the first cell that uses it, with an error naming the parameter and echoing the value", async () => {
    const file = join(NOTEBOOKS, "remark-4-dynamic-gpt.ipynb");
    const out = mkdtempSync(join(tmpdir(), "notebook-parameters-bad-"));
    try {
      const result = await runNotebooks({ notebooks: [file], parameters: { K: 0 }, outDir: join(out, "nb"), figuresDir: join(out, "fig"), staticImages: false, jobs: 1, timeoutSeconds: 900 });
      const r = result.notebooks[0];
      expect(r.ok).toBe(false);
      expect(r.failure?.kind).toBe("error");
      expect(r.failure?.error).toContain("K must be an integer in [2, 4]; got 0");
      // The failing cell is the first code cell after the injected one whose code mentions K.
      const cells = readNotebook(r.output).cells;
      const injected = cells.findIndex((c) => cellTags(c).includes(INJECTED_TAG));
      const firstUse = cells.findIndex((c, i) => i > injected && c.cell_type === "code" && /\bK\b/.test(c.source));
      expect(r.failure?.cell).toBe(firstUse + 1);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 900_000);
});
