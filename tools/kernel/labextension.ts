/**
 * Installing the course's JupyterLab renderer for plotly figures (the prebuilt lab extension
 * `llm-dynamics-plotly`, source and build in tools/lab/plotly-extension/) into a Jupyter data folder,
 * where JupyterLab 4 finds prebuilt extensions: `<data dir>/labextensions/<name>/`.
 *
 * The committed build holds only the renderer (a few kB); plotly.js is copied next to it from this
 * project's `plotly.js-dist-min`, the same file the library inlines into figure outputs, so the lab
 * draws figures with exactly the plotly.js the course was written against.
 *
 *     const dest = installLabExtension(projectRoot(), python.dataDir);   // …/labextensions/llm-dynamics-plotly
 *     const problems = verifyLabExtension(dest);                          // [] when complete
 */
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";

export const LAB_EXTENSION_NAME = "llm-dynamics-plotly";

interface BuiltPackage {
  name: string;
  version: string;
  jupyterlab?: { _build?: { load?: string; mimeExtension?: string } };
}

/** The committed prebuilt extension (the output of tools/lab/build-extension.js). */
export function labExtensionBuild(root: string): string {
  return join(root, "tools", "lab", "plotly-extension", "labextension");
}

/** plotly.min.js (plotly.js 3) from this project's node_modules. */
export function plotlyBundle(root: string): { file: string; license: string; version: string } {
  let pkg: string;
  try {
    pkg = require.resolve("plotly.js-dist-min/package.json", { paths: [root] });
  } catch {
    throw new Error(`root has no plotly.js-dist-min in node_modules (run \`npm ci\` there first); got ${JSON.stringify(root)}`);
  }
  const version = (JSON.parse(readFileSync(pkg, "utf8")) as { version: string }).version;
  return { file: join(dirname(pkg), "plotly.min.js"), license: join(dirname(pkg), "LICENSE"), version };
}

/** Where the extension goes for a Jupyter data folder. */
export function labExtensionDir(dataDir: string): string {
  return join(dataDir, "labextensions", LAB_EXTENSION_NAME);
}

/**
 * Copies the prebuilt extension and plotly.js into `<dataDir>/labextensions/llm-dynamics-plotly`.
 * The new copy is assembled beside the old one and swapped in, so a failed copy leaves the previous
 * installation as it was. Returns the installed folder.
 */
export function installLabExtension(root: string, dataDir: string): string {
  const build = labExtensionBuild(root);
  const built = JSON.parse(readFileSync(join(build, "package.json"), "utf8")) as BuiltPackage;
  const load = built.jupyterlab?._build?.load;
  if (built.name !== LAB_EXTENSION_NAME || !load || !existsSync(join(build, load))) {
    throw new Error(`root must hold a built ${LAB_EXTENSION_NAME} (node tools/lab/build-extension.js); ${build} has none`);
  }
  const plotly = plotlyBundle(root);
  const dest = labExtensionDir(dataDir);
  const incoming = `${dest}.incoming-${process.pid}`;
  const outgoing = `${dest}.outgoing-${process.pid}`;
  mkdirSync(dirname(dest), { recursive: true });
  rmSync(incoming, { recursive: true, force: true });
  try {
    cpSync(build, incoming, { recursive: true });
    cpSync(plotly.file, join(incoming, "static", "plotly.min.js"));
    if (existsSync(plotly.license)) cpSync(plotly.license, join(incoming, "static", "plotly.LICENSE.txt"));
    if (existsSync(dest)) renameSync(dest, outgoing);
    renameSync(incoming, dest);
  } catch (e) {
    rmSync(incoming, { recursive: true, force: true });
    if (!existsSync(dest) && existsSync(outgoing)) renameSync(outgoing, dest);
    throw e;
  }
  rmSync(outgoing, { recursive: true, force: true });
  return dest;
}

/** What is missing from an installed extension folder; an empty list when it is complete. */
export function verifyLabExtension(dest: string): string[] {
  const problems: string[] = [];
  let built: BuiltPackage | null = null;
  try {
    built = JSON.parse(readFileSync(join(dest, "package.json"), "utf8")) as BuiltPackage;
  } catch (e) {
    return [`${dest}/package.json cannot be read: ${(e as Error).message}`];
  }
  const build = built.jupyterlab?._build;
  if (built.name !== LAB_EXTENSION_NAME) problems.push(`${dest}/package.json names ${JSON.stringify(built.name)}, not ${LAB_EXTENSION_NAME}`);
  if (!build?.load || !existsSync(join(dest, build.load))) problems.push(`${dest} lacks the entry script its package.json names (${build?.load})`);
  if (build?.mimeExtension !== "./mimeExtension") problems.push(`${dest}/package.json does not declare a MIME renderer extension`);
  const plotly = join(dest, "static", "plotly.min.js");
  if (!existsSync(plotly)) problems.push(`${plotly} is missing`);
  else if (!/plotly\.js v3\./.test(readFileSync(plotly, "utf8").slice(0, 200))) problems.push(`${plotly} is not plotly.js 3`);
  return problems;
}
