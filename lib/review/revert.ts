// "Use this version": an earlier version of a sample's answer and CoT (the original, or what any regeneration or
// edit made) becomes the current one again — as a new revision, through the editor's path: the rule stages check it,
// and it goes back to review as flagged, like an edit. Nothing of the history is rewritten.
import "server-only";
import { getPool } from "@/lib/db/client";
import { toAnswer } from "@/lib/samples/export";
import type { Answer } from "@/lib/samples/types";
import { editContext, saveEdit, type SaveEditResult } from "./edit";

/** "original", or the id of the revision whose result to use. */
export type RevertTarget = "original" | string;

export async function revertToVersion(
  target: { sampleId: number; expectedVersion: number },
  to: RevertTarget,
  author: string,
  turn = 1,
  /** How the revision and the status reason say it ("Reverted to the original" by default). */
  what?: string,
): Promise<SaveEditResult> {
  const pool = await getPool();
  // A conversation's revisions each change one turn: "original" is the first version of `turn`, a revision's
  // result belongs to the turn it changed.
  const { rows } = await pool.query<{ kind: Answer["kind"] | null; answer: unknown; cot: string | null; version: number; turn: number }>(
    to === "original"
      ? `SELECT answer_kind_before AS kind, answer_before AS answer, cot_before AS cot, version - 1 AS version, turn
         FROM sample_revisions WHERE sample_id = $1 AND turn = $2 ORDER BY id LIMIT 1`
      : `SELECT answer_kind_after AS kind, answer_after AS answer, cot_after AS cot, version, turn
         FROM sample_revisions WHERE sample_id = $1 AND id = $2::bigint`,
    to === "original" ? [target.sampleId, turn] : [target.sampleId, to],
  );
  const version = rows[0];
  if (!version) return { ok: false, kind: "invalid", message: `sample ${target.sampleId} has no such earlier version`, failing: [] };
  const context = await editContext(target.sampleId, version.turn).catch(() => null);
  if (!context) return { ok: false, kind: "invalid", message: `sample ${target.sampleId} no longer has turn ${version.turn}: that version cannot come back`, failing: [] };
  const answer = toAnswer(version.kind, version.answer);
  if (!answer || version.kind !== context.kind) {
    return { ok: false, kind: "invalid", message: "That version's answer is of another kind (calls or text) than the current one: edit it instead.", failing: [] };
  }
  const edit = { answer: answer.kind === "calls" ? JSON.stringify(answer.calls) : answer.text, cot: version.cot ?? "", turn: version.turn };
  return saveEdit(target, edit, author, what ?? `Reverted to ${to === "original" ? "the original" : `v${version.version}`}`);
}
