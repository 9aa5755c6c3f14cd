// importSamples on small files of OpenAI chat as people write it and of glaive-function-calling-v2: detected, every
// valid record stored, the bad one reported with its line and field.
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { getPool } from "@/lib/db/client";
import { importSamples } from "./import";

const jsonl = (...records: unknown[]) => records.map((record) => JSON.stringify(record)).join("\n") + "\n";
const source = (text: string) => Readable.from([Buffer.from(text)]);
const uniqueName = (label: string) => `import-${label}-${process.pid}-${Date.now()}`;

async function datasetRows(name: string) {
  const pool = await getPool();
  const { rows } = await pool.query(
    `SELECT s.query, s.tools, s.answer_kind, s.answer, s.cot FROM samples s JOIN datasets d ON d.id = s.dataset_id WHERE d.name = $1 ORDER BY s.id`,
    [name],
  );
  return rows;
}

const speed = { name: "set_speed", description: "Set the drone's speed.", parameters: { type: "object", properties: { speed: { type: "integer" } }, required: ["speed"] } };
const call = (speedValue: number) => [{ name: "set_speed", arguments: { speed: speedValue } }];

describe("importSamples on OpenAI chat as written", () => {
  it("imports content parts, reasoning, double-encoded and legacy calls and multi-turn records, and reports the bad line", async () => {
    const user = (text: unknown) => ({ role: "user", content: text });
    const file = jsonl(
      { messages: [user("Speed 1"), { role: "assistant", tool_calls: [{ id: "c", type: "function", function: { name: "set_speed", arguments: JSON.stringify('{"speed": 1}') } }] }], tools: [{ type: "function", function: speed }] },
      { messages: [user("Speed 2"), { role: "assistant", function_call: { name: "set_speed", arguments: '{"speed": 2}' } }], functions: [speed] },
      {
        messages: [user([{ type: "text", text: "Speed 3" }]), { role: "assistant", content: [{ type: "thinking", thinking: "Three." }, { type: "tool_call", value: { name: "set_speed", arguments: { speed: 3 } } }] }],
        tools: [speed],
      },
      {
        messages: [
          { role: "system", content: "Drone pilot." },
          user("Speed 4"),
          { role: "assistant", reasoning_content: "Four.", tool_calls: [{ id: "a", type: "function", function: { name: "set_speed", arguments: '{"speed": 4}' } }] },
          { role: "tool", tool_call_id: "a", content: "ok" },
          { role: "assistant", content: "Done." },
        ],
        tools: [speed],
      },
      { messages: [user("Speed 5"), { role: "assistant", content: "[set_speed(speed=5)]\nHope this helps!" }], tools: [speed] },
      { messages: [user("Speed 6"), { role: "assistant", tool_calls: [{ type: "function", function: { name: "set_speed", arguments: "{speed: 6" } }] }], tools: [speed] },
    );
    const name = uniqueName("openai");
    const summary = await importSamples({ datasetName: name, fileName: "chat.jsonl", input: source(file) });
    expect(summary).toMatchObject({ ok: true, format: "chat", total: 6, inserted: 5, rejected: 1 });
    expect(summary.errors).toEqual([{ line: 6, index: 5, field: "messages[1].tool_calls[0].function.arguments", message: expect.stringMatching(/^is a string but not valid JSON/) }]);
    const rows = await datasetRows(name);
    expect(rows.map((row) => [row.query, row.answer_kind, row.answer, row.cot])).toEqual([
      ["Speed 1", "calls", call(1), null],
      ["Speed 2", "calls", call(2), null],
      ["Speed 3", "calls", call(3), "Three."],
      // A conversation: its call keeps the id its tool result names.
      ["Speed 4", "calls", [{ ...call(4)[0], id: "a" }], "Four."],
      ["Speed 5", "text", "[set_speed(speed=5)]\nHope this helps!", null],
    ]);
    expect(rows.every((row) => JSON.stringify(row.tools) === JSON.stringify([speed]))).toBe(true);
  });
});

describe("importSamples on glaive-function-calling-v2", () => {
  it("detects the format, imports calls, text answers and defective calls as text, and reports the bad record", async () => {
    const system = `SYSTEM: You are a helpful assistant with access to the following functions. Use them if required -\n${JSON.stringify(speed, null, 4)}`;
    const chat = (...turns: string[]) => turns.join("\n\n\n");
    const file = JSON.stringify([
      { system, chat: chat("USER: Speed 7 please", `ASSISTANT: <functioncall> {"name": "set_speed", "arguments": '{"speed": 7}'} <|endoftext|>`, 'FUNCTION RESPONSE: {"ok": true}', "ASSISTANT: Done. <|endoftext|>") },
      { system: "SYSTEM: You are a helpful assistant, with no access to external functions.", chat: chat("USER: Tell me a joke", "ASSISTANT: Why did the drone land? It was tired. <|endoftext|>") },
      { system, chat: chat("USER: Speed 8", `ASSISTANT: <functioncall> {"name": "set_speed", "arguments": '{"spe`) },
      { system: `SYSTEM: functions -\n{"name": "set_speed", "parameters": {`, chat: "USER: Speed 9" },
    ]);
    const name = uniqueName("glaive");
    const summary = await importSamples({ datasetName: name, fileName: "glaive.json", input: source(file) });
    expect(summary).toMatchObject({ ok: true, format: "glaive", total: 4, inserted: 3, rejected: 1 });
    expect(summary.errors).toEqual([{ line: 1, index: 3, field: "system", message: "function 1 is cut off: its JSON object never closes" }]);
    const rows = await datasetRows(name);
    expect(rows.map((row) => [row.query, row.tools, row.answer_kind, row.answer])).toEqual([
      ["Speed 7 please", [speed], "calls", call(7)],
      ["Tell me a joke", [], "text", "Why did the drone land? It was tired."],
      ["Speed 8", [speed], "text", `<functioncall> {"name": "set_speed", "arguments": '{"spe`],
    ]);
  });
});
