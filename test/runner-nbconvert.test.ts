/**
 * Equivalence with Jupyter's own executor: the fixture notebook run by `jupyter nbconvert --to
 * notebook --execute` (Debian's nbconvert/nbclient with this project's tslab kernel) has the same outputs as the headless runner's copy, once both are
 * normalised (nbclient's per-cell timing metadata and execution counts dropped, consecutive streams
 * merged as Jupyter's coalesce_streams does). Our copy must also pass the Python nbformat validator.
 * The kernel is registered by the test itself, in private Jupyter folders. Skips, saying why, when
 * Debian's Jupyter, nbclient or nbformat is absent.
 *
 *     npx vitest run test/runner-nbconvert.test.ts
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runNotebooks } from "../tools/runner/run";
import { JUPYTER, privateJupyter } from "./support/jupyter";

const PYTHON = "/usr/bin/python3";
const fixture = resolve(__dirname, "fixtures/notebooks/basic.ipynb");

const privateDirs = privateJupyter("runner-nbconvert");
afterAll(privateDirs.cleanup);

function unavailable(): string | null {
  if (privateDirs.reason) return privateDirs.reason;
  const probe = spawnSync(PYTHON, ["-c", "import nbclient, nbformat; from jupyter_client.kernelspec import KernelSpecManager as K; print(K().get_kernel_spec('tslab').argv[0])"], { encoding: "utf8", env: privateDirs.env });
  if (probe.status !== 0) return `nbclient/nbformat missing (apt-get install python3-nbclient python3-nbformat): ${probe.stderr.trim().split("\n").pop()}`;
  return null;
}

const reason = unavailable();
if (reason) console.log(`runner-nbconvert.test skipped: ${reason}`);

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const text = (v: unknown) => (Array.isArray(v) ? v.join("") : v);

/** Outputs as a reader sees them: ids, timing and execution counts aside, streams coalesced, text joined. */
function normalise(nb: Json): Json[] {
  return nb.cells.map((cell: Json) => {
    const outputs: Json[] = [];
    for (const o of cell.outputs ?? []) {
      const last = outputs[outputs.length - 1];
      if (o.output_type === "stream" && last?.output_type === "stream" && last.name === o.name) {
        last.text += text(o.text);
        continue;
      }
      const out: Json = { ...o };
      delete out.execution_count;
      if (out.text !== undefined) out.text = text(out.text);
      if (out.data) out.data = Object.fromEntries(Object.entries(out.data).map(([k, v]) => [k, text(v)]));
      outputs.push(out);
    }
    return { id: cell.id, cell_type: cell.cell_type, source: text(cell.source), outputs };
  });
}

let work: string | undefined;
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe.skipIf(reason !== null)("same outputs as jupyter nbconvert --execute", () => {
  it("on the fixture notebook", async () => {
    work = mkdtempSync(join(tmpdir(), "runner-nbconvert-"));
    const jupyter = spawnSync(
      JUPYTER,
      ["nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.kernel_name=tslab", "--ExecutePreprocessor.timeout=240", "--output-dir", join(work, "jupyter"), fixture],
      { encoding: "utf8", env: privateDirs.env, timeout: 800_000 },
    );
    expect(jupyter.status, jupyter.stderr).toBe(0);
    const result = await runNotebooks({ notebooks: [fixture], outDir: join(work, "ours"), figuresDir: join(work, "figures"), staticImages: false });
    expect(result.exitCode).toBe(0);
    const theirs = JSON.parse(readFileSync(join(work, "jupyter", "basic.ipynb"), "utf8"));
    const ours = JSON.parse(readFileSync(join(work, "ours", "basic.ipynb"), "utf8"));
    // nbclient records per-cell timestamps; the runner writes none.
    expect(theirs.cells.some((c: Json) => c.metadata.execution)).toBe(true);
    expect(ours.cells.some((c: Json) => c.metadata.execution)).toBe(false);
    const a = normalise(ours);
    const b = normalise(theirs);
    expect(a.length).toBe(b.length);
    a.forEach((cell, i) => expect(cell, `cell ${i + 1} (${cell.id})`).toEqual(b[i]));
    expect(ours.metadata.language_info).toEqual(theirs.metadata.language_info);
  }, 900_000);

  it("writes a notebook the Python nbformat validator accepts", async () => {
    work ??= mkdtempSync(join(tmpdir(), "runner-nbconvert-"));
    const file = join(work, "ours", "basic.ipynb");
    if (!existsSync(file)) await runNotebooks({ notebooks: [fixture], outDir: join(work, "ours"), figuresDir: join(work, "figures") });
    const check = spawnSync(PYTHON, ["-c", "import sys, nbformat; nb = nbformat.read(sys.argv[1], as_version=4); nbformat.validate(nb, version=4, version_minor=5); print('valid')", file], { encoding: "utf8" });
    expect(check.stdout.trim(), check.stderr).toBe("valid");
  }, 900_000);
});
