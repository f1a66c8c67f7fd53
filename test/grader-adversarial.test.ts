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
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import MarkdownIt from "markdown-it";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Grader, type SubmissionResult } from "../tools/grader/grade";
import { main as gradeMain } from "../tools/grader/cli";
import { MANUAL_PARTS } from "../tools/grader/exercises";
import { manualGradingMarkdown, writeReports } from "../tools/grader/reports";
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
let files: Record<string, string> = {};

/** 1-based number of the cell whose source holds `marker`, in a fixture's notebook. */
function cellNumber(name: string, marker: string): number {
  const cells = (JSON.parse(readFileSync(files[name], "utf8")) as { cells: { source: string | string[] }[] }).cells;
  const i = cells.findIndex((c) => (Array.isArray(c.source) ? c.source.join("") : c.source).includes(marker));
  expect(i, `no cell holds ${marker}`).toBeGreaterThanOrEqual(0);
  return i + 1;
}

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
  files = writeWorkbooks(dir, Object.fromEntries(ADVERSARIAL.map((f) => [f.name, f])), { ROOT, MARK: mark, PORT: port });
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

describe("issue 14: what the new attacks tried to do did not happen", () => {
  it("a timer that hangs the event loop is blamed on the cell that started it, not on the cell that was waiting", () => {
    const r = results.get("timer-blame-long")!;
    const blamed = r.cells.filter((c) => c.status !== "compile-error");
    expect(blamed.map((c) => c.cell)).toEqual([cellNumber("timer-blame-long", "BLAME-ME")]);
    expect(blamed[0].message).toMatch(/after the cell had finished/);
  });

  it("time a waiting cell spends in another cell's callback is not charged to it", () => {
    const r = results.get("timer-cost-long")!;
    expect(r.cells.filter((c) => c.cell === cellNumber("timer-cost-long", "WAITS"))).toEqual([]);
  });

  it("written answers cannot add headings or sections to the human grader's sheet", () => {
    const graded = [...results.values()];
    const md = new MarkdownIt({ html: true });
    const tokens = md.parse(manualGradingMarkdown(graded), {});
    const headings = tokens.flatMap((t, i) => (t.type === "heading_open" ? [`${t.tag} ${tokens[i + 1].content}`] : []));
    // One heading for the sheet, then per manual part of the graded workbooks: the part, its
    // reference, and one heading per learner who has that part — nothing a learner wrote.
    const expected = ["h1 Workbooks — parts for a human grader"];
    for (const m of MANUAL_PARTS.filter((p) => graded.some((r) => r.manual.some((x) => x.id === p.id)))) {
      expected.push(`h2 ${m.id}`, "h3 Reference (from solutions/)");
      for (const r of graded.filter((x) => x.manual.some((p) => p.id === m.id))) expected.push(`h3 ${r.learner} — not marked yet`);
    }
    expect(headings).toEqual(expected);
    const html = md.render(manualGradingMarkdown(graded));
    expect(html).not.toMatch(/<h[1-6]>(fake title|fake html heading|Fake setext heading)/);
    // The forged text is still there for the grader to read, as text.
    expect(html).toContain("### other-learner — marked 1 / 1");
  });
});

/**
 * A runner whose nonce has leaked: the grading runtime's runner script is replaced by one that reads the
 * job (nonce included) and writes forged report lines. Whatever it writes, the grader must finish in
 * its own time limits, grade (never "internal error") and write every report.
 */
