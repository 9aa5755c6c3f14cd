import { z } from "zod";
import { estimateRun } from "@/lib/cost/estimate";
import { route } from "@/lib/http/route";
import { JudgeModeSchema } from "@/lib/runs/create-run";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Comma-separated stage ids ("0,1"), or nothing. */
const stageList = z
  .string()
  .regex(/^(\d{1,2}(,\d{1,2})*)?$/, "skipStages must be stage ids separated by commas, e.g. 0")
  .optional()
  .transform((text) => (text ? text.split(",").map(Number) : []));
/** Comma-separated "stage:panel" pairs ("4:trio"), or nothing. */
const panelList = z
  .string()
  .max(1000, "panels is longer than 1,000 characters")
  .regex(/^(\d{1,2}:[^,:]{1,100}(,\d{1,2}:[^,:]{1,100})*)?$/, "panels must be stage:panel pairs separated by commas, e.g. 4:trio")
  .optional()
  .transform((text) => Object.fromEntries(text ? text.split(",").map((pair) => pair.split(":") as [string, string]) : []));

const query = z.object({
  dataset: z.string({ error: "the dataset is missing" }).trim().min(1, "choose a dataset").max(100, "the dataset name is longer than 100 characters"),
  skipStages: stageList,
  panels: panelList,
  /** The judge mode the run would have: the estimate's figures are for it, `modes` has both. */
  judgeMode: JudgeModeSchema,
});

/**
 * GET /api/runs/estimate?dataset=&skipStages=0&panels=4:trio&judgeMode=combined — what a full run over the dataset's
 * pending samples would ask, in the judge mode asked for and (`modes`) in each: calls and tokens per sample (from a small random sample, counted with the fake LLM's tokenizer and
 * prefix cache), totals and cost at the saved prices (null when a model has no price). 404 for an unknown dataset.
 */
export const GET = route({ permission: "runs.start", query }, async ({ query: { dataset, skipStages, panels, judgeMode } }) => ({
  estimate: await estimateRun({ dataset, skipStages, judgePanels: panels, judgeMode }),
}));
