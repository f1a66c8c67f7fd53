/**
 * Where things are: the project root (found from this file, compiled or not) and the grader's
 * compiled sandbox scripts.
 *
 *     projectRoot();   // "/work/main"
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";

export function projectRoot(): string {
  // Compiled to dist/tools/grader/ or run from tools/grader/ by vitest: walk up to the package.json
  // that is not inside dist/.
  let dir = __dirname;
  while (!existsSync(join(dir, "package.json")) || dir.split(/[\\/]/).includes("dist")) {
    const up = resolve(dir, "..");
    if (up === dir) throw new Error(`cannot find the project root above ${__dirname}`);
    dir = up;
  }
  return dir;
}

/** The compiled grader folder (dist/tools/grader), where the sandbox scripts live. */
export function compiledGraderDir(): string {
  const dir = join(projectRoot(), "dist", "tools", "grader");
  if (!existsSync(join(dir, "sandbox", "runner.js"))) {
    throw new Error(`the grader is not built: ${join(dir, "sandbox", "runner.js")} is missing; run npx tsc -p .`);
  }
  return dir;
}
