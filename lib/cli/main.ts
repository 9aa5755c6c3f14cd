// `npm run studio -- <command>`: thin commands over the same lib/ functions the web app uses. Each command's module
// is loaded only when it runs, so a command carries no other command's dependencies (memory, start-up time).
import { ZodError } from "zod";
import { closeDb } from "@/lib/db/client";
import { CliError } from "./output";

interface Command {
  run(argv: string[]): Promise<number>;
  usage: string;
}

const COMMANDS: Record<string, () => Promise<Command>> = {
  import: () => import("./import"),
  export: () => import("./export"),
  datasets: () => import("./datasets"),
  run: () => import("./run"),
  runs: () => import("./run-control"),
  batch: () => import("./batch"),
  calibrate: () => import("./calibrate"),
  round: () => import("./round"),
  check: () => import("./check"),
  demo: () => import("./demo"),
  start: () => import("./start"),
  stop: () => import("./stop"),
  user: () => import("./user"),
};

async function help(): Promise<string> {
  const commands = await Promise.all(Object.values(COMMANDS).map((load) => load()));
  return ["usage: npm run studio -- <command>", ...commands.map((c) => `  ${c.usage}`)].join("\n");
}

async function main(): Promise<number> {
  const [name, ...argv] = process.argv.slice(2);
  const load = name ? COMMANDS[name] : undefined;
  if (!load) {
    process.stderr.write(`${name && name !== "help" ? `unknown command "${name}"\n` : ""}${await help()}\n`);
    return name && name !== "help" ? 2 : 0;
  }
  try {
    return await (await load()).run(argv);
  } catch (error) {
    process.stderr.write(`error: ${describe(error)}\n`);
    return 1;
  } finally {
    // Commands that used the job queue stop it; the module is already loaded then, so this loads nothing new.
    if (name === "run" || name === "runs" || name === "round") await (await import("@/lib/jobs/boss")).stopBoss();
    await closeDb();
  }
}

function describe(error: unknown): string {
  if (error instanceof ZodError) return error.issues.map((i) => i.message).join("; ");
  if (error instanceof CliError) return error.message;
  // Node's parseArgs errors (unknown option, missing value) are already user-readable.
  if (error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS")) return error.message;
  return (error as Error).stack ?? String(error);
}

process.exitCode = await main();
