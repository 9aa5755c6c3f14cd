// The pure call-or-text rule (answer-kind.ts) and stage 5 on a call answer without a CoT. The table of answer
// shapes through the importer and stages 1 and 5 is in stages/answer-shapes.test.ts.
import { describe, expect, it } from "vitest";
import type { Tool } from "@/lib/samples/types";
import { classifyAnswer, findCallSign } from "./answer-kind";
import { formatStage } from "./stages";
import type { PipelineSample } from "./types";

const tools: Tool[] = [{ name: "get_weather", description: "Current weather for a city.", parameters: { city: { type: "str", description: "City." } } }];
const rulesOnly = { judge: null, modelFor: () => "rules" };
const CALL = "[get_weather(city='Lyon')]";

describe("classifyAnswer and findCallSign", () => {
  it("needs the call's shape, not just a tool's name", () => {
    const names = ["get_weather"];
    expect(findCallSign("I can't get_weather for you", names)).toBeNull();
    expect(findCallSign("ok: get_weather(", names)).toEqual({ form: "tool-call", at: 4, found: "get_weather(" });
    expect(findCallSign('x {"name": "get_weather"}', names)).toMatchObject({ form: "json-object", at: 2 });
    expect(findCallSign('x {"name": "get_weather"}', [])).toBeNull();
    expect(findCallSign('{"name": "f", "parameters": {}}', [])).toMatchObject({ form: "json-object", at: 0 });
    expect(findCallSign("a </tool_call>", [])).toEqual({ form: "tag", at: 2, found: "</tool_call>" });
    // The first sign wins.
    expect(findCallSign("<think> get_weather(", names)).toMatchObject({ form: "think-tag", at: 0 });
  });

  it("reads a text answer that parses as calls as calls, and an empty list as ambiguous", () => {
    expect(classifyAnswer({ kind: "text", text: CALL }, tools)).toEqual({ kind: "calls", calls: [{ name: "get_weather", arguments: { city: "Lyon" } }] });
    expect(classifyAnswer({ kind: "text", text: " [] " }, tools)).toMatchObject({ kind: "ambiguous", calls: [] });
    expect(classifyAnswer({ kind: "calls", calls: [] }, tools)).toMatchObject({ kind: "ambiguous" });
  });

  it("checks a call answer without a CoT on its answer alone (the CoT comes from a full run)", async () => {
    const sample: PipelineSample = { query: "q", tools, answer: { kind: "text", text: `${CALL} Hope this helps!` }, cot: null };
    const [alone] = await formatStage.run(sample, rulesOnly);
    expect(alone).toMatchObject({ outcome: "fail", evidence: { problem: "text after the call list: 'Hope this helps!'" } });
    // With a CoT, the text checked is the one trained on: the CoT's think block, then the answer.
    const [verdict] = await formatStage.run({ ...sample, cot: "Lyon." }, rulesOnly);
    expect(verdict.evidence).toEqual({ problem: "text after the call list: 'Hope this helps!'", text: `<think>Lyon.</think>\n\n${CALL} Hope this helps!` });
    expect(verdict.reason).toBe("The training text is malformed: text after the call list: 'Hope this helps!'.");
  });
});
