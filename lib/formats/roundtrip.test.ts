// Every BFCL fixture sample (with its ground truth, and a CoT added) goes out through the FunReason, xLAM and ShareGPT
// exports and comes back through the importers unchanged; conversations go out through FunReason, OpenAI and
// ShareGPT and come back whole; a single exchange's lines stay byte for byte what they were before conversations.
import { createReadStream, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { FollowUpMessage, SampleInput } from "@/lib/samples/types";
import { fromRecord as bfclRecord, readGroundTruth } from "./bfcl";
import { EXPORT_FORMATS, IMPORT_FORMATS, detectFormat, type ExportFormat, type ExportSample } from "./index";
import { readRecords } from "./records";

const BFCL = path.resolve(import.meta.dirname, "../../fixtures/bfcl");

async function fixtureSamples(): Promise<SampleInput[]> {
  const samples: SampleInput[] = [];
  for (const file of readdirSync(path.join(BFCL, "possible_answer"))) {
    const { answers } = await readGroundTruth(createReadStream(path.join(BFCL, "possible_answer", file)));
    for await (const record of readRecords(createReadStream(path.join(BFCL, file)))) {
      const sample = bfclRecord(record.ok ? record.value : null, { index: 0 }, { answers });
      if ("message" in sample) throw new Error(sample.message);
      samples.push({ ...sample, cot: `Reasoning for ${sample.sourceId}:\nuse the tools.` });
    }
  }
  return samples;
}

describe("export → import round trips over the BFCL fixtures", () => {
  it.each([
    ["funreason", "chat"],
    ["xlam", "xlam"],
    ["sharegpt", "sharegpt"],
  ] as const)("%s lines re-import (%s) to the same samples", async (exportId, importId) => {
    const samples = await fixtureSamples();
    expect(samples.length).toBeGreaterThan(2000);
    samples.forEach((sample, i) => {
      const exported: ExportSample = { ...sample, id: i + 1, datasetId: 1, datasetName: "bfcl", status: "passed", version: 1 };
      const line = JSON.parse(EXPORT_FORMATS[exportId].serialize(exported));
      expect(detectFormat(line)).toBe(importId);
      expect(IMPORT_FORMATS[importId].fromRecord(line, { index: i }, {})).toEqual(sample);
    });
  });
});

describe("the OpenAI export re-imports to the same samples", () => {
  // The line carries no source id and writes the tools as JSON Schema (toJsonSchema: e.g. a BFCL tuple becomes an
  // array), so the sample comes back with sourceId null and the line's tools exactly; exporting it again writes the
  // very same line.
  it("gives back each BFCL fixture sample's query, answer and CoT, the line's tools, and the same line when exported again", async () => {
    const samples = await fixtureSamples();
    const exported = (sample: SampleInput, i: number): ExportSample => ({ ...sample, id: i + 1, datasetId: 1, datasetName: "bfcl", status: "passed", version: 1 });
    // Every tenth one also with a text answer instead of its calls.
    const withText = samples.filter((_, i) => i % 10 === 0).map((sample) => ({ ...sample, answer: { kind: "text" as const, text: "None of these tools can do that: \"no\".\nSorry." } }));
    [...samples, ...withText].forEach((sample, i) => {
      const line = EXPORT_FORMATS.openai.serialize(exported(sample, i));
      const back = IMPORT_FORMATS.chat.fromRecord(JSON.parse(line), { index: i }, {});
      if ("message" in back) throw new Error(`${sample.sourceId}: ${back.field} ${back.message}`);
      expect(back).toEqual({ ...sample, sourceId: null, tools: back.tools });
      expect(back.tools).toEqual(JSON.parse(line).tools.map((tool: { function: unknown }) => tool.function));
      expect(EXPORT_FORMATS.openai.serialize(exported(back, i))).toBe(line);
    });
  });
});

describe("a single exchange's lines are byte for byte what they were before conversations", () => {
  const FIXTURES = path.resolve(import.meta.dirname, "../../fixtures/exports");
  const samples: ExportSample[] = JSON.parse(readFileSync(path.join(FIXTURES, "single-turn.samples.json"), "utf8"));

  it.each(Object.keys(EXPORT_FORMATS) as (keyof typeof EXPORT_FORMATS)[])("%s", (exportId) => {
    const written = samples.map((sample) => EXPORT_FORMATS[exportId].serialize(sample) + "\n").join("");
    expect(written).toBe(readFileSync(path.join(FIXTURES, `single-turn.${exportId}.jsonl`), "utf8"));
  });
});

describe("a conversation exports and re-imports (auto-detected) whole", () => {
  const weather = {
    name: "get_weather",
    description: "The weather in a city on a day.",
    parameters: { type: "object", properties: { city: { type: "string" }, day: { type: "string" } }, required: ["city"] },
  };
  /** Two parallel calls and their results, a text turn, a further request, one more call, its result and the last word. */
  const conversation = (ids: boolean): SampleInput => {
    const id = (value: string) => (ids ? { id: value } : {});
    const callId = (value: string) => (ids ? { callId: value } : {});
    const followUp: FollowUpMessage[] = [
      { role: "tool", content: '{"rain": true, "celsius": 11}', ...callId("w-paris") },
      { role: "tool", content: '{"rain": false, "celsius": 17}', ...callId("w-lyon") },
      { role: "assistant", cot: "Rain in Paris only.", answer: { kind: "text", text: "Take an umbrella in Paris; Lyon stays dry (17 °C)." } },
      { role: "user", content: "And tomorrow in Paris?" },
      { role: "assistant", cot: "Same tool, with the day.", answer: { kind: "calls", calls: [{ name: "get_weather", arguments: { city: "Paris", day: "tomorrow" }, ...id("w-tomorrow") }] } },
      { role: "tool", content: "Sunny, 20 °C", ...callId("w-tomorrow") },
      { role: "assistant", cot: null, answer: { kind: "text", text: "Sunny tomorrow: no umbrella." } },
    ];
    return {
      sourceId: "mt-1",
      query: "Do I need an umbrella in Paris or Lyon today?",
      tools: [weather],
      answer: {
        kind: "calls",
        calls: [
          { name: "get_weather", arguments: { city: "Paris" }, ...id("w-paris") },
          { name: "get_weather", arguments: { city: "Lyon" }, ...id("w-lyon") },
        ],
      },
      cot: "Two cities:\none call each.",
      followUp,
    };
  };
  const exported = (sample: SampleInput): ExportSample => ({ ...sample, id: 9, datasetId: 1, datasetName: "mt", status: "passed", version: 1 });
  const reimport = (line: string) => {
    const record = JSON.parse(line);
    const format = detectFormat(record);
    if (format === null) throw new Error("the line's format is not recognised");
    const back = IMPORT_FORMATS[format].fromRecord(record, { index: 0 }, {});
    if ("message" in back) throw new Error(`${back.field}: ${back.message}`);
    return { format, back };
  };

  // FunReason's Python calls and LLaMA-Factory's function_call turns have no place for call ids (the results answer
  // the calls in order), so the conversation comes back without them, every turn and CoT kept.
  it.each([
    ["funreason", "chat"],
    ["sharegpt", "sharegpt"],
  ] as const)("%s: every turn, CoT and result comes back (%s), without call ids", (exportId, importId) => {
    for (const ids of [false, true]) {
      const line = EXPORT_FORMATS[exportId].serialize(exported(conversation(ids)));
      expect((EXPORT_FORMATS[exportId] as ExportFormat).cannotWrite?.(exported(conversation(ids))) ?? null).toBeNull();
      const { format, back } = reimport(line);
      expect(format).toBe(importId);
      expect(back).toEqual(conversation(false));
    }
  });

  it("funreason: a conversation marked error_tool_response comes back marked", () => {
    const marked = { ...conversation(false), errorToolResponse: true };
    const line = EXPORT_FORMATS.funreason.serialize(exported(marked));
    expect(JSON.parse(line).error_tool_response).toBe(true);
    expect(reimport(line).back).toEqual(marked);
  });

  it("openai: the source's call ids name each result's call, and come back with the conversation", () => {
    const line = EXPORT_FORMATS.openai.serialize(exported(conversation(true)));
    const messages = JSON.parse(line).messages;
    expect(messages.map((m: { role: string }) => m.role)).toEqual(["system", "user", "assistant", "tool", "tool", "assistant", "user", "assistant", "tool", "assistant"]);
    expect(messages[3]).toEqual({ role: "tool", tool_call_id: "w-paris", content: '{"rain": true, "celsius": 11}' });
    const { format, back } = reimport(line);
    expect(format).toBe("chat");
    // The line carries no source id; its tools are JSON Schema already, so they come back as they went.
    expect(back).toEqual({ ...conversation(true), sourceId: null });
  });

  it("openai: without ids from the source, calls get call_<n> (n counting the conversation's calls), each result names its call, and the line re-imports with those ids to the same line", () => {
    const line = EXPORT_FORMATS.openai.serialize(exported(conversation(false)));
    const messages = JSON.parse(line).messages;
    const ids = (m: { tool_calls?: { id: string }[] }) => m.tool_calls?.map((call) => call.id);
    expect([ids(messages[2]), ids(messages[7])]).toEqual([["call_0", "call_1"], ["call_2"]]);
    expect([messages[3].tool_call_id, messages[4].tool_call_id, messages[8].tool_call_id]).toEqual(["call_0", "call_1", "call_2"]);
    const { back } = reimport(line);
    const withIds = (sample: SampleInput) => JSON.parse(JSON.stringify(sample).replace(/"w-(paris|lyon|tomorrow)"/g, (_, city) => `"call_${["paris", "lyon", "tomorrow"].indexOf(city)}"`));
    expect(back).toEqual({ ...withIds(conversation(true)), sourceId: null });
    expect(EXPORT_FORMATS.openai.serialize(exported(back))).toBe(line);
  });

  it("a single exchange keeps today's call_0, call_1 ids in OpenAI", () => {
    const single = { ...conversation(false), followUp: undefined };
    const messages = JSON.parse(EXPORT_FORMATS.openai.serialize(exported(single))).messages;
    expect(messages.map((m: { role: string }) => m.role)).toEqual(["system", "user", "assistant"]);
    expect(messages[2].tool_calls.map((call: { id: string }) => call.id)).toEqual(["call_0", "call_1"]);
  });

  it("xLAM holds one exchange: it writes nothing for a conversation, and says why", () => {
    expect(EXPORT_FORMATS.xlam.cannotWrite(exported(conversation(false)))).toBe(
      "is a conversation of 4 assistant turns: an xLAM line holds one exchange (export it as FunReason, OpenAI or ShareGPT)",
    );
    expect(EXPORT_FORMATS.xlam.cannotWrite(exported({ ...conversation(false), followUp: undefined }))).toBeNull();
  });

  it("ShareGPT: a conversation LLaMA-Factory would skip (turns that do not alternate, or not ending with the assistant) is refused, with the reason", () => {
    const base = conversation(false);
    const twoAssistants = { ...base, followUp: [...base.followUp!.slice(0, 3), base.followUp![2]] };
    expect(EXPORT_FORMATS.sharegpt.cannotWrite(exported(twoAssistants))).toBe(
      "its turns do not alternate: conversations[4] is gpt after gpt (LLaMA-Factory needs a human turn or tool results, then the assistant's turn, ending with the assistant's)",
    );
    const endsWithResult = { ...base, followUp: base.followUp!.slice(0, 6) };
    expect(EXPORT_FORMATS.sharegpt.cannotWrite(exported(endsWithResult))).toMatch(/^ends with tool results \(LLaMA-Factory needs/);
  });

  it("OpenAI: a tool result that answers no call is refused, with the reason", () => {
    const base = conversation(false);
    const orphan = { ...base, followUp: [...base.followUp!.slice(0, 4), { role: "tool" as const, content: "stray" }, ...base.followUp!.slice(4)] };
    expect(EXPORT_FORMATS.openai.cannotWrite(exported(orphan))).toBe(
      "has a tool result that answers no call (followUp[4]): an OpenAI tool message names the call it answers",
    );
    expect(EXPORT_FORMATS.openai.cannotWrite(exported(base))).toBeNull();
  });
});
