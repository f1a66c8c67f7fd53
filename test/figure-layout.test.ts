/**
 * Every course figure reads well, checked on the figure as plotly.js draws it in the system Chromium
 * (tools/runner/figureLayout.ts): all text inside the figure's box, the legend and annotations clear of
 * the traces, every axis titled, different series drawn differently.
 *
 *     npx tsc -p . && npx vitest run test/figure-layout.test.ts
 *     LLM_DYNAMICS_FIGURES=figures npx vitest run test/figure-layout.test.ts   # reuse a run's figures/
 *
 * The figures come from running every notebooks/*.ipynb headless in the tslab kernel (JSON specs
 * only, into a temporary folder), unless LLM_DYNAMICS_FIGURES names a figures folder written by
 * `npm run course`. The committed fixtures in test/fixtures/figure-layout/ prove that each rule can fail:
 * a fixture named `<rule>--<what>.json` must break that rule, and `ok--*.json` must break none.
 *
 * Skipped, with the reason printed, when /usr/bin/chromium is missing.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LayoutChecker, type LayoutProblem } from "../tools/runner/figureLayout";
import { runNotebooks } from "../tools/runner/run";
import type { PlotlySpec } from "../tools/runner/chromium";

const ROOT = resolve(__dirname, "..");
const CHROMIUM = "/usr/bin/chromium";
const FIXTURES = join(ROOT, "test/fixtures/figure-layout");
const NOTEBOOKS = join(ROOT, "notebooks");
const haveChromium = existsSync(CHROMIUM);
/**
 * Figures of Remarks 4 and 5 that broke the rules when this test was written; their notebooks are being
 * reworked for issue 11 by their own author. They are checked and their problems printed, but they do
 * not fail the test. Empty this list as they are fixed: a figure on it that keeps the rules is reported.
 */
const PENDING = new Set(["remark-5-mode-collapse/remark5-boring-verdict"]);
if (!haveChromium) console.log(`figure-layout test skipped: ${CHROMIUM} is not installed (Debian package chromium)`);

const fixtures = readdirSync(FIXTURES).filter((f) => f.endsWith(".json")).sort();
const notebooks = existsSync(NOTEBOOKS) ? readdirSync(NOTEBOOKS).filter((f) => f.endsWith(".ipynb")).sort() : [];

let checker: LayoutChecker;
let work: string | undefined;
/** notebook/figure id → its spec, for every figure the course draws. */
const courseFigures = new Map<string, PlotlySpec>();
const runFailures: string[] = [];

function readFigures(dir: string): void {
  for (const sub of readdirSync(dir).sort()) {
    const subDir = join(dir, sub);
    if (!statSync(subDir).isDirectory()) continue;
    for (const f of readdirSync(subDir).filter((n) => n.endsWith(".json")).sort()) {
      courseFigures.set(`${sub}/${f.slice(0, -5)}`, JSON.parse(readFileSync(join(subDir, f), "utf8")) as PlotlySpec);
    }
  }
}

beforeAll(async () => {
  if (!haveChromium) return;
  checker = await LayoutChecker.launch(CHROMIUM);
  const given = process.env.LLM_DYNAMICS_FIGURES;
  if (given) {
    readFigures(resolve(given));
  } else if (notebooks.length > 0) {
    work = mkdtempSync(join(tmpdir(), "figure-layout-"));
    const result = await runNotebooks({
      notebooks: notebooks.map((f) => join(NOTEBOOKS, f)), outDir: join(work, "notebooks"), figuresDir: join(work, "figures"),
      timeoutSeconds: 600, staticImages: false,
    });
    for (const r of result.notebooks) if (!r.ok) runFailures.push(`${r.name} (${r.failure?.error.split("\n")[0] ?? "problems"})`);
    readFigures(join(work, "figures"));
  }
  console.log(`figure-layout: ${courseFigures.size} course figures`);
}, 1_800_000);

afterAll(async () => {
  await checker?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

const describeProblems = (problems: LayoutProblem[]) => problems.map((p) => `${p.rule}: ${p.message}`).join("\n");

describe.skipIf(!haveChromium)("figure layout rules fail on the fixtures that break them", () => {
  it.each(fixtures)("%s", async (file) => {
    const spec = JSON.parse(readFileSync(join(FIXTURES, file), "utf8")) as PlotlySpec;
    const rule = file.split("--")[0];
    const problems = await checker.check(spec);
    if (rule === "ok") expect(problems, describeProblems(problems)).toEqual([]);
    else {
      expect(problems.map((p) => p.rule), `${file} should break ${rule}; found:\n${describeProblems(problems)}`).toContain(rule);
      expect(problems.every((p) => p.rule === rule), `${file} breaks only ${rule}; found:\n${describeProblems(problems)}`).toBe(true);
    }
  }, 120_000);

  it("has a fixture for every rule", () => {
    const rules = new Set(fixtures.map((f) => f.split("--")[0]));
    for (const rule of ["text-inside", "legend-clear", "annotation-clear", "axis-titled", "traces-distinct", "ok"]) expect(rules.has(rule), rule).toBe(true);
  });
});

describe.skipIf(!haveChromium || notebooks.length === 0)("every course figure reads well", () => {
  it("the notebooks ran and drew figures", () => {
    expect(runFailures, runFailures.join("; ")).toEqual([]);
    expect(courseFigures.size).toBeGreaterThan(0);
  });

  it("every figure keeps the layout rules", async () => {
    const broken: string[] = [];
    for (const [name, spec] of courseFigures) {
      const problems = await checker.check(spec);
      const report = `${name}:\n  ${describeProblems(problems).replace(/\n/g, "\n  ")}`;
      if (PENDING.has(name)) console.log(problems.length > 0 ? `pending (not failing the test): ${report}` : `${name} now keeps the rules: remove it from PENDING`);
      else if (problems.length > 0) broken.push(report);
    }
    expect(broken, `figures that break the layout rules:\n${broken.join("\n")}`).toEqual([]);
  }, 600_000);
});
