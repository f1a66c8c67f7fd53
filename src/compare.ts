/**
 * Comparing answers: one implementation shared by the notebook's `check` and the autograder.
 *
 * Numbers are equal when they are within a relative-and-absolute tolerance (about 1e-9, spec §5),
 * two NaNs are equal, and infinities must match in sign. Matrices are compared entry by entry and the
 * first wrong entry is named by row and column (and by page label when the matrix is in the canonical
 * page order of spec §4). Sets — stationary distributions, closed classes, the edges of a transition
 * network — are compared without regard to order.
 *
 * Every function takes the actual answer as `unknown`: it first checks that the answer is plain data of
 * the expected shape (`typeCheckAnswer`), so a learner's Proxy, typed array or object with a custom
 * `valueOf` gets a clear "expected …, got …" instead of a misleading pass.
 *
 *     compareAnswer("matrix", [[0, 1], [0, 1]], [[0, 1], [0, 0.9]]).message
 *     // "row 2, column 2: expected 1, got 0.9"
 */

export interface Tolerance {
  /** Allowed difference relative to the larger of the two magnitudes. */
  rel: number;
  /** Allowed absolute difference, for answers near 0. */
  abs: number;
}

export const DEFAULT_TOLERANCE: Readonly<Tolerance> = Object.freeze({ rel: 1e-9, abs: 1e-9 });

/** How an exercise's answer is compared. */
export type AnswerKind = "number" | "string" | "vector" | "matrix" | "edge-set" | "vector-set" | "page-set-set" | "index-set" | "index-set-set" | "orbit";
export const ANSWER_KINDS: readonly AnswerKind[] = Object.freeze(["number", "string", "vector", "matrix", "edge-set", "vector-set", "page-set-set", "index-set", "index-set-set", "orbit"]);

/** The answer of a greedy-orbit exercise: steps before the cycle, and the cycle's length. */
export interface OrbitData {
  transient: number;
  period: number;
}

export interface Verdict {
  pass: boolean;
  /** Why it failed, in words a learner can act on; "ok" when it passed. */
  message: string;
}

/** One edge of a transition network (exercise 6.C.3). */
export interface EdgeData {
  from: string;
  to: string;
  token: string;
  prob: number;
}

/**
 * A value that is not plain data (a function, a BigInt, a symbol, `undefined`, a class instance …),
 * as it arrives from another process. The grader's decoder produces these so that the type-checker can
 * name what the learner returned.
 */
export class OpaqueValue {
  constructor(readonly description: string) {}
  toString(): string {
    return this.description;
  }
}

const OK: Verdict = Object.freeze({ pass: true, message: "ok" });
const fail = (message: string): Verdict => ({ pass: false, message });

/** Whether two numbers agree within the tolerance (NaN = NaN; ±Infinity only equals itself). */
export function numbersClose(expected: number, actual: number, tol: Tolerance = DEFAULT_TOLERANCE): boolean {
  if (Number.isNaN(expected) || Number.isNaN(actual)) return Number.isNaN(expected) && Number.isNaN(actual);
  if (!Number.isFinite(expected) || !Number.isFinite(actual)) return expected === actual;
  const diff = Math.abs(expected - actual);
  return diff <= tol.abs || diff <= tol.rel * Math.max(Math.abs(expected), Math.abs(actual));
}

/** A short rendering of any value for feedback; never calls the value's own methods. */
export function formatValue(value: unknown, maxLength = 120): string {
  const text = render(value, 0);
  return text.length > maxLength ? text.slice(0, maxLength - 1) + "…" : text;
}

function render(value: unknown, depth: number): string {
  if (value instanceof OpaqueValue) return `<${value.description}>`;
  switch (typeof value) {
    case "number":
      return formatNumber(value);
    case "string":
      return JSON.stringify(value.length > 40 ? value.slice(0, 39) + "…" : value);
    case "boolean":
      return String(value);
    case "undefined":
      return "undefined";
    case "bigint":
      return `${value}n`;
    case "symbol":
      return "a symbol";
    case "function":
      return "a function";
  }
  if (value === null) return "null";
  if (depth > 3) return "…";
  if (Array.isArray(value)) {
    const items: string[] = [];
    for (let i = 0; i < Math.min(value.length, 10); i++) items.push(i in value ? render(value[i], depth + 1) : "<hole>");
    return `[${items.join(", ")}${value.length > 10 ? `, … (${value.length} items)` : ""}]`;
  }
  if (ArrayBuffer.isView(value)) return `a ${Object.prototype.toString.call(value).slice(8, -1)}`;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return `an object of class ${className(value as object)}`;
  const keys = Object.keys(value as object).slice(0, 6);
  return `{ ${keys.map((k) => `${k}: ${render((value as Record<string, unknown>)[k], depth + 1)}`).join(", ")}${Object.keys(value as object).length > 6 ? ", …" : ""} }`;
}

