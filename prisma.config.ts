import path from "node:path";
import { defineConfig } from "prisma/config";

// Prisma 7's CLI fetches its native schema engine before any command, and that download is impossible offline.
// `prisma generate` never runs the engine, so any existing file satisfies the check. Migrations are applied by
// lib/db/migrate.ts instead.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.resolve("package.json");

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  // Never env("DATABASE_URL"): it throws when unset, which would break `generate` in postinstall.
  datasource: { url: process.env.DATABASE_URL ?? "" },
});
