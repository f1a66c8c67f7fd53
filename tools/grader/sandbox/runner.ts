/**
 * The sandboxed runner: executes one submission's compiled cells the way the tslab kernel does, then
 * calls the graded functions on the draws and reports plain data. Started by `tools/grader/session.ts`
 * as
 *
 *     node --experimental-permission --allow-fs-read=… --allow-fs-write=<scratch> \
 *          --max-old-space-size=512 runner.js        (cwd = scratch, job on stdin, reports on fd 3)
 *
 * It imports nothing but Node's built-ins. Everything it relies on after the learner's code has run
 * is captured first (the learner can replace `Array.prototype`, `JSON`, `Math`, `process.exit` …):
 * reports are built by string concatenation with a hand-written encoder, written as strings with a
 * captured `fs.writeSync` (no Buffer or TextEncoder on the way, whose methods the learner could hook),
 * and each line carries a nonce the learner's code never sees. None of this decides a
 * grade — the grader type-checks and compares the reported values in its own process — it only keeps
 * the report truthful to what the functions returned.
 *
 * Hardening before the learner's code: network modules refuse to connect (Node 20's permission model
 * does not cover the network), `child_process`, `worker_threads`, `cluster`, `inspector`, `v8`, `wasi`
 * and the network modules cannot be required, and `process.exit`/`kill`/`abort` throw.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- this file handles arbitrary learner values */
/* eslint-disable @typescript-eslint/no-require-imports -- the real module objects are patched, not ES namespace copies */
import fs = require("node:fs");
import vm = require("node:vm");
import path = require("node:path");
import NodeModule = require("node:module");
import asyncHooks = require("node:async_hooks");
import crypto = require("node:crypto");

// ------------------------------------------------------------ captured built-ins
const ReflectApply = Reflect.apply;
const ObjectGetPrototypeOf = Object.getPrototypeOf;
const ObjectPrototype = Object.prototype;
const ObjectKeys = Object.keys;
const ObjectHasOwn = Object.hasOwn;
const ObjectDefineProperty = Object.defineProperty;
const ObjectGetOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
const ObjectPrototypeToString = Object.prototype.toString;
const ObjectSetPrototypeOf = Object.setPrototypeOf;
const ArrayPrototypeJoin = Array.prototype.join;
const ArrayIsArray = Array.isArray;
const ArrayBufferIsView = ArrayBuffer.isView;
const StringPrototypeCharCodeAt = String.prototype.charCodeAt;
const StringPrototypeSlice = String.prototype.slice;
const StringPrototypeStartsWith = String.prototype.startsWith;
const NumberToString = (n: number) => "" + n;
const DateNow = Date.now;
const writeSync = fs.writeSync;
const WeakMapPrototypeGet = WeakMap.prototype.get;
const WeakMapPrototypeSet = WeakMap.prototype.set;
const executionAsyncResource = asyncHooks.executionAsyncResource;
const ScriptCtor = vm.Script;
const scriptRunInThisContext = vm.Script.prototype.runInThisContext;
const setTimeoutFn = setTimeout;
const setImmediateFn = setImmediate;
const clearTimeoutFn = clearTimeout;
const PromiseCtor = Promise;
const PromisePrototypeThen = Promise.prototype.then;
const ErrorCtor = Error;
const processRef = process;
const reallyExit = (process as any).reallyExit as (code: number) => never;
const ProxyCtor = Proxy;

const MAX_ITEMS = 2_000_000;
const MAX_STRING = 10_000;
const MAX_DEPTH = 8;
const REPORT_FD = 3;
const HEX = "0123456789abcdef";

