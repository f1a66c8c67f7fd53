import { defineConfig } from "vitest/config";

// Kernel, browser and grading tests start real processes, so they get generous time limits.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: "forks",
  },
});
