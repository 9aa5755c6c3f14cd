// Seeds samples straight into the test database (no import file), for tests about what happens after import.
import { randomBytes } from "node:crypto";
import { getPool } from "@/lib/db/client";
import type { SampleStatus } from "@/lib/samples/types";

export interface SeedSample {
  query?: string;
  status?: SampleStatus;
  tools?: object[];
  calls?: object[];
  cot?: string | null;
  stageOutcomes?: string[];
}

const TOOLS = [{ name: "get_weather", description: "Current weather.", parameters: { city: { type: "str", description: "City." } } }];

/**
 * A sample whose answer fails a stage-4 rule (`intents` is declared a list, the answer gives a string), and what the
 * rule says about it: no person may approve it, and no export may write it.
 */
export const FAILS_STAGE_4: Required<Pick<SeedSample, "query" | "tools" | "calls">> & { cot: string; refusal: string } = {
  query: "Which intents does 'will it rain tomorrow?' have?",
  tools: [{ name: "detect_intents", description: "Intents of a text.", parameters: { text: { type: "str", description: "Text." }, intents: { type: "List[str]", description: "Candidates." } } }],
  calls: [{ name: "detect_intents", arguments: { text: "will it rain tomorrow?", intents: "Weather" } }],
  cot: "The user asks for the intents of the text; detect_intents takes the text and the candidate intents.",
  refusal: 'fails stage 4 (rule:function-params): detect_intents(intents=…): "Weather" is a string, expected array of string — edit it to fix',
};

/** A new dataset (unique name) with the given samples, in order; returns its id and the sample ids. */
export async function seedDataset(samples: SeedSample[], prefix = "seed"): Promise<{ datasetId: number; name: string; ids: number[] }> {
  const pool = await getPool();
  const name = `${prefix}-${randomBytes(4).toString("hex")}`;
  const { rows } = await pool.query<{ id: number }>(`INSERT INTO datasets (name) VALUES ($1) RETURNING id`, [name]);
  const datasetId = rows[0].id;
  const inserted = await pool.query<{ id: number }>(
    `INSERT INTO samples (dataset_id, query, tools, answer_kind, answer, cot, status, stage_outcomes, content_hash, tool_names)
     SELECT $1, s->>'query', s->'tools', 'calls', s->'calls', s->>'cot', (s->>'status')::"SampleStatus",
       ARRAY(SELECT json_array_elements_text(s->'stageOutcomes')), md5(s::text || n), studio_tool_names(s->'tools')
     FROM json_array_elements($2::json) WITH ORDINALITY AS t(s, n) ORDER BY n
     RETURNING id`,
    [
      datasetId,
      JSON.stringify(
        samples.map((s, i) => ({
          query: s.query ?? `What is the weather in city ${i}?`,
          tools: s.tools ?? TOOLS,
          calls: s.calls ?? [{ name: "get_weather", arguments: { city: `City ${i}` } }],
          // A chain of thought by default, so that the default sample passes every rule (approving checks them).
          cot: s.cot === undefined ? `The user wants the weather in City ${i}; get_weather takes the city.` : s.cot,
          status: s.status ?? "pending",
          stageOutcomes: s.stageOutcomes ?? [],
        })),
      ),
    ],
  );
  return { datasetId, name, ids: inserted.rows.map((r) => r.id).sort((a, b) => a - b) };
}
