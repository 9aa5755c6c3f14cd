import { createReadStream } from "node:fs";
import { parseArgs } from "node:util";
import { z } from "zod";
import { IMPORT_FORMATS, IMPORT_FORMAT_CHOICES, detectFormat, type ImportFormat } from "@/lib/formats";
import { readGroundTruth } from "@/lib/formats/bfcl";
import { FileFormatError, readRecords } from "@/lib/formats/records";
import { RULES_ONLY, SAMPLE_STAGES } from "@/lib/pipeline/rule-check";
import { waitsForCot } from "@/lib/pipeline/run";
import { turnViews, type TurnView } from "@/lib/pipeline/turns";
import { stageOutcome } from "@/lib/pipeline/types";
import { CliError, printSummary } from "./output";

export const usage = `check <file> [--format ${IMPORT_FORMAT_CHOICES.join("|")}] [--answers <possible_answer file>]   (rule stages, no import)`;

const Args = z.object({
  file: z.string().min(1, "which file? usage: check <file>"),
  format: z.enum(IMPORT_FORMAT_CHOICES, `--format must be one of ${IMPORT_FORMAT_CHOICES.join(", ")}`),
  answers: z.string().optional(),
});

/**
 * Prints one JSON line per record — its own id and each rule stage's outcome and reason (`stages`: the first answer;
 * `turns`: each later turn of a conversation) — then a summary line.
 */
export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { format: { type: "string", default: "auto" }, answers: { type: "string" } },
  });
  const args = Args.parse({ ...values, file: positionals[0] });
  const started = performance.now();
  const answers = args.answers ? (await readGroundTruth(createReadStream(args.answers))).answers : undefined;
  let format: ImportFormat | null = args.format === "auto" ? null : IMPORT_FORMATS[args.format];
  const counts = { records: 0, rejected: 0, passed: 0, failed: 0 };
  try {
    for await (const record of readRecords(createReadStream(args.file))) {
      counts.records++;
      if (!record.ok) {
        counts.rejected++;
        print({ id: null, line: record.error.line, index: record.error.index, error: record.error });
        continue;
      }
      if (!format) {
        const detected = detectFormat(record.value);
        if (!detected) throw new CliError(`cannot tell the format of ${args.file}: pass --format`);
        format = IMPORT_FORMATS[detected];
      }
      const sample = format.fromRecord(record.value, record, { answers });
      if ("message" in sample) {
        counts.rejected++;
        print({ id: null, line: record.line, index: record.index, error: sample });
        continue;
      }
      // Every assistant turn of a conversation is checked, with the conversation before it (lib/pipeline/turns.ts).
      const [first, ...later] = await Promise.all(turnViews(sample).map(checkTurn));
      const failed = [first, ...later].some((stages) => Object.values(stages).some((s) => s.outcome === "fail" || s.outcome === "error"));
      counts[failed ? "failed" : "passed"]++;
      const turns = later.length ? { turns: later.map((stages, i) => ({ turn: i + 2, stages })) } : {};
      print({ id: sample.sourceId ?? record.index, line: record.line, index: record.index, stages: first, ...turns });
    }
  } catch (error) {
    if (error instanceof FileFormatError) throw new CliError(error.line ? `line ${error.line}: ${error.message}` : error.message);
    throw error;
  }
  printSummary({ command: "check", file: args.file, ...counts, seconds: Math.round(performance.now() - started) / 1000 });
  return 0;
}

/** Each rule stage's outcome and reason on one turn (the first answer, or a later turn's view). */
async function checkTurn(turn: TurnView): Promise<Record<string, { outcome: string; reason: string }>> {
  const stages: Record<string, { outcome: string; reason: string }> = {};
  for (const stage of SAMPLE_STAGES) {
    // As in a pipeline run: a call sample without a CoT gets one generated first, so the stages that look at the
    // CoT cannot be checked on the record as it is; that is not a defect of the record.
    if (waitsForCot(stage, turn)) {
      stages[stage.id] = { outcome: "skip", reason: "Not checked: the record has no chain of thought (a full run generates one)." };
      continue;
    }
    const verdicts = await stage.run(turn, RULES_ONLY);
    const outcome = stageOutcome(verdicts);
    stages[stage.id] = { outcome, reason: (verdicts.find((v) => v.outcome === outcome) ?? verdicts.at(-1))!.reason };
  }
  return stages;
}

function print(line: object) {
  process.stdout.write(JSON.stringify(line) + "\n");
}
