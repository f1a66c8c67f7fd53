/**
 * llm-dynamics: a language model with a finite context window, seen as a Markov chain on pages.
 *
 *     import { pageChain, waluigiChain, MarkovChain, softmax } from "llm-dynamics";
 */
export * from "./validate";
export * from "./pages";
export * from "./model";
export * from "./sparse";
export * from "./classes";
export * from "./stationary";
export * from "./hitting";
export * from "./elimination";
export * from "./certified";
export * from "./solverReport";
export * from "./eigen";
export * from "./simulate";
export * from "./chain";
export * from "./pageChain";
export * from "./orbits";
export * from "./waluigi";
export * from "./waluigiCounts";
export * from "./firstPassage";
export * from "./figure";
export * from "./slider";
export * from "./sizes";
export * from "./claims";
export * from "./textModels";
export * from "./network";
export * from "./boredom";
export * from "./compare";
export * from "./check";
export * from "./tupleTable";
export * from "./largePageChain";
export * from "./lm/corpus";
export * from "./lm/kneserNey";
export * from "./lm/brown";
export * from "./policy";

import { sep } from "node:path";
import { instrumentModuleExports } from "./policy";

// Trace every export of the library's own modules (see policy.ts). Only the compiled CommonJS build
// has a module cache to walk; elsewhere (a bundler, the test runner's TypeScript transform) this is a
// no-op and nothing is traced.
if (typeof require === "function" && typeof __dirname === "string" && require.cache) {
  for (const [file, mod] of Object.entries(require.cache)) {
    if (!mod || !file.startsWith(__dirname + sep) || !file.endsWith(".js")) continue;
    try {
      instrumentModuleExports(mod.exports as Record<string, unknown>);
    } catch {
      // a module whose exports cannot be replaced stays untraced
    }
  }
}
