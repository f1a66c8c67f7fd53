/**
 * Argument checks shared by the whole library.
 *
 * Every check throws a `RangeError` (bad value) or a `TypeError` (bad type) whose message names the
 * argument and echoes the value it received, so a learner sees at once which input was wrong:
 *
 *     checkInteger("k", 0, 1)   // RangeError: k must be an integer ≥ 1; got 0
 */

/** Tolerance on row sums of a stochastic matrix and on the total mass of a distribution. */
export const STOCHASTIC_TOLERANCE = 1e-9;

/** A short, readable rendering of any value for an error message. */
export function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? value.slice(0, 57) + "..." : value);
  if (typeof value === "number") return Object.is(value, -0) ? "-0" : String(value);
  if (typeof value === "bigint") return `${value}n`;
  if (value === null || value === undefined || typeof value === "boolean") return String(value);
  if (typeof value === "function") return `function ${value.name || "(anonymous)"}`;
  if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    const items = Array.from(value as ArrayLike<unknown>);
    const head = items.slice(0, 8).map(describe).join(", ");
    return `[${head}${items.length > 8 ? `, … (${items.length} items)` : ""}]`;
  }
  try {
    const text = JSON.stringify(value);
    return text.length > 80 ? text.slice(0, 77) + "..." : text;
  } catch {
    return Object.prototype.toString.call(value);
  }
}

export function checkInteger(name: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== "number") throw new TypeError(`${name} must be an integer; got ${describe(value)}`);
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `in [${min}, ${max}]`;
    throw new RangeError(`${name} must be an integer ${range}; got ${describe(value)}`);
  }
  return value;
}

export function checkFinite(name: string, value: unknown): number {
  if (typeof value !== "number") throw new TypeError(`${name} must be a number; got ${describe(value)}`);
  if (!Number.isFinite(value)) throw new RangeError(`${name} must be a finite number; got ${describe(value)}`);
  return value;
}

/** A number in [lo, hi]; `open` excludes the ends. */
export function checkInterval(name: string, value: unknown, lo: number, hi: number, open = false): number {
  if (typeof value !== "number") throw new TypeError(`${name} must be a number; got ${describe(value)}`);
  const ok = open ? value > lo && value < hi : value >= lo && value <= hi;
  if (!ok) throw new RangeError(`${name} must be in ${open ? "(" : "["}${lo}, ${hi}${open ? ")" : "]"}; got ${describe(value)}`);
  return value;
}

/**
 * A probability vector of the given length: finite, non-negative entries summing to 1 within
 * `STOCHASTIC_TOLERANCE`.
 */
export function checkDistribution(name: string, value: unknown, length: number): ArrayLike<number> {
  if (!(Array.isArray(value) || value instanceof Float64Array || value instanceof Float32Array)) {
    throw new TypeError(`${name} must be an array of probabilities; got ${describe(value)}`);
  }
  const v = value as ArrayLike<number>;
  if (v.length !== length) throw new RangeError(`${name} must have length ${length}; got length ${v.length}: ${describe(v)}`);
  let sum = 0;
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (typeof x !== "number" || Number.isNaN(x)) throw new TypeError(`${name}[${i}] must be a number; got ${describe(x)} in ${describe(v)}`);
    if (!(x >= 0) || x === Infinity) throw new RangeError(`${name}[${i}] must be a probability ≥ 0; got ${describe(x)} in ${describe(v)}`);
    sum += x;
  }
  if (Math.abs(sum - 1) > STOCHASTIC_TOLERANCE) {
    throw new RangeError(`${name} must sum to 1 (±${STOCHASTIC_TOLERANCE}); got sum ${sum} for ${describe(v)}`);
  }
  return v;
}