// ------------------------------------------------------------ the job (read before any learner code)
interface JobCell {
  index: number;
  /** Compiled JavaScript (tslab's output), absent when the cell is skipped. */
  js?: string;
  async?: boolean;
  lastExpressionVar?: string;
  skip?: string;
}
interface JobCall {
  exercise: string;
  functionName: string;
  /** Library exports this exercise's answer must not call (traced, see src/policy.ts). */
  forbidden?: string[];
  draws: { d: number; args: unknown[] }[];
  drawTimeoutMs: number;
  budgetMs: number;
  maxTimeouts: number;
  /** Time already spent on this exercise by earlier runners (after a restart). */
  spentMs: number;
  timeoutsSoFar: number;
}
interface Job {
  nonce: string;
  cellTimeoutMs: number;
  cells: JobCell[];
  calls: JobCall[];
}

// Arguments may hold Infinity, which JSON writes as {"$number": "Infinity"} (src/check.ts's convention).
const job = JSON.parse(fs.readFileSync(0, "utf8"), (_key, value) =>
  value !== null && typeof value === "object" && !Array.isArray(value) && typeof value.$number === "string" && Object.keys(value).length === 1 ? Number(value.$number) : value,
) as Job;
const nonce = job.nonce;

// ------------------------------------------------------------ reporting
function quote(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = ReflectApply(StringPrototypeCharCodeAt, s, [i]) as number;
    if (c === 34) out += '\\"';
    else if (c === 92) out += "\\\\";
    else if (c < 32 || (c >= 0xd800 && c <= 0xdfff) || c === 0x2028 || c === 0x2029) {
      out += "\\u" + HEX[(c >> 12) & 15] + HEX[(c >> 8) & 15] + HEX[(c >> 4) & 15] + HEX[c & 15];
    } else out += s[i];
  }
  return out + '"';
}

/**
 * Writes one report line. The string goes straight to the native write: converting it to bytes first
 * (`Buffer.from`, `TextEncoder`) or passing a Buffer (`fs.writeSync` reads its `byteLength` getter)
 * would run methods the learner can replace and so let them read the line, nonce included. The pipe is
 * blocking, so one write writes the whole line.
 */
function send(json: string): void {
  const line = nonce + " " + json + "\n";
  for (;;) {
    try {
      writeSync(REPORT_FD, line, null, "utf8");
      return;
    } catch (e: any) {
      if (e && e.code === "EAGAIN") continue;
      throw e;
    }
  }
}

// ------------------------------------------------------------ the value encoder
let itemsLeft = 0;

function opaque(description: string): string {
  return '{"$t":' + quote(description) + "}";
}

function tagOf(v: object): string {
  const tag = ReflectApply(ObjectPrototypeToString, v, []) as string;
  return ReflectApply(StringPrototypeSlice, tag, [8, -1]) as string;
}

/**
 * A list of encoded pieces, joined once at the end: appending a million numbers to one string (a
 * 729 × 729 matrix) cost over half a second, joining them costs tens of milliseconds. The list has no
 * prototype, so storing into it can never reach a setter the learner put on `Array.prototype`, and the
 * join is the captured one, on strings only (no learner `toString` runs).
 */
function pieces(): string[] {
  return ObjectSetPrototypeOf([], null) as string[];
}

