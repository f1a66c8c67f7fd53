/**
 * Every workbook (Remarks 4, 5, 6 and 6.C) in the real tslab kernel, run by Debian's
 * `jupyter nbconvert --execute`: each learner's copy runs top to bottom and every `check` prints FAIL
 * (the stubs throw), each instructor's copy runs top to bottom and every `check` prints PASS, the 6.C
 * figure is displayed, and none writes to stderr (where tslab reports errors). A learner's copy that
 * answers with a forbidden library call gets the policy message from `check`, as the grader gives it. Registers the kernel itself in private Jupyter folders; skips, saying why, when Jupyter is not installed.
 *
 *     npx vitest run test/workbook-kernel.test.ts
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WORKBOOKS, exerciseById, exercisesOf } from "../tools/grader/exercises";
import { instructorWorkbook, learnerWorkbook } from "../tools/workbook/build";
import { applyEdits } from "./fixtures/workbooks/edit";
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

type Run = Awaited<ReturnType<typeof execute>>;
let dir: string;
const runs: Record<string, Run> = {};

/** A learner who answers 4.1 and 6.C.7 with the library's one-call routes, then runs check. */
const FORBIDDEN_CELLS: Record<string, { cell: string; source: string }> = {
  "4": { cell: "ex4-1-answer", source: `import { pageSpaceSize } from "llm-dynamics";\nfunction countPages(vocabularySize: number, k: number): string {\n  return pageSpaceSize(vocabularySize, k).pages.toString();\n}` },
  "6C": { cell: "ex7-answer", source: `import { waluigiChain } from "llm-dynamics";\nfunction transitionMatrix(k: number, params: WaluigiParams): number[][] {\n  return waluigiChain(k, params).toDense();\n}` },
};

beforeAll(async () => {
  if (reason) return;
  // Inside the project, so the kernel resolves "llm-dynamics" as it does for notebooks/.
  mkdirSync(join(ROOT, "build"), { recursive: true });
  dir = mkdtempSync(join(ROOT, "build", "workbook-kernel-"));
  const jobs: [string, string][] = [];
  for (const w of WORKBOOKS) {
    writeFileSync(join(dir, `${w.id}-instructor.ipynb`), instructorWorkbook(w.id));
    jobs.push([`learner-${w.id}`, join(ROOT, "notebooks", w.file)], [`instructor-${w.id}`, join(dir, `${w.id}-instructor.ipynb`)]);
  }
  for (const [w, { cell, source }] of Object.entries(FORBIDDEN_CELLS)) {
    writeFileSync(join(dir, `${w}-forbidden.ipynb`), applyEdits(learnerWorkbook(w), [{ replace: cell, source }]));
    jobs.push([`forbidden-${w}`, join(dir, `${w}-forbidden.ipynb`)]);
  }
  const started = Date.now();
  // Two kernels at a time: the machine is shared.
  let next = 0;
  await Promise.all([0, 1].map(async () => {
    while (next < jobs.length) {
      const [name, file] = jobs[next++];
      runs[name] = await execute(file, dir, `${name}-out`);
    }
  }));
  console.log(`executed ${jobs.length} notebooks with nbconvert in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}, 3_600_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(reason !== null)("the workbooks in the tslab kernel", () => {
  it.each(WORKBOOKS.map((w) => [w.id]))("runs the learner's copy of workbook %s top to bottom, and every check fails on the stubs", (w) => {
    const learner = runs[`learner-${w}`];
    expect(learner.code, learner.log).toBe(0);
    for (const e of exercisesOf(w)) {
      const cell = learner.cells.find((c) => c.metadata["llm-dynamics"]?.exercise === e.id && c.metadata["llm-dynamics"]?.role === "check")!;
      expect(streams(cell, "stdout")).toMatch(new RegExp(`^${e.id.replace(/\./g, "\\.")} ${e.functionName}: FAIL \\(0 of \\d+ checks\\)`));
      expect(streams(cell, "stdout")).toContain(`your function threw Error: not implemented: ${e.functionName}`);
    }
    for (const c of learner.cells) expect(streams(c, "stderr"), c.id).toBe("");
  });

  it.each(WORKBOOKS.map((w) => [w.id]))("runs the instructor's copy of workbook %s top to bottom, and every check passes", (w) => {
    const instructor = runs[`instructor-${w}`];
    expect(instructor.code, instructor.log).toBe(0);
    for (const e of exercisesOf(w)) {
      const cell = instructor.cells.find((c) => c.metadata["llm-dynamics"]?.exercise === e.id && c.metadata["llm-dynamics"]?.role === "check")!;
      expect(streams(cell, "stdout")).toMatch(new RegExp(`^${e.id.replace(/\./g, "\\.")} ${e.functionName}: PASS \\((\\d+) of \\1 checks\\)`));
    }
    for (const c of instructor.cells) expect(streams(c, "stderr"), c.id).toBe("");
  });

  it("shows the reference figure of 6.C.3 in the instructor's copy", () => {
    const figure = runs["instructor-6C"].cells.find((c) => c.metadata["llm-dynamics"]?.role === "figure")!;
    expect((figure.outputs ?? []).some((o) => o.output_type === "display_data" && o.data && "application/vnd.plotly.v1+json" in o.data)).toBe(true);
  });

  it.each(Object.keys(FORBIDDEN_CELLS))("check in workbook %s names the forbidden library call and what to do instead", (w) => {
    const run = runs[`forbidden-${w}`];
    expect(run.code, run.log).toBe(0);
    const id = w === "4" ? "4.1" : "6.C.7";
    const e = exerciseById(id);
    const cell = run.cells.find((c) => c.metadata["llm-dynamics"]?.exercise === id && c.metadata["llm-dynamics"]?.role === "check")!;
    const out = streams(cell, "stdout");
    expect(out).toMatch(new RegExp(`^${id.replace(/\./g, "\\.")} ${e.functionName}: FAIL \\(0 of \\d+ checks\\)`));
    expect(out).toContain(`${e.functionName} calls `);
    expect(out).toContain(`from the library, which answers ${id} for you, so ${id} scores 0 while it does. Instead, ${e.instead}.`);
    expect(out).toContain(w === "4" ? "pageSpaceSize" : "waluigiChain");
  });
});