/**
 * A number as feedback shows it: 12 significant digits, so binary rounding noise disappears
 * (0.9157489999999999 → 0.915749) while any difference the 1e-9 tolerance can see stays visible.
 */
export function formatNumber(x: number): string {
  if (Object.is(x, -0) || x === 0) return "0";
  if (!Number.isFinite(x) || Number.isInteger(x)) return String(x);
  return String(Number(x.toPrecision(12)));
}

function className(value: object): string {
  try {
    const name = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } })?.constructor?.name;
    return typeof name === "string" && name ? name : "unknown";
  } catch {
    return "unknown";
  }
}

/** What a value is, in a few words ("a string", "a Float64Array", "undefined"). */
export function kindOf(value: unknown): string {
  if (value instanceof OpaqueValue) return value.description;
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (ArrayBuffer.isView(value)) return `a ${Object.prototype.toString.call(value).slice(8, -1)}`;
  switch (typeof value) {
    case "number":
      return "a number";
    case "string":
      return "a string";
    case "boolean":
      return "a boolean";
    case "undefined":
      return "undefined";
    case "bigint":
      return "a BigInt";
    case "symbol":
      return "a symbol";
    case "function":
      return "a function";
  }
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null ? "an object" : `an object of class ${className(value as object)}`;
}

/** The labels of the canonical page order (spec §4) when `n` is 3^k, else null. */
export function canonicalPageLabels(n: number): string[] | null {
  let k = 0;
  let size = 1;
  while (size < n && k < 12) {
    size *= 3;
    k++;
  }
  if (size !== n || k === 0) return null;
  const labels: string[] = [];
  for (let i = 0; i < n; i++) {
    let label = "";
    for (let rest = i, j = 0; j < k; j++, rest = Math.floor(rest / 3)) label = "NFU"[rest % 3] + label;
    labels.push(label);
  }
  return labels;
}

// ---------------------------------------------------------------- type checks

type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value) || value instanceof OpaqueValue) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** An array without holes; typed arrays are not plain arrays. */
function denseArray(value: unknown, what: string): Checked<unknown[]> {
  if (!Array.isArray(value)) return { ok: false, message: `expected ${what}; got ${kindOf(value)}: ${formatValue(value)}` };
  for (let i = 0; i < value.length; i++) {
    if (!(i in value)) return { ok: false, message: `expected ${what}; got an array with a hole at index ${i}` };
  }
  return { ok: true, value };
}

function numberArray(value: unknown, what: string, where: (i: number) => string): Checked<number[]> {
  const arr = denseArray(value, what);
  if (!arr.ok) return arr;
  for (let i = 0; i < arr.value.length; i++) {
    const x = arr.value[i];
    if (typeof x !== "number") return { ok: false, message: `${where(i)}: expected a number; got ${kindOf(x)}: ${formatValue(x)}` };
  }
  return { ok: true, value: arr.value as number[] };
}

function numberRows(value: unknown, what: string, rowName: string): Checked<number[][]> {
  const outer = denseArray(value, what);
  if (!outer.ok) return outer;
  const rows: number[][] = [];
  for (let r = 0; r < outer.value.length; r++) {
    const row = numberArray(outer.value[r], `${rowName} ${r + 1} to be an array of numbers`, (c) => `${rowName} ${r + 1}, entry ${c + 1}`);
    if (!row.ok) return { ok: false, message: row.message.startsWith("expected") ? `${what}: ${row.message}` : row.message };
    rows.push(row.value);
  }
  return { ok: true, value: rows };
}

/**
 * Checks that an answer is plain data of the shape its kind needs and returns a plain copy (fresh
 * arrays and objects holding only the fields that are compared).
 */
