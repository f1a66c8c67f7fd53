import { defineConfig } from "vitest/config";

// Kernel, browser and grading tests start real processes, so they get generous time limits.
// Tests import the library by its package name, as notebooks do; here it resolves to the sources.
export default defineConfig({
  resolve: { alias: { "llm-dynamics": new URL("./src/index.ts", import.meta.url).pathname } },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: "forks",
  },
});
