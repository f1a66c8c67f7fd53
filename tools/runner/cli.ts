#!/usr/bin/env node
/**
 * `npm run course` / `llm-dynamics-run`: run the course notebooks headless and regenerate the figures.
 *
 *     npm run course                                  # every notebooks/*.ipynb
 *     npm run course -- notebooks/remark-5.ipynb --timeout 60 --chromium /opt/chrome/chrome
 *     npm run course -- notebooks/remark-5-mode-collapse.ipynb -p TAU 0.8 -f params.json   # papermill style
 *     npx llm-dynamics-run --help
 *
 * Exit code 0 when every notebook ran clean, 1 when a notebook failed (the others still run), 2 when
 * the run could not start (no kernel, no notebooks, bad option).
 */
import { Command, InvalidArgumentError } from "commander";
import { existsSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { ignoreBrokenPipes } from "../cli";
import { TslabKernel } from "./kernel";
import { CHROMIUM_ENV } from "./chromium";
import { createProgress, SilentProgress } from "./progress";
import { parseParameterPairs, readParametersFile, type Parameters } from "./parameters";
import { DEFAULTS, formatFailure, KERNEL_ENV, runNotebooks, type RunResult } from "./run";

/**
 * Takes papermill's `-p name value` triples out of argv before commander sees them: commander's
 * options take one value, and `-p` takes two.
 */
export function extractParameterPairs(argv: string[]): { rest: string[]; pairs: [string, string][] } {
  const rest = argv.slice(0, 2);
  const pairs: [string, string][] = [];
  for (let i = 2; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") {
      rest.push(...argv.slice(i));
      break;
    }
    if (arg === "-p" || arg === "--parameters") {
      if (i + 2 >= argv.length) throw new InvalidArgumentError(`${arg} takes a name and a value (-p name value); got ${JSON.stringify(argv.slice(i + 1))}`);
      pairs.push([argv[i + 1], argv[i + 2]]);
      i += 2;
    } else rest.push(arg);
  }
  return { rest, pairs };
}

function positiveSeconds(name: string, allowZero = false) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0 || (!allowZero && n === 0)) throw new InvalidArgumentError(`${name} must be a ${allowZero ? "non-negative" : "positive"} number of seconds; got ${JSON.stringify(value)}`);
    // Node's timers cannot wait longer than 2³¹ − 1 ms; a longer wait would fire after 1 ms.
    if (n * 1000 > 2 ** 31 - 1) throw new InvalidArgumentError(`${name} must be at most ${Math.floor((2 ** 31 - 1) / 1000)} seconds; got ${JSON.stringify(value)}`);
    return n;
  };
}

const shown = (path: string) => relative(process.cwd(), path) || ".";

