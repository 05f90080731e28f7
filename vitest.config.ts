import { defineConfig } from "vitest/config";

const serverSuites = ["tests/server/**/*.test.ts", "tests/desktop/**/*.test.ts"];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        test: {
          name: "unit",
          include: ["server/**/*.test.ts", "apps/**/*.test.ts"],
        },
      },
      {
        test: {
          name: "pglite",
          include: serverSuites,
          env: { HOURSYNC_TEST_DB: "pglite" },
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: "postgres",
          include: serverSuites,
          env: { HOURSYNC_TEST_DB: "postgres" },
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: "faults",
          include: ["tests/faults/**/*.test.ts"],
          env: { HOURSYNC_TEST_DB: "postgres" },
          testTimeout: 900_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
