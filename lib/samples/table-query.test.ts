// The table's queries against the real PostgreSQL: each filter returns exactly the samples it should, keyset
// paging in every sort visits every row once in both directions, neighbors follow the table's order.
import { Readable } from "node:stream";
import { beforeAll, describe, expect, it } from "vitest";
import { getPool } from "@/lib/db/client";
import { importSamples } from "./import";
import { DEFAULT_FILTER, parseCursor, type TableFilter } from "./table-filter";
import { countFiltered, filteredSampleIds, querySamplesTable, sampleNeighbors, toolNameSuggestions } from "./table-query";

const tool = (name: string) => ({ name, description: `${name} tool`, parameters: { city: { description: "City.", type: "str", default: "" } } });

// label → what the pipeline left on the sample. Each label is one sample, imported in this order.
const SAMPLES = {
  weatherPassed: { tools: ["get_weather"], query: "Weather in Lyon tomorrow?", status: "passed", outcomes: ["1:pass", "2:pass", "3:pass", "4:pass", "5:pass"], by: "llm" },
  weatherFlaggedS4: { tools: ["get_weather", "get_time"], query: "Weather and time in Oslo", status: "flagged", outcomes: ["1:pass", "2:pass", "3:pass", "4:fail"], by: "llm", stage: 4, reason: "city is hallucinated" },
  timeDiscardedS2: { tools: ["get_time"], query: "What time is it in Lima?", status: "discarded", outcomes: ["1:pass", "2:fail"], by: "rule", stage: 2, reason: "unknown function" },
  timeErrorS3: { tools: ["get_time"], query: "Time in Quito please", status: "flagged", outcomes: ["1:pass", "2:pass", "3:error"], by: "llm", stage: 3, reason: "judge unreachable" },
  stockText: { tools: ["stock_price"], query: "Tell me a joke about stocks", status: "text", outcomes: ["1:pass"], by: "rule" },
  stockApproved: { tools: ["stock_price"], query: "Price of ACME shares", status: "approved", outcomes: ["1:pass", "2:pass", "3:pass", "4:fail", "5:pass"], by: "human" },
  pending1: { tools: ["get_weather"], query: "Is it raining in Bergen", status: "pending", outcomes: [], by: null },
  pending2: { tools: ["convert_currency"], query: "Convert 10 EUR to USD", status: "pending", outcomes: [], by: null },
} as const;
type Label = keyof typeof SAMPLES;

let datasetId: number;
const ids = {} as Record<Label, number>;
const labelOf = (id: number) => (Object.keys(ids) as Label[]).find((l) => ids[l] === id);

/** The labels a filter matches, in table order, walking every page. */
async function labels(filter: Partial<TableFilter>): Promise<(Label | undefined)[]> {
  const page = await querySamplesTable({ ...DEFAULT_FILTER, datasetId, ...filter });
  return page.rows.map((r) => labelOf(r.id));
}

beforeAll(async () => {
  const name = `table-query-${process.pid}-${Date.now()}`;
  const records = Object.entries(SAMPLES).map(([label, s]) => ({
    id: label,
    query: s.query,
    tools: JSON.stringify(s.tools.map(tool)),
    answers: JSON.stringify(s.status === "text" ? [] : [{ name: s.tools[0], arguments: { city: "Lyon" } }]),
  }));
  const summary = await importSamples({ datasetName: name, fileName: "t.jsonl", input: Readable.from([records.map((r) => JSON.stringify(r)).join("\n")]) });
  expect(summary.inserted).toBe(records.length);
  const pool = await getPool();
  const { rows } = await pool.query<{ id: number; source_id: Label; dataset_id: number }>(
    `SELECT s.id, s.source_id, s.dataset_id FROM samples s JOIN datasets d ON d.id = s.dataset_id WHERE d.name = $1`,
    [name],
  );
  datasetId = rows[0].dataset_id;
  for (const r of rows) ids[r.source_id] = r.id;
  // What the pipeline would have stored, and distinct update times in reverse import order (so sort=updated differs).
  const updates = (Object.keys(SAMPLES) as Label[]).map((label, i) => {
    const s = SAMPLES[label];
    return { id: ids[label], status: s.status, outcomes: s.outcomes, by: s.by, stage: "stage" in s ? s.stage : null, reason: "reason" in s ? s.reason : null, minutes: -i };
  });
  await pool.query(
    `UPDATE samples s SET status = u.status::"SampleStatus", stage_outcomes = u.outcomes, decided_by = u.by,
       status_stage = u.stage, status_reason = u.reason, updated_at = timestamptz '2026-11-25 12:00:00+00' + make_interval(mins => u.minutes)
     FROM json_to_recordset($1::json) AS u(id int, status text, outcomes text[], by text, stage smallint, reason text, minutes int)
     WHERE s.id = u.id`,
    [JSON.stringify(updates)],
  );
});

