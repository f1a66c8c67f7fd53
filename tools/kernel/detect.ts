/**
 * Finding the Python that runs the user's Jupyter.
 *
 * `tslab install` runs its installer with whatever `python3` comes first on PATH, which is often not
 * the Python that Jupyter runs on (pyenv, Homebrew, conda, Debian's /usr/bin/python3 side by side; see
 * yunabe/tslab issues #34, #92, #94). A kernelspec written by the wrong Python can land in a folder
 * Jupyter never reads, or the installer fails with "jupyter is not installed in this Python". So we ask
 * the `jupyter` command itself: its shebang names its interpreter. Each candidate is then probed by
 * running it and importing `jupyter_client`, which is what registering a kernel needs.
 *
 *     const found = findJupyterPython({ PATH: process.env.PATH });
 *     if (found.python) console.log(found.python.executable, found.python.dataDir);
 *     else for (const r of found.rejected) console.log(r.candidate.path, r.reason);
 */
import { accessSync, constants, openSync, readSync, closeSync, realpathSync, statSync } from "node:fs";
import { delimiter, isAbsolute, join } from "node:path";
import { spawnSync } from "node:child_process";

/** A Python worth trying, and why we think so. */
export interface Candidate {
  path: string;
  /** Extra arguments before `-c` (from `#!/usr/bin/env -S python3 -X ...` shebangs); usually empty. */
  args: string[];
  reason: string;
}

/** What a probed Python told us about its Jupyter. */
export interface JupyterPython {
  /** The path we ran (kept as found, so the report shows what the user recognises). */
  path: string;
  args: string[];
  reason: string;
  /** `sys.executable` as Python reports it. */
  executable: string;
  version: string;
  jupyterClient: string;
  /** Where `--user` kernelspecs go (`jupyter --data-dir`). */
  dataDir: string;
  /** Every folder this Jupyter searches for kernelspecs, highest priority first. */
  kernelDirs: string[];
}

export interface Rejected {
  candidate: Candidate;
  reason: string;
}

export interface DetectOptions {
  /** The PATH to search; defaults to process.env.PATH. */
  PATH?: string;
  /** A Python the user named (`--python`): when given, it is the only candidate. */
  explicit?: string;
  /** Well-known interpreters tried after the `jupyter` shebangs; Debian/Ubuntu's by default. */
  wellKnown?: string[];
  /** Environment for the probes (JUPYTER_DATA_DIR and friends matter); defaults to process.env. */
  env?: NodeJS.ProcessEnv;
}

/** Launchers whose shebang names the Python that runs Jupyter, in order of preference. */
export const JUPYTER_LAUNCHERS = ["jupyter", "jupyter-lab", "jupyter-notebook"];
export const WELL_KNOWN_PYTHONS = ["/usr/bin/python3"];

const PROBE = [
  "import json, sys",
  "import jupyter_client",
  "from jupyter_core import paths",
  "print(json.dumps({'executable': sys.executable, 'version': sys.version.split()[0],",
  "  'jupyter_client': jupyter_client.__version__, 'data_dir': paths.jupyter_data_dir(),",
  "  'kernel_dirs': paths.jupyter_path('kernels')}))",
].join("\n");

function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Every executable called `name` on PATH, in PATH order (like `which -a`). */
export function whichAll(name: string, PATH: string = process.env.PATH ?? ""): string[] {
  if (isAbsolute(name)) return isExecutableFile(name) ? [name] : [];
  const found: string[] = [];
  for (const dir of PATH.split(delimiter)) {
    if (!dir) continue;
    const file = join(dir, name);
    if (isExecutableFile(file) && !found.includes(file)) found.push(file);
  }
  return found;
}

