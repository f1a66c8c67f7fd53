/**
 * The workbook in the real tslab kernel, run by Debian's `jupyter nbconvert --execute`: the learner's
 * copy runs top to bottom and every `check` prints FAIL (the stubs throw), the instructor's copy runs
 * top to bottom and every `check` prints PASS, its figure is displayed, and neither writes to stderr
 * (where tslab reports errors). Registers the kernel itself in private Jupyter folders; skips, saying why, when Jupyter is not installed.
 *
 *     npx vitest run test/workbook-kernel.test.ts
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXERCISE_SPECS } from "../tools/grader/exercises";
import { instructorWorkbook } from "../tools/workbook/build";
import { JUPYTER, privateJupyter } from "./support/jupyter";

const ROOT = resolve(__dirname, "..");

const jupyter = privateJupyter("workbook-kernel");
const reason = jupyter.reason;
if (reason) console.log(`workbook-kernel.test skipped: ${reason}`);
afterAll(jupyter.cleanup);

interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
}
interface Cell {
  id: string;
  cell_type: string;
  outputs?: Output[];
  metadata: { "llm-dynamics"?: { exercise: string | null; role: string } };
}

function execute(notebook: string, outDir: string, name: string): Promise<{ code: number | null; log: string; cells: Cell[] }> {
  return new Promise((done) => {
    const child = spawn(JUPYTER, ["nbconvert", "--execute", "--to", "notebook", "--ExecutePreprocessor.timeout=900", "--ExecutePreprocessor.kernel_name=tslab", "--output-dir", outDir, "--output", name, notebook], { cwd: ROOT, env: jupyter.env });
    let log = "";
    child.stdout.on("data", (c) => (log += c));
    child.stderr.on("data", (c) => (log += c));
    child.on("close", (code) => {
      const out = join(outDir, `${name}.ipynb`);
      done({ code, log, cells: existsSync(out) ? (JSON.parse(readFileSync(out, "utf8")) as { cells: Cell[] }).cells : [] });
    });
  });
}

const streams = (c: Cell, stream: string) => (c.outputs ?? []).filter((o) => o.output_type === "stream" && o.name === stream).map((o) => (Array.isArray(o.text) ? o.text.join("") : (o.text ?? ""))).join("");

let dir: string;
let learner: Awaited<ReturnType<typeof execute>>;
let instructor: Awaited<ReturnType<typeof execute>>;

beforeAll(async () => {
  if (reason) return;
  // Inside the project, so the kernel resolves "llm-dynamics" as it does for notebooks/.
  mkdirSync(join(ROOT, "build"), { recursive: true });
  dir = mkdtempSync(join(ROOT, "build", "workbook-kernel-"));
  writeFileSync(join(dir, "6C-instructor.ipynb"), instructorWorkbook());
  const started = Date.now();
  [learner, instructor] = await Promise.all([execute(join(ROOT, "notebooks", "6C-workbook.ipynb"), dir, "learner-out"), execute(join(dir, "6C-instructor.ipynb"), dir, "instructor-out")]);
  console.log(`executed both copies with nbconvert in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}, 1_800_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(reason !== null)("the workbook in the tslab kernel", () => {
  it("runs the learner's copy top to bottom, and every check fails on the stubs", () => {
    expect(learner.code, learner.log).toBe(0);
    for (const e of EXERCISE_SPECS) {
      const cell = learner.cells.find((c) => c.metadata["llm-dynamics"]?.exercise === e.id && c.metadata["llm-dynamics"]?.role === "check")!;
      expect(streams(cell, "stdout")).toMatch(new RegExp(`^${e.id.replace(/\./g, "\\.")} ${e.functionName}: FAIL \\(0 of \\d+ checks\\)`));
      expect(streams(cell, "stdout")).toContain(`your function threw Error: not implemented: ${e.functionName}`);
    }
    for (const c of learner.cells) expect(streams(c, "stderr"), c.id).toBe("");
  });

  it("runs the instructor's copy top to bottom, every check passes, and the figure is shown", () => {
    expect(instructor.code, instructor.log).toBe(0);
    for (const e of EXERCISE_SPECS) {
      const cell = instructor.cells.find((c) => c.metadata["llm-dynamics"]?.exercise === e.id && c.metadata["llm-dynamics"]?.role === "check")!;
      expect(streams(cell, "stdout")).toMatch(new RegExp(`^${e.id.replace(/\./g, "\\.")} ${e.functionName}: PASS \\((\\d+) of \\1 checks\\)`));
    }
    for (const c of instructor.cells) expect(streams(c, "stderr"), c.id).toBe("");
    const figure = instructor.cells.find((c) => c.metadata["llm-dynamics"]?.role === "figure")!;
    expect((figure.outputs ?? []).some((o) => o.output_type === "display_data" && o.data && "application/vnd.plotly.v1+json" in o.data)).toBe(true);
  });
});
