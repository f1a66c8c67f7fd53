/**
 * The grader's compile servers start from the kernel's startup snapshot (tools/kernel/snapshot.ts):
 * tslab's compiler already evaluated, lib.es2022 and the project's @types already bound. The
 * grader's runtime reaches those files through links (tools/grader/runtime.ts), so this checks that
 * the snapshot's cache serves them there too, and, against the independent route of a compile server
 * started as tslab ships (LLM_DYNAMICS_KERNEL_SNAPSHOT=off), that every kind of cell compiles to the
 * same output, declarations and diagnostics. Times are for `npm run bench:grade`, not here.
 *
 *     npm run build && npx vitest run test/grader-snapshot.test.ts
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Grader } from "../tools/grader/grade";
import { type CompileResult } from "../tools/grader/compilerPool";
import { SNAPSHOT_ENV } from "../tools/kernel/snapshot";

const ROOT = join(__dirname, "..");
const built = existsSync(join(ROOT, "dist/tools/grader/sandbox/compiler.js"));
if (!built) console.log("grader-snapshot.test skipped: run `npm run build` first (dist/tools/grader/sandbox/compiler.js is missing)");

/** Cells of every kind the checker must see the same way: [label, declarations before, source]. */
const CELLS: [string, string, string][] = [
  ["a type error", "", 'const wrong: number = "a";\nwrong'],
  ["the library's types", "", 'import { pageChain } from "llm-dynamics";\nconst notAChain: ReturnType<typeof pageChain> = 3;'],
  ["the library used correctly", "", 'import { pageChain } from "llm-dynamics";\nconst build: typeof pageChain = pageChain;\nbuild.length'],
  ["Node's types", "", 'const bytes: Buffer = Buffer.from("é", "utf8");\nbytes.length + process.pid'],
  ["lib.es2022", "", "const found = [1, 2, 3].at(-1);\nconst own = Object.hasOwn({ a: 1 }, 'a');\nfound! + Number(own)"],
  ["top-level await", "", "const three = await Promise.resolve(3);\nthree"],
  ["a declaration from an earlier cell", "declare const earlier: { n: number };\n", 'const fromEarlier: string = earlier.n;'],
  ["a syntax error", "", "const = 1"],
];

const saved = process.env[SNAPSHOT_ENV.mode];
let fromSnapshot: Grader;
let asShipped: Grader;
const results = new Map<string, { snapshot: CompileResult; shipped: CompileResult }>();

beforeAll(async () => {
  if (!built) return;
  delete process.env[SNAPSHOT_ENV.mode];
  fromSnapshot = await Grader.start({ concurrency: 1, log: (line) => console.log(`grader-snapshot.test: ${line}`) });
  process.env[SNAPSHOT_ENV.mode] = "off";
  try {
    asShipped = await Grader.start({ concurrency: 1 });
  } finally {
    if (saved === undefined) delete process.env[SNAPSHOT_ENV.mode];
    else process.env[SNAPSHOT_ENV.mode] = saved;
  }
  for (const [label, prevDecl, src] of CELLS) {
    // Each pool's own cache would hide nothing here: every cell is new to both.
    const [snapshot, shipped] = await Promise.all([fromSnapshot.pool.compile(prevDecl, src), asShipped.pool.compile(prevDecl, src)]);
    results.set(label, { snapshot, shipped });
  }
}, 400_000);

afterAll(() => {
  fromSnapshot?.close();
  asShipped?.close();
});

describe.skipIf(!built)("the grader's compile servers and the kernel's startup snapshot", () => {
  it("start from the snapshot, with every declaration file of the first program from its cache", () => {
    expect(fromSnapshot.runtime.compilerSnapshot).toMatch(/\.blob$/);
    expect(existsSync(fromSnapshot.runtime.compilerSnapshot!)).toBe(true);
    expect(fromSnapshot.pool.starts).toHaveLength(1);
    const start = fromSnapshot.pool.starts[0];
    // lib.es2022's files alone are over 30; the project's @types add about a hundred.
    expect(start.snapshot?.served).toBeGreaterThan(100);
    expect(start.snapshot?.stale).toBe(0);
  });

  it("keep their heap limit of 1 GB either way (NODE_OPTIONS, under which the snapshot was built)", () => {
    // V8 adds the young generation to the old-space limit; Node's default here would be several GB.
    for (const g of [fromSnapshot, asShipped]) {
      expect(g.pool.starts[0].heapLimitMb).toBeGreaterThanOrEqual(1024);
      expect(g.pool.starts[0].heapLimitMb).toBeLessThan(1200);
    }
  });

  it("start as tslab ships when the snapshot is turned off", () => {
    expect(asShipped.runtime.compilerSnapshot).toBeNull();
    expect(asShipped.pool.starts).toHaveLength(1);
    expect(asShipped.pool.starts[0].snapshot).toBeNull();
  });

  it.each(CELLS.map(([label]) => label))("compile %s exactly as a compiler started without the snapshot", (label) => {
    const { snapshot, shipped } = results.get(label)!;
    expect(snapshot.internalError).toBeUndefined();
    expect(shipped.internalError).toBeUndefined();
    expect(snapshot).toEqual(shipped);
  });

  it("report the errors the cells contain, and none where there are none", () => {
    const diagnostics = (label: string) => results.get(label)!.snapshot.diagnostics ?? [];
    expect(diagnostics("a type error").join("\n")).toMatch(/^1:7 - Type 'string' is not assignable to type 'number'/);
    expect(diagnostics("the library's types").join("\n")).toMatch(/Type 'number' is not assignable to type 'PageChain'/);
    expect(diagnostics("a declaration from an earlier cell").join("\n")).toMatch(/Type 'number' is not assignable to type 'string'/);
    expect(diagnostics("a syntax error").length).toBeGreaterThan(0);
    for (const label of ["the library used correctly", "Node's types", "lib.es2022", "top-level await"]) expect(diagnostics(label), label).toEqual([]);
    expect(results.get("top-level await")!.snapshot.hasToplevelAwait).toBe(true);
  });
});