/** Plain data as JSON text; anything else as {"$t": description}. Reads the value exactly once. */
function encode(v: unknown, depth: number): string {
  if (--itemsLeft < 0) throw new ErrorCtor(`the answer is too large (more than ${MAX_ITEMS} values)`);
  switch (typeof v) {
    case "number":
      return v === v && v !== Infinity && v !== -Infinity ? NumberToString(v) : '{"$n":' + quote(NumberToString(v)) + "}";
    case "string":
      return v.length > MAX_STRING ? opaque(`a string of ${v.length} characters`) : quote(v);
    case "boolean":
      return v ? "true" : "false";
    case "undefined":
      return opaque("undefined");
    case "bigint":
      return opaque("a BigInt");
    case "symbol":
      return opaque("a symbol");
    case "function":
      return opaque("a function");
  }
  if (v === null) return "null";
  if (depth >= MAX_DEPTH) return opaque("a structure nested too deeply");
  const o = v as any;
  if (ArrayIsArray(o)) {
    const n = o.length;
    if (typeof n !== "number" || n > itemsLeft) throw new ErrorCtor(`the answer is too large (an array of ${NumberToString(n)} items)`);
    const parts = pieces();
    for (let i = 0; i < n; i++) parts[i] = ObjectHasOwn(o, i) ? encode(o[i], depth + 1) : '{"$t":"hole"}';
    return "[" + (ReflectApply(ArrayPrototypeJoin, parts, [","]) as string) + "]";
  }
  if (ArrayBufferIsView(o)) return opaque(`a ${tagOf(o)}`);
  const proto = ObjectGetPrototypeOf(o);
  if (proto !== ObjectPrototype && proto !== null) {
    let name = tagOf(o);
    try {
      const ctor = proto.constructor;
      if (typeof ctor === "function" && typeof ctor.name === "string" && ctor.name) name = ctor.name;
    } catch {
      // keep the tag
    }
    return opaque(`an object of class ${name}`);
  }
  const keys = ObjectKeys(o);
  const parts = pieces();
  for (let i = 0; i < keys.length; i++) parts[i] = "[" + quote(keys[i]) + "," + encode(o[keys[i]], depth + 1) + "]";
  return '{"$o":[' + (ReflectApply(ArrayPrototypeJoin, parts, [","]) as string) + "]}";
}

function errorText(e: unknown): string {
  try {
    if (e !== null && (typeof e === "object" || typeof e === "function")) {
      const name = (e as any).name;
      const message = (e as any).message;
      const n = typeof name === "string" ? name : "Error";
      if (typeof message === "string") return ReflectApply(StringPrototypeSlice, n + ": " + message, [0, 2000]) as string;
      return n;
    }
    if (typeof e === "string") return ReflectApply(StringPrototypeSlice, e, [0, 2000]) as string;
    return "a thrown " + typeof e;
  } catch {
    return "an error that could not be read";
  }
}

// ------------------------------------------------------------ guarded calls with a time limit
// The learner's code runs inside one vm script whose `timeout` stops endless loops; the script calls a
// dispatcher that lives on the global object under a random, read-only name.
type Outcome = { status: "ok"; value: unknown } | { status: "threw"; error: string } | { status: "timeout" };
let pendingThunk: (() => unknown) | null = null;
let pendingOutcome: Outcome | null = null;
// A name of its own (never derived from the nonce): the learner can list the global's properties.
const dispatcherName = "__llmd_dispatch_" + crypto.randomBytes(9).toString("hex");
ObjectDefineProperty(globalThis, dispatcherName, {
  value: function dispatch(): void {
    const thunk = pendingThunk;
    pendingThunk = null;
    if (!thunk) return;
    try {
      pendingOutcome = { status: "ok", value: thunk() };
    } catch (e) {
      pendingOutcome = { status: "threw", error: errorText(e) };
    }
  },
  writable: false,
  configurable: false,
  enumerable: false,
});
const dispatchScript = new ScriptCtor(`this[${JSON.stringify(dispatcherName)}]();`, { filename: "grader-dispatch.js" });

function guarded(thunk: () => unknown, timeoutMs: number): Outcome {
  pendingThunk = thunk;
  pendingOutcome = null;
  try {
    ReflectApply(scriptRunInThisContext, dispatchScript, [{ timeout: Math.max(1, Math.floor(timeoutMs)), breakOnSigint: false }]);
  } catch {
    pendingThunk = null;
    // Only the watchdog's termination escapes the dispatcher's own try/catch.
    return { status: "timeout" };
  }
  return pendingOutcome ?? { status: "threw", error: "the call did not complete" };
}

// ------------------------------------------------------------ hardening
function refuse(what: string): never {
  throw new ErrorCtor(`${what} is not available while grading`);
}

