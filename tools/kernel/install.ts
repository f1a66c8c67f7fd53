/**
 * `npm run kernel:install`: registers this project's tslab as the Jupyter kernel "tslab" for the
 * user's Jupyter (JupyterLab, classic Notebook and VS Code all read the same kernelspec folders), using
 * the Python that actually runs Jupyter, then checks that Jupyter lists it. It also installs the
 * course's JupyterLab 4 renderer for plotly figures (tools/kernel/labextension.ts) into the same
 * Jupyter data folder, so JupyterLab draws figures in untrusted notebooks too.
 *
 *     npm run kernel:install                      # find Jupyter's Python, register, verify
 *     npm run kernel:install -- --dry-run         # show what would be registered
 *     npm run kernel:install -- --python /opt/conda/bin/python
 *     npm run kernel:install -- --no-lab-extension   # the kernel only
 *
 * Exit codes: 0 registered and verified; 2 no Python with Jupyter found (the message says how to get
 * one); 3 written but Jupyter does not see it as expected; 1 anything else (bad arguments, I/O).
 */
import { accessSync, constants, existsSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { Command } from "commander";
import { findJupyterPython, Rejected } from "./detect";
import { buildSnapshot } from "./snapshot";
import { installLabExtension, labExtensionDir, verifyLabExtension } from "./labextension";
import { installKernelSpec, kernelSpec, KERNEL_NAME, listKernelSpecs, launcherEntry, projectRoot, verifyKernel } from "./register";

export const EXIT_NO_JUPYTER = 2;
export const EXIT_NOT_VERIFIED = 3;

export interface InstallOptions {
  python?: string;
  prefix?: string;
  dryRun?: boolean;
  /** Also build the kernel's startup snapshot (default true; tools/kernel/snapshot.ts). */
  snapshot?: boolean;
  /** Also install the JupyterLab plotly renderer (default true). */
  labExtension?: boolean;
  /** Where a test points PATH, the system Pythons and JUPYTER_DATA_DIR; defaults to this process's. */
  env?: NodeJS.ProcessEnv;
  wellKnown?: string[];
  log?: (line: string) => void;
  error?: (line: string) => void;
}

const NO_JUPYTER_HELP = [
  "No Python with Jupyter was found, so no kernel was registered.",
  "Install Jupyter, then run `npm run kernel:install` again:",
  "  Debian/Ubuntu:   sudo apt install jupyter-notebook jupyter-client   (classic Notebook)",
  "  any system:      pipx install jupyterlab   or   python3 -m pip install --user jupyterlab",
  "  conda:           conda install -c conda-forge jupyterlab",
  "If Jupyter is installed but not on PATH, name its Python: npm run kernel:install -- --python /path/to/python",
  "(VS Code alone needs no Jupyter: open a notebook and pick the kernel \"TypeScript\" after installing one of the above.)",
];

function describeRejected(rejected: Rejected[]): string[] {
  return rejected.map((r) => `  passed over ${r.candidate.path} (${r.candidate.reason}): ${r.reason}`);
}

/** Why `--prefix` cannot take a kernelspec, or null: it must be a folder (or creatable) and writable. */
export function prefixProblem(prefix: string): string | null {
  let dir = resolve(prefix);
  if (existsSync(dir) && !statSync(dir).isDirectory()) return `--prefix ${JSON.stringify(prefix)} is a file, not a folder`;
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    return `--prefix ${JSON.stringify(prefix)} cannot be written: ${dir} is not writable by this user`;
  }
  return null;
}

