/**
 * `npm run lm` as a real process: `orbit` prints, for prompts, the same transient length, period and
 * cycle that an independent implementation computes — a Python script (test/lm/ngram_orbit.py) that
 * counts n-grams with dicts from the ids `tokens --split train --json` dumps and decodes greedily over
 * a dense numpy distribution. Also `--help` and the errors for bad options. The Python side skips,
 * with the reason, when /usr/bin/python3 has no numpy.
 *
 *     npx vitest run test/lm/lm-cli.test.ts
 */
import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

const ROOT = resolve(__dirname, "../..");
const CLI = join(ROOT, "dist/tools/lm/cli.js");
const PYTHON = "/usr/bin/python3";
const numpy = spawnSync(PYTHON, ["-c", "import numpy"], { encoding: "utf8" });
const noNumpy = numpy.status !== 0 ? `${PYTHON} cannot import numpy` : "";
if (noNumpy) console.log(`lm-cli orbit comparison skipped: ${noNumpy}`);

const lm = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 28 });

beforeAll(() => {
  // The CLI runs from dist/, as `npm run lm` does.
  const build = spawnSync(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", ROOT], { encoding: "utf8" });
  expect(build.status, build.stdout + build.stderr).toBe(0);
});

describe("npm run lm", () => {
  it("--help documents every command and option", () => {
    const top = lm("--help");
    expect(top.status).toBe(0);
    for (const word of ["orbit", "tokens", "perplexity", "--cache-root"]) expect(top.stdout).toContain(word);
    const orbit = lm("orbit", "--help");
    expect(orbit.status).toBe(0);
    for (const word of ["--k", "--prompt", "--json"]) expect(orbit.stdout).toContain(word);
    const tokens = lm("tokens", "--help");
    for (const word of ["--split", "--json"]) expect(tokens.stdout).toContain(word);
  });

  it("rejects bad options, naming them, with exit code 2", () => {
    const badK = lm("orbit", "--k", "0", "--prompt", "a b c");
    expect(badK.status).toBe(2);
    expect(badK.stderr).toMatch(/--k must be an integer from 1 to 8; got "0"/);
    const short = lm("orbit", "--k", "4", "--prompt", "Hi");
    expect(short.status).toBe(2);
    expect(short.stderr).toMatch(/--prompt must encode to at least k = 4 GPT-2 tokens; "Hi" gives 1/);
    const split = lm("tokens", "--split", "dev");
    expect(split.status).toBe(2);
    expect(split.stderr).toMatch(/--split must be "train" or "held-out"; got "dev"/);
  });

  it.skipIf(noNumpy !== "")("orbit gives the orbit an independent Python n-gram implementation computes from the dumped ids (k = 2)", () => {
    const k = 2;
    const prompts = ["It was the best of", "The jury said that", "He looked at the", "In the morning, the"];
    const results = prompts.map((prompt) => {
      const r = lm("orbit", "--k", String(k), "--prompt", prompt, "--json");
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as { page: number[]; transient: number; period: number; cycleTokens: number[]; cycleText: string; promptTokens: number[] };
    });
    const dump = lm("tokens", "--split", "train", "--json");
    expect(dump.status, dump.stderr).toBe(0);
    const train = JSON.parse(dump.stdout) as number[];
    expect(train.length).toBeGreaterThan(1_000_000);
    const py = spawnSync(PYTHON, [join(__dirname, "ngram_orbit.py")], { input: JSON.stringify({ train, k, pages: results.map((r) => r.page) }), encoding: "utf8", maxBuffer: 1 << 28 });
    expect(py.status, py.stderr).toBe(0);
    const expected = JSON.parse(py.stdout) as { transient: number; period: number; cycle_tokens: number[] }[];
    results.forEach((r, i) => {
      console.log(`${JSON.stringify(prompts[i])}: transient ${r.transient}, period ${r.period}, cycle ${JSON.stringify(r.cycleText)}`);
      expect(r.page).toEqual(r.promptTokens.slice(-k));
      expect({ transient: r.transient, period: r.period, cycle: r.cycleTokens }).toEqual({ transient: expected[i].transient, period: expected[i].period, cycle: expected[i].cycle_tokens });
    });
  });
});