// A null-prototype lookup table and captured string functions: the learner may patch Set and String.prototype.
const DENIED_MODULES: Record<string, true> = Object.create(null);
for (const m of ["child_process", "cluster", "worker_threads", "net", "tls", "dgram", "dns", "dns/promises", "http", "https", "http2", "inspector", "v8", "wasi", "trace_events", "repl"]) DENIED_MODULES[m] = true;
function denied(id: unknown): boolean {
  if (typeof id !== "string") return false;
  const name = ReflectApply(StringPrototypeSlice, id, [0, 5]) === "node:" ? (ReflectApply(StringPrototypeSlice, id, [5]) as string) : id;
  return DENIED_MODULES[name] === true;
}

function harden(): void {
  // Network: make every entry point refuse, then also deny requiring the modules.
  const refuseNet = () => refuse("network access");
  const net = require("node:net");
  for (const k of ["connect", "createConnection", "createServer"]) net[k] = refuseNet;
  net.Socket.prototype.connect = refuseNet;
  net.Server.prototype.listen = refuseNet;
  const tls = require("node:tls");
  tls.connect = refuseNet;
  tls.createServer = refuseNet;
  for (const m of ["node:http", "node:https"]) {
    const mod = require(m);
    mod.request = refuseNet;
    mod.get = refuseNet;
    mod.createServer = refuseNet;
  }
  const http2 = require("node:http2");
  http2.connect = refuseNet;
  http2.createServer = refuseNet;
  http2.createSecureServer = refuseNet;
  const dgram = require("node:dgram");
  dgram.createSocket = refuseNet;
  dgram.Socket.prototype.send = refuseNet;
  dgram.Socket.prototype.bind = refuseNet;
  const dns = require("node:dns");
  for (const k of Object.keys(dns)) if (typeof dns[k] === "function" && k !== "Resolver") dns[k] = refuseNet;
  dns.Resolver.prototype.resolve = refuseNet;
  for (const k of Object.keys(dns.promises)) if (typeof dns.promises[k] === "function") dns.promises[k] = refuseNet;
  for (const g of ["fetch", "WebSocket", "EventSource"]) {
    if (g in globalThis) ObjectDefineProperty(globalThis, g, { value: refuseNet, writable: false, configurable: false });
  }
  const M = NodeModule as any;
  const originalLoad = M._load;
  // The library's show() asks tslab's kernel module for its display channel; there is no kernel here,
  // and loading that module would load a whole TypeScript compiler just to learn that. Figures are
  // not rendered while grading (show() prints its one-line description instead).
  const noKernel = Object.freeze({ lastWriteDisplayData: null });
  const load = function (request: string, parent: unknown, isMain: boolean) {
    if (denied(request)) refuse(`require("${request}")`);
    if (request === "tslab/dist/jupyter") return noKernel;
    return ReflectApply(originalLoad, M, [request, parent, isMain]);
  };
  ObjectDefineProperty(M, "_load", { value: load, writable: false, configurable: false });
  const getBuiltin = (processRef as any).getBuiltinModule;
  if (typeof getBuiltin === "function") {
    ObjectDefineProperty(processRef, "getBuiltinModule", {
      value: (id: string) => (denied(id) ? refuse(`process.getBuiltinModule("${id}")`) : ReflectApply(getBuiltin, processRef, [id])),
      writable: false,
      configurable: false,
    });
  }
  // The process: no exiting, no signals (the grader is a process too), no native code.
  const names: [string, string][] = [["exit", "process.exit"], ["reallyExit", "process.reallyExit"], ["abort", "process.abort"], ["kill", "process.kill"], ["_kill", "process._kill"], ["dlopen", "process.dlopen"], ["binding", "process.binding"], ["_linkedBinding", "process._linkedBinding"]];
  for (const [key, what] of names) {
    ObjectDefineProperty(processRef, key, { value: () => refuse(what), writable: false, configurable: false });
  }
  // As in the tslab kernel, an error in a callback is reported, not fatal.
  processRef.on("uncaughtException", () => leaveCallback());
  processRef.on("unhandledRejection", () => undefined);
}

