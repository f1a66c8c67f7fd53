/**
 * Gradescope as the grading engine: `build` packs autograder.zip in Gradescope's documented layout
 * (https://gradescope-autograders.readthedocs.io/en/latest/specs/), and `run` is what its
 * `run_autograder` calls for one submission.
 *
 *     npm run gradescope -- --out build/autograder.zip                 # a new random seed, printed
 *     npm run gradescope -- --out build/autograder.zip --seed-file term-seed.txt
 *     node dist/tools/grader/gradescope.js run --root /autograder --seed-file /autograder/source/seed.txt
 *
 * The archive holds, at its root: `setup.sh` (run once when Gradescope builds the image, the only step
 * with network: it installs Debian packages, a pinned Node from nodejs.org checked against its
 * SHASUMS256, and the project from `project.tar` — `git archive` of one commit — with `npm ci`),
 * `run_autograder` (grades `/autograder/submission/*.ipynb` into `/autograder/results/results.json`;
 * no network needed), `project.tar`, `seed.txt` (the hidden seed of the graded draws) and a README.
 * The seed and the solutions stay in `/autograder/source`, which the grading sandbox cannot read
 * (runtime.ts); results.json never contains the seed.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { Command, CommanderError } from "commander";
import { runMain } from "../cli";
import { WORKBOOK_NAME } from "../workbook/build";
import { collectSubmissions } from "./cli";
import { Grader, prepareCompilerSnapshot } from "./grade";
import { projectRoot } from "./paths";
import { gradescopeResults } from "./reports";
import { zip } from "./zip";

/** The Node that setup.sh installs: the one this project is tested with. */
export const NODE_VERSION = "20.20.2";

export function setupScript(nodeVersion = NODE_VERSION): string {
  return `#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image: the only step that uses the
# network. Grading (run_autograder) needs none.
set -euo pipefail
cd /autograder/source
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends ca-certificates curl xz-utils tar util-linux

# Node ${nodeVersion} from nodejs.org, checked against the release's SHASUMS256.txt.
case "$(uname -m)" in x86_64) arch=x64 ;; aarch64) arch=arm64 ;; *) echo "unsupported machine $(uname -m)" >&2; exit 1 ;; esac
tarball="node-v${nodeVersion}-linux-\${arch}.tar.xz"
curl -fsSLO "https://nodejs.org/dist/v${nodeVersion}/\${tarball}"
curl -fsSL "https://nodejs.org/dist/v${nodeVersion}/SHASUMS256.txt" | grep " \${tarball}\\$" | sha256sum -c -
tar -xJf "\${tarball}" -C /usr/local --strip-components=1
rm "\${tarball}"
node --version

# The project at the commit recorded in project.tar (git archive), with its locked dependencies.
mkdir -p project
tar -xf project.tar -C project
cd project
npm ci
npm run build
# The compile servers' startup snapshot, so that no submission waits for it to be built.
node dist/tools/grader/gradescope.js prepare

# The seed and the solutions are the instructor's: root only.
chmod 700 /autograder/source
chmod 600 /autograder/source/seed.txt
`;
}

export const RUN_AUTOGRADER = `#!/usr/bin/env bash
# Gradescope runs this for each submission, as root, in /autograder. The root can be given (first
# argument or AUTOGRADER_ROOT) to try it elsewhere; LLMD_PROJECT names a built project to use instead of
# the one setup.sh installed.
set -uo pipefail
ROOT="\${1:-\${AUTOGRADER_ROOT:-/autograder}}"
PROJECT="\${LLMD_PROJECT:-$ROOT/source/project}"
exec node "$PROJECT/dist/tools/grader/gradescope.js" run --root "$ROOT" --seed-file "$ROOT/source/seed.txt"
`;

function readme(commit: string): string {
  return `LLM Dynamics 6.C autograder for Gradescope, built from commit ${commit}.

Upload this zip as the assignment's autograder (Programming Assignment → Configure Autograder →
Zip file upload, base image Ubuntu). Learners submit their 6C-workbook.ipynb. seed.txt holds the
seed of the graded draws: keep a copy, use a new one each term, never share it.
`;
}

export interface BuildOptions {
  out: string;
  /** The seed of the graded draws; a fresh random one when absent. */
  seed?: string;
  root?: string;
}

/** Writes autograder.zip; returns the commit it pins and the seed it holds. */
export function buildAutograder(options: BuildOptions): { commit: string; seed: string; dirty: boolean } {
  const root = options.root ?? projectRoot();
  const git = (...args: string[]) => execFileSync("git", args, { cwd: root, maxBuffer: 1 << 30 });
  const commit = git("rev-parse", "HEAD").toString().trim();
  const dirty = git("status", "--porcelain", "--untracked-files=no").toString().trim() !== "";
  const project = git("archive", "--format=tar", commit);
  const seed = options.seed ?? randomBytes(24).toString("base64url");
  if (!/^[\x21-\x7e]{8,200}$/.test(seed)) throw new RangeError(`the seed must be 8 to 200 printable ASCII characters without spaces; got ${seed.length} characters`);
  const archive = zip([
    { name: "setup.sh", data: Buffer.from(setupScript()), mode: 0o755 },
    { name: "run_autograder", data: Buffer.from(RUN_AUTOGRADER), mode: 0o755 },
    { name: "project.tar", data: project },
    { name: "seed.txt", data: Buffer.from(seed + "\n"), mode: 0o600 },
    { name: "README.txt", data: Buffer.from(readme(commit)) },
  ]);
  mkdirSync(dirname(resolve(options.out)), { recursive: true });
  writeFileSync(options.out, archive);
  return { commit, seed, dirty };
}

