import { cliActor } from "@/lib/audit/log";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { IMPORT_FORMAT_CHOICES } from "@/lib/formats";
import { importSamples } from "@/lib/samples/import";
import { CliError, printSummary, progressBar } from "./output";

const Args = z.object({
  file: z.string().min(1, "which file? usage: import <file> --dataset <name>"),
  dataset: z.string().trim().min(1, "--dataset <name> is required").max(100),
  format: z.enum(IMPORT_FORMAT_CHOICES, `--format must be one of ${IMPORT_FORMAT_CHOICES.join(", ")}`),
  answers: z.string().optional(),
  strict: z.boolean(),
});

export const usage = `import <file> --dataset <name> [--format ${IMPORT_FORMAT_CHOICES.join("|")}] [--answers <possible_answer file>] [--strict]`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      dataset: { type: "string" },
      format: { type: "string", default: "auto" },
      answers: { type: "string" },
      strict: { type: "boolean", default: false },
    },
  });
  const args = Args.parse({ ...values, file: positionals[0] });
  const size = await fileSize(args.file);
  if (args.answers) await fileSize(args.answers);

  const bar = progressBar(`import ${path.basename(args.file)}`, size, "bytes");
  const summary = await importSamples({
    datasetName: args.dataset,
    fileName: path.basename(args.file),
    input: createReadStream(args.file),
    answers: args.answers ? createReadStream(args.answers) : undefined,
    format: args.format,
    strict: args.strict,
    onProgress: (p) => bar.update(p.bytes),
    actor: cliActor(),
  });
  bar.update(size);
  bar.stop();

  for (const error of summary.errors.slice(0, 20)) {
    const where = error.line !== undefined ? `line ${error.line}` : `record ${error.index}`;
    process.stderr.write(`rejected ${where}${error.field ? ` (${error.field})` : ""}: ${error.message}\n`);
  }
  if (summary.rejected > 20) process.stderr.write(`… and ${summary.rejected - 20} more rejected records\n`);
  printSummary({ command: "import", ...summary, errors: summary.errors.slice(0, 100) });
  if (!summary.ok) throw new CliError(summary.failure ?? "import failed");
  return 0;
}

async function fileSize(file: string): Promise<number> {
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new CliError(`${file} is not a file`);
    return info.size;
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}
