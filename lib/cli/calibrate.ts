import { parseArgs } from "node:util";
import { z } from "zod";
import { cliActor, recordAudit } from "@/lib/audit/log";
import { compareCalibrations, createCalibration, getCalibration, judgeCalibration, JUDGED_STAGES, listCalibrations, type CalibrationSummary } from "@/lib/calibration/calibrations";
import { DomainError } from "@/lib/errors";
import { CliError, printSummary } from "./output";

export const usage = `calibrate --dataset <name> --stage ${JUDGED_STAGES.join("|")} [--model <name> [--prompt-version N] | --panel <name>] [--include-bulk] | calibrate --compare <id>,<id> | calibrate --list`;

const Args = z.union([
  z.object({ list: z.literal(true) }),
  z.object({
    compare: z
      .string()
      .transform((s) => s.split(",").map((x) => Number(x.trim())))
      .pipe(z.tuple([z.number().int().positive(), z.number().int().positive()], "--compare takes two calibration ids: --compare 3,4")),
  }),
  z.object({
    dataset: z.string().trim().min(1, "--dataset <name> is required"),
    stage: z.coerce.number({ error: "--stage <id> is required" }).int(),
    model: z.string().optional(),
    panel: z.string().optional(),
    "prompt-version": z.coerce.number("--prompt-version must be a number").int("--prompt-version must be a whole number").optional(),
    "include-bulk": z.boolean(),
  }),
]);

/** What a calibration comes to, as one line of JSON. */
function figures(c: CalibrationSummary) {
  const { metrics } = c;
  return {
    id: c.id,
    dataset: c.dataset,
    stage: c.stage,
    model: c.model,
    promptVersion: c.promptVersion,
    status: c.status,
    samples: c.total,
    judged: metrics.judged,
    errors: metrics.errors,
    agreement: metrics.agreement,
    precision: metrics.precision,
    recall: metrics.recall,
    kappa: metrics.kappa,
    confusion: metrics.confusion,
  };
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      dataset: { type: "string" },
      stage: { type: "string" },
      model: { type: "string" },
      panel: { type: "string" },
      "prompt-version": { type: "string" },
      "include-bulk": { type: "boolean", default: false },
      compare: { type: "string" },
      list: { type: "boolean", default: false },
    },
  });
  const args = Args.parse(values.list ? { list: true } : values.compare ? { compare: values.compare } : values);
  try {
    if ("list" in args) {
      printSummary({ command: "calibrate", calibrations: (await listCalibrations()).map(figures) });
    } else if ("compare" in args) {
      const { a, b, ...compared } = await compareCalibrations(...args.compare);
      printSummary({ command: "calibrate", compare: [figures(a), figures(b)], ...compared });
    } else {
      if (args.model && args.panel) throw new CliError("name a model (--model) or a panel (--panel), not both");
      const created = await createCalibration({
        dataset: args.dataset,
        stage: args.stage,
        model: args.model,
        panel: args.panel,
        promptVersion: args["prompt-version"],
        includeBulk: args["include-bulk"],
        author: cliActor(),
      });
      await recordAudit({
        actor: cliActor(),
        action: "calibration.start",
        target: { type: "calibration", id: created.id },
        summary: `Started calibration #${created.id} of the stage ${args.stage} judge on ${args.dataset}: ${created.total} samples`,
      });
      process.stderr.write(`calibration #${created.id}: asking the judge about ${created.total} samples…\n`);
      await judgeCalibration(created.id);
      printSummary({ command: "calibrate", ...figures((await getCalibration(created.id)).calibration) });
    }
  } catch (error) {
    if (error instanceof DomainError) throw new CliError(error.message);
    throw error;
  }
  return 0;
}
