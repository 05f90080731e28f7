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
);
