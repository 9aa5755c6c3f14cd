// The data half of the conversations migration, on rows as an import before conversations left them.
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { getPool } from "@/lib/db/client";
import { upgradeCutConversations } from "./conversation-upgrade";
import { contentHash } from "./hash";
import { importSamples } from "./import";

const tool = { name: "get_stock_price", description: "Price of a stock", parameters: { type: "object", properties: { symbol: { type: "string" } }, required: ["symbol"] } };
const call = (symbol: string) => ({ name: "get_stock_price", arguments: { symbol } });
const record = (id: string, symbol: string) => ({
  id,
  conversations: [
    { from: "human", value: `${symbol} price?` },
    { from: "function_call", value: JSON.stringify(call(symbol)) },
    { from: "observation", value: '{"price": 190}' },
    { from: "gpt", value: "It is at $190." },
  ],
  tools: JSON.stringify([tool]),
});

describe("upgrading samples cut to their first exchange before conversations", () => {
  it("gives a pending one its whole conversation and the conversation's identity; a judged one is left as it was", async () => {
    const name = `upgrade-${process.pid}-${Date.now()}`;
    const records = [record("cut", "AAPL"), record("judged", "MSFT")];
    await importSamples({ datasetName: name, fileName: "x.jsonl", input: Readable.from([records.map((r) => JSON.stringify(r)).join("\n")]) });
    const pool = await getPool();
    // As the import before conversations stored them: the first exchange, the whole record beside it.
    const firstExchange = (symbol: string) => contentHash({ query: `${symbol} price?`, tools: [tool], answer: { kind: "calls", calls: [call(symbol)] } });
    for (const [source, symbol, status] of [["cut", "AAPL", "pending"], ["judged", "MSFT", "passed"]] as const) {
      await pool.query(
        `UPDATE samples SET follow_up = NULL, turns = 1, source_record = $1, content_hash = $2, status = $3 WHERE source_id = $4
           AND dataset_id = (SELECT id FROM datasets WHERE name = $5)`,
        [JSON.stringify(records.find((r) => r.id === source)), firstExchange(symbol), status, source, name],
      );
    }

    const client = await pool.connect();
    try {
      await upgradeCutConversations(client);
    } finally {
      client.release();
    }

    const { rows } = await pool.query(
      `SELECT source_id, follow_up, turns, content_hash, source_record FROM samples WHERE dataset_id = (SELECT id FROM datasets WHERE name = $1) ORDER BY id`,
      [name],
    );
    expect(rows[0]).toMatchObject({
      source_id: "cut",
      follow_up: [{ role: "tool", content: '{"price": 190}' }, { role: "assistant", cot: null, answer: { kind: "text", text: "It is at $190." } }],
      turns: 2,
      source_record: null,
    });
    expect(rows[0].content_hash).not.toBe(firstExchange("AAPL"));
    // Importing the same file again adds nothing: the upgraded sample has the identity the importer gives it now.
    const again = await importSamples({ datasetName: name, fileName: "x.jsonl", input: Readable.from([JSON.stringify(records[0])]) });
    expect(again).toMatchObject({ inserted: 0, duplicates: 1 });
    expect(rows[1]).toMatchObject({ source_id: "judged", follow_up: null, turns: 1, content_hash: firstExchange("MSFT") });
    expect(rows[1].source_record).toEqual(records[1]);
  });
});
