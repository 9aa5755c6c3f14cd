import { cliActor, recordAudit } from "@/lib/audit/log";
import { createWriteStream } from "node:fs";
import { rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { finished } from "node:stream/promises";
import { parseArgs } from "node:util";
import { z } from "zod";
import { EXPORT_FORMATS, EXPORT_FORMAT_IDS, type ExportFormat } from "@/lib/formats";
import { countExport, exportSamples, withheldWarning } from "@/lib/samples/export";
import { SAMPLE_STATUSES } from "@/lib/samples/types";
import { CliError, printSummary, progressBar } from "./output";

const Args = z.object({
  dataset: z.string().trim().min(1, "--dataset <name> is required"),
  format: z.enum(EXPORT_FORMAT_IDS, `--format must be one of ${EXPORT_FORMAT_IDS.join(", ")}`),
  status: z
    .string()
    .optional()
    .transform((s) => (s ? s.split(",").map((x) => x.trim()) : undefined))
    .pipe(z.array(z.enum(SAMPLE_STATUSES)).optional()),
  out: z.string().min(1, "--out <file> is required"),
  "with-error-tool-responses": z.boolean().default(false),
});

export const usage = `export --dataset <name> --format ${EXPORT_FORMAT_IDS.join("|")} [--status <list>] [--with-error-tool-responses] --out <file>   (sharegpt also writes <file>.dataset_info.json)`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      dataset: { type: "string" },
      format: { type: "string" },
      status: { type: "string" },
      out: { type: "string" },
      "with-error-tool-responses": { type: "boolean" },
    },
  });
  const args = Args.parse(values);
  // Write to a temporary name and rename at the end, so a failed export never leaves a half-written file behind.
  const partial = `${args.out}.partial`;
  const out = createWriteStream(partial);
  const bar = progressBar(`export ${args.dataset}`, await countExport(args.dataset, args.status), "samples");
  try {
    const summary = await exportSamples({
      datasetName: args.dataset,
      format: args.format,
      statuses: args.status,
      withErrorToolResponses: args["with-error-tool-responses"],
      out,
      onProgress: (done) => bar.update(done),
    });
    out.end();
    await finished(out);
    await rename(partial, args.out);
    const datasetInfo = await writeDatasetInfo(EXPORT_FORMATS[args.format], args.dataset, args.out);
    bar.stop();
    await recordAudit({
      actor: cliActor(),
      action: "export",
      summary: `Exported ${args.dataset} as ${args.format}${args.status ? ` (${args.status.join(", ")})` : ""} to ${args.out}`,
      after: { dataset: args.dataset, format: args.format, statuses: args.status ?? null, written: summary.written, withheld: summary.withheld },
    });
    // The file holds every other sample (exit 0), and the left-out ones are said out loud, never silently dropped.
    const warning = withheldWarning(summary);
    if (warning) process.stderr.write(`${warning}\n`);
    printSummary({ command: "export", out: args.out, ...(datasetInfo ? { datasetInfo } : {}), ...summary });
    return 0;
  } catch (error) {
    bar.stop();
    out.destroy();
    await rm(partial, { force: true });
    throw new CliError((error as Error).message);
  }
}

/** Formats a trainer loads through a registry entry (ShareGPT → LLaMA-Factory) get it written beside the file. */
async function writeDatasetInfo(format: ExportFormat, dataset: string, out: string): Promise<string | null> {
  if (!format.datasetInfo) return null;
  const file = `${out}.dataset_info.json`;
  await writeFile(file, JSON.stringify(format.datasetInfo(dataset, path.basename(out)), null, 2) + "\n");
  process.stderr.write(`LLaMA-Factory: merge ${file} into data/dataset_info.json and put ${path.basename(out)} beside it\n`);
  return file;
}
