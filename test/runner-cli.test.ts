/**
 * The headless runner as users start it: `node dist/tools/runner/cli.js` (what `npm run course` and
 * the `llm-dynamics-run` bin run). Checks --help, the missing-kernel error, exit codes, the failure
 * report on stderr, plain progress lines in CI — and that it needs no Python: it runs with a PATH
 * holding nothing but `node`.
 *
 *     npx tsc -p . && npx vitest run test/runner-cli.test.ts
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STANDBY_ENV } from "../tools/kernel/standby";

const ROOT = resolve(__dirname, "..");
const CLI = join(ROOT, "dist/tools/runner/cli.js");
const FIXTURES = join(ROOT, "test/fixtures/notebooks");
let work: string;

function cli(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const run = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, env, encoding: "utf8", timeout: 800_000 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

beforeAll(() => {
  // The CLI runs compiled; a stale build would test old code.
  const sources = readdirSync(join(ROOT, "tools/runner")).filter((f) => f.endsWith(".ts"));
  const built = existsSync(CLI) ? statSync(CLI).mtimeMs : 0;
  const newest = Math.max(...sources.map((f) => statSync(join(ROOT, "tools/runner", f)).mtimeMs));
  if (built < newest) throw new Error(`dist/tools/runner is missing or older than tools/runner: run \`npx tsc -p .\` first (npm test does)`);
  work = mkdtempSync(join(tmpdir(), "runner-cli-"));
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("llm-dynamics-run", () => {
  it("--help describes the command and its options", () => {
    const { code, stdout } = cli(["--help"]);
    expect(code).toBe(0);
    for (const option of ["--out-dir", "--figures-dir", "-p, --parameters <name> <value>", "-f, --parameters-file <file>", "--timeout", "--jobs", "--kernel", "--chromium", "--no-static", "Exit codes"]) expect(stdout).toContain(option);
  });

  it("rejects a bad option value, naming it and echoing the value", () => {
    const { code, stderr } = cli(["--timeout", "soon"]);
    expect(code).toBe(2);
    expect(stderr).toContain('--timeout must be a positive number of seconds; got "soon"');
  });

  it("refuses parameters for a notebook without a parameters cell before starting a kernel, naming it", () => {
    const { code, stderr } = cli([join(FIXTURES, "basic.ipynb"), "-p", "K", "4", "--no-static"]);
    expect(code).toBe(2);
    expect(stderr).toContain('parameters (K) were given, but basic.ipynb has no code cell tagged "parameters"');
    const dangling = cli([join(FIXTURES, "basic.ipynb"), "-p", "K"]);
    expect(dangling.code).toBe(2);
    expect(dangling.stderr).toContain("-p takes a name and a value");
  });

  it("says where it looked for the kernel and how to fix it when tslab is missing", () => {
    const missing = join(work, "no-such-dir", "tslab");
    const { code, stderr } = cli([join(FIXTURES, "basic.ipynb"), "--kernel", missing, "--no-static"]);
    expect(code).toBe(2);
    expect(stderr).toContain(`tslab kernel not found: looked for "${missing}"`);
    expect(stderr).toContain("npm ci");
    expect(stderr).toContain("--kernel <path>");
  });

  it("runs with no Python on PATH: reports the failed cell, runs the others, exits 1", () => {
    // A PATH with node alone: python3 (and jupyter) cannot be found by anything the run starts.
    const bin = join(work, "bin");
    rmSync(bin, { recursive: true, force: true });
    mkdirSync(bin);
    symlinkSync(process.execPath, join(bin, "node"));
    // The run's kernels neither use nor leave warm standbys: the launcher would create this folder.
    const standbyProbe = join(work, "standby-probe");
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: bin, CI: "true", [STANDBY_ENV.dir]: standbyProbe };
    for (const key of Object.keys(env)) if (/^(PYTHON|VIRTUAL_ENV|PYENV|CONDA)/.test(key)) delete env[key];
    expect(spawnSync("python3", ["--version"], { env }).error).toMatchObject({ code: "ENOENT" });
    expect(spawnSync("jupyter", ["--version"], { env }).error).toMatchObject({ code: "ENOENT" });

    const out = join(work, "out");
    const { code, stdout, stderr } = cli([join(FIXTURES, "failing.ipynb"), join(FIXTURES, "basic.ipynb"), "-o", join(out, "nb"), "--figures-dir", join(out, "fig")], env);
    expect(code, stderr).toBe(1);
    // Plain progress lines (CI=true): notebook, cell i/n, elapsed.
    expect(stdout).toMatch(/\[basic\] cell 1\/8 ok [\d.]+s \(elapsed [\d.]+s\)/);
    expect(stdout).toMatch(/basic\s+ok\s+7\/8/);
    expect(stdout).toMatch(/failing\s+FAILED\s+4\/5/);
    expect(stderr).toContain("failing.ipynb, cell 5 (code cell 4 of 5): const answer = 41;");
    expect(stderr).toContain("Error: deliberate failure: 42");
    expect(existsSync(join(out, "nb", "basic.ipynb"))).toBe(true);
    expect(existsSync(join(out, "nb", "failing.ipynb"))).toBe(true);
    expect(existsSync(join(out, "fig", "basic", "fixture-line.json"))).toBe(true);
    expect(existsSync(join(out, "fig", "basic", "fixture-line.html"))).toBe(true);
    if (existsSync("/usr/bin/chromium")) expect(existsSync(join(out, "fig", "basic", "fixture-line.png"))).toBe(true);
    expect(existsSync(standbyProbe), "a kernel of the run looked for a standby").toBe(false);
  }, 900_000);
});