/** The submitted workbook: the course's file name if present, else the first notebook. */
export function pickSubmission(dir: string): { file?: string; others: string[] } {
  const all = existsSync(dir) ? collectSubmissions([dir]) : [];
  const file = all.find((f) => basename(f) === WORKBOOK_NAME) ?? all[0];
  return { file, others: all.filter((f) => f !== file) };
}

/** Grades the one submission under `root` and writes `root/results/results.json`. */
export async function runAutograder(root: string, seed: string): Promise<Record<string, unknown>> {
  const started = Date.now();
  const resultsDir = join(root, "results");
  mkdirSync(resultsDir, { recursive: true });
  const { file, others } = pickSubmission(join(root, "submission"));
  let results: Record<string, unknown>;
  if (!file) {
    results = { score: 0, output: `No notebook (.ipynb) was submitted. Upload your ${WORKBOOK_NAME}.`, visibility: "visible", stdout_visibility: "hidden", tests: [] };
  } else {
    const grader = await Grader.start({ seed, concurrency: 1 });
    try {
      const r = await grader.gradeFile(file, "submission");
      // The parts a person marks (written answers, the figure) are Gradescope's own manual questions:
      // the autograder scores the functions only.
      const full = gradescopeResults(r);
      results = { ...full, score: r.autoScore, tests: full.tests.filter((t) => !t.name.endsWith("(marked by a person)")) };
      results.output = `${full.output} The written answers and the 6.C.3 figure are marked by a person, outside the autograder.`;
      if (others.length) results.output = `${results.output as string}\nGraded ${basename(file)}; also submitted (not graded): ${others.map((f) => basename(f)).join(", ")}.`;
    } finally {
      grader.close();
    }
  }
  results.execution_time = Math.round((Date.now() - started) / 1000);
  writeFileSync(join(resultsDir, "results.json"), JSON.stringify(results, null, 2) + "\n");
  return results;
}

export async function main(argv: string[]): Promise<number> {
  const program = new Command().name("gradescope").description("Gradescope autograder for the 6.C workbook: build autograder.zip, or grade one submission inside Gradescope's container").exitOverride();
  program
    .command("build", { isDefault: true })
    .description("write autograder.zip (setup.sh, run_autograder, the project at the current commit, the hidden seed)")
    .option("-o, --out <file>", "the zip to write", "build/autograder.zip")
    .option("--seed-file <file>", "a file holding the seed of the graded draws (default: a new random seed, printed once)")
    .action((opts: { out: string; seedFile?: string }) => {
      const seed = opts.seedFile ? readFileSync(opts.seedFile, "utf8").trim() : undefined;
      const { commit, seed: used, dirty } = buildAutograder({ out: opts.out, seed });
      console.log(`${opts.out}: autograder for commit ${commit} (${(statSync(opts.out).size / 1024 / 1024).toFixed(1)} MB)`);
      if (dirty) console.error("warning: the project has uncommitted changes; the autograder holds the last commit only");
      if (!opts.seedFile) console.log(`seed of the graded draws (keep it private; it is in the zip's seed.txt): ${used}`);
    });
  program
    .command("run")
    .description("grade <root>/submission/*.ipynb into <root>/results/results.json (what run_autograder calls)")
    .option("--root <dir>", "the autograder root", "/autograder")
    .requiredOption("--seed-file <file>", "the file holding the seed of the graded draws")
    .action(async (opts: { root: string; seedFile: string }) => {
      const seed = readFileSync(opts.seedFile, "utf8").trim();
      if (!seed) throw new RangeError(`--seed-file ${JSON.stringify(opts.seedFile)} is empty`);
      const results = await runAutograder(resolve(opts.root), seed);
      console.log(`score ${results.score as number}; results in ${join(resolve(opts.root), "results", "results.json")}`);
    });
  program
    .command("prepare")
    .description("build the grader's compile servers' startup snapshot if none is current (setup.sh runs it in the image)")
    .action(() => {
      const blob = prepareCompilerSnapshot((line) => console.error(line));
      // Not fatal: without it each submission's compile server starts about a second slower.
      if (blob) console.log(`compile-server snapshot: ${blob}`);
      else console.error("warning: no compile-server snapshot (turned off, or the build failed: see above); compile servers will start without it");
    });
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    throw e;
  }
  return 0;
}

if (require.main === module) runMain(main);