export function typeCheckAnswer(kind: "number", value: unknown): Checked<number>;
export function typeCheckAnswer(kind: "string", value: unknown): Checked<string>;
export function typeCheckAnswer(kind: "vector" | "index-set", value: unknown): Checked<number[]>;
export function typeCheckAnswer(kind: "index-set-set", value: unknown): Checked<number[][]>;
export function typeCheckAnswer(kind: "orbit", value: unknown): Checked<OrbitData>;
export function typeCheckAnswer(kind: "matrix" | "vector-set", value: unknown): Checked<number[][]>;
export function typeCheckAnswer(kind: "edge-set", value: unknown): Checked<EdgeData[]>;
export function typeCheckAnswer(kind: "page-set-set", value: unknown): Checked<string[][]>;
export function typeCheckAnswer(kind: AnswerKind, value: unknown): Checked<unknown>;
export function typeCheckAnswer(kind: AnswerKind, value: unknown): Checked<unknown> {
  try {
    return typeCheckUnsafe(kind, value);
  } catch (e) {
    // A Proxy or a getter in the learner's answer may throw while we look at it.
    return { ok: false, message: `the answer could not be read: ${errorText(e)}` };
  }
}

function typeCheckUnsafe(kind: AnswerKind, value: unknown): Checked<unknown> {
  switch (kind) {
    case "number":
      return typeof value === "number" ? { ok: true, value } : { ok: false, message: `expected a number; got ${kindOf(value)}: ${formatValue(value)}` };
    case "string":
      return typeof value === "string" ? { ok: true, value } : { ok: false, message: `expected a string; got ${kindOf(value)}: ${formatValue(value)}` };
    case "vector":
      return numberArray(value, "expected a vector (an array of numbers)", (i) => `entry ${i + 1}`);
    case "index-set": {
      const arr = numberArray(value, "expected an array of state indices (numbers)", (i) => `entry ${i + 1}`);
      if (!arr.ok) return arr;
      for (let i = 0; i < arr.value.length; i++) if (!Number.isInteger(arr.value[i])) return { ok: false, message: `entry ${i + 1}: expected a state index (an integer); got ${formatValue(arr.value[i])}` };
      return { ok: true, value: arr.value.slice() };
    }
    case "index-set-set": {
      const rows = numberRows(value, "expected an array of sets, each an array of state indices", "set");
      if (!rows.ok) return rows;
      for (let r = 0; r < rows.value.length; r++) for (let i = 0; i < rows.value[r].length; i++) {
        if (!Number.isInteger(rows.value[r][i])) return { ok: false, message: `set ${r + 1}, entry ${i + 1}: expected a state index (an integer); got ${formatValue(rows.value[r][i])}` };
      }
      return { ok: true, value: rows.value.map((r) => r.slice()) };
    }
    case "orbit": {
      if (!isPlainObject(value)) return { ok: false, message: `expected an object { transient, period }; got ${kindOf(value)}: ${formatValue(value)}` };
      const has = (key: string) => Object.prototype.hasOwnProperty.call(value, key);
      for (const key of ["transient", "period"]) {
        if (!has(key) || typeof value[key] !== "number") return { ok: false, message: `expected "${key}" to be a number; got ${has(key) ? `${kindOf(value[key])}: ${formatValue(value[key])}` : "no such field"}` };
      }
      return { ok: true, value: { transient: value.transient as number, period: value.period as number } };
    }
    case "matrix": {
      const rows = numberRows(value, "expected a matrix (an array of rows, each an array of numbers)", "row");
      if (!rows.ok) return rows;
      return { ok: true, value: rows.value.map((r) => r.slice()) };
    }
    case "vector-set": {
      const rows = numberRows(value, "expected an array of probability vectors (arrays of numbers)", "vector");
      if (!rows.ok) return rows;
      return { ok: true, value: rows.value.map((r) => r.slice()) };
    }
    case "page-set-set": {
      const outer = denseArray(value, "expected an array of classes, each an array of pages (strings)");
      if (!outer.ok) return outer;
      const classes: string[][] = [];
      for (let c = 0; c < outer.value.length; c++) {
        const inner = denseArray(outer.value[c], `class ${c + 1} to be an array of pages (strings)`);
        if (!inner.ok) return { ok: false, message: `expected an array of classes: ${inner.message}` };
        const pages: string[] = [];
        for (let i = 0; i < inner.value.length; i++) {
          const page = inner.value[i];
          if (typeof page !== "string") return { ok: false, message: `class ${c + 1}, entry ${i + 1}: expected a page (a string like "UU"); got ${kindOf(page)}: ${formatValue(page)}` };
          pages.push(page);
        }
        classes.push(pages);
      }
      return { ok: true, value: classes };
    }
    case "edge-set": {
      const outer = denseArray(value, "expected an array of edges { from, to, token, prob }");
      if (!outer.ok) return outer;
      const edges: EdgeData[] = [];
      for (let i = 0; i < outer.value.length; i++) {
        const e = outer.value[i];
        if (!isPlainObject(e)) return { ok: false, message: `edge ${i + 1}: expected an object { from, to, token, prob }; got ${kindOf(e)}: ${formatValue(e)}` };
        const has = (key: string) => Object.prototype.hasOwnProperty.call(e, key);
        for (const key of ["from", "to", "token"]) {
          if (!has(key) || typeof e[key] !== "string") return { ok: false, message: `edge ${i + 1}: expected "${key}" to be a string; got ${has(key) ? kindOf(e[key]) : "no such field"}` };
        }
        if (!has("prob") || typeof e.prob !== "number") return { ok: false, message: `edge ${i + 1}: expected "prob" to be a number; got ${has("prob") ? `${kindOf(e.prob)}: ${formatValue(e.prob)}` : "no such field"}` };
        edges.push({ from: e.from as string, to: e.to as string, token: e.token as string, prob: e.prob as number });
      }
      return { ok: true, value: edges };
    }
  }
}