// ------------------------------------------------------------ which library functions an answer calls
interface Recorder {
  start(): void;
  stop(): string[];
}

/**
 * Loads the library before any learner code, so every function it exports is traced (src/policy.ts),
 * takes a call recorder the learner's code never sees, and locks the module cache: deleting the
 * library's entries (or replacing the cache) to load a fresh, untraced copy fails.
 */
function traceLibrary(baseRequire: NodeJS.Require): Recorder {
  const lib = baseRequire("llm-dynamics");
  const recorder = lib.createCallRecorder() as Recorder;
  const libraryDir = path.dirname(baseRequire.resolve("llm-dynamics/package.json"));
  const cache = (NodeModule as any)._cache as Record<string, unknown>;
  for (const key of ObjectKeys(cache)) {
    if (ReflectApply(StringPrototypeStartsWith, key, [libraryDir + path.sep]) as boolean) {
      ObjectDefineProperty(cache, key, { value: cache[key], writable: false, configurable: false, enumerable: true });
    }
  }
  ObjectDefineProperty(NodeModule, "_cache", { value: cache, writable: false, configurable: false });
  return recorder;
}

/** The forbidden entries among the names called ("MarkovChain" covers "MarkovChain.closedClasses"). */
function forbiddenUsed(calls: string[], forbidden: string[] | undefined): string[] {
  const out: string[] = [];
  if (!forbidden) return out;
  for (let f = 0; f < forbidden.length; f++) {
    const name = forbidden[f];
    for (let c = 0; c < calls.length; c++) {
      if (calls[c] === name || (ReflectApply(StringPrototypeStartsWith, calls[c], [name + "."]) as boolean)) {
        out[out.length] = name;
        break;
      }
    }
  }
  return out;
}

function quoteList(items: string[]): string {
  let out = "[";
  for (let i = 0; i < items.length; i++) out += (i ? "," : "") + quote(items[i]);
  return out + "]";
}

// ------------------------------------------------------------ the tslab-like executor
/** tslab's exports object: `defineProperty` is turned into a plain assignment so imports can be redefined. */
function createExports(): { proxy: Record<string, unknown>; target: Record<string, unknown> } {
  const target: Record<string, unknown> = {};
  const proxy = new ProxyCtor(target, {
    defineProperty: (_t, prop, attrs) => {
      if (prop === "__esModule") return true;
      target[prop as string] = attrs.get ? attrs.get() : attrs.value;
      return true;
    },
  });
  return { proxy, target };
}

// ------------------------------------------------------------ whose code is running
// A callback belongs to the cell that scheduled it (async_hooks carries the owner from the code that
// created a timer, an immediate or a promise to the code that runs it). When the event loop enters a
// callback of another cell than the one the grader last heard of, the runner says so first, so a
// callback that never returns is blamed on the cell that started it, not on the cell now running; and
// the time a waiting cell spends in other cells' callbacks is not charged to it.
let runningCell = -1;
let announcedCell = -1;
let awaitedCell = -1;
let foreignStarted = -1;
let foreignMs = 0;
const owners = new WeakMap<object, number>();

function enterCallback(): void {
  const owner = ReflectApply(WeakMapPrototypeGet, owners, [ReflectApply(executionAsyncResource, asyncHooks, [])]);
  runningCell = typeof owner === "number" ? owner : -1;
  if (runningCell < 0) return;
  if (runningCell !== announcedCell) {
    announcedCell = runningCell;
    send('{"t":"bg","i":' + NumberToString(runningCell) + "}");
  }
  if (awaitedCell >= 0 && runningCell !== awaitedCell && foreignStarted < 0) foreignStarted = DateNow();
}