describe("querySamplesTable filters", () => {
  it("lists the dataset in id order with its display columns", async () => {
    const page = await querySamplesTable({ ...DEFAULT_FILTER, datasetId });
    expect(page.rows.map((r) => labelOf(r.id))).toEqual(Object.keys(SAMPLES));
    expect(page).toMatchObject({ total: 8, totalKind: "exact", next: null, previous: null });
    expect(page.rows[1]).toMatchObject({
      status: "flagged",
      query: "Weather and time in Oslo",
      toolNames: expect.arrayContaining(["get_weather", "get_time"]),
      calls: [`get_weather(city="Lyon")`],
      answerKind: "calls",
      statusStage: 4,
      statusReason: "city is hallucinated",
      decidedBy: "llm",
      updatedAt: "2026-11-25T11:59:00.000Z",
    });
  });

  it("estimates the total instead of counting when the planner expects more rows than it counts", async () => {
    await (await getPool()).query("ANALYZE samples");
    const filter = { ...DEFAULT_FILTER, datasetId };
    const estimated = await querySamplesTable(filter, { exactCountUpTo: 2 });
    expect(estimated.totalKind).toBe("estimate");
    expect(estimated.total).toBeGreaterThan(2);
    // The rows are the same whatever the count.
    expect(estimated.rows.map((r) => r.id)).toEqual((await querySamplesTable(filter)).rows.map((r) => r.id));
  });

  it("filters by status (any of several)", async () => {
    expect(await labels({ status: ["flagged"] })).toEqual(["weatherFlaggedS4", "timeErrorS3"]);
    expect(await labels({ status: ["text", "approved"] })).toEqual(["stockText", "stockApproved"]);
  });

  it("filters by failing stage", async () => {
    expect(await labels({ failingStage: 4 })).toEqual(["weatherFlaggedS4", "stockApproved"]);
    expect(await labels({ failingStage: 2 })).toEqual(["timeDiscardedS2"]);
    expect(await labels({ failingStage: 5 })).toEqual([]);
  });

  it("filters by verdict outcome at one stage or at any stage", async () => {
    expect(await labels({ outcome: "error" })).toEqual(["timeErrorS3"]);
    expect(await labels({ outcome: "error", outcomeStage: 2 })).toEqual([]);
    expect(await labels({ outcome: "pass", outcomeStage: 5 })).toEqual(["weatherPassed", "stockApproved"]);
    expect(await labels({ outcome: "fail" })).toEqual(["weatherFlaggedS4", "timeDiscardedS2", "stockApproved"]);
  });

  it("filters by who decided", async () => {
    expect(await labels({ decidedBy: "rule" })).toEqual(["timeDiscardedS2", "stockText"]);
    expect(await labels({ decidedBy: "human" })).toEqual(["stockApproved"]);
  });

  it("filters by exact tool name", async () => {
    expect(await labels({ tool: "get_time" })).toEqual(["weatherFlaggedS4", "timeDiscardedS2", "timeErrorS3"]);
    expect(await labels({ tool: "get_tim" })).toEqual([]);
  });

  it("searches query, CoT and calls with web-search syntax", async () => {
    expect(await labels({ q: "oslo" })).toEqual(["weatherFlaggedS4"]);
    // The calls are searched too: "Is it raining in Bergen" calls get_weather.
    expect(await labels({ q: "weather -oslo" })).toEqual(["weatherPassed", "pending1"]);
    expect(await labels({ q: '"convert currency"' })).toEqual(["pending2"]);
    const pool = await getPool();
    await pool.query(`UPDATE samples SET cot = 'First I consider the barometric pressure.' WHERE id = $1`, [ids.pending1]);
    expect(await labels({ q: "barometric" })).toEqual(["pending1"]);
  });

  it("filters conversations by their number of turns and by the turn a stage fails", async () => {
    const pool = await getPool();
    await pool.query(`UPDATE samples SET turns = 3, stage_outcomes = stage_outcomes || '{turn3:fail}' WHERE id = $1`, [ids.weatherFlaggedS4]);
    await pool.query(`UPDATE samples SET turns = 2, error_tool_response = true WHERE id = $1`, [ids.timeErrorS3]);
    try {
      expect(await labels({ turns: "2+" })).toEqual(["weatherFlaggedS4", "timeErrorS3"]);
      expect(await labels({ turns: "3" })).toEqual(["weatherFlaggedS4"]);
      expect(await labels({ turns: "1" })).toHaveLength(Object.keys(SAMPLES).length - 2);
      expect(await labels({ failingTurn: 3 })).toEqual(["weatherFlaggedS4"]);
      expect(await labels({ failingTurn: 2 })).toEqual([]);
      expect(await labels({ errorToolResponse: true })).toEqual(["timeErrorS3"]);
      expect(await labels({ errorToolResponse: false })).toHaveLength(Object.keys(SAMPLES).length - 1);
    } finally {
      await pool.query(`UPDATE samples SET turns = 1, error_tool_response = false, stage_outcomes = array_remove(stage_outcomes, 'turn3:fail') WHERE id = ANY($1::int[])`, [[ids.weatherFlaggedS4, ids.timeErrorS3]]);
    }
  });

  it("combines filters with AND and counts exactly what matches", async () => {
    expect(await labels({ tool: "get_time", status: ["flagged"], decidedBy: "llm", outcome: "fail" })).toEqual(["weatherFlaggedS4"]);
    const filter = { ...DEFAULT_FILTER, datasetId, tool: "get_time" };
    expect(await countFiltered(filter)).toBe(3);
    expect(await filteredSampleIds({ ...filter, sort: "updated", dir: "desc", size: 25 })).toEqual([
      ids.weatherFlaggedS4,
      ids.timeDiscardedS2,
      ids.timeErrorS3,
    ]);
  });
});

