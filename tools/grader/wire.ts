/**
 * Decoding what the sandboxed runner reports: JSON whose learner values are tagged (sandbox/runner.ts
 * writes them). Non-finite numbers arrive as {"$n": "Infinity"}, objects as {"$o": [[key, value], …]}
 * (so a learner's key like "__proto__" never becomes a key of an object the grader parses), holes and
 * non-data values as {"$t": description}. The result is plain data plus `OpaqueValue`s, ready for the
 * type-checker in src/compare.ts. Arrays are decoded in place (pass JSON.parse's output, not a value
 * that is used elsewhere).
 *
 *     decodeValue({ $o: [["prob", { $n: "NaN" }]] });   // { prob: NaN } (null prototype)
 */
import { OpaqueValue } from "../../src/compare";

const HOLE = Symbol("hole");

export function decodeValue(node: unknown, depth = 0): unknown {
  if (depth > 64) return new OpaqueValue("a structure nested too deeply");
  if (node === null || typeof node !== "object") return node;
  if (Array.isArray(node)) {
    // In place: the array is JSON.parse's own, and most items (numbers) decode to themselves, so a
    // 729 × 729 matrix is not copied.
    for (let i = 0; i < node.length; i++) {
      const item: unknown = node[i];
      if (item === null || typeof item !== "object") continue;
      const v = decodeValue(item, depth + 1);
      if (v === HOLE) delete node[i];
      else node[i] = v;
    }
    return node;
  }
  const tagged = node as Record<string, unknown>;
  if (typeof tagged.$n === "string") {
    if (tagged.$n === "Infinity") return Infinity;
    if (tagged.$n === "-Infinity") return -Infinity;
    return NaN;
  }
  if (typeof tagged.$t === "string") return tagged.$t === "hole" ? HOLE : new OpaqueValue(tagged.$t);
  if (Array.isArray(tagged.$o)) {
    const out = Object.create(null) as Record<string, unknown>;
    for (const pair of tagged.$o as unknown[]) {
      if (!Array.isArray(pair) || typeof pair[0] !== "string") continue;
      Object.defineProperty(out, pair[0], { value: decodeValue(pair[1], depth + 1), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return new OpaqueValue("an unreadable value");
}