function leaveCallback(): void {
  runningCell = -1;
  if (foreignStarted >= 0) {
    foreignMs += DateNow() - foreignStarted;
    foreignStarted = -1;
  }
}

asyncHooks
  .createHook({
    init(_id: number, _type: string, _trigger: number, resource: object) {
      if (runningCell >= 0) ReflectApply(WeakMapPrototypeSet, owners, [resource, runningCell]);
    },
    before: enterCallback,
    after: leaveCallback,
  })
  .enable();

/** Waits for an async cell; time spent in other cells' callbacks meanwhile does not count. */
async function waitFor(promise: Promise<unknown>, timeoutMs: number, cell: number): Promise<Outcome> {
  awaitedCell = cell;
  foreignMs = 0;
  const started = DateNow();
  return new PromiseCtor<Outcome>((resolve) => {
    let timer: NodeJS.Timeout;
    const finish = (o: Outcome) => {
      clearTimeoutFn(timer);
      awaitedCell = -1;
      resolve(o);
    };
    const check = () => {
      const left = timeoutMs - (DateNow() - started - foreignMs);
      if (left <= 0) finish({ status: "timeout" });
      else timer = setTimeoutFn(check, left);
    };
    timer = setTimeoutFn(check, timeoutMs);
    ReflectApply(PromisePrototypeThen, promise, [() => finish({ status: "ok", value: undefined }), (e: unknown) => finish({ status: "threw", error: errorText(e) })]);
  });
}

function cellReport(i: number, status: string, error?: string): string {
  return '{"t":"cell","i":' + NumberToString(i) + ',"status":' + quote(status) + (error === undefined ? "" : ',"error":' + quote(error)) + "}";
}