describe("forged report lines from a runner that knows the nonce", () => {
  const HOSTILE = String.raw`
const fs = require("fs");
const job = JSON.parse(fs.readFileSync(0, "utf8"));
const send = (o) => fs.writeSync(3, job.nonce + " " + (typeof o === "string" ? o : JSON.stringify(o)) + "\n");
const mode = ((job.cells.map((c) => c.js || "").join("\n").match(/FORGE:([\w-]+)/)) || [])[1];
const runnable = job.cells.filter((c) => c.js !== undefined);
const first = runnable[0];
const block = () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
send({ t: "hello" });
const cellsOk = () => { for (const c of runnable) { send({ t: "cell-start", i: c.index }); send({ t: "cell", i: c.index, status: "ok" }); } };
switch (mode) {
  case "error-object": send({ t: "cell-start", i: first.index }); send({ t: "cell", i: first.index, status: "threw", error: { message: 42 } }); break;
  case "error-number": cellsOk(); send({ t: "fn", ex: job.calls[0].exercise, status: "ok" }); send({ t: "draw", ex: job.calls[0].exercise, d: job.calls[0].draws[0].d, status: "threw", error: 42, ms: 1 }); break;
  case "hang-draw": cellsOk(); send({ t: "fn", ex: job.calls[0].exercise, status: "ok" }); send({ t: "draw-start", ex: job.calls[0].exercise, d: job.calls[0].draws[0].d, limitMs: 1e12 }); block(); break;
  case "bg-flood": send({ t: "cell-start", i: first.index }); setInterval(() => send({ t: "bg", i: first.index }), 20); break;
  case "unknown-ids": send({ t: "fn", ex: "__proto__", status: "ok" }); send({ t: "cell", i: 999999, status: "ok" }); break;
  case "wrong-types": send({ t: "cell-start", i: String(first.index) }); send({ t: "draw", ex: 1, d: -1, status: "passed", ms: -5 }); break;
  case "deep-value": { cellsOk(); const ex = job.calls[0].exercise; send({ t: "fn", ex, status: "ok" }); let v = "1"; for (let i = 0; i < 5000; i++) v = "[" + v + "]"; for (const d of job.calls[0].draws) { send({ t: "draw-start", ex, d: d.d }); send('{"t":"draw","ex":' + JSON.stringify(ex) + ',"d":' + d.d + ',"status":"ok","value":' + v + ',"ms":1}'); } send({ t: "done" }); break; }
  case "flood": for (let i = 0; i < 250000; i++) send({ t: "bg", i: 0 }); block(); break;
  case "fatal": send({ t: "fatal", error: { not: "a string" } }); break;
  case "done-early": send({ t: "done" }); break;
  default: send({ t: "done" });
}
process.exitCode = 0;
`;
  const MODES = ["error-object", "error-number", "hang-draw", "bg-flood", "unknown-ids", "wrong-types", "deep-value", "flood", "fatal", "done-early"];
  const BUDGET_MS = 30_000;
  let forged: SubmissionResult[] = [];
  let out: string;

  beforeAll(async () => {
    const g = await Grader.start({ concurrency: 2, limits: { ...LIMITS, drawTimeoutMs: 2000, submissionBudgetMs: BUDGET_MS } });
    try {
      writeFileSync(g.runtime.runnerScript, HOSTILE);
      const specs = Object.fromEntries(MODES.map((m) => [`forge-${m}`, { base: "learner" as const, edits: [{ insertAfter: "setup", source: `const forge = "FORGE:${m}";` }] }]));
      const written = writeWorkbooks(dir, specs);
      forged = await g.gradeFiles(MODES.map((m) => written[`forge-${m}`]));
    } finally {
      g.close();
    }
    out = join(dir, "forged-reports");
    writeReports(out, forged);
  }, 900_000);

  it("grades every submission (never an internal grader error) within its time budget", () => {
    for (const r of forged) {
      expect(`${r.learner}: ${r.status}`, r.reason).toBe(`${r.learner}: graded`);
      // Compiling is outside the run budget; allow it generously on a loaded machine.
      expect(r.elapsedMs, r.learner).toBeLessThan(BUDGET_MS + 180_000);
    }
  });

  it("says the channel was tampered with when a line was refused", () => {
    const r = forged.find((x) => x.learner === "forge-error-object")!;
    expect(r.cells.map((c) => c.message).join("\n")).toMatch(/tampered/);
    const hang = forged.find((x) => x.learner === "forge-hang-draw")!;
    expect(JSON.stringify(hang.exercises.map((e) => e.summary))).toMatch(/time limit|time budget/);
  });

  it("writes every report for every submission", () => {
    for (const r of forged) {
      expect(readFileSync(join(out, "feedback", `${r.learner}.md`), "utf8")).toContain(`feedback for ${r.learner}`);
      expect(readFileSync(join(out, "feedback", `${r.learner}.html`), "utf8")).toContain(r.learner);
      expect(JSON.parse(readFileSync(join(out, "gradescope", `${r.learner}.json`), "utf8")).tests.length).toBeGreaterThan(0);
    }
    const csv = readFileSync(join(out, "grades.csv"), "utf8");
    for (const r of forged) expect(csv.split(`\n${r.learner},`)).toHaveLength(2);
  });
});

