/**
 * `release`: builds the learner's copy of the course into a folder.
 *
 * What goes in: the course notebooks (every workbook with its stubs, each checked to be the current
 * learner copy), the library (its TypeScript sources and the compiled `dist/src`, so notebooks work
 * before a build), the public check data behind `check`, a package.json without the instructor's
 * tooling, a tsconfig for the library alone, and a short README. What stays out: `solutions/`, the
 * grader (it holds the seed of the graded draws), tests, benchmarks and every build folder.
 * test/release.test.ts searches the result for any trace of the solutions.
 *
 *     npm run release -- --out build/release
 *     npm run release -- --help
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { Command, CommanderError } from "commander";
import { projectRoot } from "../grader/paths";
import { WORKBOOKS } from "../grader/exercises";
import { learnerWorkbook } from "../workbook/build";
import { checkDataRelativePath } from "../../src/check";
import { runMain } from "../cli";

/** Dependencies a learner needs: the library's own, the kernel, and the package's link to itself. */
const LEARNER_DEPENDENCIES = ["llm-dynamics", "mathjs", "plotly.js-dist", "plotly.js-dist-min", "seedrandom", "tslab"];
const LEARNER_DEV_DEPENDENCIES = ["typescript", "@types/node", "@types/seedrandom"];

const README = `# LLM Dynamics — the learner's copy

A course on a language model with a finite context window seen as a Markov chain on pages
(Remarks 4–6), with a workbook of exercises for each Remark and the 6.C workbook on the waluigi
toy model.

## Setup

    npm install                      # installs the library and the tslab kernel
    npx tslab install --python=python3
    jupyter notebook notebooks/      # or JupyterLab / VS Code with the TypeScript (tslab) kernel

Open a workbook (${WORKBOOKS.map((w) => `\`notebooks/${w.file}\``).join(", ")}), replace each
stub, and run the \`check(...)\` cell under it: it compares your function with the expected answers for
a few public cases (\`data/check/<workbook>.json\`) and tells you if it calls a library function that
the exercise asks you to write yourself. Grading uses other cases, drawn at random, so make your
functions right for every input.
`;

function pick(record: Record<string, string> | undefined, names: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of names) if (record?.[n]) out[n] = record[n];
  return out;
}

function learnerPackageJson(root: string): string {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as Record<string, unknown>;
  const out = {
    name: pkg.name,
    version: pkg.version,
    description: pkg.description,
    license: pkg.license,
    private: true,
    main: pkg.main,
    types: pkg.types,
    engines: pkg.engines,
    scripts: {
      build: "node node_modules/typescript/bin/tsc -p tsconfig.json",
      "kernel:install": "tslab install --python=python3",
    },
    dependencies: pick(pkg.dependencies as Record<string, string>, LEARNER_DEPENDENCIES),
    devDependencies: pick(pkg.devDependencies as Record<string, string>, LEARNER_DEV_DEPENDENCIES),
  };
  return JSON.stringify(out, null, 2) + "\n";
}

function learnerTsconfig(root: string): string {
  const ts = JSON.parse(readFileSync(join(root, "tsconfig.json"), "utf8")) as { compilerOptions: Record<string, unknown> };
  const { baseUrl: _b, paths: _p, ...compilerOptions } = ts.compilerOptions;
  return JSON.stringify({ compilerOptions, include: ["src"] }, null, 2) + "\n";
}

/** Every file under a folder, relative paths. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out;
}

/** The file that marks a folder as one this tool built, so only such a folder is ever replaced. */
export const RELEASE_MARKER = ".llm-dynamics-release";

/** A path with its links resolved, also when its last parts do not exist yet. */
function realPath(path: string): string {
  const abs = resolve(path);
  if (existsSync(abs)) return realpathSync(abs);
  const parent = dirname(abs);
  return parent === abs ? abs : join(realPath(parent), basename(abs));
}

/**
 * Why `out` must not be built into, or null when it may: it is new, empty, or a release this tool
 * built (it holds the marker). Never the project, a folder above it, an existing file or a folder of
 * someone's files.
 */
export function refuseOut(out: string, root: string): string | null {
  const target = realPath(out);
  const project = realPath(root);
  if (target === project || project.startsWith(target.endsWith(sep) ? target : target + sep)) {
    return `--out ${JSON.stringify(out)} is the project or a folder above it; choose a new folder such as build/release`;
  }
  if (!existsSync(target)) return null;
  if (!statSync(target).isDirectory()) return `--out ${JSON.stringify(out)} is an existing file; choose a new folder`;
  const entries = readdirSync(target);
  if (entries.length === 0 || entries.includes(RELEASE_MARKER)) return null;
  return `--out ${JSON.stringify(out)} is a folder that this tool did not build (it has no ${RELEASE_MARKER} file) and is not empty; it was left untouched: choose a new or empty folder`;
}

export interface ReleaseOptions {
  out: string;
  root?: string;
}

/** Builds the release; returns the files written (relative to `out`). */
export function buildRelease(options: ReleaseOptions): string[] {
  const root = options.root ?? projectRoot();
  const out = options.out;
  for (const w of WORKBOOKS) {
    const workbook = join(root, "notebooks", w.file);
    if (!existsSync(workbook) || readFileSync(workbook, "utf8") !== learnerWorkbook(w.id)) {
      throw new Error(`${workbook} is not the current learner copy; run npm run workbook first`);
    }
  }
  for (const needed of ["dist/src/index.js", ...WORKBOOKS.map((w) => checkDataRelativePath(w.id))]) {
    if (!existsSync(join(root, needed))) throw new Error(`${join(root, needed)} is missing; build the project first (npm run build)`);
  }
  const refused = refuseOut(out, root);
  if (refused) throw new Error(refused);
  // Only a folder this tool built is emptied: its contents go, the folder itself stays.
  if (existsSync(out)) for (const name of readdirSync(out)) rmSync(join(out, name), { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, RELEASE_MARKER), "Built by `npm run release`; the next release into this folder replaces everything in it.\n");
  mkdirSync(join(out, "notebooks"));
  for (const name of readdirSync(join(root, "notebooks")).filter((f) => f.endsWith(".ipynb")).sort()) {
    cpSync(join(root, "notebooks", name), join(out, "notebooks", name));
  }
  cpSync(join(root, "src"), join(out, "src"), { recursive: true });
  cpSync(join(root, "dist", "src"), join(out, "dist", "src"), { recursive: true });
  cpSync(join(root, "data", "check"), join(out, "data", "check"), { recursive: true });
  writeFileSync(join(out, "package.json"), learnerPackageJson(root));
  writeFileSync(join(out, "tsconfig.json"), learnerTsconfig(root));
  writeFileSync(join(out, "README.md"), README);
  if (existsSync(join(root, "LICENSE"))) cpSync(join(root, "LICENSE"), join(out, "LICENSE"));
  return listFiles(out).filter((f) => f !== RELEASE_MARKER);
}

export function main(argv: string[]): number {
  const program = new Command()
    .name("release")
    .description("Build the learner's copy of the course (notebooks with stubs, the library, public check data; no solutions, no grader, no hidden draws)")
    .option("-o, --out <dir>", "folder to build into: new, empty, or an earlier release (never the project or a folder of other files)", join(projectRoot(), "build", "release"))
    .exitOverride();
  try {
    program.parse(argv);
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    throw e;
  }
  const { out } = program.opts<{ out: string }>();
  const files = buildRelease({ out });
  console.log(`${out}: ${files.length} files (${files.filter((f) => f.startsWith("notebooks/")).length} notebooks)`);
  return 0;
}

if (require.main === module) runMain(main);
