/**
 * "The learner builds; the library does not answer": for every exercise, a submission that answers
 * with the library call the exercise forbids (test/solutions/libraryRoutes.ts) scores 0 on it, with a
 * message naming the function and what to do instead, while the same workbook written by hand (the
 * instructor copy, built from solutions/) scores full marks. Ways around the tracing — an alias by
 * dynamic property access, `require` of the library's internal file, deleting the module cache to load
 * a fresh copy, a forbidden call hidden in a getter that an allowed function reads, an instance made
 * outside the graded function — are caught too. `check` gives the same message in-process. Runs the
 * real sandbox; needs `npm run build` first.
 *
 *     npx vitest run test/grader-policy.test.ts
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXERCISE_SPECS, WORKBOOKS, exerciseById, exercisesOf, policyMessage } from "../tools/grader/exercises";
import { Grader, type SubmissionResult } from "../tools/grader/grade";
import { writeWorkbooks } from "./fixtures/workbooks/files";

const ROOT = resolve(__dirname, "..");
const LIMITS = { drawTimeoutMs: 15_000, cellTimeoutMs: 30_000, exerciseBudgetMs: 60_000, maxTimeouts: 2, memoryMb: 256 };

/** One answer cell per exercise: the library's import line and the route function, from libraryRoutes.ts. */
function routeCells(): Record<string, string> {
  const file = join(ROOT, "test/solutions/libraryRoutes.ts");
  const sf = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
  const imports = sf.statements.filter(ts.isImportDeclaration).map((s) => s.getText(sf)).join("\n");
  const out: Record<string, string> = {};
  for (const s of sf.statements) {
    if (ts.isFunctionDeclaration(s) && s.name) out[s.name.text] = `${imports}\n\n${s.getText(sf).replace(/^export /, "")}`;
  }
  return out;
}

/** The answer cell id of an exercise (tools/workbook/build.ts). */
const answerCell = (id: string) => `ex${id.startsWith("6.C.") ? id.slice(4) : id.replace(/\./g, "-")}-answer`;

const BYPASSES: Record<string, string> = {
  alias: `import * as lib from "llm-dynamics";
const build = (lib as any)["waluigi" + "Chain"];
function transitionMatrix(k: number, params: WaluigiParams): number[][] {
  return build(k, params).toDense();
}`,
  "internal-require": `const internal = require("llm-dynamics/dist/src/waluigi");
function transitionMatrix(k: number, params: WaluigiParams): number[][] {
  return internal.waluigiChain(k, params).toDense();
}`,
  "fresh-copy": `for (const key of Object.keys(require.cache)) {
  if (key.includes("llm-dynamics")) {
    try { delete require.cache[key]; } catch { /* locked */ }
  }
}
const fresh = require("llm-dynamics");
function transitionMatrix(k: number, params: WaluigiParams): number[][] {
  return fresh.waluigiChain(k, params).toDense();
}`,
  "getter-smuggling": `import { friendlyProbability, waluigiChain } from "llm-dynamics";
function transitionMatrix(k: number, params: WaluigiParams): number[][] {
  let T: number[][] = [];
  // An allowed call whose argument runs the forbidden one while the library reads it.
  friendlyProbability(0, { get luigiPrior() { T = waluigiChain(k, params).toDense(); return params.luigiPrior; }, pFriendly: params.pFriendly });
  return T;
}`,
  "instance-made-earlier": `import { waluigiChain } from "llm-dynamics";
const made = waluigiChain(2, { luigiPrior: 0.5, pFriendly: 0.5 });
function transitionMatrix(k: number, params: WaluigiParams): number[][] {
  // Any use of a chain object counts, wherever the object came from.
  void made.chain;
  const T = Array.from({ length: 3 ** k }, () => new Array<number>(3 ** k).fill(0));
  return k === 2 ? made.toDense() : T;
}`,
};

let dir: string;
let grader: Grader;
const results: Record<string, SubmissionResult> = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "grader-policy-"));
  const routes = routeCells();
  const specs: Parameters<typeof writeWorkbooks>[1] = {};
  for (const w of WORKBOOKS) {
    specs[`by-hand-${w.id}`] = { base: "instructor", edits: [], workbook: w.id };
    specs[`library-${w.id}`] = { base: "instructor", workbook: w.id, edits: exercisesOf(w.id).map((e) => ({ replace: answerCell(e.id), source: routes[e.functionName] })) };
  }
  for (const [name, source] of Object.entries(BYPASSES)) specs[`bypass-${name}`] = { base: "instructor", edits: [{ replace: answerCell("6.C.7"), source }] };
  const files = writeWorkbooks(dir, specs);
  grader = await Grader.start({ concurrency: 2, limits: LIMITS });
  const names = Object.keys(files);
  const graded = await grader.gradeFiles(names.map((n) => files[n]));
  names.forEach((n, i) => (results[n] = graded[i]));
}, 1_200_000);