describe("keyset pages", () => {
  const sorts: Array<Pick<TableFilter, "sort" | "dir">> = [
    { sort: "id", dir: "asc" },
    { sort: "id", dir: "desc" },
    { sort: "updated", dir: "asc" },
    { sort: "updated", dir: "desc" },
    { sort: "status", dir: "asc" },
    { sort: "status", dir: "desc" },
  ];

  it.each(sorts)("visit every row once, forward and back ($sort $dir)", async (order) => {
    const all = await querySamplesTable({ ...DEFAULT_FILTER, ...order, datasetId, size: 200 });
    const expected = all.rows.map((r) => r.id);
    expect(expected).toHaveLength(8);

    const forward: number[][] = [];
    let filter: TableFilter = { ...DEFAULT_FILTER, ...order, datasetId, size: 3 };
    const cursors: string[] = [];
    for (;;) {
      const page = await querySamplesTable(filter);
      expect(page.total).toBe(8);
      forward.push(page.rows.map((r) => r.id));
      if (!page.next) break;
      cursors.push(page.next);
      filter = { ...filter, after: parseCursor(page.next, filter.sort)!, before: undefined };
    }
    expect(forward.flat()).toEqual(expected);
    expect(forward.map((p) => p.length)).toEqual([3, 3, 2]);

    // From the last page, "previous" walks back to the same pages; the first one has no previous.
    const backward: number[][] = [forward[2]];
    let page = await querySamplesTable(filter);
    while (page.previous) {
      filter = { ...filter, after: undefined, before: parseCursor(page.previous, filter.sort)! };
      page = await querySamplesTable(filter);
      backward.unshift(page.rows.map((r) => r.id));
    }
    expect(backward).toEqual(forward);
  });

  it("sorts by status in the status machine's order", async () => {
    const page = await querySamplesTable({ ...DEFAULT_FILTER, datasetId, sort: "status" });
    expect(page.rows.map((r) => r.status)).toEqual(["pending", "pending", "passed", "flagged", "flagged", "text", "approved", "discarded"]);
  });

  it("going back past the start shows a full first page", async () => {
    const page = await querySamplesTable({ ...DEFAULT_FILTER, datasetId, size: 3, before: { key: null, id: ids.timeDiscardedS2 } });
    expect(page.rows.map((r) => labelOf(r.id))).toEqual(["weatherPassed", "weatherFlaggedS4", "timeDiscardedS2"]);
    expect(page.previous).toBeNull();
    expect(page.next).not.toBeNull();
  });
});

describe("sampleNeighbors", () => {
  it("gives the ids before and after a sample in the filter's order", async () => {
    const filter = { ...DEFAULT_FILTER, datasetId, status: ["flagged" as const, "discarded" as const] };
    expect(await sampleNeighbors(filter, ids.timeDiscardedS2)).toEqual({ previous: ids.weatherFlaggedS4, next: ids.timeErrorS3 });
    expect(await sampleNeighbors(filter, ids.weatherFlaggedS4)).toEqual({ previous: null, next: ids.timeDiscardedS2 });
    expect(await sampleNeighbors({ ...filter, sort: "updated", dir: "desc" }, ids.timeDiscardedS2)).toEqual({
      previous: ids.weatherFlaggedS4,
      next: ids.timeErrorS3,
    });
    expect(await sampleNeighbors({ ...filter, dir: "desc" }, ids.timeDiscardedS2)).toEqual({ previous: ids.timeErrorS3, next: ids.weatherFlaggedS4 });
  });

  it("still places a sample that has left the filter (decided while reviewing)", async () => {
    const filter = { ...DEFAULT_FILTER, datasetId, status: ["flagged" as const] };
    expect(await sampleNeighbors(filter, ids.timeDiscardedS2)).toEqual({ previous: ids.weatherFlaggedS4, next: ids.timeErrorS3 });
  });

  it("has no neighbors for an unknown sample", async () => {
    expect(await sampleNeighbors(DEFAULT_FILTER, 2_000_000_000)).toEqual({ previous: null, next: null });
  });
});

describe("toolNameSuggestions", () => {
  it("offers the dataset's tool names by case-insensitive prefix", async () => {
    expect(await toolNameSuggestions("GET_", datasetId)).toEqual(["get_time", "get_weather"]);
    expect(await toolNameSuggestions("", datasetId)).toEqual(["convert_currency", "get_time", "get_weather", "stock_price"]);
    // LIKE wildcards in the prefix are literal.
    expect(await toolNameSuggestions("%", datasetId)).toEqual([]);
  });
});
