import { parseArgs } from "node:util";
import { z } from "zod";
import { cliActor } from "@/lib/audit/log";
import { DomainError } from "@/lib/errors";
import { startWorker } from "@/lib/jobs/worker";
import { auditRoundStart, getRound, listRounds, startRound, type RoundSummary } from "@/lib/rounds/rounds";
import { CliError, printSummary, progressBar } from "./output";

export const usage =
  "round start --source <dataset> [--model <name>] [--samples-per-query N] [--temperature T] [--max-regenerations N] [--concurrency N] [--detach] | round list [--source <dataset>]";

const number = (flag: string) => z.coerce.number({ error: `${flag} must be a number` });

const StartArgs = z.object({
  source: z.string({ error: "--source <dataset> is required" }).trim().min(1, "--source <dataset> is required"),
  model: z.string().optional(),
  "samples-per-query": number("--samples-per-query").int("--samples-per-query must be a whole number").min(1, "--samples-per-query must be at least 1").max(16, "--samples-per-query must be at most 16"),
  temperature: number("--temperature").min(0, "--temperature must be at least 0").max(2, "--temperature must be at most 2"),
  "max-regenerations": number("--max-regenerations").int().min(0).max(20),
  concurrency: number("--concurrency").int().min(1).max(1024),
  detach: z.boolean(),
});

/** A round as one line of JSON. */
export function roundFigures(r: RoundSummary) {
  return {
    id: r.id,
    round: r.number,
    dataset: r.dataset,
    source: r.source,
    model: r.model,
    status: r.status,
    queries: r.queries,
    answers: r.answers,
    generationFailed: r.generationFailed,
    agreement: r.agreement === null ? null : Math.round(r.agreement * 1000) / 1000,
    refined: r.refined,
    rescued: r.rescued,
    lost: r.lost,
    disagreeingRefined: r.disagreeingRefined,
    stages: r.stages,
    runId: r.runId,
    ...(r.failure ? { failure: r.failure } : {}),
  };
}

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === "list") {
    const { values } = parseArgs({ args: rest, options: { source: { type: "string" } } });
    printSummary({ command: "round list", rounds: (await listRounds(values.source)).map(roundFigures) });
    return 0;
  }
  if (sub !== "start") throw new CliError(`usage: ${usage}`);
  const { values } = parseArgs({
    args: rest,
    options: {
      source: { type: "string" },
      model: { type: "string" },
      "samples-per-query": { type: "string", default: "1" },
      temperature: { type: "string", default: "0" },
      "max-regenerations": { type: "string", default: "0" },
      concurrency: { type: "string", default: "16" },
      detach: { type: "boolean", default: false },
    },
  });
  const args = StartArgs.parse(values);
  const options = {
    source: args.source,
    model: args.model,
    samplesPerQuery: args["samples-per-query"],
    temperature: args.temperature,
    maxRegenerations: args["max-regenerations"],
    concurrency: args.concurrency,
  };
  let started;
  try {
    started = await startRound({ ...options, author: cliActor() });
  } catch (error) {
    if (error instanceof DomainError) throw new CliError(error.message);
    throw error;
  }
  await auditRoundStart(cliActor(), args.source, started, options);
  if (args.detach) {
    printSummary({ command: "round start", id: started.id, round: started.number, dataset: started.dataset, answers: started.answers, detached: true });
    return 0;
  }
  // The answers and their refinement are worker jobs: this process works on them too (other workers may share them).
  const worker = await startWorker();
  const bar = progressBar(`round ${started.number}`, started.answers * 2, "steps");
  let round: RoundSummary;
  for (;;) {
    round = await getRound(started.id);
    bar.update(round.generated + round.refinedFinished);
    if (round.status !== "generating" && round.status !== "refining") break;
    await new Promise((r) => setTimeout(r, 500));
  }
  bar.stop();
  await worker.stop();
  printSummary({ command: "round start", ...roundFigures(round) });
  if (round.status !== "succeeded") throw new CliError(`round ${round.number} ended ${round.status}${round.failure ? `: ${round.failure}` : ""}`);
  return 0;
}
