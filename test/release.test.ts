/**
 * The learner's release carries nothing of solutions/: no line of any solution function's body (as
 * TypeScript or as compiled JavaScript), no sentence of any reference written answer, no graded draw
 * and not the grader's seed — searched in every file, whitespace-normalised. A planted leak must be
 * found (the search can fail), and `check` must work in the release without solutions/.
 *
 *     npx vitest run test/release.test.ts
 */
import { spawnSync } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writtenAnswers } from "../solutions";
import { DEFAULT_SEED, drawsFor } from "../tools/grader/draws";
import { EXERCISE_SPECS, WORKBOOKS } from "../tools/grader/exercises";
import { buildRelease, listFiles } from "../tools/release/build";
import { solutionCellSource } from "../tools/workbook/solutionSource";

const ROOT = resolve(__dirname, "..");
const norm = (s: string) => s.replace(/\s+/g, " ").trim();

/** Lines of the library's own sources: a solution line that also occurs there is not distinctive. */
function librarySources(): string {
  const files = listFiles(join(ROOT, "src")).map((f) => readFileSync(join(ROOT, "src", f), "utf8"));
  files.push(...listFiles(join(ROOT, "dist", "src")).filter((f) => f.endsWith(".js")).map((f) => readFileSync(join(ROOT, "dist", "src", f), "utf8")));
  return norm(files.join("\n"));
}

/** Distinctive pieces of solutions/: body lines (TS and compiled JS), written-answer sentences, draws. */
function needles(): { what: string; text: string }[] {
  const library = librarySources();
  const out: { what: string; text: string }[] = [];
  const addLine = (what: string, line: string) => {
    const t = norm(line);
    if (t.length >= 24 && !library.includes(t)) out.push({ what, text: t });
  };
  for (const file of readdirSync(join(ROOT, "solutions")).filter((f) => /^\d+(\.C)?\.\d+\.ts$/.test(f))) {
    const source = solutionCellSource(join(ROOT, "solutions", file));
    for (const [fn, body] of Object.entries(source.bodies)) for (const line of body.split("\n")) addLine(`${file} ${fn}`, line);
    const js = join(ROOT, "dist", "solutions", file.replace(/\.ts$/, ".js"));
    if (existsSync(js)) for (const line of readFileSync(js, "utf8").split("\n")) if (!/^\s*(\/\/|\*|\/\*\*|"use strict"|Object\.defineProperty\(exports|exports\.\w+ = (void 0|\w+);|const \w+ = require\()/.test(line)) addLine(`dist/solutions/${file}`, line);
  }
  for (const [id, text] of Object.entries(writtenAnswers)) {
    for (const sentence of text.split(/(?<=[.;:])\s+/)) if (norm(sentence).length >= 30) out.push({ what: `written answer ${id}`, text: norm(sentence) });
  }
  for (const e of EXERCISE_SPECS) {
    for (const d of drawsFor(e.id, { set: "graded" })) out.push({ what: `graded draw of ${e.id}`, text: JSON.stringify(d.args, (_k, v) => (v === Infinity ? { $number: "Infinity" } : v)) });
  }
  out.push({ what: "the grader's seed", text: DEFAULT_SEED });
  return out;
}

function leaks(dir: string, list: { what: string; text: string }[]): string[] {
  const found: string[] = [];
  for (const f of listFiles(dir)) {
    const text = norm(readFileSync(join(dir, f), "latin1") + "\n" + readFileSync(join(dir, f), "utf8"));
    for (const n of list) if (text.includes(n.text)) found.push(`${f}: ${n.what}: ${n.text.slice(0, 80)}`);
  }
  return found;
}

let out: string;
let files: string[];
let list: { what: string; text: string }[];

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), "release-test-"));
  files = buildRelease({ out });
  list = needles();
});

afterAll(() => {
  if (out) rmSync(out, { recursive: true, force: true });
});

describe("the learner's release", () => {
  it("has every workbook, the library, the check data and no instructor material", () => {
    for (const w of WORKBOOKS) {
      expect(files).toContain(`notebooks/${w.file}`);
      expect(files).toContain(`data/check/${w.id}.json`);
    }
    expect(files).toContain("dist/src/index.js");
    expect(files).toContain("dist/src/check.js");
    expect(files).toContain("src/check.ts");
    expect(files).toContain("data/check/6C.json");
    expect(files).toContain("package.json");
    for (const f of files) expect(f).not.toMatch(/^(solutions|tools|test|bench|build|dist\/(solutions|tools|bench))\//);
    const pkg = JSON.parse(readFileSync(join(out, "package.json"), "utf8"));
    expect(Object.keys(pkg.scripts)).not.toContain("grade");
    expect(JSON.parse(readFileSync(join(out, "tsconfig.json"), "utf8")).include).toEqual(["src"]);
  });

  it("contains nothing of solutions/: no solution code, no written answer, no graded draw", () => {
    expect(list.filter((n) => n.what.includes("solutions")).length).toBeGreaterThan(30);
    // The search covers every exercise: code of each solution file and the graded draws of each exercise.
    for (const e of EXERCISE_SPECS) {
      expect(list.some((n) => n.what.startsWith(`${e.id}.ts `)), `${e.id} code`).toBe(true);
      expect(list.some((n) => n.what === `graded draw of ${e.id}`), `${e.id} draws`).toBe(true);
    }
    expect(list.filter((n) => n.what.startsWith("written answer")).length).toBeGreaterThan(10);
    expect(leaks(out, list)).toEqual([]);
  });

  it("finds a planted leak (the search can fail)", () => {
    const plant = list.find((n) => n.what.includes("6.C.6.ts contextForStickiness"))!;
    const copy = mkdtempSync(join(tmpdir(), "release-planted-"));
    try {
      buildRelease({ out: copy });
      appendFileSync(join(copy, "src", "waluigi.ts"), `\n// ${plant.text}\n`);
      expect(leaks(copy, [plant])).toEqual([`src/waluigi.ts: ${plant.what}: ${plant.text.slice(0, 80)}`]);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it("runs check without solutions/: a right function passes, a stub fails", () => {
    const script = `
      const { checkResult } = require("./dist/src/index.js");
      const f = (k, { luigiPrior: l, pFriendly: p }) => (l + (1 - l) * p ** (k + 1)) / (l + (1 - l) * p ** k);
      const good = checkResult("6.C.2", f), bad = checkResult("6.C.2", () => { throw new Error("not implemented"); });
      const count = (V, k) => (BigInt(V) ** BigInt(k)).toString();
      const good4 = checkResult("4.1", count), bad4 = checkResult("4.1", (V, k) => String(V ** k));
      console.log(JSON.stringify([good.passed, good.total, bad.passed, good4.passed, good4.total, bad4.passed < bad4.total ? 0 : 1]));`;
    // The installed dependencies, as npm install would give them, minus the project's link to itself.
    mkdirSync(join(out, "node_modules"));
    for (const name of readdirSync(join(ROOT, "node_modules"))) {
      if (name !== "llm-dynamics" && !name.startsWith(".")) symlinkSync(join(ROOT, "node_modules", name), join(out, "node_modules", name));
    }
    const r = spawnSync(process.execPath, ["-e", script], { cwd: out, encoding: "utf8" });
    expect(r.stderr).toBe("");
    const [passed, total, badPassed, passed4, total4, bad4] = JSON.parse(r.stdout) as number[];
    expect(passed).toBe(total);
    expect(badPassed).toBe(0);
    expect(passed4).toBe(total4);
    expect(bad4).toBe(0);
  });
});