describe("budgets: many slow cells cannot stretch one submission's run", () => {
  it("stops a submission whose cells each run to their limit (some needing a restart) at the submission budget", async () => {
    const budget = 25_000;
    const slow = Array.from({ length: 12 }, (_, i) => ({ insertAfter: "ex11-check", source: i % 2 ? "while (true) {}" : "setTimeout(() => { while (true) {} }, 0);" }));
    const file = writeWorkbooks(dir, { "slow-cells": { base: "instructor", edits: slow } })["slow-cells"];
    const g = await Grader.start({ concurrency: 1, limits: { ...LIMITS, cellTimeoutMs: 4000, submissionBudgetMs: budget } });
    try {
      const r = await g.gradeFile(file);
      expect(r.status, r.reason).toBe("graded");
      // Without the budget: 12 cells × (4 s, or 7 s with a restart) ≈ 66 s of running. Compiling is
      // outside this budget (it has its own).
      expect(r.runMs).toBeLessThan(budget + 15_000);
      expect(r.cells.map((c) => c.message).join("\n") + JSON.stringify(r.exercises.map((e) => e.summary))).toMatch(/time budget of 25 s/);
    } finally {
      g.close();
    }
  }, 600_000);
});

describe("a batch that one entry cannot break", () => {
  it("grades a folder with a link loop, a self-link, a dangling link and clashing names, one report each with distinct ids", async () => {
    const root = join(dir, "batch");
    mkdirSync(join(root, "x"), { recursive: true });
    mkdirSync(join(root, "y"));
    mkdirSync(join(root, "dir.ipynb"));
    const names = ["a b.ipynb", "a_b.ipynb", "a_b-2.ipynb", "A_B.ipynb", "x/alice.ipynb", "y/alice.ipynb", "dir.ipynb/inner.ipynb", `${"long".repeat(60)}.ipynb`];
    for (const n of names) writeFileSync(join(root, n), "not a notebook");
    symlinkSync("..", join(root, "x", "loop"));
    symlinkSync("self.ipynb", join(root, "self.ipynb"));
    symlinkSync("nowhere.ipynb", join(root, "gone.ipynb"));
    const out = join(dir, "batch-reports");
    const log = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const print = vi.spyOn(console, "log").mockImplementation(() => undefined);
    try {
      expect(await gradeMain(["node", "grade", root, "--out", out, "--jobs", "64"])).toBe(0);
      const said = log.mock.calls.flat().join("\n");
      expect(said).toMatch(/--jobs 64 capped at [1-4]\b/);
      expect(said).toMatch(/grading 10 submissions with [1-4] workers/);
    } finally {
      log.mockRestore();
      print.mockRestore();
    }
    const rows = readFileSync(join(out, "grades.csv"), "utf8").trim().split("\n").slice(1);
    expect(rows).toHaveLength(names.length + 2); // + self.ipynb and gone.ipynb, which cannot be read
    const ids = rows.map((r) => r.split(",")[0]);
    expect(new Set(ids.map((id) => id.toLowerCase())).size).toBe(ids.length);
    expect(readdirSync(join(out, "feedback")).filter((f) => f.endsWith(".md"))).toHaveLength(ids.length);
    expect(readdirSync(join(out, "gradescope"))).toHaveLength(ids.length);
    for (const id of ids) expect(readFileSync(join(out, "feedback", `${id}.md`), "utf8")).toContain(`feedback for ${id}`);
  }, 600_000);
});
