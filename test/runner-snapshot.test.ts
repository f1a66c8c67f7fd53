/**
 * The headless run starts its kernels from the kernel's startup snapshot (tools/kernel/snapshot.ts),
 * building it first when none is current, and plainly when it is turned off. Real tslab; the kernel
 * reports in a cell (test/fixtures/notebooks/snapshot-mark.ipynb) whether it started from the snapshot (the mark the snapshot sets).
 *
 *     npx vitest run test/runner-snapshot.test.ts
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SNAPSHOT_ENV } from "../tools/kernel/snapshot";
import { formatFailure, runNotebooks } from "../tools/runner/run";

// In the project's fixtures folder: the cached declaration files are those of the project's type
// roots (node_modules/@types), which a notebook anywhere under the project shares.
const notebook = resolve(__dirname, "fixtures/notebooks/snapshot-mark.ipynb");
let work: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "runner-snapshot-"));
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

async function printed(name: string, env: NodeJS.ProcessEnv): Promise<string> {
  const result = await runNotebooks({ notebooks: [notebook], outDir: join(work, "run", name, "out"), figuresDir: join(work, "run", name, "fig"), staticImages: false, timeoutSeconds: 300, env });
  expect(result.notebooks[0].ok, formatFailure(result.notebooks[0])).toBe(true);
  const cell = JSON.parse(readFileSync(join(work, "run", name, "out", "snapshot-mark.ipynb"), "utf8")).cells[0];
  return cell.outputs.map((o: { text?: string | string[] }) => [o.text ?? ""].flat().join("")).join("");
}

describe("the headless run and the kernel's startup snapshot", () => {
  it("builds the snapshot when none is current and starts its kernels from it", async () => {
    const dir = join(work, "snapshot-on");
    const out = await printed("built", { ...process.env, [SNAPSHOT_ENV.dir]: dir, [SNAPSHOT_ENV.mode]: "" });
    expect(readdirSync(dir).filter((f) => f.endsWith(".blob"))).toHaveLength(1);
    const m = /snapshot: (\d+) files from the cache, (\d+) stale/.exec(out);
    expect(m, out).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(50); // lib.es2022 alone is dozens of files
    expect(Number(m![2])).toBe(0);
  }, 600_000);

  it("starts plainly, and builds nothing, when the snapshot is turned off", async () => {
    const dir = join(work, "snapshot-off");
    const out = await printed("off", { ...process.env, [SNAPSHOT_ENV.dir]: dir, [SNAPSHOT_ENV.mode]: "off" });
    expect(out).toContain("plain start");
    expect(existsSync(dir)).toBe(false);
  }, 600_000);
});