function summary(result: RunResult): string {
  const rows = result.notebooks.map((r) => [
    r.name,
    r.ok && r.problems.length === 0 ? "ok" : r.ok ? "problems" : "FAILED",
    `${r.cellsRun}/${r.codeCells}`,
    `${r.seconds.toFixed(1)}s`,
    String(r.figures.length),
  ]);
  const header = ["notebook", "status", "cells", "time", "figures"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

export async function main(argv: string[] = process.argv): Promise<number> {
  const program = new Command("llm-dynamics-run")
    .description(
      "Execute the course notebooks headless in the tslab kernel (Node only: no Python, no Jupyter server) and regenerate every figure.\n\n" +
        "Each notebook runs top to bottom in a fresh kernel with its own folder as working directory. " +
        "The executed copies are written to the output folder (outputs in place, nbformat 4.5) and every figure to " +
        "<figures>/<notebook>/<id>.{json,html,svg,png}: the plotly spec, an offline HTML page, and static SVG/PNG rendered by " +
        "headless Chromium (skipped, with advice, when no Chromium is found).",
    )
    .argument("[notebooks...]", "notebook files or folders (default: the project's notebooks/)")
    .option("-o, --out-dir <dir>", "folder for the executed notebooks (default: the project's build/notebooks/)")
    .option("--figures-dir <dir>", "folder for figure files, one subfolder per notebook (default: the project's figures/)")
    .option("-p, --parameters <name> <value>", "set a parameter, papermill style (repeatable): a cell tagged injected-parameters declaring it is inserted after the notebook's cell tagged parameters; the value is read as JSON when it parses, else as a string")
    .option("-f, --parameters-file <file>", "a JSON object of parameters (applied before -p, which overrides it)")
    .option("-t, --timeout <seconds>", "per-cell time limit; on timeout the kernel is interrupted (SIGINT), then restarted", positiveSeconds("--timeout"), DEFAULTS.timeoutSeconds)
    .option("--interrupt-grace <seconds>", "how long to wait for the kernel to answer SIGINT before killing it", positiveSeconds("--interrupt-grace", true), DEFAULTS.interruptGraceSeconds)
    .option("-j, --jobs <n>", `notebooks run at once, each in its own kernel (default: ${DEFAULTS.jobs}, one per core, at most 4)`, (v: string) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`--jobs must be a positive integer; got ${JSON.stringify(v)}`);
      return n;
    })
    .option("--kernel <path>", `the kernel program: a tslab-compatible executable or a .js file run with this Node (default: $${KERNEL_ENV} or the course's launcher, dist/tools/kernel/launcher.js; node_modules/.bin/tslab is tslab as shipped)`)
    .option("--chromium <path>", `Chromium for static SVG/PNG (default: $${CHROMIUM_ENV} or /usr/bin/chromium)`)
    .option("--no-static", "write JSON and HTML figures only; skip Chromium")
    .option("--report <file>", "also write the run's result as JSON")
    .option("-q, --quiet", "no progress output; failures and the summary are still printed")
    .addHelpText(
      "after",
      "\nExit codes: 0 all notebooks ran clean; 1 a notebook failed or its outputs have problems; 2 the run could not start\n" +
        "(including parameters given for a notebook without a cell tagged parameters).\n" +
        "Progress: a bar on a terminal; plain lines when stdout is not a terminal or CI=true.\n\n" +
        "Examples:\n  npm run course\n  npm run course -- notebooks/remark-5.ipynb --timeout 60\n  npm run course -- notebooks/remark-4-dynamic-gpt.ipynb -p K 4 -p PROMPT ABBA -o build/k4\n  npx llm-dynamics-run notebooks --chromium /usr/bin/chromium-browser",
    )
    .exitOverride();
  let pairs: [string, string][];
  try {
    ({ rest: argv, pairs } = extractParameterPairs(argv));
  } catch (err) {
    process.stderr.write(`llm-dynamics-run: ${(err as Error).message}\n`);
    return 2;
  }
  try {
    program.parse(argv);
  } catch (err) {
    const code = (err as { exitCode?: number }).exitCode;
    return code === 0 ? 0 : 2;
  }
  const opts = program.opts<{ parametersFile?: string; outDir?: string; figuresDir?: string; timeout: number; interruptGrace: number; jobs?: number; kernel?: string; chromium?: string; static: boolean; report?: string; quiet?: boolean }>();
  // --report names a file; given a folder, the report goes inside it. Checked before the run.
  const reportFile = opts.report && existsSync(opts.report) && statSync(opts.report).isDirectory() ? join(opts.report, "run-report.json") : opts.report;
  // Ctrl-C or a kill: every kernel (and its connection folder) goes with the run.
  const stop = (signal: NodeJS.Signals) => {
    TslabKernel.killAll();
    process.stderr.write(`\nllm-dynamics-run: stopped by ${signal}\n`);
    process.exit(signal === "SIGINT" ? 130 : 143);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  const progress = opts.quiet ? new SilentProgress() : createProgress();
  let result: RunResult;
  try {
    const parameters: Parameters = { ...(opts.parametersFile ? readParametersFile(opts.parametersFile) : {}), ...parseParameterPairs(pairs) };
    result = await runNotebooks({
      parameters,
      notebooks: program.processedArgs[0] as string[],
      outDir: opts.outDir,
      figuresDir: opts.figuresDir,
      timeoutSeconds: opts.timeout,
      interruptGraceSeconds: opts.interruptGrace,
      jobs: opts.jobs,
      kernelPath: opts.kernel,
      chromium: opts.chromium,
      staticImages: opts.static,
      progress,
    });
  } catch (err) {
    process.removeListener("SIGINT", stop);
    process.removeListener("SIGTERM", stop);
    process.stderr.write(`llm-dynamics-run: ${(err as Error).message}\n`);
    return 2;
  }
  process.stdout.write(`\n${summary(result)}\n\n`);
  for (const r of result.notebooks) {
    const report = formatFailure(r);
    if (report) process.stderr.write(`${report}\n\n`);
    for (const warning of r.warnings) process.stderr.write(`warning: ${r.name}: ${warning}\n`);
  }
  if (result.staticSkipped && opts.static) process.stderr.write(`warning: ${result.staticSkipped}\n`);
  process.stdout.write(`Executed notebooks: ${shown(result.outDir)}/   Figures: ${shown(result.figuresDir)}/<notebook>/   (${result.seconds.toFixed(1)}s)\n`);
  process.removeListener("SIGINT", stop);
  process.removeListener("SIGTERM", stop);
  if (reportFile) {
    try {
      writeFileSync(reportFile, JSON.stringify(result, null, 1) + "\n");
    } catch (err) {
      process.stderr.write(`llm-dynamics-run: could not write --report ${JSON.stringify(opts.report)}: ${(err as Error).message}\n`);
      return 2;
    }
  }
  return result.exitCode;
}

if (require.main === module) {
  ignoreBrokenPipes();
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (err: Error) => {
      process.stderr.write(`llm-dynamics-run: ${err.stack ?? err.message}\n`);
      process.exitCode = 2;
    },
  );
}
