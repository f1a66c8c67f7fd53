#!/usr/bin/env node
/**
 * `npm run site`: the course as a static web site, from the executed notebooks of the headless run.
 *
 *     npm run course && npm run site                  # build/notebooks/ → build/site/
 *     npm run site -- --out public/                   # another folder
 *     npm run site -- build/notebooks/remark-4-dynamic-gpt.ipynb --out /tmp/one-page
 *
 * Exit code 0 when the site is complete, 1 when it was written but a reader would see something
 * broken (a TeX error, a figure without its PNG, a link to a missing page, a cell that failed),
 * 2 when it could not be built (no notebooks, a folder it must not write into, a bad option).
 */
import { Command, CommanderError } from "commander";
import { relative } from "node:path";
import { runMain } from "../cli";
import { CHROMIUM_ENV, findChromium } from "../runner/chromium";
import { buildSite, SITE_DEFAULTS } from "./build";
import { checkSite } from "./check";

export async function main(argv: string[]): Promise<number> {
  const program = new Command()
    .name("site")
    .description(
      "Build the course as a static web site: one page per executed notebook (prose with math typeset to SVG, highlighted code, " +
        "interactive plotly.js figures with their PNGs for readers without JavaScript, previous/next links) and an index in course order. " +
        "Everything the pages use is in the folder: it works offline and can be published as is.",
    )
    .argument("[notebooks...]", "executed notebooks, files or folders (default: build/notebooks/, where `npm run course` writes them)")
    .option("-o, --out <dir>", "folder to write the site to; files an earlier build left there are replaced", relative(process.cwd(), SITE_DEFAULTS.outDir) || ".")
    .option("--title <text>", "the site's title", SITE_DEFAULTS.title)
    .option("--check", "then open every page in Chromium with the network blocked and check that figures draw, formulas are typeset, links resolve and PNGs show without JavaScript")
    .option("--chromium <path>", `Chromium for --check (default: $${CHROMIUM_ENV} or /usr/bin/chromium)`)
    .option("--screenshots <dir>", "with --check: save screenshots of every page there")
    .option("-q, --quiet", "print only problems and the summary")
    .addHelpText(
      "after",
      "\nExit codes: 0 site complete; 1 written, with problems listed; 2 not built.\n\nExamples:\n  npm run course && npm run site\n  npm run site -- --out public",
    )
    .exitOverride();
  try {
    program.parse(argv);
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    throw e;
  }
  const opts = program.opts<{ out: string; title: string; check?: boolean; chromium?: string; screenshots?: string; quiet?: boolean }>();
  const result = buildSite({
    notebooks: program.processedArgs[0] as string[],
    outDir: opts.out,
    title: opts.title,
    log: opts.quiet ? undefined : (line) => console.log(line),
  });
  for (const w of result.warnings) console.error(`warning: ${w}`);
  for (const p of result.problems) console.error(`PROBLEM ${p}`);
  const figures = result.pages.reduce((n, p) => n + p.figures.length, 0);
  const formulas = result.pages.reduce((n, p) => n + p.formulas, 0);
  console.log(`${relative(process.cwd(), result.outDir) || "."}/index.html: ${result.pages.length} pages, ${figures} figures, ${formulas} formulas${result.problems.length ? `, ${result.problems.length} problem(s)` : ""}`);
  if (!opts.check) return result.problems.length > 0 ? 1 : 0;
  const found = findChromium(opts.chromium);
  if (!found.path) {
    console.error(`--check: no Chromium found (looked for ${found.looked.join(", ")}); install it (Debian: apt-get install chromium) or pass --chromium <path>`);
    return 2;
  }
  const report = await checkSite(result.outDir, { chromium: found.path, screenshots: opts.screenshots, log: opts.quiet ? undefined : (line) => console.log(`check: ${line}`) });
  for (const p of report.problems) console.error(`CHECK ${p.page}: ${p.kind}: ${p.detail}`);
  console.log(`check: ${report.pages.length} pages opened in Chromium, ${report.problems.length} problem(s), ${report.requests.length} requests (none left the machine${report.problems.some((p) => p.kind === "off-loopback") ? " — except those listed" : ""})`);
  return result.problems.length > 0 || report.problems.length > 0 ? 1 : 0;
}

if (require.main === module) runMain(main);
