// What the calibration routes (app/api/calibrations/**) read: the request to start one, and which two to compare.
import { z } from "zod";
import { PanelName } from "@/lib/judges/panels";
import { stageIdSchema } from "@/lib/pipeline/stage-schema";
import { idText } from "@/lib/zod/schemas";

export const StartCalibrationBody = z
  .object({
  dataset: z.string({ error: "the dataset is missing" }).trim().min(1, "choose a dataset").max(100, "the dataset name is longer than 100 characters"),
  stage: stageIdSchema("stage"),
  /** Left out or empty: the stage's judge model from Settings. */
  model: z.string({ error: "model must be text" }).trim().max(200, "the model name is longer than 200 characters").optional(),
  /** A judge panel saved on the Settings page, asked instead of one model. */
  panel: PanelName.optional(),
  /** The version of the stage's judge prompt (left out: the current one); a panel's members have their own. */
  promptVersion: z.number({ error: "promptVersion must be a number" }).int("promptVersion must be a whole number").min(1, "promptVersion starts at 1").optional(),
  includeBulk: z.boolean({ error: "includeBulk must be true or false" }).default(false),
  })
  .refine((body) => !(body.panel && body.model), { message: "name a model or a panel, not both", path: ["panel"] });

export const CalibrationParams = z.object({ id: idText("the calibration id") });

export const CompareQuery = z.object({ a: idText("a"), b: idText("b") });
