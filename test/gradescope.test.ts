/**
 * The Gradescope autograder: `buildAutograder` writes autograder.zip in Gradescope's layout, and its
 * `run_autograder` — the real script, run with bash against a temporary autograder root — grades the
 * instructor copy, the blank copy and an attack into results.json, which must match Gradescope's
 * results format (tools/grader/schema/gradescope-results.schema.json, written from Gradescope's
 * "Autograder Specifications"). The archive is read back with Python's zipfile and tarfile, not with
 * our own writer's code.
 *
 *     npx vitest run test/gradescope.test.ts
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import Ajv from "ajv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Grader } from "../tools/grader/grade";
import { buildAutograder, NODE_VERSION } from "../tools/grader/gradescope";
import { gradescopeResults } from "../tools/grader/reports";
import { ADVERSARIAL } from "./fixtures/workbooks/adversarial";
import { writeWorkbooks } from "./fixtures/workbooks/files";

const ROOT = resolve(__dirname, "..");
const SEED = "term-2026-spring-private-seed";
let dir: string;
let extracted: string;
let listing: { name: string; mode: number }[];
let commit: string;

const python = (code: string, ...args: string[]) => {
  const r = spawnSync("python3", ["-c", code, ...args], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`python3 failed: ${r.stderr}`);
  return r.stdout;
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "gradescope-"));
  const zipFile = join(dir, "autograder.zip");
  commit = buildAutograder({ out: zipFile, seed: SEED }).commit;
  extracted = join(dir, "source");
  listing = JSON.parse(
    python(
      "import json, sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nz.extractall(sys.argv[2])\nprint(json.dumps([{'name': i.filename, 'mode': (i.external_attr >> 16) & 0o777} for i in z.infolist()]))",
      zipFile,
      extracted,
    ),
  ) as { name: string; mode: number }[];
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("autograder.zip", () => {
  it("has setup.sh and an executable run_autograder at its root, with the project and the seed", () => {
    const byName = new Map(listing.map((e) => [e.name, e.mode]));
    expect([...byName.keys()].sort()).toEqual(["README.txt", "project.tar", "run_autograder", "seed.txt", "setup.sh"]);
    expect(byName.get("run_autograder")! & 0o111).toBe(0o111);
    expect(byName.get("setup.sh")! & 0o111).toBe(0o111);
    expect(readFileSync(join(extracted, "seed.txt"), "utf8").trim()).toBe(SEED);
  });

  it("pins the project at one commit (git archive) without build folders or installed packages", () => {
    const info = JSON.parse(python("import json, sys, tarfile\nt = tarfile.open(sys.argv[1])\nprint(json.dumps({'commit': t.pax_headers.get('comment'), 'names': t.getnames()}))", join(extracted, "project.tar"))) as { commit: string; names: string[] };
    expect(info.commit).toBe(commit);
    for (const needed of ["package.json", "package-lock.json", "solutions/6.C.2.ts", "tools/grader/gradescope.ts", "data/check/6C.json"]) expect(info.names).toContain(needed);
    expect(info.names.filter((n) => /^(node_modules|dist|build)\//.test(n))).toEqual([]);
  });

  it("installs Node, Debian packages and the locked dependencies in setup.sh, and nothing at grading time", () => {
    const setup = readFileSync(join(extracted, "setup.sh"), "utf8");
    expect(setup).toContain(`v${NODE_VERSION}`);
    for (const step of ["apt-get install -y", "sha256sum -c", "npm ci", "npm run build", "gradescope.js prepare", "chmod 600 /autograder/source/seed.txt"]) expect(setup).toContain(step);
    const run = readFileSync(join(extracted, "run_autograder"), "utf8");
    expect(run).not.toMatch(/curl|wget|npm (ci|install)|apt-get/);
    expect(spawnSync("bash", ["-n", join(extracted, "setup.sh")]).status).toBe(0);
  });
});

describe("gradescope.js prepare (setup.sh's last build step)", () => {
  it("builds the compile servers' startup snapshot once; a second call finds it current", () => {
    const blobs = mkdtempSync(join(tmpdir(), "llmd-prepare-"));
    try {
      const env = { ...process.env, LLM_DYNAMICS_KERNEL_SNAPSHOT_DIR: blobs };
      const prepare = () => spawnSync(process.execPath, [join(ROOT, "dist", "tools", "grader", "gradescope.js"), "prepare"], { encoding: "utf8", env, timeout: 300_000 });
      const first = prepare();
      expect(first.status, first.stderr).toBe(0);
      expect(first.stderr).toContain("building the kernel's startup snapshot");
      const blob = /^compile-server snapshot: (.+\.blob)$/m.exec(first.stdout)?.[1];
      expect(blob?.startsWith(blobs)).toBe(true);
      expect(statSync(blob!).size).toBeGreaterThan(10e6);
      const second = prepare();
      expect(second.status, second.stderr).toBe(0);
      expect(second.stderr).not.toContain("building");
      expect(second.stdout).toContain(`compile-server snapshot: ${blob}`);
    } finally {
      rmSync(blobs, { recursive: true, force: true });
    }
  }, 600_000);
});

describe("run_autograder against a temporary root", () => {
  const schema = JSON.parse(readFileSync(join(ROOT, "tools", "grader", "schema", "gradescope-results.schema.json"), "utf8")) as object;
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
  const attack = ADVERSARIAL.find((f) => f.name === "loop-in-function")!;

  function runIn(name: string, base: "instructor" | "learner", edits: typeof attack.edits): Record<string, unknown> {
    const root = join(dir, `root-${name}`);
    mkdirSync(join(root, "submission"), { recursive: true });
    mkdirSync(join(root, "results"));
    spawnSync("cp", ["-r", extracted, join(root, "source")]);
    const file = writeWorkbooks(join(root, "submission"), { "6C-workbook": { base, edits } })["6C-workbook"];
    expect(file).toMatch(/submission\/6C-workbook\.ipynb$/);
    // The project setup.sh would install is this one, already built.
    const r = spawnSync("bash", [join(root, "source", "run_autograder"), root], { encoding: "utf8", env: { ...process.env, LLMD_PROJECT: ROOT }, timeout: 900_000 });
    expect(r.status, r.stderr).toBe(0);
    const text = readFileSync(join(root, "results", "results.json"), "utf8");
    expect(text).not.toContain(SEED);
    const results = JSON.parse(text) as Record<string, unknown>;
    expect(validate(results), JSON.stringify(validate.errors)).toBe(true);
    return results;
  }

  it("gives the instructor copy every auto-graded point", () => {
    const r = runIn("instructor", "instructor", []);
    expect(r.score).toBe(11);
    expect((r.tests as { score: number; max_score: number }[]).every((t) => t.score === t.max_score)).toBe(true);
  }, 900_000);

  it("gives the blank copy 0, with the same feedback as the grader's own run with that seed", async () => {
    const r = runIn("blank", "learner", []);
    expect(r.score).toBe(0);
    const grader = await Grader.start({ seed: SEED, concurrency: 1 });
    try {
      const file = writeWorkbooks(dir, { blank: { base: "learner", edits: [] } }).blank;
      const direct = gradescopeResults(await grader.gradeFile(file, "submission"));
      const auto = direct.tests.filter((t) => !t.name.endsWith("(marked by a person)"));
      expect(r.tests).toEqual(auto);
    } finally {
      grader.close();
    }
  }, 900_000);

  it("grades an attack (an endless loop in one function) as the grader does: that exercise loses its point", () => {
    const r = runIn("attack", "instructor", attack.edits);
    expect(r.score).toBe(10);
    const loop = (r.tests as { name: string; score: number; output: string }[]).find((t) => t.name.startsWith("6.C.2 "))!;
    expect(loop.score).toBe(0);
    expect(loop.output).toMatch(/time limit/);
  }, 900_000);

  it("writes a results.json that says so when nothing was submitted", () => {
    const root = join(dir, "root-empty");
    mkdirSync(join(root, "submission"), { recursive: true });
    spawnSync("cp", ["-r", extracted, join(root, "source")]);
    const r = spawnSync("bash", [join(root, "source", "run_autograder"), root], { encoding: "utf8", env: { ...process.env, LLMD_PROJECT: ROOT } });
    expect(r.status, r.stderr).toBe(0);
    const results = JSON.parse(readFileSync(join(root, "results", "results.json"), "utf8")) as Record<string, unknown>;
    expect(validate(results)).toBe(true);
    expect(results.score).toBe(0);
    expect(results.output).toMatch(/No notebook/);
  });

  it("the schema rejects what Gradescope would not read", () => {
    expect(validate({ tests: [{ name: "x" }] })).toBe(false); // no score anywhere
    expect(validate({ score: 1, visibility: "public" })).toBe(false);
    expect(validate({ score: 1, tests: [{ score: 1, status: "ok" }] })).toBe(false);
  });
});
