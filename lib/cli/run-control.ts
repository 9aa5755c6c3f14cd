import { cliActor, recordAudit } from "@/lib/audit/log";
import { z } from "zod";
import { controlRun, RunStateError } from "@/lib/runs/control";
import { getRunProgress } from "@/lib/runs/queries";
import { CliError, printSummary } from "./output";
import { summarize } from "./run";

export const usage = "runs <run id> [status|pause|resume|cancel]";

const Args = z.tuple([
  z.coerce.number({ error: "which run? usage: runs <run id> [status|pause|resume|cancel]" }).int().positive(),
  z.enum(["status", "pause", "resume", "cancel"], "the action must be status, pause, resume or cancel").default("status"),
]);

export async function run(argv: string[]): Promise<number> {
  const [runId, action] = Args.parse([argv[0], argv[1]]);
  if (action !== "status") {
    try {
      await controlRun(runId, action);
      await recordAudit({ actor: cliActor(), action: `run.${action}`, target: { type: "run", id: runId }, summary: `Run #${runId}: ${action}` });
    } catch (error) {
      if (error instanceof RunStateError) throw new CliError(error.message);
      throw error;
    }
  }
  const progress = await getRunProgress(runId);
  if (!progress) throw new CliError(`run ${runId} does not exist`);
  printSummary({ command: "runs", action, ...summarize(progress) });
  return 0;
}
