// Vitest setupFiles: point lib code under test at the run's database (created by global-setup.ts) before any test
// module imports it.
import { inject } from "vitest";

process.env.DATABASE_URL = inject("databaseUrl");