/** The interpreter a script's `#!` line names, with `env` resolved against PATH; null for binaries. */
export function shebangInterpreter(file: string, PATH: string = process.env.PATH ?? ""): { path: string; args: string[] } | null {
  let head: string;
  try {
    const fd = openSync(file, "r");
    try {
      const buffer = Buffer.alloc(512);
      const n = readSync(fd, buffer, 0, buffer.length, 0);
      head = buffer.subarray(0, n).toString("utf8");
    } finally {
      closeSync(fd);
    }
  } catch {
    return null;
  }
  if (!head.startsWith("#!")) return null;
  const words = head.slice(2).split("\n")[0].trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return null;
  let [program, ...args] = words;
  if (program.endsWith("/env")) {
    // `#!/usr/bin/env python3` and `#!/usr/bin/env -S python3 -X frozen_modules=off`
    if (args[0] === "-S") args = args.slice(1);
    const [name, ...rest] = args;
    if (!name) return null;
    const resolved = whichAll(name, PATH)[0];
    if (!resolved) return null;
    program = resolved;
    args = rest;
  }
  return { path: program, args };
}

/** The Pythons to try, best first, without duplicates (same real file and arguments). */
export function candidatePythons(options: DetectOptions = {}): Candidate[] {
  const PATH = options.PATH ?? process.env.PATH ?? "";
  const list: Candidate[] = [];
  if (options.explicit) {
    const path = isAbsolute(options.explicit) ? options.explicit : whichAll(options.explicit, PATH)[0] ?? options.explicit;
    return [{ path, args: [], reason: "named with --python" }];
  }
  for (const launcher of JUPYTER_LAUNCHERS) {
    for (const file of whichAll(launcher, PATH)) {
      const interpreter = shebangInterpreter(file, PATH);
      if (interpreter) list.push({ ...interpreter, reason: `runs ${file} (its #! line)` });
    }
  }
  for (const path of options.wellKnown ?? WELL_KNOWN_PYTHONS) {
    if (isExecutableFile(path)) list.push({ path, args: [], reason: "the system Python" });
  }
  for (const name of ["python3", "python"]) {
    for (const path of whichAll(name, PATH)) list.push({ path, args: [], reason: `${name} on PATH` });
  }
  const seen = new Set<string>();
  return list.filter((c) => {
    let real = c.path;
    try {
      real = realpathSync(c.path);
    } catch {
      // a dangling path stays as written; the probe will reject it with a clear reason
    }
    const key = `${real}\0${c.args.join("\0")}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Runs a candidate and asks for its Jupyter; a string is the reason it cannot register kernels. */
export function probePython(candidate: Candidate, env: NodeJS.ProcessEnv = process.env): JupyterPython | string {
  const result = spawnSync(candidate.path, [...candidate.args, "-c", PROBE], {
    env: { ...env, PYDEVD_DISABLE_FILE_VALIDATION: "1" },
    encoding: "utf8",
    timeout: 60_000,
  });
  if (result.error) return `could not run it (${(result.error as NodeJS.ErrnoException).code ?? result.error.message})`;
  if (result.status !== 0) {
    const lastLine = (result.stderr || result.stdout || "").trim().split("\n").pop() ?? "";
    if (/ModuleNotFoundError|ImportError/.test(lastLine)) return `has no Jupyter (${lastLine.trim()})`;
    return `exited with code ${result.status}${lastLine ? `: ${lastLine.trim()}` : ""}`;
  }
  const line = result.stdout.trim().split("\n").pop() ?? "";
  try {
    const info = JSON.parse(line) as { executable: string; version: string; jupyter_client: string; data_dir: string; kernel_dirs: string[] };
    if (typeof info.data_dir !== "string" || !Array.isArray(info.kernel_dirs)) throw new Error("fields missing");
    return {
      path: candidate.path,
      args: candidate.args,
      reason: candidate.reason,
      executable: info.executable,
      version: info.version,
      jupyterClient: info.jupyter_client,
      dataDir: info.data_dir,
      kernelDirs: info.kernel_dirs,
    };
  } catch {
    return `printed something that is not Jupyter's paths: ${JSON.stringify(line.slice(0, 120))}`;
  }
}

/** The first candidate that has Jupyter, and every candidate passed over with the reason. */
export function findJupyterPython(options: DetectOptions = {}): { python: JupyterPython | null; rejected: Rejected[] } {
  const rejected: Rejected[] = [];
  for (const candidate of candidatePythons(options)) {
    const probed = probePython(candidate, options.env ?? process.env);
    if (typeof probed !== "string") return { python: probed, rejected };
    rejected.push({ candidate, reason: probed });
  }
  return { python: null, rejected };
}
