/*
 * The entry of the tslab kernel's V8 startup snapshot (tools/kernel/snapshot.ts builds it with
 * `node --snapshot-blob <blob> --build-snapshot tools/kernel/snapshot-entry.cjs`).
 *
 * What makes a cold tslab slow is CPU spent on the same inputs every time: V8 compiling tslab's 8 MB
 * TypeScript compiler, then parsing and binding lib.es2022 and the project's @types (about 3 MB of
 * declarations) for the kernel's first program, and the library's declarations for the first cell
 * that imports it. This entry does that work once, on a typical first cell, and V8 saves
 * the heap: the compiler, already evaluated (with the bytecode of its checker and emitter), and a
 * cache of those declaration files, parsed and bound with the compiler options of tslab's converter. A kernel started from the snapshot
 * (`node --snapshot-blob <blob> <main.js> …`) gets this compiler from `require` and serves its first
 * program's declaration files from the cache.
 *
 * Safe by construction: the cache sits inside TypeScript's own `createSourceFile` and hands out a
 * file only when the file name, the exact text just read from disk, the language version, the
 * module-format settings and the compiler options that affect parsing and binding (TypeScript's own
 * key, the one its DocumentRegistry uses to share bound files between programs, less typeRoots) are all the same
 * as when it was built; otherwise it parses as usual. Each cached file is handed out once (it then
 * belongs to that program, as a fresh parse would). If the source no longer has the expected shape
 * (another TypeScript), the build stops with an error instead of making a snapshot without a cache.
 *
 * Only Node's built-in modules can be required while the snapshot is built (Node 20), so the
 * compiler's source is evaluated here as CommonJS, with its real file name and folder.
 *
 * Inputs (environment, set by snapshot.ts): LLMD_SNAPSHOT_TS (tslab's typescript.js),
 * LLMD_SNAPSHOT_CWD (a folder of the project: where the type roots are looked up),
 * LLMD_SNAPSHOT_TSLAB (tslab's dist folder, for its fallback type root).
 */
