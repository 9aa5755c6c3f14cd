// What the round routes (app/api/rounds/**) and startRound read: the request to start a round, a round's id.
import { z } from "zod";
import { idText } from "@/lib/zod/schemas";

export const StartRoundBody = z.object({
  source: z.string({ error: "source: name the dataset whose queries the model answers" }).trim().min(1, "source: name the dataset whose queries the model answers").max(100, "source: the dataset name is longer than 100 characters"),
  /** The policy model; left out: the one saved in Settings. */
  model: z.string({ error: "model must be text" }).trim().max(200, "model: the name is longer than 200 characters").optional().transform((m) => m || undefined),
  samplesPerQuery: z.number({ error: "samplesPerQuery must be a number" }).int("samplesPerQuery must be a whole number").min(1, "samplesPerQuery must be at least 1").max(16, "samplesPerQuery must be at most 16").default(1),
  temperature: z.number({ error: "temperature must be a number" }).min(0, "temperature must be at least 0").max(2, "temperature must be at most 2").default(0),
  /** Regenerations the round's pipeline run may make (0: only the model's own answers can pass). */
  maxRegenerations: z.number({ error: "maxRegenerations must be a number" }).int("maxRegenerations must be a whole number").min(0, "maxRegenerations must be at least 0").max(20, "maxRegenerations must be at most 20").default(0),
  concurrency: z.number({ error: "concurrency must be a number" }).int("concurrency must be a whole number").min(1, "concurrency must be at least 1").max(1024, "concurrency must be at most 1024").default(16),
});
export type StartRound = z.input<typeof StartRoundBody>;

export const RoundParams = z.object({ id: idText("the round id") });
