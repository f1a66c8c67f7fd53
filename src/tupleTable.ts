/**
 * A compact hash table of fixed-length tuples of token ids, each given a dense id 0, 1, 2, … in the
 * order of first insertion.
 *
 * A page of k GPT-2 tokens cannot be numbered arithmetically once 50,257ᵏ exceeds 2⁵³ (k ≥ 4), and
 * a chain only ever holds the few pages it reaches. So pages are stored as they are met: the tuples
 * side by side in one Int32Array (k entries per tuple) and an open-addressing index (linear probing,
 * load ≤ 1/2) of Int32 slots that point into it. That is 4k bytes per tuple plus at most 16 bytes of
 * index, with no JavaScript object per tuple. The n-gram counts of `src/lm` use the same table with
 * k = 2 for their (context, token) trie.
 *
 *     const table = new TupleTable(3);
 *     table.intern([464, 3290, 290]);   // 0 (new)
 *     table.intern([3290, 290, 262]);   // 1 (new)
 *     table.find([464, 3290, 290]);     // 0
 *     table.tuple(1);                   // Int32Array [3290, 290, 262]
 */
import { checkInteger, describe } from "./validate";

export class TupleTable {
  /** Tuple length. */
  readonly width: number;
  private data: Int32Array;
  private slots: Int32Array; // id + 1, or 0 for an empty slot
  private mask: number;
  private count = 0;

  constructor(width: number, expected = 1024) {
    this.width = checkInteger("width", width, 1, 1 << 16);
    checkInteger("expected", expected, 0);
    let cap = 16;
    while (cap < 2 * expected) cap *= 2;
    this.slots = new Int32Array(cap);
    this.mask = cap - 1;
    this.data = new Int32Array(Math.max(16, expected) * this.width);
  }

  /** Number of tuples stored. */
  get size(): number {
    return this.count;
  }

  /** Bytes held by the table's arrays. */
  get bytes(): number {
    return this.data.byteLength + this.slots.byteLength;
  }

  private hashAt(src: ArrayLike<number>, offset: number): number {
    let h = 0x811c9dc5 | 0;
    for (let j = 0; j < this.width; j++) {
      h = Math.imul(h ^ src[offset + j], 0x01000193);
      h ^= h >>> 15;
    }
    h = Math.imul(h, 0x2c1b3c6d);
    return (h ^ (h >>> 13)) & this.mask;
  }

  private sameAt(id: number, src: ArrayLike<number>, offset: number): boolean {
    const w = this.width, base = id * w, data = this.data;
    for (let j = 0; j < w; j++) if (data[base + j] !== src[offset + j]) return false;
    return true;
  }

  /** Id of the tuple `src[offset … offset + width)`, or -1. */
  find(src: ArrayLike<number>, offset = 0): number {
    let h = this.hashAt(src, offset);
    for (;;) {
      const s = this.slots[h];
      if (s === 0) return -1;
      if (this.sameAt(s - 1, src, offset)) return s - 1;
      h = (h + 1) & this.mask;
    }
  }

  /** Id of a pair (for width 2), without building an array. */
  findPair(a: number, b: number): number {
    let h = 0x811c9dc5 | 0;
    h = Math.imul(h ^ a, 0x01000193);
    h ^= h >>> 15;
    h = Math.imul(h ^ b, 0x01000193);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h = (h ^ (h >>> 13)) & this.mask;
    const data = this.data;
    for (;;) {
      const s = this.slots[h];
      if (s === 0) return -1;
      const base = 2 * (s - 1);
      if (data[base] === a && data[base + 1] === b) return s - 1;
      h = (h + 1) & this.mask;
    }
  }

  /**
   * Id of the tuple, inserting it if new. `isNew` after the call tells whether it was inserted.
   * Throws when a new tuple would make the table exceed `limit` tuples.
   */
  intern(src: ArrayLike<number>, offset = 0, limit = 2 ** 30): number {
    let h = this.hashAt(src, offset);
    for (;;) {
      const s = this.slots[h];
      if (s === 0) break;
      if (this.sameAt(s - 1, src, offset)) {
        this.isNew = false;
        return s - 1;
      }
      h = (h + 1) & this.mask;
    }
    const w = this.width;
    for (let j = 0; j < w; j++) {
      const v = src[offset + j];
      if (!Number.isInteger(v) || v < 0 || v > 0x7fffffff) throw new RangeError(`tuple entries must be integers in [0, 2^31); got ${describe(v)} at position ${j}`);
    }
    if (this.count >= limit) throw new TupleLimitError(limit);
    const id = this.count++;
    if ((id + 1) * w > this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    for (let j = 0; j < w; j++) this.data[id * w + j] = src[offset + j];
    this.slots[h] = id + 1;
    this.isNew = true;
    if (2 * this.count > this.slots.length) this.rehash();
    return id;
  }

  /** Whether the last `intern` inserted a new tuple. */
  isNew = false;

  private rehash(): void {
    const cap = this.slots.length * 2;
    this.slots = new Int32Array(cap);
    this.mask = cap - 1;
    for (let id = 0; id < this.count; id++) {
      let h = this.hashAt(this.data, id * this.width);
      while (this.slots[h] !== 0) h = (h + 1) & this.mask;
      this.slots[h] = id + 1;
    }
  }

  /** The table's arrays, for saving: tuples side by side, and the index slots. */
  toArrays(): { data: Int32Array; slots: Int32Array } {
    return { data: this.data.subarray(0, this.count * this.width), slots: this.slots };
  }

  /** A table from arrays written by `toArrays` (not copied; they must not be changed afterwards). */
  static fromArrays(width: number, data: Int32Array, slots: Int32Array): TupleTable {
    const table = new TupleTable(width, 0);
    const cap = slots.length;
    if (cap < 16 || (cap & (cap - 1)) !== 0 || data.length % width !== 0 || 2 * (data.length / width) > cap) {
      throw new RangeError(`slots must have a power-of-two length ≥ 16 and at least twice the tuples; got ${cap} slots for ${data.length / width} tuples`);
    }
    table.data = data.length > 0 ? data : new Int32Array(width * 16);
    table.slots = slots;
    table.mask = cap - 1;
    table.count = data.length / width;
    return table;
  }

  /** Entry j of tuple `id`. */
  at(id: number, j: number): number {
    return this.data[id * this.width + j];
  }

  /** A copy of tuple `id`. */
  tuple(id: number): Int32Array {
    checkInteger("id", id, 0, this.count - 1);
    return this.data.slice(id * this.width, (id + 1) * this.width);
  }
}

/** Thrown by `TupleTable.intern` when a new tuple would exceed the caller's limit. */
export class TupleLimitError extends RangeError {
  readonly limit: number;
  constructor(limit: number) {
    super(`the table may hold at most ${limit} tuples`);
    this.name = "TupleLimitError";
    this.limit = limit;
  }
}