async function main(): Promise<void> {
  const rootDir = processRef.cwd();
  harden();
  const { proxy: exportsProxy, target: exportsTarget } = createExports();
  const baseRequire = NodeModule.createRequire(path.join(rootDir, "src.js"));
  const recorder = traceLibrary(baseRequire);
  (globalThis as any).__tslab__ = { exports: exportsProxy, require: baseRequire };
  send('{"t":"hello"}');

  // Indexed loops only from here on: the learner's cells may replace the array iterator.
  for (let c = 0; c < job.cells.length; c++) {
    const cell = job.cells[c];
    if (cell.skip !== undefined || cell.js === undefined) {
      send(cellReport(cell.index, "skipped", cell.skip));
      continue;
    }
    send('{"t":"cell-start","i":' + NumberToString(cell.index) + "}");
    announcedCell = cell.index;
    const prefix = cell.async ? "(async function(exports, require) { " : "(function(exports, require) { ";
    let fn: (e: unknown, r: unknown) => unknown;
    try {
      const script = new ScriptCtor(prefix + cell.js + "\n})", { filename: `cell-${cell.index + 1}.js` });
      fn = ReflectApply(scriptRunInThisContext, script, []) as typeof fn;
    } catch (e) {
      send(cellReport(cell.index, "threw", errorText(e)));
      continue;
    }
    runningCell = cell.index;
    const outcome = guarded(() => fn(exportsProxy, baseRequire), job.cellTimeoutMs);
    runningCell = -1;
    let final = outcome;
    if (outcome.status === "ok" && cell.async) final = await waitFor(outcome.value as Promise<unknown>, job.cellTimeoutMs, cell.index);
    if (final.status === "ok" && cell.lastExpressionVar) delete exportsTarget[cell.lastExpressionVar];
    send(cellReport(cell.index, final.status, final.status === "threw" ? final.error : final.status === "timeout" ? `time limit of ${job.cellTimeoutMs / 1000} s exceeded` : undefined));
    announcedCell = cell.index;
    // The kernel returns to its event loop after every cell: timers and callbacks a cell started run
    // before the next cell, as they would there. setImmediate alone is not enough: a 0 ms timer is due
    // only after 1 ms, so it could fire during the next cell and be blamed on it. Our own 1 ms timer
    // is queued after every timer the cell made, so those run first.
    await new PromiseCtor((resolve) => setTimeoutFn(resolve, 1));
    await new PromiseCtor((resolve) => setImmediateFn(resolve));
  }

  for (let x = 0; x < job.calls.length; x++) {
    const call = job.calls[x];
    const ex = quote(call.exercise);
    const desc = ObjectGetOwnPropertyDescriptor(exportsTarget, call.functionName);
    if (!desc || !("value" in desc)) {
      send('{"t":"fn","ex":' + ex + ',"status":"missing"}');
      continue;
    }
    const fn = desc.value;
    if (typeof fn !== "function") {
      itemsLeft = 100;
      let shown: string;
      try {
        shown = encode(fn, MAX_DEPTH - 1);
      } catch {
        shown = opaque("a value");
      }
      send('{"t":"fn","ex":' + ex + ',"status":"not-function","value":' + shown + "}");
      continue;
    }
    send('{"t":"fn","ex":' + ex + ',"status":"ok"}');
    let spent = call.spentMs;
    let timeouts = call.timeoutsSoFar;
    for (let j = 0; j < call.draws.length; j++) {
      const draw = call.draws[j];
      const head = '{"t":"draw","ex":' + ex + ',"d":' + NumberToString(draw.d);
      if (timeouts >= call.maxTimeouts) {
        send(head + ',"status":"skipped","error":' + quote(`not run: the function already ran out of time on ${timeouts} draws`) + "}");
        continue;
      }
      const left = call.budgetMs - spent;
      if (left <= 0) {
        send(head + ',"status":"skipped","error":' + quote(`not run: the exercise's time budget of ${call.budgetMs / 1000} s is used up`) + "}");
        continue;
      }
      const limit = left < call.drawTimeoutMs ? left : call.drawTimeoutMs;
      send('{"t":"draw-start","ex":' + ex + ',"d":' + NumberToString(draw.d) + ',"limitMs":' + NumberToString(limit) + "}");
      const a = draw.args;
      const started = DateNow();
      recorder.start();
      // Reading the answer runs learner code too (getters, Proxy traps): it shares the draw's time limit,
      // and a failure to read it is told apart from the function throwing.
      const outcome = guarded(() => {
        const value = a.length === 1 ? fn(a[0]) : a.length === 2 ? fn(a[0], a[1]) : fn(a[0], a[1], a[2]);
        itemsLeft = MAX_ITEMS;
        try {
          return { encoded: encode(value, 0) };
        } catch (e) {
          return { unreadable: errorText(e) };
        }
      }, limit);
      const used = forbiddenUsed(recorder.stop(), call.forbidden);
      const ms = DateNow() - started;
      spent += ms;
      const tail = (used.length > 0 ? ',"forbidden":' + quoteList(used) : "") + ',"ms":' + NumberToString(ms) + "}";
      const result = outcome.status === "ok" ? (outcome.value as { encoded?: string; unreadable?: string }) : null;
      if (result && result.unreadable !== undefined) send(head + ',"status":"unreadable","error":' + quote("your answer could not be read: " + result.unreadable) + tail);
      else if (result) send(head + ',"status":"ok","value":' + (result.encoded as string) + tail);
      else if (outcome.status === "threw") send(head + ',"status":"threw","error":' + quote(outcome.error) + tail);
      else {
        timeouts++;
        send(head + ',"status":"timeout","error":' + quote(`time limit of ${limit / 1000} s exceeded`) + tail);
      }
    }
  }
  send('{"t":"done"}');
  ReflectApply(reallyExit, processRef, [0]);
}

main().catch((e) => {
  try {
    send('{"t":"fatal","error":' + quote(errorText(e)) + "}");
  } finally {
    ReflectApply(reallyExit, processRef, [70]);
  }
});
