import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules", "out", "dist", "server/src/db/generated", "test-results", "**/*.d.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  {
    files: ["apps/desktop/src/renderer/**"],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Routers get only the tenant-scoped handle from their context.
    files: ["server/src/routers/**"],
    ignores: ["server/src/routers/auth.ts", "server/src/routers/health.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        { selector: "MemberExpression[property.name='prisma']", message: "Routers use ctx.db (tenant-scoped); only auth/health may touch services.db.prisma." },
      ],
    },
  },
  {
    // Core runs under plain Node: it must never import Electron.
    files: ["apps/desktop/src/core/**"],
    rules: { "no-restricted-imports": ["error", { paths: ["electron"], patterns: ["electron/*"] }] },
  },
  {
    // The renderer talks only to the local API: no Electron, no Node, no SQLite, no core code
    // (type imports of the core's router and events are allowed), and the server only as the contract.
    files: ["apps/desktop/src/renderer/**"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          paths: [
            { name: "electron", message: "The renderer reaches Electron only through the preload's `hoursync` door." },
            { name: "better-sqlite3", message: "The renderer reads data through the local API." },
          ],
          patterns: [
            { group: ["node:*"], message: "The renderer runs in a browser sandbox: no Node modules." },
            { group: ["**/core/**", "**/core"], allowTypeImports: true, message: "The renderer calls the core through the local API (type imports are fine)." },
            { group: ["**/main/**", "**/preload/**", "**/host/**"], message: "Electron main, preload and hosts are not part of the renderer." },
            { group: ["**/server/src/**"], message: "Import the server's contract through @hoursync/contract." },
          ],
        },
      ],
    },
  },
  {
    // A feature never imports another feature's insides (bulletproof-react's rule).
    files: ["apps/desktop/src/renderer/features/*/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["../../features/*", "../*/**", "!../../**"], message: "Features do not import each other; share through renderer/lib or renderer/ui." }] },
      ],
    },
  },
  {
    // The server never depends on the apps that call it.
    files: ["server/**"],
    rules: { "no-restricted-imports": ["error", { patterns: [{ group: ["**/apps/**"], message: "The server never imports the desktop app." }] }] },
  },
);
