// Prisma 6.19 CLI config: JS engine + pg driver adapter keep `prisma generate`
// fully offline. Migrations are applied by server/src/db/migrate.ts, not the CLI.
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";

process.env.DATABASE_URL ??= "postgresql://hoursync@127.0.0.1:5432/hoursync";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  adapter: async () => new PrismaPg({ connectionString: process.env.DATABASE_URL! }),
});
