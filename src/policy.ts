/**
 * Which library functions an exercise answer called: the mechanism behind "the learner builds; the
 * library does not answer".
 *
 * When the library is loaded (`index.ts`), every function, class, static method, method and getter it
 * exports is replaced, in its own module's exports object, by a thin wrapper that notes its name in
 * every active recorder and then runs the original. Because the replacement happens in the module
 * objects themselves, every way of reaching a function goes through the wrapper: a named import, an
 * alias, destructuring, `require("llm-dynamics")` or `require` of one of its files, dynamic property
 * access (`lib["waluigi" + "Chain"]`), a subclass, an instance made earlier, or a call the library
 * makes itself. Calls are noted at any depth, so a forbidden function reached through an allowed one
 * (a callback, a `valueOf`) is noted too; an allowed function must therefore never need a forbidden
 * one internally, which the tests check by running every reference solution under its own policy.
 *
 * `check` (in the notebook) and the grader's sandbox both record the calls made while a learner's
 * function answers one draw and compare them with the exercise's forbidden list.
 *
 *     const recorder = createCallRecorder();
 *     recorder.start();
 *     waluigiChain(2, { luigiPrior: 0.9, pFriendly: 0.8 });
 *     recorder.stop();   // ["waluigiChain", "PageSpace", …]
 */

// Captured at load, before any learner code: the learner may later replace these built-ins.
const ReflectApply = Reflect.apply;
const ReflectConstruct = Reflect.construct;
const ObjectDefineProperty = Object.defineProperty;
const ObjectGetOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
const ObjectGetOwnPropertyNames = Object.getOwnPropertyNames;
const ReflectGet = Reflect.get;
const SetCtor = Set;
const SetAdd = Set.prototype.add;
const SetClear = Set.prototype.clear;
const ArrayFrom = Array.from;
const ArrayPush = Array.prototype.push;
const ArraySplice = Array.prototype.splice;
const ArraySort = Array.prototype.sort;
const ObjectFreeze = Object.freeze;
const ProxyCtor = Proxy;

const WRAPPED = Symbol("llm-dynamics.traced");

/** The recorders that are listening; a call is noted in all of them. */
const active: Set<string>[] = [];

function note(name: string): void {
  for (let i = 0; i < active.length; i++) ReflectApply(SetAdd, active[i], [name]);
}

export interface CallRecorder {
  /** Starts noting library calls, forgetting what an earlier start noted. */
  start(): void;
  /** Stops noting; returns the names noted since the last start, sorted. */
  stop(): string[];
}

/**
 * A recorder of library calls. Several may be active at once; each sees every call. It uses only
 * built-ins captured when the library loaded, so a learner's later patch of `Array.prototype.push`
 * (say) cannot blind a recorder made before.
 */
export function createCallRecorder(): CallRecorder {
  const names = new SetCtor<string>();
  let on = false;
  const remove = () => {
    for (let i = active.length - 1; i >= 0; i--) if (active[i] === names) ReflectApply(ArraySplice, active, [i, 1]);
  };
  return ObjectFreeze({
    start() {
      ReflectApply(SetClear, names, []);
      if (on) return;
      on = true;
      ReflectApply(ArrayPush, active, [names]);
    },
    stop() {
      if (on) {
        on = false;
        remove();
      }
      return ReflectApply(ArraySort, ArrayFrom(names), []) as string[];
    },
  });
}

/** Runs `fn` and returns its value with the library calls it made (sorted); rethrows its error. */
export function libraryCallsDuring<T>(fn: () => T): { value: T; calls: string[] } {
  const recorder = createCallRecorder();
  recorder.start();
  let value: T;
  try {
    value = fn();
  } finally {
    recorder.stop();
  }
  return { value, calls: recorder.stop() };
}

/** Whether `name` (e.g. "MarkovChain.closedClasses") is covered by a forbidden entry ("MarkovChain"). */
export function isForbiddenCall(name: string, forbidden: readonly string[]): boolean {
  for (const f of forbidden) if (name === f || name.startsWith(f + ".")) return true;
  return false;
}