function errorText(e: unknown): string {
  try {
    if (e instanceof Error) return `${e.name}: ${e.message}`;
    return formatValue(e);
  } catch {
    return "an unreadable error";
  }
}

// ---------------------------------------------------------------- comparisons

export interface CompareOptions {
  tolerance?: Tolerance;
  /** Names for rows/columns or vector entries (default: canonical page labels when the size is 3^k). */
  labels?: readonly string[] | null;
}

function labelled(index: number, labels: readonly string[] | null): string {
  return labels && labels[index] !== undefined ? `${index + 1} (${labels[index]})` : String(index + 1);
}

export function compareNumber(expected: number, actual: unknown, options: CompareOptions = {}): Verdict {
  const checked = typeCheckAnswer("number", actual);
  if (!checked.ok) return fail(checked.message);
  return numbersClose(expected, checked.value, options.tolerance) ? OK : fail(`expected ${formatValue(expected)}, got ${formatValue(checked.value)}`);
}

/** Entry by entry; the first wrong entry is named. */
export function compareMatrix(expected: readonly (readonly number[])[], actual: unknown, options: CompareOptions = {}): Verdict {
  const checked = typeCheckAnswer("matrix", actual);
  if (!checked.ok) return fail(checked.message);
  const rows = checked.value;
  const labels = options.labels === undefined ? canonicalPageLabels(expected.length) : options.labels;
  if (rows.length !== expected.length) return fail(`expected ${expected.length} rows, got ${rows.length}`);
  for (let r = 0; r < expected.length; r++) {
    if (rows[r].length !== expected[r].length) return fail(`row ${labelled(r, labels)}: expected ${expected[r].length} entries, got ${rows[r].length}`);
  }
  for (let r = 0; r < expected.length; r++) {
    for (let c = 0; c < expected[r].length; c++) {
      if (!numbersClose(expected[r][c], rows[r][c], options.tolerance)) {
        return fail(`row ${labelled(r, labels)}, column ${labelled(c, labels)}: expected ${formatValue(expected[r][c])}, got ${formatValue(rows[r][c])}${matrixHint(expected, rows, options.tolerance)}`);
      }
    }
  }
  return OK;
}

/** The usual mistakes behind a wrong matrix: the transpose, or rows that do not sum to 1. */
function matrixHint(expected: readonly (readonly number[])[], rows: number[][], tol?: Tolerance): string {
  const n = expected.length;
  if (n > 1 && rows.every((r) => r.length === n) && expected.every((r) => r.length === n)) {
    let transposed = true;
    for (let r = 0; r < n && transposed; r++) for (let c = 0; c < n && transposed; c++) transposed = numbersClose(expected[c][r], rows[r][c], tol);
    if (transposed) return ". Hint: your matrix is the transpose of the expected one: row s must hold the probabilities of moving *from* s (row = from, column = to)";
  }
  const stochastic = expected.every((r) => numbersClose(1, r.reduce((a, b) => a + b, 0), { rel: 1e-7, abs: 1e-7 }));
  if (stochastic) {
    const bad = rows.findIndex((r) => !numbersClose(1, r.reduce((a, b) => a + b, 0), { rel: 1e-7, abs: 1e-7 }));
    if (bad >= 0) return `. Hint: row ${bad + 1} of yours sums to ${formatValue(rows[bad].reduce((a, b) => a + b, 0))}, but every row of a transition matrix sums to 1`;
  }
  return "";
}

