/**
 * A long-lived compile server: tslab's own converter (the code the kernel runs for every cell), kept
 * warm across submissions. It type-checks and rewrites one cell at a time, given the declarations of
 * the cells before it, and never executes learner code. Started by `tools/grader/compilerPool.ts`
 * under Node's permission model (read-only, only node_modules and the library), so an `import` of
 * `solutions/` fails to resolve here exactly as it would for a learner.
 *
 *     node --experimental-permission --allow-fs-read=… compiler.js <node_modules dir>
 *     fd 3:   {"id": 0, "ready": true, "snapshot": {"served": 170, "stale": 0}, "heapLimitMb": 1072}\n   (snapshot null: not from it)
 *     stdin:  {"id": 1, "prevDecl": "", "src": "const x = 1"}\n
 *     fd 3:   {"id": 1, "output": "…", "declOutput": "…", "diagnostics": []}\n
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as readline from "node:readline";
import { getHeapStatistics } from "node:v8";

interface Diagnostic {
  start: { line: number; character: number };
  messageText: string;
}

const modulesDir = process.argv[2];
// eslint-disable-next-line @typescript-eslint/no-require-imports -- tslab is loaded from the grading runtime's node_modules
const { createConverter } = require(path.join(modulesDir, "tslab/dist/converter.js"));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { getCodeMetadata } = require(path.join(modulesDir, "tslab/dist/metadata.js"));

function reply(message: object): void {
  const buf = Buffer.from(JSON.stringify(message) + "\n");
  let written = 0;
  while (written < buf.length) written += fs.writeSync(3, buf, written, buf.length - written);
}

const converter = createConverter({ isJS: false, isBrowser: false });
// Started from the kernel's snapshot, the converter's first program took its declaration files from
// the snapshot's cache (tools/kernel/snapshot.ts's mark; not imported: this file runs alone in the sandbox).
const mark = (globalThis as Record<symbol, { served: string[]; stale: string[] } | undefined>)[Symbol.for("llm-dynamics.kernel-snapshot")];
reply({ id: 0, ready: true, snapshot: mark ? { served: mark.served.length, stale: mark.stale.length } : null, heapLimitMb: Math.round(getHeapStatistics().heap_size_limit / 2 ** 20) });

readline.createInterface({ input: process.stdin }).on("line", (line) => {
  let id = -1;
  try {
    const request = JSON.parse(line) as { id: number; prevDecl: string; src: string };
    id = request.id;
    const meta = getCodeMetadata(request.src) as { module?: string; mode?: string };
    if (meta.module || meta.mode === "browser") {
      reply({ id, unsupported: "the cell is a tslab //%module or //%browser cell, which the grader does not run" });
      return;
    }
    const r = converter.convert(request.prevDecl, request.src);
    reply({
      id,
      diagnostics: (r.diagnostics as Diagnostic[]).map((d) => `${d.start.line + 1}:${d.start.character + 1} - ${d.messageText}`),
      output: r.output,
      declOutput: r.declOutput,
      hasToplevelAwait: Boolean(r.hasToplevelAwait),
      lastExpressionVar: r.lastExpressionVar,
    });
  } catch (e) {
    reply({ id, internalError: (e as Error).stack ?? String(e) });
  }
});
process.stdin.on("end", () => process.exit(0));