/** The forbidden entries that `calls` used, in the order of `forbidden`. */
export function forbiddenCalls(calls: readonly string[], forbidden: readonly string[]): string[] {
  return forbidden.filter((f) => calls.some((c) => c === f || c.startsWith(f + ".")));
}

function wrapFunction(name: string, fn: (...args: unknown[]) => unknown): (...args: unknown[]) => unknown {
  const wrapper = function (this: unknown): unknown {
    if (active.length > 0) note(name);
    // eslint-disable-next-line prefer-rest-params -- no array is allocated per call on hot paths
    return ReflectApply(fn, this, arguments);
  };
  ObjectDefineProperty(wrapper, "name", { value: fn.name });
  ObjectDefineProperty(wrapper, "length", { value: fn.length });
  ObjectDefineProperty(wrapper, WRAPPED, { value: true });
  return wrapper;
}

function isClass(fn: unknown): boolean {
  try {
    return typeof fn === "function" && /^class[\s{]/.test(Function.prototype.toString.call(fn));
  } catch {
    return false;
  }
}

/** Wraps a class's methods, getters and static methods in place; returns a Proxy that notes construction. */
function wrapClass(name: string, cls: new (...args: unknown[]) => unknown): unknown {
  const wrapMembers = (target: object, prefix: string, skip: readonly string[]) => {
    for (const key of ObjectGetOwnPropertyNames(target)) {
      if (skip.includes(key)) continue;
      const d = ObjectGetOwnPropertyDescriptor(target, key);
      if (!d || !d.configurable) continue;
      const member = `${prefix}.${key}`;
      if (typeof d.value === "function") ObjectDefineProperty(target, key, { ...d, value: wrapFunction(member, d.value) });
      else if (d.get) ObjectDefineProperty(target, key, { ...d, get: wrapFunction(member, d.get), set: d.set && wrapFunction(member, d.set) });
    }
  };
  wrapMembers(cls.prototype as object, name, ["constructor"]);
  wrapMembers(cls, name, ["prototype", "length", "name"]);
  const proxy = new ProxyCtor(cls, {
    construct(target, args, newTarget) {
      if (active.length > 0) note(name);
      return ReflectConstruct(target, args, newTarget);
    },
    apply(target, self, args) {
      if (active.length > 0) note(name);
      return ReflectApply(target as unknown as (...a: unknown[]) => unknown, self, args);
    },
    get(target, key, receiver) {
      if (key === WRAPPED) return true;
      return ReflectGet(target, key, receiver);
    },
  });
  return proxy;
}

/** Names that are never traced: the tracer itself and the feedback tools a learner's cell may call. */
const UNTRACED = new SetCtor(["createCallRecorder", "libraryCallsDuring", "isForbiddenCall", "forbiddenCalls", "instrumentModuleExports", "check", "checkResult"]);

/**
 * Replaces every exported function and class of one module's exports object by its traced wrapper.
 * Properties that cannot be replaced (getters of re-exports, frozen objects) are left alone: they
 * point at another module's exports, which is instrumented itself.
 */
export function instrumentModuleExports(exportsObject: Record<string, unknown>): void {
  for (const key of ObjectGetOwnPropertyNames(exportsObject)) {
    if (UNTRACED.has(key)) continue;
    const d = ObjectGetOwnPropertyDescriptor(exportsObject, key);
    if (!d || !("value" in d) || typeof d.value !== "function" || !d.writable) continue;
    const fn = d.value as ((...args: unknown[]) => unknown) & { [WRAPPED]?: boolean };
    if (fn[WRAPPED]) continue;
    const traced = isClass(fn) ? wrapClass(key, fn as unknown as new (...args: unknown[]) => unknown) : wrapFunction(key, fn);
    ObjectDefineProperty(exportsObject, key, { ...d, value: traced });
  }
}
