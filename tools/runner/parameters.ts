/**
 * Notebook parameters, papermill style. A notebook keeps its tunable inputs in a code cell tagged
 * `parameters`; a run with parameters inserts a cell tagged `injected-parameters` right after it that
 * declares the new values again, so every later cell sees them while the author's defaults stay
 * readable above. tslab lets a later cell re-declare a `const`, so the injected cell needs no
 * cooperation from the parameters cell (papermill relies on the same property of Python).
 *
 * Values follow papermill's `-p name value`, except that a value is read as JSON when it parses
 * (`-p K 4` is a number, `-p TAUS '[0.5,1]'` an array, `-p NAME dog` the string "dog").
 *
 *     const params = { ...readParametersFile("sets.json"), ...parseParameterPairs([["K", "4"]]) };
 *     injectParameters(nb, params, "remark-4.ipynb");   // throws when nb has no `parameters` cell
 */
import { readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { cellTags, type Cell, type Notebook } from "./notebook";

export type Parameters = Record<string, unknown>;

export const PARAMETERS_TAG = "parameters";
export const INJECTED_TAG = "injected-parameters";

/** A TypeScript identifier that a parameter may be named by (no keywords are checked: tslab will say). */
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `-p`'s value: JSON when it parses, else the string itself. */
export function parseParameterValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Name/value pairs from `-p name value` (later pairs override earlier ones). */
export function parseParameterPairs(pairs: readonly (readonly [string, string])[]): Parameters {
  const out: Parameters = {};
  for (const [name, value] of pairs) {
    checkName(name, `-p ${name}`);
    out[name] = parseParameterValue(value);
  }
  return out;
}

function checkName(name: string, where: string): void {
  if (!IDENTIFIER.test(name)) throw new RangeError(`${where}: a parameter name must be a TypeScript identifier; got ${JSON.stringify(name)}`);
}

/** A JSON file holding one object of parameters (papermill's `-f`, in JSON rather than YAML). */
export function readParametersFile(file: string): Parameters {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new RangeError(`parameters file ${JSON.stringify(file)} cannot be read: ${(err as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new RangeError(`parameters file ${JSON.stringify(file)} is not JSON: ${(err as Error).message}`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new RangeError(`parameters file ${JSON.stringify(file)} must hold one JSON object of name: value; got ${Array.isArray(value) ? "an array" : JSON.stringify(value)}`);
  }
  for (const name of Object.keys(value)) checkName(name, `parameters file ${JSON.stringify(file)}`);
  return value as Parameters;
}

/** One declaration per parameter; primitives get a wide type so later comparisons type-check. */
export function injectedSource(params: Parameters): string {
  const lines = ["// Parameters injected by the runner (-p / -f): they replace the defaults above."];
  for (const [name, value] of Object.entries(params)) {
    checkName(name, "parameters");
    if (value === undefined) throw new RangeError(`parameters: ${name} has no value`);
    const type = typeof value === "number" || typeof value === "string" || typeof value === "boolean" ? `: ${typeof value}` : "";
    lines.push(`const ${name}${type} = ${JSON.stringify(value)};`);
  }
  return lines.join("\n");
}

/** Names that the parameters cell declares (`const`, `let` or `var` at the start of a line). */
export function declaredParameters(cell: Cell): string[] {
  return [...cell.source.matchAll(/^\s*(?:export\s+)?(?:const|let|var)\s+([A-Za-z_$][A-Za-z0-9_$]*)/gm)].map((m) => m[1]);
}

/**
 * Inserts (or replaces) the `injected-parameters` cell after the notebook's `parameters` cell.
 * Returns warnings for names the parameters cell does not declare (papermill warns likewise).
 */
export function injectParameters(nb: Notebook, params: Parameters, file = "notebook"): string[] {
  const at = nb.cells.findIndex((c) => c.cell_type === "code" && cellTags(c).includes(PARAMETERS_TAG));
  if (at < 0) {
    throw new RangeError(`${file} has no code cell tagged "${PARAMETERS_TAG}", so the parameters ${Object.keys(params).join(", ")} cannot be injected (tag the cell that holds the notebook's inputs)`);
  }
  const old = nb.cells.findIndex((c) => cellTags(c).includes(INJECTED_TAG));
  if (old >= 0) nb.cells.splice(old, 1);
  const parametersCell = nb.cells[nb.cells.findIndex((c) => c.cell_type === "code" && cellTags(c).includes(PARAMETERS_TAG))];
  const declared = new Set(declaredParameters(parametersCell));
  const ids = new Set(nb.cells.map((c) => c.id));
  const id = ids.has(INJECTED_TAG) ? `${INJECTED_TAG}-${randomUUID().slice(0, 8)}` : INJECTED_TAG;
  const cell: Cell = { id, cell_type: "code", metadata: { tags: [INJECTED_TAG] }, source: injectedSource(params), outputs: [], execution_count: null };
  nb.cells.splice(nb.cells.indexOf(parametersCell) + 1, 0, cell);
  return Object.keys(params)
    .filter((name) => !declared.has(name))
    .map((name) => `parameter ${JSON.stringify(name)} is not declared in the parameters cell of ${file}; it was injected anyway`);
}