/** Finds Jupyter's Python, registers the kernel and verifies it; returns the exit code. */
export function install(options: InstallOptions = {}): number {
  const log = options.log ?? ((line: string) => console.log(line));
  const error = options.error ?? ((line: string) => console.error(line));
  const env = options.env ?? process.env;

  const root = projectRoot();
  const spec = kernelSpec(process.execPath, launcherEntry(root));
  if (options.prefix !== undefined) {
    const problem = prefixProblem(options.prefix);
    if (problem) {
      error(problem);
      return 1;
    }
  }
  log(`Looking for the Python that runs Jupyter${options.python ? ` (given: ${options.python})` : ""}…`);
  const { python, rejected } = findJupyterPython({ PATH: env.PATH ?? "", explicit: options.python, wellKnown: options.wellKnown, env });
  for (const line of describeRejected(rejected)) log(line);
  if (!python) {
    for (const line of NO_JUPYTER_HELP) error(line);
    return EXIT_NO_JUPYTER;
  }
  log(`Using ${python.path} (${python.reason}): Python ${python.version}, jupyter_client ${python.jupyterClient}.`);
  const previous = listKernelSpecs(python, env)[KERNEL_NAME];
  const where = options.prefix ? `${options.prefix}/share/jupyter/kernels/${KERNEL_NAME}` : `${python.dataDir}/kernels/${KERNEL_NAME}`;
  const labDest = labExtensionDir(options.prefix ? `${options.prefix}/share/jupyter` : python.dataDir);
  const withLab = options.labExtension ?? true;
  if (options.dryRun) {
    log(`Would register kernel "${KERNEL_NAME}" in ${where}, starting: ${spec.argv.join(" ")}`);
    if (withLab) log(`Would install the JupyterLab plotly renderer in ${labDest}`);
    if (previous) log(`Currently Jupyter takes "${KERNEL_NAME}" from ${previous.resource_dir}: ${previous.spec.argv.join(" ")}`);
    return 0;
  }
  let dir: string;
  try {
    dir = installKernelSpec(python, spec, { prefix: options.prefix, env });
  } catch (e) {
    // Python's traceback says little to a user: its last line says what went wrong.
    const lines = String((e as Error).message).trim().split("\n").filter((l) => l.trim() !== "");
    error(`Registering the kernel${options.prefix ? ` under --prefix ${JSON.stringify(options.prefix)}` : ""} failed: ${lines[lines.length - 1] ?? "unknown error"}`);
    return 1;
  }
  log(`Registered kernel "${KERNEL_NAME}" (display name "${spec.display_name}") in ${dir}`);
  log(`  it starts: ${spec.argv.join(" ")}`);
  if (previous && JSON.stringify(previous.spec.argv) !== JSON.stringify(spec.argv)) {
    log(`  before, Jupyter took "${KERNEL_NAME}" from ${previous.resource_dir}: ${previous.spec.argv.join(" ")}`);
  }
  const problems = verifyKernel(listKernelSpecs(python, env), dir, spec);
  if (problems.length > 0) {
    error(`The kernel was written, but Jupyter (${python.path}) does not see it as expected:`);
    for (const p of problems) error(`  ${p}`);
    if (options.prefix) {
      const share = resolve(options.prefix, "share", "jupyter");
      error(`Jupyter looks in ${share} only when told to: add it to JUPYTER_PATH, e.g.`);
      error(`  export JUPYTER_PATH=${share}\${JUPYTER_PATH:+:$JUPYTER_PATH}`);
      error("(or register without --prefix, in your user's Jupyter folder).");
    }
    return EXIT_NOT_VERIFIED;
  }
  log(`Checked: Jupyter lists "${KERNEL_NAME}" from that folder, and the kernel command answers with its version.`);
  if (options.snapshot ?? true) {
    // A failed build costs only speed: the launcher then starts tslab as usual.
    try {
      log("Building the kernel's startup snapshot (a few seconds)…");
      const r = buildSnapshot(env);
      log(`Built the kernel's startup snapshot: ${r.blob} (${(r.bytes / 1e6).toFixed(1)} MB, ${r.files} declaration files)`);
    } catch (e) {
      error(`No startup snapshot (cold kernel starts stay at tslab's usual speed): ${(e as Error).message}`);
    }
  }
  if (withLab) {
    const dest = installLabExtension(root, options.prefix ? `${options.prefix}/share/jupyter` : python.dataDir);
    const labProblems = verifyLabExtension(dest);
    if (labProblems.length > 0) {
      error(`The JupyterLab plotly renderer was copied to ${dest}, but it is incomplete:`);
      for (const p of labProblems) error(`  ${p}`);
      return EXIT_NOT_VERIFIED;
    }
    log(`Installed the JupyterLab 4 plotly renderer in ${dest} (JupyterLab loads it at its next page load).`);
  }
  log(`Next: start Jupyter (jupyter lab, or jupyter notebook) in ${root}/notebooks and pick the kernel "${spec.display_name}" if asked.`);
  return 0;
}

function main(argv: string[]): void {
  const program = new Command()
    .name("kernel:install")
    .description(
      "Register this project's tslab as the Jupyter kernel \"tslab\" (display name \"TypeScript\") for your " +
        "Jupyter, using the Python that runs Jupyter (found from the #! line of `jupyter` on PATH, then " +
        "/usr/bin/python3, then python3/python on PATH), and check that Jupyter lists it.",
    )
    .option("--python <path>", "the Python that runs your Jupyter (skips the search)")
    .option("--prefix <dir>", "register under <dir>/share/jupyter/kernels instead of your user's Jupyter data folder")
    .option("--dry-run", "show which Python and folder would be used; change nothing")
    .option("--no-lab-extension", "do not install the JupyterLab renderer for plotly figures")
    .option("--no-snapshot", "do not build the kernel's startup snapshot (cold starts then take tslab's usual time)")
    .addHelpText(
      "after",
      "\nExit codes: 0 registered and verified; 2 no Python with Jupyter found; 3 registered but not listed as\n" +
        "expected by Jupyter; 1 other errors.\n\nExample: npm run kernel:install -- --python /opt/conda/bin/python",
    )
    .parse(argv);
  const opts = program.opts<{ python?: string; prefix?: string; dryRun?: boolean; labExtension: boolean; snapshot: boolean }>();
  try {
    process.exitCode = install({ python: opts.python, prefix: opts.prefix, dryRun: opts.dryRun, labExtension: opts.labExtension, snapshot: opts.snapshot });
  } catch (e) {
    console.error(`kernel:install failed: ${(e as Error).message}`);
    process.exitCode = 1;
  }
}

if (require.main === module) main(process.argv);
