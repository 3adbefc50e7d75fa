import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // One fast-check seed for every property without its own (FAST_CHECK_SEED overrides it).
    setupFiles: ["test/support/fast-check-setup.ts"],
    testTimeout: 30_000,
    pool: "forks",
  },
});
