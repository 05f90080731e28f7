import { defineConfig } from "vitest/config";
import { contractAlias } from "./apps/desktop/renderer.vite.config.js";

const serverSuites = ["tests/server/**/*.test.ts", "tests/desktop/**/*.test.ts"];

// electron-store must go through vite so the fake `electron` of the main-process test replaces the real one.
const inlineElectronStore = { deps: { inline: ["electron-store", "conf"] } };

export default defineConfig({
  resolve: { alias: contractAlias(import.meta.dirname) },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["server/**/*.test.ts", "apps/**/*.test.ts"],
        },
      },
      {
        extends: true,
        test: {
          // Renderer components and hooks in a simulated DOM (Testing Library).
          name: "renderer",
          include: ["apps/desktop/src/renderer/**/*.test.tsx"],
          environment: "happy-dom",
        },
      },
      {
        extends: true,
        test: {
          name: "pglite",
          include: serverSuites,
          env: { HOURSYNC_TEST_DB: "pglite" },
          server: inlineElectronStore,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: "postgres",
          include: serverSuites,
          env: { HOURSYNC_TEST_DB: "postgres" },
          server: inlineElectronStore,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          // The real app in Chromium against the real core and server (run on its own by scripts/test.sh).
          name: "e2e",
          include: ["tests/e2e/**/*.e2e.test.ts"],
          env: { HOURSYNC_TEST_DB: "postgres" },
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
      {
        extends: true,
        test: {
          name: "faults",
          include: ["tests/faults/**/*.test.ts"],
          env: { HOURSYNC_TEST_DB: "postgres" },
          testTimeout: 900_000,
          hookTimeout: 60_000,
        },
      },
      {
        // The concurrency property again, on the embedded database (its server restarts keep their data folder).
        extends: true,
        test: {
          name: "faults-pglite",
          include: ["tests/faults/sync-concurrency.property.test.ts"],
          env: { HOURSYNC_TEST_DB: "pglite" },
          testTimeout: 900_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