afterAll(() => {
  grader?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("a forbidden library call scores 0 with the policy message", () => {
  it.each(EXERCISE_SPECS.map((e) => [e.id, e.workbook, e.functionName] as const))("%s: the library's route scores 0, the hand-written answer full marks", (id, workbook, name) => {
    const byHand = results[`by-hand-${workbook}`].exercises.find((e) => e.id === id)!;
    expect(`${byHand.passed}/${byHand.total} ${byHand.summary}`).toBe(`${byHand.total}/${byHand.total} all ${byHand.total} draws pass`);
    expect(byHand.score).toBe(byHand.points);
    const lib = results[`library-${workbook}`].exercises.find((e) => e.id === id)!;
    expect(lib.score, lib.summary).toBe(0);
    expect(lib.forbiddenUsed?.length, lib.summary).toBeGreaterThan(0);
    for (const f of lib.forbiddenUsed!) expect(exerciseById(id).forbidden).toContain(f);
    expect(lib.summary).toBe(policyMessage(exerciseById(id), lib.forbiddenUsed!));
    expect(lib.summary).toMatch(new RegExp(`^${name} calls \\w+.* from the library, which answers ${id.replace(/\./g, "\\.")} for you, so ${id.replace(/\./g, "\\.")} scores 0 while it does\\. Instead, `));
    expect(lib.draws.every((d) => !d.pass)).toBe(true);
  });

  it("leaves the other exercises alone, except those whose answers call the offending function", () => {
    const r = results["bypass-alias"];
    // 6.C.8, 6.C.10 and 6.C.11 build on the learner's transitionMatrix (as the reference solutions do),
    // so the forbidden call happens while they answer too, and the feedback says so.
    const builtOnIt = ["6.C.7", "6.C.8", "6.C.10", "6.C.11"];
    for (const e of r.exercises) {
      if (builtOnIt.includes(e.id)) expect(e.summary).toMatch(new RegExp(`^${e.functionName} calls .*waluigiChain`));
      else expect(`${e.id} ${e.score}`).toBe(`${e.id} ${e.points}`);
    }
  });

  it.each(Object.keys(BYPASSES))("catches the way around it: %s", (name) => {
    const e = results[`bypass-${name}`].exercises.find((x) => x.id === "6.C.7")!;
    expect(e.score, `${e.summary} | cells: ${JSON.stringify(results[`bypass-${name}`].cells)}`).toBe(0);
    expect(e.forbiddenUsed, e.summary).toBeDefined();
    expect(e.forbiddenUsed!.some((f) => ["waluigiChain", "PageChain", "MarkovChain", "SparseStochasticMatrix"].includes(f))).toBe(true);
  });
});

describe("check says the same in the notebook", () => {
  // The traced CommonJS build, as the kernel loads it.
  const lib = createRequire(join(ROOT, "package.json"))("./dist/src/index.js") as typeof import("../src");

  it("fails an answer that calls a forbidden function, naming it and what to do instead", () => {
    const viaLibrary = (k: number, params: { luigiPrior: number; pFriendly: number }) => lib.waluigiChain(k, params).toDense();
    const r = lib.checkResult("6.C.7", viaLibrary);
    expect(r.passed).toBe(0);
    const { calls } = lib.libraryCallsDuring(() => viaLibrary(...(r.draws[0].args as [number, { luigiPrior: number; pFriendly: number }])));
    expect(r.draws[0].message).toBe(policyMessage(exerciseById("6.C.7"), lib.forbiddenCalls(calls, exerciseById("6.C.7").forbidden)));
    expect(r.draws[0].message).toMatch(/^transitionMatrix calls (\w+, )*waluigiChain(, \w+)* from the library, which answers 6\.C\.7 for you, so 6\.C\.7 scores 0 while it does\. Instead, build the matrix yourself/);
  });

  it("passes the same answer built with what the exercise allows", () => {
    const S = createRequire(join(ROOT, "package.json"))("./dist/solutions/index.js") as typeof import("../solutions");
    expect(lib.checkResult("6.C.7", S.transitionMatrix).passed).toBe(lib.checkResult("6.C.7", S.transitionMatrix).total);
  });

  it("forbids only library exports that exist, and every reference solution obeys its exercise's rules", () => {
    for (const e of EXERCISE_SPECS) for (const f of e.forbidden) expect(typeof (lib as unknown as Record<string, unknown>)[f], `${e.id}: ${f}`).toBe("function");
    const S = createRequire(join(ROOT, "package.json"))("./dist/solutions/index.js") as Record<string, unknown>;
    for (const e of EXERCISE_SPECS) {
      const r = lib.checkResult(e.id, S[e.functionName]);
      expect(r.draws.filter((d) => !d.pass).map((d) => d.message), e.id).toEqual([]);
    }
  });
});
