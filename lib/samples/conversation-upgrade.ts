// The data half of migration 20261205120000_conversations. Before conversations, a multi-turn record was imported
// as its first exchange, the whole record kept in source_record. Read again by today's importer, such a record
// gives the whole conversation: its follow-up, turns and flag are filled in, and its identity (content hash) becomes
// that of the conversation — what importing the same file now would store. Runs once, inside the migration's
// transaction. Only samples still pending are upgraded: one already judged was judged on its first exchange alone,
// and must not now pass with turns no stage has seen. Those, and a sample whose conversation another sample of the
// dataset already is, stay as they were (nothing lost: they keep their source record, shown on the sample page).
import type pg from "pg";
import { IMPORT_FORMATS, detectFormat } from "@/lib/formats";
import { assistantTurns } from "@/lib/formats/conversation";
import { contentHash } from "./hash";

const BATCH = 1_000;

export async function upgradeCutConversations(client: pg.ClientBase): Promise<void> {
  let afterId = 0;
  for (;;) {
    const { rows } = await client.query<{ id: number; dataset_id: number; source_record: Record<string, unknown> }>(
      `SELECT id, dataset_id, source_record FROM samples
       WHERE source_record IS NOT NULL AND status = 'pending' AND follow_up IS NULL AND id > $1 ORDER BY id LIMIT ${BATCH}`,
      [afterId],
    );
    if (rows.length === 0) return;
    afterId = rows[rows.length - 1].id;
    const seen = new Set<string>();
    const updates = rows.flatMap((row) => {
      const format = detectFormat(row.source_record);
      const sample = format ? IMPORT_FORMATS[format].fromRecord(row.source_record, { index: 0 }) : null;
      if (!sample || "message" in sample || !sample.followUp?.length) return [];
      const hash = contentHash(sample);
      if (seen.has(`${row.dataset_id}:${hash}`)) return [];
      seen.add(`${row.dataset_id}:${hash}`);
      return [
        {
          id: row.id,
          hash,
          follow_up: sample.followUp,
          turns: assistantTurns(sample),
          error_tool_response: sample.errorToolResponse ?? false,
          keep_record: sample.sourceRecord !== undefined,
        },
      ];
    });
    if (updates.length === 0) continue;
    await client.query(
      `UPDATE samples s SET follow_up = u.follow_up, turns = u.turns, error_tool_response = u.error_tool_response, content_hash = u.hash,
         source_record = CASE WHEN u.keep_record THEN s.source_record END
       FROM json_to_recordset($1::json) AS u(id int, hash text, follow_up json, turns smallint, error_tool_response boolean, keep_record boolean)
       WHERE s.id = u.id AND NOT EXISTS (SELECT 1 FROM samples o WHERE o.dataset_id = s.dataset_id AND o.content_hash = u.hash AND o.id <> s.id)`,
      [JSON.stringify(updates)],
    );
  }
}
