import { z } from "zod";
import { humanAuthor } from "@/lib/auth/current-user";
import { DatasetName, ReviewsPerSample, deleteDataset, renameDataset, setReviewsPerSample } from "@/lib/datasets/manage";
import { route } from "@/lib/http/route";
import { DatasetParams } from "@/lib/samples/export-request";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const patch = z
  .object({ name: DatasetName.optional(), reviewsPerSample: ReviewsPerSample.optional() })
  .refine((b) => b.name !== undefined || b.reviewsPerSample !== undefined, { message: "say what to change: name or reviewsPerSample" });

/**
 * PATCH /api/datasets/<name> {name?, reviewsPerSample?} — renames it and/or sets how many reviewers decide each of its
 * samples: 200 {dataset}; 404 unknown; 409 the new name is taken.
 */
export const PATCH = route({ permission: "datasets.manage", params: DatasetParams, body: patch }, async ({ user, params, body }) => {
  const author = humanAuthor(user);
  const reviews = body.reviewsPerSample === undefined ? null : await setReviewsPerSample(params.name, body.reviewsPerSample, author);
  const renamed = body.name === undefined ? null : await renameDataset(params.name, body.name, author);
  return { dataset: { ...reviews, ...renamed } };
});

/**
 * DELETE /api/datasets/<name> {confirm: <name>} — deletes it with its samples, runs and jobs, in one transaction:
 * 200 {deleted: {id, name, samples, runs}}; 400 when confirm is not the name; 409 while a run on it is active.
 */
export const DELETE = route(
  { permission: "datasets.manage", params: DatasetParams, body: z.object({ confirm: z.string({ error: "confirm must repeat the dataset's name" }).max(100) }) },
  async ({ user, params, body }) => ({ deleted: await deleteDataset(params.name, body.confirm, humanAuthor(user)) }),
);
