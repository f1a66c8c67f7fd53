/**
 * Registering this project's tslab as the Jupyter kernel "tslab", through a given Python's
 * `jupyter_client`, and checking the result the way Jupyter itself will see it.
 *
 * The kernelspec starts tslab with an absolute Node and an absolute path into this project's
 * node_modules, so the kernel works even when Jupyter is launched without Node on its PATH (desktop
 * launchers, VS Code with nvm) and always runs the tslab version this project pins.
 *
 *     const spec = kernelSpec(process.execPath, tslabEntry(projectRoot()));
 *     const dir = installKernelSpec(python, spec);            // ~/.local/share/jupyter/kernels/tslab
 *     const problems = verifyKernel(listKernelSpecs(python), dir, spec);
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { spawnSync } from "node:child_process";
import type { JupyterPython } from "./detect";

export const KERNEL_NAME = "tslab";

export interface KernelSpecJson {
  argv: string[];
  display_name: string;
  language: string;
  interrupt_mode: string;
  env: Record<string, string>;
  metadata: Record<string, unknown>;
}

export interface ListedSpec {
  resource_dir: string;
  spec: { argv: string[]; display_name?: string; language?: string };
}

/** The folder of this project's package.json, found by walking up from `from`. */
export function projectRoot(from: string = __dirname): string {
  let dir = resolve(from);
  while (true) {
    const file = join(dir, "package.json");
    if (existsSync(file)) {
      try {
        if ((JSON.parse(readFileSync(file, "utf8")) as { name?: string }).name === "llm-dynamics") return dir;
      } catch {
        // an unreadable package.json is not ours; keep walking up
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`from must lie inside the llm-dynamics project; got ${JSON.stringify(from)}`);
    dir = parent;
  }
}

/** The tslab entry script installed in this project (node_modules/tslab/bin/tslab). */
export function tslabEntry(root: string): string {
  let pkg: string;
  try {
    pkg = require.resolve("tslab/package.json", { paths: [root] });
  } catch {
    throw new Error(`root has no tslab in node_modules (run \`npm ci\` there first); got ${JSON.stringify(root)}`);
  }
  const bin = (JSON.parse(readFileSync(pkg, "utf8")) as { bin?: { tslab?: string } }).bin?.tslab ?? "bin/tslab";
  return join(dirname(pkg), bin);
}

/**
 * The course's kernel command (tools/kernel/launcher.ts, built into dist/): tslab itself, started from
 * a warm standby when one is ready, so a learner's kernel start and restart skip tslab's TypeScript
 * start-up. Needs `npm run build` (run by `npm ci`).
 */
export function launcherEntry(root: string): string {
  const file = join(root, "dist", "tools", "kernel", "launcher.js");
  if (!existsSync(file)) throw new Error(`root has no built kernel launcher (run \`npm run build\` there first); looked for ${JSON.stringify(file)}`);
  return file;
}

/** The kernel.json content: absolute Node, absolute kernel script (the launcher, or tslab's own). */
export function kernelSpec(node: string, tslabScript: string): KernelSpecJson {
  return {
    argv: [node, tslabScript, "kernel", "--config-path", "{connection_file}"],
    display_name: "TypeScript",
    language: "typescript",
    interrupt_mode: "signal",
    env: {},
    metadata: { "llm-dynamics": { registeredBy: "npm run kernel:install" } },
  };
}

function runPython(python: JupyterPython, code: string, args: string[], env: NodeJS.ProcessEnv): string {
  const result = spawnSync(python.path, [...python.args, "-c", code, ...args], {
    env: { ...env, PYDEVD_DISABLE_FILE_VALIDATION: "1" },
    encoding: "utf8",
    timeout: 120_000,
  });
  if (result.error) throw new Error(`python ${python.path} could not be run: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`python ${python.path} failed (exit ${result.status}): ${(result.stderr || result.stdout).trim()}`);
  return result.stdout.trim().split("\n").pop() ?? "";
}

const INSTALL = `
import json, os, sys, tempfile
from jupyter_client.kernelspec import KernelSpecManager
spec, name, prefix = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3] or None
with tempfile.TemporaryDirectory() as td:
    os.chmod(td, 0o755)
    with open(os.path.join(td, 'kernel.json'), 'w') as f:
        json.dump(spec, f, indent=1, sort_keys=True)
    dest = KernelSpecManager().install_kernel_spec(td, name, user=prefix is None, prefix=prefix)
print(json.dumps(dest))
`;

const LIST = `
import json
from jupyter_client.kernelspec import KernelSpecManager
print(json.dumps(KernelSpecManager().get_all_specs()))
`;

/** Writes the kernelspec with that Python's jupyter_client; returns the folder it went to. */
export function installKernelSpec(python: JupyterPython, spec: KernelSpecJson, options: { prefix?: string; env?: NodeJS.ProcessEnv } = {}): string {
  const out = runPython(python, INSTALL, [JSON.stringify(spec), KERNEL_NAME, options.prefix ?? ""], options.env ?? process.env);
  return JSON.parse(out) as string;
}

/** Every kernelspec that Python's Jupyter sees, as `jupyter kernelspec list --json` reports them. */
export function listKernelSpecs(python: JupyterPython, env: NodeJS.ProcessEnv = process.env): Record<string, ListedSpec> {
  return JSON.parse(runPython(python, LIST, [], env)) as Record<string, ListedSpec>;
}

/** What is wrong with the registration as Jupyter sees it; an empty list when all is well. */
export function verifyKernel(listed: Record<string, ListedSpec>, installedDir: string, spec: KernelSpecJson): string[] {
  const problems: string[] = [];
  const entry = listed[KERNEL_NAME];
  if (!entry) return [`Jupyter does not list a kernel named "${KERNEL_NAME}" although it was written to ${installedDir}`];
  if (resolve(entry.resource_dir) !== resolve(installedDir)) {
    problems.push(`Jupyter takes "${KERNEL_NAME}" from ${entry.resource_dir}, which shadows the one written to ${installedDir} (check JUPYTER_PATH)`);
  }
  if (JSON.stringify(entry.spec.argv) !== JSON.stringify(spec.argv)) {
    problems.push(`the listed kernel starts ${JSON.stringify(entry.spec.argv)}, not ${JSON.stringify(spec.argv)}`);
  }
  for (const file of spec.argv.slice(0, 2)) if (!existsSync(file)) problems.push(`the kernel command needs ${file}, which does not exist`);
  if (problems.length === 0) {
    const run = spawnSync(spec.argv[0], [spec.argv[1], "--version"], { encoding: "utf8", timeout: 60_000 });
    if (run.status !== 0 || !/^tslab \d/.test(run.stdout.trim())) {
      problems.push(`\`${spec.argv[0]} ${spec.argv[1]} --version\` did not answer with a tslab version: ${(run.stderr || run.stdout || String(run.error)).trim()}`);
    }
  }
  return problems;
}