/** Vectors entry by entry, with hints for an unnormalised vector and a shifted (1-based) index. */
export function compareVector(expected: readonly number[], actual: unknown, options: CompareOptions = {}): Verdict {
  const checked = typeCheckAnswer("vector", actual);
  if (!checked.ok) return fail(checked.message);
  const v = checked.value;
  const labels = options.labels === undefined ? null : options.labels;
  if (v.length !== expected.length) return fail(`expected ${expected.length} entries, got ${v.length}`);
  for (let i = 0; i < v.length; i++) {
    if (!numbersClose(expected[i], v[i], options.tolerance)) {
      return fail(`entry ${labelled(i, labels)}: expected ${formatValue(expected[i])}, got ${formatValue(v[i])}${vectorHint(expected, v, options.tolerance)}`);
    }
  }
  return OK;
}

function vectorHint(expected: readonly number[], v: readonly number[], tol?: Tolerance): string {
  const sumE = expected.reduce((a, b) => a + b, 0);
  const sumV = v.reduce((a, b) => a + b, 0);
  if (Number.isFinite(sumV) && sumV !== 0 && numbersClose(1, sumE, { rel: 1e-7, abs: 1e-7 }) && !numbersClose(1, sumV, { rel: 1e-7, abs: 1e-7 })) {
    if (expected.every((x, i) => numbersClose(x, v[i] / sumV, { rel: 1e-7, abs: 1e-9 }))) return `. Hint: your vector is right up to a factor: it sums to ${formatValue(sumV)}; divide by its sum so the probabilities add up to 1`;
    return `. Hint: a probability vector sums to 1; yours sums to ${formatValue(sumV)}`;
  }
  if (v.length > 1 && v.slice(1).every((x, i) => numbersClose(expected[i], x, tol))) return ". Hint: your entries are shifted by one place: the course counts states from 0";
  return "";
}

/** Sets of state indices (e.g. absorbing states): order free; a 1-based answer gets a hint. */
export function compareIndexSet(expected: readonly number[], actual: unknown): Verdict {
  const checked = typeCheckAnswer("index-set", actual);
  if (!checked.ok) return fail(checked.message);
  const mine = checked.value;
  if (new Set(mine).size !== mine.length) return fail(`a state is listed twice: ${formatValue(mine)}`);
  const want = [...expected].sort((a, b) => a - b);
  const got = [...mine].sort((a, b) => a - b);
  if (want.length === got.length && want.every((x, i) => x === got[i])) return OK;
  const oneBased = want.length === got.length && want.length > 0 && want.every((x, i) => x + 1 === got[i]);
  return fail(`expected the states {${want.join(", ")}}, got {${got.join(", ")}}${oneBased ? ". Hint: every index is one too large: states are numbered from 0 (row 0 is the first row)" : ""}`);
}

/** Sets of sets of state indices (closed classes of a matrix): order free at both levels. */
export function compareIndexSetSet(expected: readonly (readonly number[])[], actual: unknown): Verdict {
  const checked = typeCheckAnswer("index-set-set", actual);
  if (!checked.ok) return fail(checked.message);
  const key = (s: readonly number[]) => [...s].sort((a, b) => a - b).join(", ");
  const mine = new Map<string, number>();
  for (let c = 0; c < checked.value.length; c++) {
    const set = checked.value[c];
    if (new Set(set).size !== set.length) return fail(`set ${c + 1} lists a state twice: ${formatValue(set)}`);
    const k = key(set);
    if (mine.has(k)) return fail(`the set {${k}} is listed twice`);
    mine.set(k, c);
  }
  const wanted = new Set(expected.map(key));
  const shifted = checked.value.length === expected.length && checked.value.every((s) => wanted.has(key(s.map((x) => x - 1))));
  const hint = shifted ? ". Hint: every index is one too large: states are numbered from 0" : "";
  for (const k of wanted) if (!mine.has(k)) return fail(`missing the set {${k}}` + (checked.value.length ? `; you gave ${checked.value.map((c) => `{${key(c)}}`).join(", ")}` : "; you gave no sets") + hint);
  for (const k of mine.keys()) if (!wanted.has(k)) return fail(`{${k}} is not one of the expected sets (expected ${[...wanted].map((x) => `{${x}}`).join(", ")})`);
  return OK;
}

