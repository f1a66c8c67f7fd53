/**
 * The grader's memory does not grow with the class: a learner's result is written out (feedback,
 * Gradescope file, a summary for grades.csv and the sheet) when it arrives, and only failing draws keep
 * their answers, shortened. Checked on the real `grade` command in a child process whose V8 heap is
 * capped (`--max-old-space-size`) well below what keeping every learner's answers would take: each
 * learner's transitionMatrix returns a wrong 729 × 729 matrix on every draw, about 50 MB of decoded
 * numbers per learner, so a grader that held those until the end (as it did before) runs out of heap
 * after a few learners. Nothing here is timed.
 *
 *     npx vitest run test/grader-memory.test.ts      (needs the build: npm run build)
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drawsFor } from "../tools/grader/draws";

const ROOT = resolve(__dirname, "..");
const GRADER = join(ROOT, "dist/tools/grader/cli.js");
const LEARNERS = 8;
const HEAP_MB = 256;
const SIDE = 729;

/** A notebook of one code cell: a transitionMatrix whose answer is always a wrong 729 × 729 matrix. */
function bigWrongAnswer(learner: number): string {
  const source = [
    `// learner ${learner}`,
    "function transitionMatrix(k: number, params: { luigiPrior: number; pFriendly: number }): number[][] {",
    `  const row: number[] = new Array(${SIDE}).fill(0.5 + ${learner} / 1000);`,
    `  return Array.from({ length: ${SIDE} }, () => row.slice());`,
    "}",
  ].join("\n");
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "tslab", display_name: "TypeScript", language: "typescript" } },
    cells: [{ id: "only", cell_type: "code", metadata: {}, execution_count: null, outputs: [], source }],
  });
}

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "grader-memory-"));
  for (let i = 1; i <= LEARNERS; i++) writeFileSync(join(dir, `learner-${i}.ipynb`), bigWrongAnswer(i));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("grading a class in bounded memory", () => {
  it("the answers a grader that kept them would hold exceed the heap limit (so the test can fail)", () => {
    const draws = drawsFor("6.C.7", { set: "graded" }).length;
    // A decoded matrix is SIDE arrays of SIDE doubles (8 bytes each), one per draw per learner.
    const keptMb = (LEARNERS * draws * SIDE * SIDE * 8) / 2 ** 20;
    expect(keptMb).toBeGreaterThan(1.5 * HEAP_MB);
  });

  it(`grades ${LEARNERS} learners with huge wrong answers under a ${HEAP_MB} MB heap and writes every report`, () => {
    const out = join(dir, "grades");
    const r = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_MB}`, GRADER, dir, "--out", out, "--workbook", "6C", "--jobs", "1", "--quiet"], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 1_500_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(r.stderr, "the grader ran out of heap").not.toMatch(/heap out of memory|Reached heap limit/i);
    expect(r.status, r.stderr.slice(-3000)).toBe(0);

    const csv = readFileSync(join(out, "grades.csv"), "utf8").trim().split("\n");
    expect(csv).toHaveLength(LEARNERS + 1);
    const header = csv[0].split(",");
    const c7 = header.indexOf("6.C.7");
    for (let i = 1; i <= LEARNERS; i++) {
      const row = csv.find((l) => l.startsWith(`learner-${i},`))!;
      expect(row, `learner-${i}`).toBeDefined();
      expect(row.split(",")[header.indexOf("status")]).toBe("graded");
      expect(Number(row.split(",")[c7])).toBe(0);
      // The feedback shows the failing draws with the answers shortened, not 729 × 729 numbers.
      const md = readFileSync(join(out, "feedback", `learner-${i}.md`), "utf8");
      expect(md).toMatch(/## 6\.C\.7 `transitionMatrix` — 0 \//);
      expect(md).toContain(String(0.5 + i / 1000));
      expect(statSync(join(out, "feedback", `learner-${i}.md`)).size).toBeLessThan(100_000);
      expect(existsSync(join(out, "feedback", `learner-${i}.html`))).toBe(true);
      const gs = JSON.parse(readFileSync(join(out, "gradescope", `learner-${i}.json`), "utf8"));
      expect(gs.tests.find((t: { name: string }) => t.name.startsWith("6.C.7")).score).toBe(0);
    }
    expect(readFileSync(join(out, "manual-grading.md"), "utf8")).toContain("### learner-8");
    // The summaries behind grades.csv and the sheet are gone once the reports are written.
    expect(readdirSync(out).filter((f) => f.startsWith("."))).toEqual([]);
  }, 1_600_000);
});
