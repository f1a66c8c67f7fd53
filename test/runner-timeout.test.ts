/**
 * The timeout path of the headless runner with the real tslab kernel: a cell that never ends is
 * interrupted (SIGINT) after the per-cell timeout, the kernel is restarted, the notebook is reported
 * failed, and the next notebook still runs. Two kinds of endless cell: a loop SIGINT can stop, and
 * a blocked event loop it cannot (then the kernel is killed).
 *
 *     npx vitest run test/runner-timeout.test.ts
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatFailure, runNotebooks, type RunResult } from "../tools/runner/run";

const FIXTURES = resolve(__dirname, "fixtures/notebooks");
let work: string;
let result: RunResult;
let took: number;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "runner-timeout-"));
  const started = Date.now();
  result = await runNotebooks({
    notebooks: ["endless", "stuck", "basic"].map((n) => join(FIXTURES, `${n}.ipynb`)),
    outDir: join(work, "notebooks"),
    figuresDir: join(work, "figures"),
    staticImages: false,
    timeoutSeconds: 2,
    interruptGraceSeconds: 1,
    jobs: 1,
  });
  took = (Date.now() - started) / 1000;
}, 900_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("per-cell timeout", () => {
  it("interrupts a synchronous endless loop with SIGINT, restarts the kernel and reports the cell", () => {
    const r = result.notebooks.find((n) => n.name === "endless")!;
    expect(r.ok).toBe(false);
    expect(r.failure).toMatchObject({ kind: "timeout", cell: 2, codeCell: 2, codeCells: 3, interrupted: true, restarted: true });
    expect(r.failure!.firstLine).toBe("// a synchronous endless loop: SIGINT stops it");
    expect(r.failure!.error).toContain("timed out after 2 s");
    // tslab's own answer to the interrupt is kept as the cell's output.
    expect(r.failure!.error).toContain("interrupted");
    expect(formatFailure(r)).toContain("endless.ipynb, cell 2 (code cell 2 of 3)");
    const nb = JSON.parse(readFileSync(join(work, "notebooks", "endless.ipynb"), "utf8"));
    expect(nb.cells[0].outputs[0].text).toEqual(["start\n"]);
    expect(nb.cells[2]).toMatchObject({ outputs: [], execution_count: null });
  });

  it("kills and restarts a kernel that cannot answer SIGINT", () => {
    const r = result.notebooks.find((n) => n.name === "stuck")!;
    expect(r.ok).toBe(false);
    expect(r.failure).toMatchObject({ kind: "timeout", cell: 1, interrupted: false, restarted: true });
    expect(r.failure!.error).toMatch(/did not answer SIGINT within 1 s and was killed and restarted/);
  });

  it("runs the notebooks after the timeouts, and fails the run", () => {
    const r = result.notebooks.find((n) => n.name === "basic")!;
    expect(r.ok, formatFailure(r)).toBe(true);
    expect(result.exitCode).toBe(1);
    // Both timeouts waited at least their limit (the stuck one also its grace period).
    expect(took).toBeGreaterThan(2 + 2 + 1);
  });
});
