/**
 * The setup-check notebook (notebooks/00-setup-check.ipynb) imports the library by its package name
 * and runs top to bottom in the real tslab kernel, driven by Debian's Jupyter exactly as a learner's
 * "Run All" would: `jupyter nbconvert --execute` from notebooks/, so "llm-dynamics" resolves through
 * node_modules to the built dist/. tslab reports cell errors on stderr with execute_reply status
 * "error"; nbconvert turns that into a non-zero exit, which a deliberately failing notebook checks.
 *
 *     npx tsc -p . && npx vitest run test/kernel-import.test.ts
 *
 * Registers the kernel itself in private Jupyter folders (test/support/jupyter.ts), so it runs on a
 * machine where nobody ran `npm run kernel:install`; skips with a reason if /usr/bin/jupyter is not
 * installed.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { JUPYTER, privateJupyter } from "./support/jupyter";

const ROOT = resolve(__dirname, "..");
const NOTEBOOKS = join(ROOT, "notebooks");
const NOTEBOOK = "00-setup-check.ipynb";
const jupyter = privateJupyter("kernel-import");
const haveJupyter = jupyter.reason === null;
if (!haveJupyter) console.log(`kernel-import.test skipped: ${jupyter.reason}`);
afterAll(jupyter.cleanup);

const scratch = mkdtempSync(join(tmpdir(), "llmd-kernel-import-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
}
interface Cell {
  cell_type: string;
  source: string | string[];
  outputs?: Output[];
}

function execute(dir: string, file: string, output: string) {
  const run = spawnSync(JUPYTER, ["nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.timeout=300", "--output-dir", scratch, "--output", output, file], {
    cwd: dir,
    env: jupyter.env,
    encoding: "utf8",
    timeout: 600_000,
  });
  return { status: run.status, log: `${run.stdout}\n${run.stderr}`, path: join(scratch, `${output}.ipynb`) };
}

const text = (t: string | string[] | undefined) => (Array.isArray(t) ? t.join("") : (t ?? ""));

describe("the setup-check notebook in the real tslab kernel", () => {
  it("is a TypeScript notebook that imports the library by package name", () => {
    const nb = JSON.parse(readFileSync(join(NOTEBOOKS, NOTEBOOK), "utf8"));
    expect(nb.metadata.kernelspec).toEqual({ name: "tslab", display_name: "TypeScript", language: "typescript" });
    const code = (nb.cells as Cell[]).filter((c) => c.cell_type === "code").map((c) => text(c.source)).join("\n");
    expect(code).toMatch(/from "llm-dynamics"/);
    expect(code).not.toMatch(/from "\.\.?\//); // relative imports fail under tslab's rootDir
  });

  it.skipIf(!haveJupyter)("runs every cell without error and prints the expected results", () => {
    expect(existsSync(join(ROOT, "dist/src/index.js")), "the library is not built: run `npx tsc -p .` (npm test does)").toBe(true);
    const run = execute(NOTEBOOKS, NOTEBOOK, "setup-check");
    expect(run.status, `nbconvert failed:\n${run.log}`).toBe(0);
    const cells = JSON.parse(readFileSync(run.path, "utf8")).cells as Cell[];
    const outputs = cells.flatMap((c) => c.outputs ?? []);
    expect(outputs.filter((o) => o.output_type === "error")).toEqual([]);
    expect(outputs.filter((o) => o.name === "stderr").map((o) => text(o.text))).toEqual([]);
    const printed = outputs.filter((o) => o.name === "stdout").map((o) => text(o.text)).join("");
    expect(printed).toContain("llm-dynamics loaded");
    expect(printed).toContain("long-run share of sunny days: 0.8333");
    expect(printed).toContain("pages: NN NF NU FN FF FU UN UF UU");
    expect(printed).toContain("absorbing pages: FF UU");
    expect(printed).toContain("(9629 digits)");
    expect(printed.trim().endsWith("Setup OK")).toBe(true);
  });

  it.skipIf(!haveJupyter)("a notebook whose cell throws makes the same run fail, naming the error", () => {
    const nb = {
      cells: [
        { cell_type: "code", execution_count: null, id: "fine", metadata: {}, outputs: [], source: ['console.log("before");\n'] },
        { cell_type: "code", execution_count: null, id: "broken", metadata: {}, outputs: [], source: ['throw new Error("deliberate failure");\n'] },
      ],
      metadata: { kernelspec: { name: "tslab", display_name: "TypeScript", language: "typescript" } },
      nbformat: 4,
      nbformat_minor: 5,
    };
    writeFileSync(join(scratch, "broken.ipynb"), JSON.stringify(nb));
    const run = execute(scratch, "broken.ipynb", "broken-out");
    expect(run.status).not.toBe(0);
    expect(run.log).toContain("deliberate failure");
  });
});