/** Exact strings, e.g. the decimal digits of a page count; says where the first difference is. */
export function compareString(expected: string, actual: unknown): Verdict {
  const checked = typeCheckAnswer("string", actual);
  if (!checked.ok) return fail(checked.message);
  const got = checked.value;
  if (got === expected) return OK;
  let i = 0;
  while (i < expected.length && i < got.length && expected[i] === got[i]) i++;
  const where = expected.length !== got.length ? `expected ${expected.length} characters, got ${got.length}` : `the first difference is at character ${i + 1}`;
  const hint = /^\d+(\.\d+)?e\+\d+$/i.test(got) || (/^\d+$/.test(got) && /0{6,}$/.test(got) && !/0{6,}$/.test(expected))
    ? ". Hint: a JavaScript number keeps only about 16 significant digits; compute with BigInt to get every digit"
    : "";
  return fail(`expected ${formatValue(expected)}, got ${formatValue(got)} (${where})${hint}`);
}

/** A greedy orbit's transient length and period. */
export function compareOrbit(expected: OrbitData, actual: unknown): Verdict {
  const checked = typeCheckAnswer("orbit", actual);
  if (!checked.ok) return fail(checked.message);
  const { transient, period } = checked.value;
  if (transient === expected.transient && period === expected.period) return OK;
  const parts: string[] = [];
  if (transient !== expected.transient) parts.push(`transient: expected ${expected.transient}, got ${formatValue(transient)}`);
  if (period !== expected.period) parts.push(`period: expected ${expected.period}, got ${formatValue(period)}`);
  return fail(parts.join("; "));
}

