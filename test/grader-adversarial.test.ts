/**
 * The autograder against adversarial workbooks (test/fixtures/workbooks/adversarial.ts): endless
 * loops, process.exit, reading or requiring the solutions, overridden built-ins, lying answers,
 * memory exhaustion, broken, deleted, duplicated and reordered cells, fake scores — and, beyond the
 * issue's list, network access, child processes, writes outside the scratch folder, tampering with the
 * report channel, prototype pollution and odd return values. Each must be graded correctly (the
 * attacked exercises score 0, every other exercise keeps full marks) and its report still written.
 *
 *     npx vitest run test/grader-adversarial.test.ts
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Grader, type SubmissionResult } from "../tools/grader/grade";
import { writeReports } from "../tools/grader/reports";
import { ADVERSARIAL, type Fixture } from "./fixtures/workbooks/adversarial";
import { writeWorkbooks } from "./fixtures/workbooks/files";

const ROOT = resolve(__dirname, "..");
const LIMITS = { drawTimeoutMs: 15_000, cellTimeoutMs: 8000, exerciseBudgetMs: 30_000, maxTimeouts: 2, memoryMb: 256 };

let dir: string;
let mark: string;
let grader: Grader;
let server: Server;
let connections = 0;
const results = new Map<string, SubmissionResult>();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "grader-adversarial-"));
  mark = join(dir, "mark");
  mkdirSync(mark);
  server = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const port = String((server.address() as { port: number }).port);
  const files = writeWorkbooks(dir, Object.fromEntries(ADVERSARIAL.map((f) => [f.name, f])), { ROOT, MARK: mark, PORT: port });
  grader = await Grader.start({ concurrency: 2, limits: LIMITS });
  console.log(`network isolation: ${grader.runtime.networkIsolation}`);
  const started = Date.now();
  const graded = await grader.gradeFiles(ADVERSARIAL.map((f) => files[f.name]));
  ADVERSARIAL.forEach((f, i) => results.set(f.name, graded[i]));
  console.log(`graded ${ADVERSARIAL.length} adversarial workbooks in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  for (const r of graded) console.log(`${r.learner}: ${r.autoScore}/${r.autoMax}, ${r.runners} runner(s), ${(r.elapsedMs / 1000).toFixed(1)} s`);
}, 900_000);

afterAll(() => {
  grader?.close();
  server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function expectGradedCorrectly(f: Fixture, r: SubmissionResult): void {
  expect(r.status, r.reason).toBe("graded");
  for (const e of r.exercises) {
    const zero = f.base === "learner" || f.zero.includes(e.id);
    expect(`${e.id}: ${e.score}`, e.summary).toBe(`${e.id}: ${zero ? 0 : e.points}`);
  }
  const compileErrors = r.cells.filter((c) => c.status === "compile-error");
  if (!f.compileErrors) expect(compileErrors.map((c) => `cell ${c.cell}: ${c.message}`), "an attack cell did not compile, so it never ran").toEqual([]);
  if (f.note) expect(r.cells.map((c) => c.message).join("\n")).toMatch(f.note);
  if (f.failure) {
    const e = r.exercises.find((x) => x.id === f.zero[0])!;
    expect(e.draws.map((d) => d.message).join("\n")).toMatch(f.failure);
  }
}

describe("adversarial workbooks are graded correctly", () => {
  it.each(ADVERSARIAL.map((f) => [f.name, f] as const))("%s", (_name, f) => {
    expectGradedCorrectly(f, results.get(f.name)!);
  });
});

describe("what the attacks tried to do did not happen", () => {
  it("an endless loop costs only its own exercise, and only a bounded time", () => {
    const r = results.get("loop-in-function")!;
    const e = r.exercises.find((x) => x.id === "6.C.2")!;
    expect(e.draws.filter((d) => /time limit/.test(d.message))).toHaveLength(LIMITS.maxTimeouts);
    expect(e.draws.filter((d) => /not run/.test(d.message))).toHaveLength(e.total - LIMITS.maxTimeouts);
  });

  it("running out of memory costs only its own exercise", () => {
    const e = results.get("out-of-memory")!.exercises.find((x) => x.id === "6.C.9")!;
    expect(e.draws.some((d) => /ran out of memory/.test(d.message))).toBe(true);
  });

  it("nothing reached the grader's network port", () => {
    expect(connections).toBe(0);
    const e = results.get("network")!.exercises.find((x) => x.id === "6.C.2")!;
    expect(e.summary).toMatch(/not available while grading/);
  });

  it("the runner's own network refusal holds without the network namespace too", async () => {
    const only = await Grader.start({ concurrency: 1, limits: LIMITS, isolateNetwork: false });
    try {
      expect(only.runtime.networkIsolation).toBe("in-process only");
      const port = String((server.address() as { port: number }).port);
      const f = ADVERSARIAL.find((x) => x.name === "network")!;
      const file = writeWorkbooks(dir, { "network-in-process": f }, { ROOT, MARK: mark, PORT: port })["network-in-process"];
      expectGradedCorrectly(f, await only.gradeFile(file));
      expect(connections).toBe(0);
    } finally {
      only.close();
    }
  });

  it("no process was spawned and nothing was written outside the scratch folder", () => {
    expect(readdirSync(mark)).toEqual([]);
    expect(existsSync(join(ROOT, "pwned.txt"))).toBe(false);
    expect(results.get("child-process")!.exercises.find((x) => x.id === "6.C.11")!.summary).toMatch(/require\("child_process"\) is not available/);
  });

  it("the grader's process was not polluted by __proto__ keys in answers", () => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty("polluted");
  });

  it("odd return values are named in the feedback", () => {
    const by = (id: string) => results.get("odd-values")!.exercises.find((x) => x.id === id)!.draws[0].message;
    expect(by("6.C.1")).toBe("expected a number; got a function: <a function>");
    expect(by("6.C.2")).toBe("expected a number; got a symbol: <a symbol>");
    expect(by("6.C.3")).toMatch(/could not be read: Error: boom/);
    expect(by("6.C.4")).toMatch(/hole at index 0/);
    expect(by("6.C.5")).toMatch(/got a BigInt/);
    expect(by("6.C.6")).toMatch(/got undefined/);
    expect(by("6.C.7")).toMatch(/got a Float64Array/);
    expect(by("6.C.8")).toMatch(/expected 1 vector|no vector of yours|length/);
    expect(by("6.C.9")).toMatch(/threw an error that could not be read/);
    expect(by("6.C.10")).toMatch(/too large/);
    expect(by("6.C.11")).toMatch(/expected a page .* got an array/);
  });

  it("a later duplicate wins, and every written copy reaches the human grader", () => {
    const r = results.get("cells-duplicated")!;
    expect(r.exercises.find((x) => x.id === "6.C.5")!.score).toBe(1);
    const written = r.manual.find((m) => m.id === "6.C.6 written")!;
    expect(written.learnerText.split("\n\n---\n\n")).toHaveLength(2);
  });

  it("a deleted answer cell is reported as missing", () => {
    expect(results.get("cells-deleted")!.exercises.find((x) => x.id === "6.C.9")!.summary).toMatch(/secondEigenvalue is not defined .*no code cell defines it/);
  });

  it("every report is written, for every workbook", () => {
    const out = join(dir, "reports");
    writeReports(out, [...results.values()]);
    for (const f of ADVERSARIAL) {
      expect(readFileSync(join(out, "feedback", `${f.name}.md`), "utf8")).toContain(`feedback for ${f.name}`);
      expect(JSON.parse(readFileSync(join(out, "gradescope", `${f.name}.json`), "utf8")).tests.length).toBeGreaterThan(0);
    }
    expect(readFileSync(join(out, "grades.csv"), "utf8").trim().split("\n")).toHaveLength(ADVERSARIAL.length + 1);
  });
});
