// `npm run studio -- <command>`: thin commands over the same lib/ functions the web app uses.
import { ZodError } from "zod";
import { closeDb } from "@/lib/db/client";
import { stopBoss } from "@/lib/jobs/boss";
import { CliError } from "./output";
import * as datasets from "./datasets";
import * as demo from "./demo";
import * as exportCommand from "./export";
import * as importCommand from "./import";
import * as check from "./check";
import * as runCommand from "./run";
import * as runs from "./run-control";
import * as start from "./start";

const COMMANDS: Record<string, { run: (argv: string[]) => Promise<number>; usage: string }> = {
  import: importCommand,
  export: exportCommand,
  datasets,
  run: runCommand,
  runs,
  check,
  demo,
  start,
};

function help(): string {
  return ["usage: npm run studio -- <command>", ...Object.values(COMMANDS).map((c) => `  ${c.usage}`)].join("\n");
}

async function main(): Promise<number> {
  const [name, ...argv] = process.argv.slice(2);
  const command = name ? COMMANDS[name] : undefined;
  if (!command) {
    process.stderr.write(`${name && name !== "help" ? `unknown command "${name}"\n` : ""}${help()}\n`);
    return name && name !== "help" ? 2 : 0;
  }
  try {
    return await command.run(argv);
  } catch (error) {
    process.stderr.write(`error: ${describe(error)}\n`);
    return 1;
  } finally {
    await stopBoss();
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
