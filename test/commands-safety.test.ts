/**
 * Issue 14 item 4: the commands never lose data or leave processes behind. Each fault the issue found
 * has a test here, run against the real commands: `release --out` refuses what it did not build; time
 * options beyond Node's timers and fractional counts are refused up front; the runner finishes (with a
 * summary) after a file that is not a notebook; SIGINT stops every kernel, runner and compile server and
 * removes every temporary folder; output piped into `head` does not crash; `--report <folder>` works;
 * the grader checks `--out` and `--marks` before grading; `kernel:install --prefix` explains itself.
 *
 *     npx tsc -p . && npx vitest run test/commands-safety.test.ts
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main as gradeMain } from "../tools/grader/cli";
import { install } from "../tools/kernel/install";
import { findJupyterPython } from "../tools/kernel/detect";
import { buildRelease, RELEASE_MARKER } from "../tools/release/build";
import { writeWorkbooks } from "./fixtures/workbooks/files";

const ROOT = resolve(__dirname, "..");
const RUNNER = join(ROOT, "dist/tools/runner/cli.js");
const GRADER = join(ROOT, "dist/tools/grader/cli.js");
const FIXTURES = join(ROOT, "test/fixtures/notebooks");
let work: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "commands-safety-"));
});
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Processes whose command line or open files mention `marker` (a private TMPDIR): none may outlive a command. */
function processesUsing(marker: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
      let cwd = "";
      try {
        cwd = readlinkSync(`/proc/${pid}/cwd`);
      } catch {
        // not ours to read
      }
      if (cmd.includes(marker) || cwd.includes(marker)) found.push(`${pid}: ${cmd.slice(0, 200)}`);
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

/** Starts a command, waits until its output matches `ready`, sends SIGINT, and resolves with how it ended. */
function interruptWhen(args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<{ code: number | null; output: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    let sent = false;
    const timer = setTimeout(() => fail(new Error(`never became ready:\n${output}`)), 600_000);
    const watch = (chunk: Buffer) => {
      output += chunk.toString();
      if (!sent && ready.test(output)) {
        sent = true;
        // Give it a moment to be in the middle of the work.
        setTimeout(() => child.kill("SIGINT"), 3000);
      }
    };
    child.stdout.on("data", watch);
    child.stderr.on("data", watch);
    child.on("close", (code) => {
      clearTimeout(timer);
      done({ code, output });
    });
  });
}

describe("release --out", () => {
  it("refuses the project, a folder above it, a project folder, an existing file and a folder of other files, changing nothing", () => {
    const file = join(work, "a-file.txt");
    writeFileSync(file, "mine");
    const mine = join(work, "my-folder");
    mkdirSync(mine);
    writeFileSync(join(mine, "notes.txt"), "keep me");
    for (const out of [ROOT, ".", join(ROOT, ".."), "/", join(ROOT, "src"), file, mine]) {
      expect(() => buildRelease({ out: out === "." ? process.cwd() : out, root: ROOT }), out).toThrow(/--out/);
    }
    expect(readFileSync(file, "utf8")).toBe("mine");
    expect(readFileSync(join(mine, "notes.txt"), "utf8")).toBe("keep me");
    expect(existsSync(join(ROOT, "src", "index.ts"))).toBe(true);
  });

  it("builds into a new folder, marks it, and rebuilds only a folder it marked", () => {
    const out = join(work, "release");
    const files = buildRelease({ out, root: ROOT });
    expect(files).toContain("package.json");
    expect(existsSync(join(out, RELEASE_MARKER))).toBe(true);
    writeFileSync(join(out, "stale.txt"), "from an older release");
    buildRelease({ out, root: ROOT });
    expect(existsSync(join(out, "stale.txt"))).toBe(false);
    rmSync(join(out, RELEASE_MARKER));
    expect(() => buildRelease({ out, root: ROOT })).toThrow(/did not build/);
  }, 120_000);
});