/** A vector in words: its non-zero entries, labelled ("{UU: 1}"). */
function describeVector(v: readonly number[], labels: readonly string[] | null): string {
  const parts: string[] = [];
  for (let i = 0; i < v.length && parts.length < 6; i++) {
    if (v[i] !== 0) parts.push(`${labels?.[i] ?? `#${i + 1}`}: ${formatValue(v[i])}`);
  }
  const nonzero = v.filter((x) => x !== 0).length;
  return `{${parts.join(", ")}${nonzero > parts.length ? ", …" : ""}}${nonzero === 0 ? " (all zero)" : ""}`;
}

/** Sets of vectors (e.g. stationary distributions): same count, and each expected vector matched once. */
export function compareVectorSet(expected: readonly (readonly number[])[], actual: unknown, options: CompareOptions = {}): Verdict {
  const checked = typeCheckAnswer("vector-set", actual);
  if (!checked.ok) return fail(checked.message);
  const vectors = checked.value;
  const n = expected[0]?.length ?? 0;
  const labels = options.labels === undefined ? canonicalPageLabels(n) : options.labels;
  for (let i = 0; i < vectors.length; i++) {
    if (vectors[i].length !== n) return fail(`vector ${i + 1}: expected length ${n} (one entry per page), got ${vectors[i].length}`);
  }
  if (vectors.length !== expected.length) {
    return fail(`expected ${expected.length} vector${expected.length === 1 ? "" : "s"} (${expected.map((v) => describeVector(v, labels)).join(", ")}), got ${vectors.length}`);
  }
  // Small sets: find a perfect matching by augmenting paths, so order never matters.
  const close = expected.map((e) => vectors.map((a) => e.every((x, i) => numbersClose(x, a[i], options.tolerance))));
  const owner = new Array<number>(vectors.length).fill(-1);
  const tryAssign = (e: number, seen: boolean[]): boolean => {
    for (let a = 0; a < vectors.length; a++) {
      if (!close[e][a] || seen[a]) continue;
      seen[a] = true;
      if (owner[a] < 0 || tryAssign(owner[a], seen)) {
        owner[a] = e;
        return true;
      }
    }
    return false;
  };
  for (let e = 0; e < expected.length; e++) {
    if (!tryAssign(e, new Array<boolean>(vectors.length).fill(false))) {
      const unmatched = vectors.findIndex((_, a) => owner[a] < 0);
      return fail(`no vector of yours matches the expected ${describeVector(expected[e], labels)}` + (unmatched >= 0 ? `; for example, your vector ${unmatched + 1} is ${describeVector(vectors[unmatched], labels)}` : ""));
    }
  }
  return OK;
}

function classKey(pages: readonly string[]): string {
  return [...pages].sort().join(",");
}

/** Sets of sets of pages (closed classes): order free at both levels; a page listed twice is an error. */
export function comparePageSetSet(expected: readonly (readonly string[])[], actual: unknown): Verdict {
  const checked = typeCheckAnswer("page-set-set", actual);
  if (!checked.ok) return fail(checked.message);
  const mine = new Map<string, number>();
  for (let c = 0; c < checked.value.length; c++) {
    const cls = checked.value[c];
    const unique = new Set(cls);
    if (unique.size !== cls.length) return fail(`class ${c + 1} lists a page twice: ${formatValue(cls)}`);
    const key = classKey(cls);
    if (mine.has(key)) return fail(`the class {${key}} is listed twice`);
    mine.set(key, c);
  }
  const wanted = new Set(expected.map(classKey));
  for (const key of wanted) if (!mine.has(key)) return fail(`missing the class {${key}}` + (checked.value.length ? `; you gave ${checked.value.map((c) => `{${classKey(c)}}`).join(", ")}` : "; you gave no classes"));
  for (const key of mine.keys()) if (!wanted.has(key)) return fail(`{${key}} is not a closed class here (expected ${[...wanted].map((k) => `{${k}}`).join(", ")})`);
  return OK;
}

/**
 * Edge sets keyed by (from, to, token), probabilities compared numerically. An edge whose probability
 * is within the absolute tolerance of 0 may be present or absent on either side: whether a rounding
 * residue like 1e-17 counts as an edge is not what the exercise asks.
 */
export function compareEdgeSet(expected: readonly EdgeData[], actual: unknown, options: CompareOptions = {}): Verdict {
  const checked = typeCheckAnswer("edge-set", actual);
  if (!checked.ok) return fail(checked.message);
  const tol = options.tolerance ?? DEFAULT_TOLERANCE;
  const key = (e: EdgeData) => `${e.from} → ${e.to} (token ${e.token})`;
  const mine = new Map<string, EdgeData>();
  for (const e of checked.value) {
    const k = key(e);
    if (mine.has(k)) return fail(`the edge ${k} is listed twice`);
    mine.set(k, e);
  }
  const theirs = new Map(expected.map((e) => [key(e), e]));
  for (const [k, e] of theirs) {
    const m = mine.get(k);
    if (!m) {
      if (Math.abs(e.prob) <= tol.abs) continue;
      return fail(`missing the edge ${k} with probability ${formatValue(e.prob)}`);
    }
    if (!numbersClose(e.prob, m.prob, tol)) return fail(`edge ${k}: expected probability ${formatValue(e.prob)}, got ${formatValue(m.prob)}`);
  }
  for (const [k, m] of mine) {
    if (!theirs.has(k) && !(Math.abs(m.prob) <= tol.abs)) return fail(`the edge ${k} (probability ${formatValue(m.prob)}) should not be there`);
  }
  return OK;
}

/** Type-checks `actual` and compares it with `expected` by the rules of `kind`. */
export function compareAnswer(kind: AnswerKind, expected: unknown, actual: unknown, options: CompareOptions = {}): Verdict {
  try {
    switch (kind) {
      case "number":
        return compareNumber(expected as number, actual, options);
      case "string":
        return compareString(expected as string, actual);
      case "vector":
        return compareVector(expected as number[], actual, options);
      case "index-set":
        return compareIndexSet(expected as number[], actual);
      case "index-set-set":
        return compareIndexSetSet(expected as number[][], actual);
      case "orbit":
        return compareOrbit(expected as OrbitData, actual);
      case "matrix":
        return compareMatrix(expected as number[][], actual, options);
      case "vector-set":
        return compareVectorSet(expected as number[][], actual, options);
      case "page-set-set":
        return comparePageSetSet(expected as string[][], actual);
      case "edge-set":
        return compareEdgeSet(expected as EdgeData[], actual, options);
    }
  } catch (e) {
    return fail(`the answer could not be read: ${errorText(e)}`);
  }
  return fail(`unknown answer kind ${formatValue(kind)}`);
}
