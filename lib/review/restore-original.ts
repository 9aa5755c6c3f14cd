// "Restore with the original answer": a discarded sample whose answer a regeneration or an edit changed comes back to
// review with its answer and CoT as imported. It is the revert to the original (lib/review/revert.ts) — a new
// revision the rule stages check, flagged for review like an edit — said as the restore it is, with its reason.
import "server-only";
import { getPool } from "@/lib/db/client";
import { InvalidRequestError } from "@/lib/errors";
import { sampleChange } from "@/lib/samples/queries";
import { conflict, sampleNotFound, savedVersion } from "./api";
import { revertToVersion } from "./revert";

export async function restoreWithOriginalAnswer(target: { sampleId: number; expectedVersion: number }, reason: string, author: string): Promise<number> {
  const pool = await getPool();
  const { rows } = await pool.query<{ status: string; version: number; changed: boolean }>(
    `SELECT status, version, EXISTS (SELECT 1 FROM sample_revisions r WHERE r.sample_id = s.id AND r.turn = 1) AS changed FROM samples s WHERE id = $1`,
    [target.sampleId],
  );
  const sample = rows[0];
  if (!sample) throw sampleNotFound(target.sampleId);
  if (sample.version !== target.expectedVersion) throw conflict((await sampleChange(target.sampleId))!);
  if (sample.status !== "discarded") throw new InvalidRequestError(`Sample ${target.sampleId} is not discarded (it is ${sample.status}).`);
  if (!sample.changed) throw new InvalidRequestError(`Sample ${target.sampleId} still has its original answer: restore it as it is.`);
  return savedVersion(await revertToVersion(target, "original", author, 1, `Restored with the original answer (${reason.trim()})`), target.sampleId);
}