"use strict";
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS snapshot entry: only require() of Node's built-ins works here */
{
  const fs = require("node:fs");
  const path = require("node:path");
  const v8 = require("node:v8");

  const tsPath = process.env.LLMD_SNAPSHOT_TS;
  const templateCwd = process.env.LLMD_SNAPSHOT_CWD;
  const tslabDist = process.env.LLMD_SNAPSHOT_TSLAB;
  if (!tsPath || !templateCwd || !tslabDist) throw new Error("snapshot-entry: LLMD_SNAPSHOT_TS, LLMD_SNAPSHOT_CWD and LLMD_SNAPSHOT_TSLAB must be set");

  // --- the patch: a cache consulted by TypeScript's createSourceFile ---------------------------
  const CACHE_CODE = `
  var __llmdSnapshotCache = __llmdHook.cache = (() => {
    const entries = new Map();
    const c = {
      options: undefined, recording: null, building: false,
      served: [], stale: [],
      keys: new WeakMap(),
      optionsKey(options) {
        let key = c.keys.get(options);
        // typeRoots only decide which files a program reads, and a file is keyed by its real path; the
        // binder never reads them. Leaving them out lets a program whose roots are links to the same
        // folders (the grader's runtime, tools/grader/runtime.ts) share the cache. preserveConstEnums
        // and isolatedModules are added: the binder reads them (whether a const enum's module is
        // instantiated) but TypeScript's own key leaves them out.
        if (key === undefined) {
          key = getKeyForCompilationSettings({ ...options, typeRoots: undefined }) + "|" + !!options.preserveConstEnums + "|" + !!options.isolatedModules;
          c.keys.set(options, key);
        }
        return key;
      },
      take(fileName, sourceText, lvo, setParentNodes, scriptKind) {
        if (c.building || entries.size === 0) return undefined;
        const e = entries.get(fileName);
        if (!e) return undefined;
        const settings = typeof lvo === "object" ? lvo : undefined;
        const same = e.text === sourceText && settings !== undefined &&
          e.languageVersion === settings.languageVersion && e.impliedNodeFormat === settings.impliedNodeFormat &&
          typeof settings.setExternalModuleIndicator === "function" &&
          e.setParentNodes === !!setParentNodes && e.scriptKind === scriptKind &&
          c.options !== undefined && e.optionsKey === c.optionsKey(c.options);
        if (same) {
          // The caller's rule for "is this file a module" must give what it gave when the file was bound.
          const file = e.file;
          const before = file.externalModuleIndicator;
          settings.setExternalModuleIndicator(file);
          if (file.externalModuleIndicator === before) {
            entries.delete(fileName);
            c.served.push(fileName);
            return file;
          }
          file.externalModuleIndicator = before;
        }
        entries.delete(fileName);
        c.stale.push(fileName);
        return undefined;
      },
      record(fileName, sourceText, lvo, setParentNodes, scriptKind) {
        if (c.recording && !c.building) c.recording.push({ fileName, lvo, setParentNodes: !!setParentNodes, scriptKind, options: c.options });
      },
      add(fileName, sourceText, lvo, setParentNodes, scriptKind, options) {
        c.building = true;
        try {
          const file = createSourceFile(fileName, sourceText, lvo, setParentNodes, scriptKind);
          bindSourceFile(file, options);
          entries.set(fileName, { file, text: sourceText, languageVersion: lvo.languageVersion, impliedNodeFormat: lvo.impliedNodeFormat,
            setParentNodes: !!setParentNodes, scriptKind, optionsKey: c.optionsKey(options) });
        } finally {
          c.building = false;
        }
      },
      size() { return entries.size; },
      createProgramWith(options, run) {
        const previous = c.options;
        c.options = options;
        try { return run(); } finally { c.options = previous; }
      },
    };
    return c;
  })();
`;
  const SOURCE_FILE = "function createSourceFile(fileName, sourceText, languageVersionOrOptions, setParentNodes = false, scriptKind) {";
  const PROGRAM = "function createProgram(rootNamesOrOptions, _options, _host, _oldProgram, _configFileParsingDiagnostics) {";
  const PARSED = "    perfLogger.logStopParseSourceFile();";

  function patch(source) {
    const count = (s) => source.split(s).length - 1;
    for (const s of [SOURCE_FILE, PROGRAM]) if (count(s) !== 1) throw new Error(`snapshot-entry: TypeScript's source has ${count(s)} copies of "${s}", expected 1 (another TypeScript?): no snapshot built`);
    const at = source.indexOf(SOURCE_FILE);
    const parsedAt = source.indexOf(PARSED, at);
    if (parsedAt < 0 || parsedAt - at > 4000) throw new Error("snapshot-entry: the end of TypeScript's createSourceFile was not found: no snapshot built");
    let out = source.slice(0, at) + CACHE_CODE + SOURCE_FILE +
      "\n    { const __llmdHit = __llmdSnapshotCache.take(fileName, sourceText, languageVersionOrOptions, setParentNodes, scriptKind); if (__llmdHit) return __llmdHit; }\n" +
      source.slice(at + SOURCE_FILE.length, parsedAt) +
      "    __llmdSnapshotCache.record(fileName, sourceText, languageVersionOrOptions, setParentNodes, scriptKind);\n" +
      source.slice(parsedAt);
    // createProgram tells the cache which compiler options the files it asks for are for.
    out = out.replace(PROGRAM,
      "function createProgram(rootNamesOrOptions, _options, _host, _oldProgram, _configFileParsingDiagnostics) {\n" +
      "    const __llmdOptions = isArray(rootNamesOrOptions) ? _options : rootNamesOrOptions.options;\n" +
      "    return __llmdSnapshotCache.createProgramWith(__llmdOptions, () => __llmdCreateProgram(rootNamesOrOptions, _options, _host, _oldProgram, _configFileParsingDiagnostics));\n" +
      "  }\n" +
      "  function __llmdCreateProgram(rootNamesOrOptions, _options, _host, _oldProgram, _configFileParsingDiagnostics) {");
    return out;
  }

  function evaluate(file, source) {
    const hook = {};
    const mod = { exports: {}, filename: file, id: file };
    // A CommonJS module's wrapper, with the compiler's real path (getDefaultLibFilePath uses it).
    const wrapper = new Function("exports", "require", "module", "__filename", "__dirname", "__llmdHook", source);
    wrapper.call(mod.exports, mod.exports, require, mod, file, path.dirname(file), hook);
    return { ts: mod.exports, cache: hook.cache };
  }

  const realTsPath = fs.realpathSync(tsPath);
  const { ts, cache } = evaluate(realTsPath, patch(fs.readFileSync(realTsPath, "utf8")));

  // --- what tslab's converter asks for: its compiler options (tslab/dist/converter.js) --------
  const isDir = (p) => {
    try {
      return fs.statSync(p).isDirectory();
    } catch {
      return false;
    }
  };
  const isFile = (p) => {
    try {
      return fs.statSync(p).isFile();
    } catch {
      return false;
    }
  };
  const norm = (...parts) => path.join(...parts).replace(/\\/g, "/");
  const cwd = norm(templateCwd);
  // tslab fakes <cwd>/node_modules so that `tslab` resolves; it has no @types, so the roots are the same.
  let typeRoots = ts.getDefaultTypeRoots(cwd, { directoryExists: isDir }) || [];
  if (!typeRoots.some((root) => isFile(norm(root, "node", "package.json")))) typeRoots = [...typeRoots, norm(tslabDist, "..", "node_modules", "@types")];
  const options = {
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    esModuleInterop: true,
    target: ts.ScriptTarget.ES2022,
    lib: ["lib.es2022.d.ts"],
    declaration: true,
    newLine: ts.NewLineKind.LineFeed,
    noImplicitUseStrict: true,
    experimentalDecorators: true,
    resolveJsonModule: true,
    jsx: ts.JsxEmit.React,
    typeRoots,
    allowJs: true,
    checkJs: true,
    disableTopLevelAwait: true,
    skipLibCheck: true,
    rootDir: cwd,
    outDir: "outDir",
  };

  // A compiler host of our own: TypeScript's ts.sys remembers the first current directory it is
  // asked for, and the kernel's must be the kernel's, not this build's (checked below).
  const srcFile = norm(cwd, "__tslab__.ts");
  const declFile = norm(cwd, "__prev__.d.ts");
  // A first cell as the course's notebooks write it: it imports the library, so the library's
  // declaration files are cached too, and holds a type error, as learners' cells often do. (Not
  // mathjs: one notebook imports it, and its 0.3 MB of declarations would add 4 MB to every start.)
  const FIRST_CELL = [
    'import { pageChain, PageSpace, MarkovChain, figure, show, check } from "llm-dynamics";',
    "const space: PageSpace = new PageSpace(['a', 'b'], 2);",
    "const sizes = [1, 2, 3].map((k) => 2 ** k).reduce((s, x) => s + x, 0);",
    "export const used = [pageChain, MarkovChain, figure, show, check, space, sizes.toFixed(1)];",
    'const notANumber: number = "x";',
  ].join("\n");
  const virtual = new Map([
    [srcFile, FIRST_CELL],
    [declFile, "export {};\n"],
  ]);
  const host = {
    getSourceFile: (fileName, lvo) => {
      const text = host.readFile(fileName);
      return text === undefined ? undefined : ts.createSourceFile(fileName, text, lvo, undefined, undefined);
    },
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    getDefaultLibLocation: () => path.dirname(ts.getDefaultLibFilePath(options)),
    writeFile: () => undefined,
    getCurrentDirectory: () => cwd,
    getDirectories: (p) => {
      try {
        return fs.readdirSync(p, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
      } catch {
        return [];
      }
    },
    fileExists: (p) => virtual.has(p) || isFile(p),
    readFile: (p) => {
      if (virtual.has(p)) return virtual.get(p);
      try {
        return fs.readFileSync(p, "utf8");
      } catch {
        return undefined;
      }
    },
    directoryExists: (p) => isDir(p) || p === norm(cwd, "node_modules"),
    realpath: (p) => {
      try {
        return fs.realpathSync.native(p);
      } catch {
        return p;
      }
    },
    getCanonicalFileName: (f) => f,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => "\n",
  };

  const cwdBefore = process.cwd;
  let cwdAsked = null;
  process.cwd = function () {
    cwdAsked ??= new Error("process.cwd() was called while the snapshot was built").stack;
    return cwdBefore.call(process);
  };
  const recorded = [];
  cache.recording = recorded;
  try {
    const program = ts.createProgram({ rootNames: [declFile, srcFile], options, host });
    // What tslab does with a cell: check it, then emit its JavaScript and declarations. Besides
    // recording the files, this leaves V8's bytecode of the checker and emitter in the snapshot.
    const cell = program.getSourceFile(srcFile);
    program.getSemanticDiagnostics(cell);
    program.emit(cell, () => undefined);
  } finally {
    cache.recording = null;
    process.cwd = cwdBefore;
  }
  if (cwdAsked) throw new Error(`snapshot-entry: ${cwdAsked}`);
  // Fresh parses, bound with the converter's options: what a fresh program would make of them.
  for (const r of recorded) {
    if (virtual.has(r.fileName) || !r.options) continue;
    const text = fs.readFileSync(r.fileName, "utf8");
    cache.add(r.fileName, text, r.lvo, r.setParentNodes, r.scriptKind, r.options);
  }
  if (cache.size() < 10) throw new Error(`snapshot-entry: only ${cache.size()} declaration files were cached; expected lib.es2022's and the project's @types`);
  const cached = cache.size();
  process.stderr.write(`snapshot-entry: TypeScript ${ts.version}, ${cached} declaration files parsed and bound\n`);

  v8.startupSnapshot.setDeserializeMainFunction(() => {
    const Module = require("node:module");
    const { realpathSync } = require("node:fs");
    // tslab's require("@tslab/typescript-for-tslab") gets this compiler, as if it had loaded it.
    const m = new Module(realTsPath, null);
    m.filename = realTsPath;
    m.paths = Module._nodeModulePaths(path.dirname(realTsPath));
    m.exports = ts;
    m.loaded = true;
    Module._cache[realTsPath] = m;
    const info = {
      blob: process.execArgv[process.execArgv.indexOf("--snapshot-blob") + 1],
      typescript: realTsPath,
      cached,
      get served() {
        return [...cache.served];
      },
      get stale() {
        return [...cache.stale];
      },
    };
    // What a cell (or a test) reads to see that this kernel started from the snapshot.
    Object.defineProperty(globalThis, Symbol.for("llm-dynamics.kernel-snapshot"), { value: info, enumerable: false });
    const main = process.argv[1];
    if (!main) {
      console.error("usage: node --snapshot-blob <blob> <main.js> [args…]");
      process.exit(2);
    }
    process.argv[1] = realpathSync(path.resolve(main));
    Module.runMain();
  });
}