describe("numeric options that cannot be honoured are refused before any work", () => {
  const grade = (...args: string[]) => spawnSync(process.execPath, [GRADER, join(FIXTURES, "basic.ipynb"), "--out", join(work, "never"), ...args], { encoding: "utf8", timeout: 120_000 });
  it.each([
    ["--cell-timeout", "3000000", /at most 2147483 seconds/],
    ["--draw-timeout", "1e10", /at most/],
    ["--exercise-budget", "0", /positive number/],
    ["--max-timeouts", "0.5", /whole number/],
    ["--memory", "0.5", /whole number/],
    ["--jobs", "0.5", /whole number/],
  ])("grade %s %s", (option, value, message) => {
    const r = grade(option, value);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain(option);
    expect(r.stderr).toContain(value);
    expect(existsSync(join(work, "never"))).toBe(false);
  });

  it.each([["--timeout"], ["--interrupt-grace"]])("runner %s 3000000", (option) => {
    const r = spawnSync(process.execPath, [RUNNER, join(FIXTURES, "basic.ipynb"), option, "3000000"], { encoding: "utf8", timeout: 120_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${option} must be at most 2147483 seconds; got "3000000"`);
  });
});

describe("the grader checks its inputs before grading", () => {
  it("refuses an --out that is a file, before any grading", async () => {
    const file = join(work, "out-is-a-file");
    writeFileSync(file, "x");
    await expect(gradeMain(["node", "grade", join(FIXTURES, "basic.ipynb"), "--out", file])).rejects.toThrow(/--out must be a folder/);
    expect(readFileSync(file, "utf8")).toBe("x");
  });

  it("names the marks file when its JSON is bad", async () => {
    const marks = join(work, "bad-marks.json");
    writeFileSync(marks, "{ not json");
    await expect(gradeMain(["node", "grade", join(FIXTURES, "basic.ipynb"), "--out", join(work, "g"), "--marks", marks])).rejects.toThrow(new RegExp(`${marks.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: the marks file is not valid JSON`));
  });
});

describe("the runner", () => {
  it("finishes with a summary after a file that is not a notebook, and writes --report into a folder", () => {
    const bad = join(work, "broken.ipynb");
    writeFileSync(bad, "{ this is not a notebook");
    const reportDir = join(work, "report-dir");
    mkdirSync(reportDir);
    const r = spawnSync(process.execPath, [RUNNER, bad, join(FIXTURES, "basic.ipynb"), "--no-static", "-o", join(work, "out"), "--figures-dir", join(work, "figs"), "--report", reportDir], { cwd: ROOT, encoding: "utf8", timeout: 600_000 });
    expect(r.signal, "the runner did not exit by itself").toBeNull();
    expect(r.status, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/broken\s+FAILED/);
    expect(r.stdout).toMatch(/^basic\s+(ok|problems|FAILED)\s+\d+\/\d+/m);
    expect(r.stderr).toMatch(/not a valid notebook/);
    const report = JSON.parse(readFileSync(join(reportDir, "run-report.json"), "utf8")) as { notebooks: unknown[] };
    expect(report.notebooks).toHaveLength(2);
  }, 600_000);

  it("does not crash when its output is piped into head", () => {
    const r = spawnSync("bash", ["-c", `CI=true node ${RUNNER} ${join(FIXTURES, "basic.ipynb")} --no-static -o ${join(work, "out2")} --figures-dir ${join(work, "figs2")} | head -n 1 >/dev/null; echo "exit=\${PIPESTATUS[0]}"`], { cwd: ROOT, encoding: "utf8", timeout: 600_000 });
    expect(r.stderr).not.toMatch(/EPIPE/);
    expect(r.stdout).toContain("exit=0");
  }, 600_000);

  it("stops its kernels and removes its temporary folders on SIGINT", async () => {
    const tmp = mkdtempSync(join(work, "tmp-runner-"));
    const { code, output } = await interruptWhen([RUNNER, join(FIXTURES, "endless.ipynb"), "--no-static", "-o", join(work, "out3"), "--figures-dir", join(work, "figs3"), "--timeout", "600"], { ...process.env, TMPDIR: tmp, CI: "true" }, /cell 1\b|\[1\/\d+\]|endless/);
    expect(code, output).toBe(130);
    await new Promise((r) => setTimeout(r, 1000));
    expect(processesUsing(tmp)).toEqual([]);
    expect(readdirSync(tmp)).toEqual([]);
  }, 600_000);
});

describe("the grader on SIGINT and with a broken pipe", () => {
  it("stops every runner and compile server and removes its runtime folder", async () => {
    const tmp = mkdtempSync(join(work, "tmp-grader-"));
    const file = writeWorkbooks(work, { slow: { base: "instructor", edits: [{ insertAfter: "ex1-check", source: "const t0 = Date.now();\nwhile (Date.now() - t0 < 60000) {}" }] } }).slow;
    const { code, output } = await interruptWhen([GRADER, file, "--out", join(work, "g-int")], { ...process.env, TMPDIR: tmp }, /grading 1 submission/);
    expect(code, output).toBe(130);
    await new Promise((r) => setTimeout(r, 1000));
    expect(processesUsing(tmp)).toEqual([]);
    expect(readdirSync(tmp)).toEqual([]);
    // Nothing is lost: the submission the run was grading gets every report, saying it was not graded.
    const csv = readFileSync(join(work, "g-int", "grades.csv"), "utf8").trim().split("\n");
    expect(csv).toHaveLength(2);
    expect(csv[1]).toMatch(/^slow,.*,error,0,.*stopped \(SIGINT\)/);
    expect(readFileSync(join(work, "g-int", "feedback", "slow.md"), "utf8")).toContain("Not graded: the grading run was stopped (SIGINT) before this submission was graded");
    expect(JSON.parse(readFileSync(join(work, "g-int", "results.json"), "utf8")).output).toMatch(/stopped \(SIGINT\)/);
    expect(readdirSync(join(work, "g-int")).filter((f) => f.startsWith("."))).toEqual([]);
  }, 600_000);

  it("does not crash when its progress is piped into head", () => {
    const many = join(work, "many");
    mkdirSync(many);
    for (let i = 0; i < 40; i++) writeFileSync(join(many, `n${i}.ipynb`), "not a notebook");
    const r = spawnSync("bash", ["-c", `node ${GRADER} ${many} --out ${join(work, "g-pipe")} 2>&1 | head -n 1 >/dev/null; echo "exit=\${PIPESTATUS[0]}"`], { cwd: ROOT, encoding: "utf8", timeout: 600_000 });
    expect(r.stdout).toContain("exit=0");
    expect(readFileSync(join(work, "g-pipe", "grades.csv"), "utf8").trim().split("\n")).toHaveLength(41);
  }, 600_000);
});

describe("kernel:install --prefix", () => {
  const lines = () => {
    const out: string[] = [];
    return { out, log: (l: string) => out.push(l), error: (l: string) => out.push(l) };
  };

  it("says plainly that a file is not a folder (no Python traceback)", () => {
    const file = join(work, "prefix-file");
    writeFileSync(file, "x");
    const l = lines();
    expect(install({ prefix: file, log: l.log, error: l.error })).toBe(1);
    expect(l.out.join("\n")).toContain(`--prefix ${JSON.stringify(file)} is a file, not a folder`);
    expect(l.out.join("\n")).not.toMatch(/Traceback/);
  });

  it("says plainly that a read-only folder cannot be written", () => {
    if (process.getuid?.() === 0) {
      console.log("skipped: running as root, for whom no folder is read-only");
      return;
    }
    const dir = join(work, "read-only");
    mkdirSync(dir, { mode: 0o555 });
    const l = lines();
    expect(install({ prefix: join(dir, "jupyter"), log: l.log, error: l.error })).toBe(1);
    expect(l.out.join("\n")).toMatch(/cannot be written/);
    expect(l.out.join("\n")).not.toMatch(/Traceback/);
  });

  it("ends with how to make Jupyter see a custom prefix", () => {
    if (!findJupyterPython({ PATH: process.env.PATH ?? "" }).python) {
      console.log("skipped: no Python with Jupyter here");
      return;
    }
    const prefix = join(work, "custom-prefix");
    const data = mkdtempSync(join(work, "jupyter-data-"));
    const l = lines();
    const env = { ...process.env, JUPYTER_DATA_DIR: data, JUPYTER_PATH: "" };
    const code = install({ prefix, env, log: l.log, error: l.error });
    expect(code).toBe(3);
    expect(l.out.join("\n")).toContain(`JUPYTER_PATH=${join(prefix, "share", "jupyter")}`);
  }, 300_000);
});
