/**
 * Builds the course notebooks from their readable sources (shared: any notebook author may use it).
 *
 * Every `tools/notebooks/sources/<name>.nb.txt` becomes `notebooks/<name>.ipynb` (format described in
 * tools/notebooks/format.ts). `--check` rebuilds in memory and fails if a committed notebook differs
 * from its source, so the JSON cannot drift from the text a reviewer reads.
 *
 *     npx tsc -p . && node dist/tools/notebooks/build.js                 # all sources
 *     node dist/tools/notebooks/build.js remark-4-dynamic-gpt --check    # one, compare only
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Command } from "commander";
import { parseNotebookSource, renderNotebook } from "./format";
import { runMain } from "../cli";

const SUFFIX = ".nb.txt";

function projectRoot(): string {
  // Compiled to dist/tools/notebooks/, sources live in tools/notebooks/: walk up to package.json.
  let dir = __dirname;
  while (!existsSync(join(dir, "package.json")) || dir.endsWith("dist")) {
    const up = resolve(dir, "..");
    if (up === dir) throw new Error(`cannot find the project root above ${__dirname}`);
    dir = up;
  }
  return dir;
}

function main(argv: string[]): number {
  const root = projectRoot();
  const program = new Command()
    .name("build-notebooks")
    .description("Build notebooks/<name>.ipynb from tools/notebooks/sources/<name>.nb.txt")
    .argument("[names...]", "notebook names (default: every source)")
    .option("--sources <dir>", "folder of .nb.txt sources", join(root, "tools/notebooks/sources"))
    .option("--out <dir>", "folder the notebooks are written to", join(root, "notebooks"))
    .option("--check", "write nothing; exit 1 if a notebook differs from its source")
    .parse(argv);
  const opts = program.opts<{ sources: string; out: string; check?: boolean }>();
  let names: string[] = program.args;
  if (names.length === 0) names = readdirSync(opts.sources).filter((f) => f.endsWith(SUFFIX)).map((f) => f.slice(0, -SUFFIX.length)).sort();
  let stale = 0;
  for (const name of names) {
    const sourcePath = join(opts.sources, name.endsWith(SUFFIX) ? name : name + SUFFIX);
    if (!existsSync(sourcePath)) throw new Error(`names: no source ${sourcePath}`);
    const base = sourcePath.slice(opts.sources.length + 1, -SUFFIX.length);
    const cells = parseNotebookSource(readFileSync(sourcePath, "utf8"), sourcePath);
    const json = renderNotebook(cells);
    const target = join(opts.out, base + ".ipynb");
    const current = existsSync(target) ? readFileSync(target, "utf8") : null;
    if (opts.check) {
      if (current !== json) {
        stale++;
        console.error(`${target}: differs from ${sourcePath}; run node dist/tools/notebooks/build.js ${base}`);
      } else console.log(`${target}: up to date (${cells.length} cells)`);
    } else {
      if (current !== json) writeFileSync(target, json);
      console.log(`${target}: ${current === json ? "unchanged" : "written"} (${cells.length} cells)`);
    }
  }
  return stale ? 1 : 0;
}

if (require.main === module) runMain(main);
