/**
 * Kernel set-up (`npm run kernel:install`, tools/kernel/): finding Jupyter's Python, and a real
 * registration with Debian's Jupyter checked through Jupyter's own listing and a real kernel start.
 *
 *     npx tsc -p . && npx vitest run test/kernel-setup.test.ts
 *
 * The search logic is exercised with stub executables on made-up PATHs (a stub "python" is a shell
 * script that answers the probe, or fails the import the way a Python without Jupyter does). The real
 * run redirects JUPYTER_DATA_DIR to a temporary folder so it never touches the user's registration.
 */
import { chmodSync, existsSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { spawnSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { candidatePythons, findJupyterPython, shebangInterpreter, whichAll } from "../tools/kernel/detect";
import { kernelSpec, ListedSpec, verifyKernel } from "../tools/kernel/register";
import { STANDBY_ENV, stopStandbys } from "../tools/kernel/standby";
import { install } from "../tools/kernel/install";
import { installLabExtension, LAB_EXTENSION_NAME, labExtensionDir, plotlyBundle, verifyLabExtension } from "../tools/kernel/labextension";

const ROOT = resolve(__dirname, "..");
const CLI = join(ROOT, "dist/tools/kernel/install.js");
const TSLAB = join(ROOT, "node_modules/tslab/bin/tslab");
/** What kernel:install registers: the course's launcher (tslab from a warm standby, else tslab itself). */
const LAUNCHER = join(ROOT, "dist/tools/kernel/launcher.js");
const scratch = mkdtempSync(join(tmpdir(), "llmd-kernel-setup-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let counter = 0;
function dir(): string {
  const d = join(scratch, `d${counter++}`);
  mkdirSync(d, { recursive: true });
  return d;
}

function executable(file: string, text: string): string {
  writeFileSync(file, text);
  chmodSync(file, 0o755);
  return file;
}

/** A stub Python with Jupyter: answers the probe with its own path and a data folder. */
function pythonWithJupyter(file: string): string {
  const answer = JSON.stringify({ executable: file, version: "3.99.0", jupyter_client: "9.9.9", data_dir: `${file}.data`, kernel_dirs: [`${file}.data/kernels`] });
  return executable(file, `#!/bin/sh\necho '${answer}'\n`);
}

/** A stub Python without Jupyter: fails the import like the real thing. */
function pythonWithoutJupyter(file: string): string {
  return executable(file, `#!/bin/sh\necho "ModuleNotFoundError: No module named 'jupyter_client'" >&2\nexit 1\n`);
}

describe("finding the Python that runs Jupyter", () => {
  it("prefers the interpreter in jupyter's #! line over an earlier python3 on PATH (tslab #34/#92)", () => {
    const shims = dir(); // like pyenv's shims: first on PATH, no Jupyter
    const bin = dir();
    const venv = dir();
    pythonWithoutJupyter(join(shims, "python3"));
    const jupyterPython = pythonWithJupyter(join(venv, "python"));
    executable(join(bin, "jupyter"), `#!${jupyterPython}\nprint("jupyter")\n`);
    const found = findJupyterPython({ PATH: [shims, bin].join(":"), wellKnown: [] });
    expect(found.python?.path).toBe(jupyterPython);
    expect(found.python?.reason).toContain(join(bin, "jupyter"));
    expect(found.python?.dataDir).toBe(`${jupyterPython}.data`);
    expect(found.rejected).toEqual([]);
  });

  it("resolves `#!/usr/bin/env python3` against PATH and keeps `env -S` arguments", () => {
    const bin = dir();
    const py = pythonWithJupyter(join(bin, "python3.99"));
    executable(join(bin, "jupyter"), "#!/usr/bin/env python3.99\n");
    executable(join(bin, "jupyter-lab"), "#!/usr/bin/env -S python3.99 -X frozen_modules=off\n");
    expect(shebangInterpreter(join(bin, "jupyter"), bin)).toEqual({ path: py, args: [] });
    expect(shebangInterpreter(join(bin, "jupyter-lab"), bin)).toEqual({ path: py, args: ["-X", "frozen_modules=off"] });
    expect(shebangInterpreter(process.execPath, bin)).toBeNull(); // a binary has no #! line
    expect(shebangInterpreter(join(bin, "missing"), bin)).toBeNull();
  });

  it("tries jupyter's Python, then the well-known ones, then python3/python on PATH, without duplicates", () => {
    const bin = dir();
    const sys = dir();
    const py = pythonWithJupyter(join(bin, "python3"));
    symlinkSync(py, join(bin, "python")); // the same file under another name counts once
    executable(join(bin, "jupyter"), `#!${py}\n`);
    const system = pythonWithJupyter(join(sys, "python3"));
    const list = candidatePythons({ PATH: bin, wellKnown: [system, join(sys, "absent")] });
    expect(list.map((c) => c.path)).toEqual([py, system]);
    expect(list[0].reason).toContain("#!");
    expect(list[1].reason).toBe("the system Python");
  });

  it("falls through Pythons without Jupyter and reports each, and finds none when none has it", () => {
    const bin = dir();
    const other = dir();
    pythonWithoutJupyter(join(bin, "python3"));
    const late = pythonWithJupyter(join(other, "python"));
    const found = findJupyterPython({ PATH: [bin, other].join(":"), wellKnown: [] });
    expect(found.python?.path).toBe(late);
    expect(found.rejected.map((r) => r.candidate.path)).toEqual([join(bin, "python3")]);
    expect(found.rejected[0].reason).toMatch(/has no Jupyter.*jupyter_client/);

    const none = findJupyterPython({ PATH: bin, wellKnown: [] });
    expect(none.python).toBeNull();
    expect(none.rejected).toHaveLength(1);
    expect(findJupyterPython({ PATH: dir(), wellKnown: [] })).toEqual({ python: null, rejected: [] });
  });

  it("uses only the Python named with --python, even when another has Jupyter", () => {
    const bin = dir();
    pythonWithJupyter(join(bin, "python3"));
    const chosen = pythonWithoutJupyter(join(dir(), "mypython"));
    const found = findJupyterPython({ PATH: bin, explicit: chosen, wellKnown: [] });
    expect(found.python).toBeNull();
    expect(found.rejected.map((r) => r.candidate.reason)).toEqual(["named with --python"]);
    const missing = findJupyterPython({ PATH: bin, explicit: join(bin, "nope"), wellKnown: [] });
    expect(missing.rejected[0].reason).toContain("could not run it (ENOENT)");
  });

  it("rejects a candidate whose answer is not Jupyter's paths", () => {
    const py = executable(join(dir(), "python3"), "#!/bin/sh\necho hello\n");
    const found = findJupyterPython({ PATH: "", explicit: py });
    expect(found.python).toBeNull();
    expect(found.rejected[0].reason).toContain('"hello"');
  });

  it("whichAll lists every match in PATH order and skips non-executables", () => {
    const a = dir();
    const b = dir();
    executable(join(a, "tool"), "#!/bin/sh\n");
    writeFileSync(join(b, "tool"), "not executable");
    const c = dir();
    executable(join(c, "tool"), "#!/bin/sh\n");
    expect(whichAll("tool", [a, b, c].join(":"))).toEqual([join(a, "tool"), join(c, "tool")]);
  });
});

describe("checking a registration", () => {
  const spec = kernelSpec(process.execPath, TSLAB);
  const listed = (dir: string, argv: string[]): Record<string, ListedSpec> => ({ tslab: { resource_dir: dir, spec: { argv } } });

  it("accepts the kernel Jupyter lists from the folder we wrote, and the command answers", () => {
    expect(verifyKernel(listed("/k/tslab", spec.argv), "/k/tslab", spec)).toEqual([]);
  });

  it("names a shadowing kernelspec, a different command, a missing kernel and a missing binary", () => {
    expect(verifyKernel(listed("/other/tslab", spec.argv), "/k/tslab", spec).join()).toContain("shadows");
    expect(verifyKernel(listed("/k/tslab", ["tslab", "kernel"]), "/k/tslab", spec).join()).toContain("not [");
    expect(verifyKernel({}, "/k/tslab", spec).join()).toContain('does not list a kernel named "tslab"');
    const broken = kernelSpec(process.execPath, join(scratch, "no-tslab"));
    expect(verifyKernel(listed("/k/tslab", broken.argv), "/k/tslab", broken).join()).toContain("does not exist");
  });
});

describe("the kernel:install command", () => {
  function run(args: string[], env: NodeJS.ProcessEnv) {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first with \`npx tsc -p .\``);
    return spawnSync(process.execPath, [CLI, ...args], { env, encoding: "utf8", timeout: 120_000 });
  }

  it("--help explains the options and exit codes", () => {
    const r = run(["--help"], process.env);
    expect(r.status).toBe(0);
    for (const text of ["--python", "--prefix", "--dry-run", "Exit codes", "#! line"]) expect(r.stdout).toContain(text);
  });

  it("exits 2 with instructions when the named Python has no Jupyter, and writes nothing", () => {
    const data = dir();
    const py = pythonWithoutJupyter(join(dir(), "python3"));
    const r = run(["--python", py], { ...process.env, JUPYTER_DATA_DIR: data });
    expect(r.status).toBe(2);
    expect(r.stdout).toContain(`passed over ${py} (named with --python): has no Jupyter`);
    expect(r.stderr).toContain("No Python with Jupyter was found");
    expect(r.stderr).toContain("apt install jupyter-notebook");
    expect(r.stderr).toContain("--python /path/to/python");
    expect(existsSync(join(data, "kernels"))).toBe(false);
  });

  it("in-process: finds no Jupyter on an empty PATH without system Pythons and says so", () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = install({ env: { PATH: dir() }, wellKnown: [], log: (l) => out.push(l), error: (l) => err.push(l) });
    expect(code).toBe(2);
    expect(err[0]).toContain("no kernel was registered");
  });
});

describe("installing the JupyterLab plotly renderer", () => {
  it("copies the prebuilt extension and the project's plotly.js 3, and replaces an earlier copy whole", () => {
    const data = dir();
    const dest = installLabExtension(ROOT, data);
    expect(dest).toBe(join(data, "labextensions", LAB_EXTENSION_NAME));
    expect(verifyLabExtension(dest)).toEqual([]);
    expect(readFileSync(join(dest, "static/plotly.min.js")).equals(readFileSync(plotlyBundle(ROOT).file))).toBe(true);
    expect(plotlyBundle(ROOT).version).toMatch(/^3\./);
    writeFileSync(join(dest, "static/stale.js"), "left from an older build");
    expect(installLabExtension(ROOT, data)).toBe(dest);
    expect(existsSync(join(dest, "static/stale.js"))).toBe(false);
    expect(readdirSync(join(data, "labextensions"))).toEqual([LAB_EXTENSION_NAME]);
  });

  it("names what is missing from an incomplete installation", () => {
    const dest = installLabExtension(ROOT, dir());
    rmSync(join(dest, "static/plotly.min.js"));
    expect(verifyLabExtension(dest)).toEqual([`${join(dest, "static/plotly.min.js")} is missing`]);
    expect(verifyLabExtension(join(dir(), "nothing"))[0]).toMatch(/package\.json cannot be read/);
  });

  it.skipIf(spawnSync("/usr/bin/python3", ["-c", "import jupyterlab_server"]).status !== 0)("jupyterlab_server lists it as a prebuilt extension with its entry script", () => {
    const data = dir();
    installLabExtension(ROOT, data);
    const code = "import json, sys\nfrom jupyterlab_server.config import get_federated_extensions\nprint(json.dumps(get_federated_extensions([sys.argv[1]])))";
    const r = spawnSync("/usr/bin/python3", ["-c", code, join(data, "labextensions")], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const listed = JSON.parse(r.stdout) as Record<string, { ext_path: string; jupyterlab: { _build: { load: string; mimeExtension?: string } } }>;
    expect(Object.keys(listed)).toEqual([LAB_EXTENSION_NAME]);
    const entry = listed[LAB_EXTENSION_NAME];
    expect(entry.ext_path).toBe(labExtensionDir(data));
    expect(entry.jupyterlab._build.mimeExtension).toBe("./mimeExtension");
    expect(existsSync(join(entry.ext_path, entry.jupyterlab._build.load))).toBe(true);
  });
});

// Debian's Jupyter: /usr/bin/jupyter runs /usr/bin/python3, which has jupyter_client.
const debianJupyter = existsSync("/usr/bin/jupyter") && spawnSync("/usr/bin/python3", ["-c", "import jupyter_client"]).status === 0;
if (!debianJupyter) console.log("kernel-setup: skipping the real registration: Debian's Jupyter (/usr/bin/jupyter, python3-jupyter-client) is not installed");

describe.skipIf(!debianJupyter)("a real registration with Debian's Jupyter", () => {
  const data = join(scratch, "jupyter-data");
  const standbys = join(data, "..", "standby");
  const env = { ...process.env, JUPYTER_DATA_DIR: data, PYDEVD_DISABLE_FILE_VALIDATION: "1", [STANDBY_ENV.dir]: standbys };
  afterAll(() => void stopStandbys(standbys));

  it("finds /usr/bin/jupyter's own Python from the real PATH", () => {
    const jupyter = whichAll("jupyter")[0];
    const expected = jupyter ? shebangInterpreter(jupyter)?.path : "/usr/bin/python3";
    expect(findJupyterPython({ env }).python?.path).toBe(expected);
  });

  it("registers tslab so that `jupyter kernelspec list --json` shows this project's binary", () => {
    const r = spawnSync(process.execPath, [CLI], { env, encoding: "utf8", timeout: 120_000 });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`Registered kernel "tslab"`);
    expect(r.stdout).toContain("Checked:");
    expect(r.stdout).toContain(`Installed the JupyterLab 4 plotly renderer in ${join(data, "labextensions", LAB_EXTENSION_NAME)}`);
    expect(verifyLabExtension(join(data, "labextensions", LAB_EXTENSION_NAME))).toEqual([]);

    // Jupyter's own command when Debian's jupyter-client provides it, else the same app as a module.
    const listing = existsSync("/usr/bin/jupyter-kernelspec")
      ? spawnSync("/usr/bin/jupyter", ["kernelspec", "list", "--json"], { env, encoding: "utf8" })
      : spawnSync("/usr/bin/python3", ["-m", "jupyter_client.kernelspecapp", "list", "--json"], { env, encoding: "utf8" });
    expect(listing.status).toBe(0);
    const specs = (JSON.parse(listing.stdout) as { kernelspecs: Record<string, ListedSpec> }).kernelspecs;
    expect(specs.tslab.resource_dir).toBe(join(data, "kernels/tslab"));
    expect(specs.tslab.spec.argv).toEqual([process.execPath, LAUNCHER, "kernel", "--config-path", "{connection_file}"]);
    expect(specs.tslab.spec.language).toBe("typescript");
    const onDisk = JSON.parse(readFileSync(join(data, "kernels/tslab/kernel.json"), "utf8")) as { argv: string[] };
    expect(onDisk.argv).toEqual(specs.tslab.spec.argv);

    // Running it again is harmless and leaves the same registration.
    const again = spawnSync(process.execPath, [CLI], { env, encoding: "utf8", timeout: 120_000 });
    expect(again.status).toBe(0);
    expect(again.stdout).not.toContain("before, Jupyter took");
  });

  it("the registered kernel starts through Jupyter's client and evaluates TypeScript", () => {
    const code = [
      "from jupyter_client.manager import start_new_kernel",
      "km, kc = start_new_kernel(kernel_name='tslab', startup_timeout=120)",
      "out = []",
      "try:",
      "    reply = kc.execute_interactive('const answer: number = 6 * 7; answer', timeout=120,",
      "        output_hook=lambda m: out.append(m['content'].get('text', '')))", // tslab echoes the last value on stdout
      "    print(reply['content']['status'], ''.join(out).strip())",
      "finally:",
      "    kc.stop_channels(); km.shutdown_kernel(now=True)",
    ].join("\n");
    const r = spawnSync("/usr/bin/python3", ["-c", code], { env, encoding: "utf8", timeout: 240_000 });
    expect(r.stdout.trim()).toBe("ok 42");
  });
});
