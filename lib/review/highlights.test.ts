import { describe, expect, it } from "vitest";
import type { Tool, ToolCall } from "@/lib/samples/types";
import { argumentHighlights, argumentOf, judgeHighlights, ruleHighlights, type VerdictLike } from "./highlights";

const tools: Tool[] = [
  {
    name: "get_weather",
    parameters: {
      type: "dict",
      properties: {
        city: { type: "string" },
        unit: { type: "string", enum: ["celsius", "fahrenheit"] },
        days: { type: "integer" },
        location: { type: "dict", properties: { lat: { type: "float" }, lon: { type: "float" } } },
      },
      required: ["city"],
    },
  },
];

describe("rule highlights (stage 4's own check on the calls as they stand)", () => {
  it("mark the exact argument of each problem, with the reason and no call prefix", () => {
    const calls: ToolCall[] = [
      { name: "get_weather", arguments: { unit: "kelvin", days: 1.5, colour: "blue", location: { lat: "45N" } } },
      { name: "get_wether", arguments: {} },
    ];
    expect(ruleHighlights(calls, tools)).toEqual([
      { call: 0, argument: "colour", path: null, kind: "unknown_argument", message: "colour is not a parameter of get_weather (it takes city, unit, days, location)", decidedBy: "rule:function-params" },
      { call: 0, argument: "city", path: null, kind: "missing_required", message: "required parameter city is missing", decidedBy: "rule:function-params" },
      { call: 0, argument: "unit", path: null, kind: "not_in_enum", message: '"kelvin" is not one of celsius, fahrenheit', decidedBy: "rule:function-params" },
      { call: 0, argument: "days", path: null, kind: "wrong_type", message: "1.5 is a float, expected integer", decidedBy: "rule:function-params" },
      { call: 0, argument: "location", path: "location.lat", kind: "wrong_type", message: '"45N" is a string, expected float', decidedBy: "rule:function-params" },
      { call: 1, argument: null, path: null, kind: "unknown_function", message: "there is no tool named get_wether (the tools are get_weather)", decidedBy: "rule:function-params" },
    ]);
  });

  it("are empty for calls the rules pass", () => {
    expect(ruleHighlights([{ name: "get_weather", arguments: { city: "Lyon", unit: "celsius" } }], tools)).toEqual([]);
  });

  it("name the top-level argument of a nested path", () => {
    expect(argumentOf("location.lat")).toBe("location");
    expect(argumentOf("metrics[1]")).toBe("metrics");
    expect(argumentOf("city")).toBe("city");
  });
});

describe("judge highlights (values the stage-4 judge called wrong)", () => {
  const judgeAnswer = (problems: object[]) => JSON.stringify({ verdict: "fail", reason: "Wrong city.", evidence: { problems } });
  const verdict = (id: string, over: Partial<VerdictLike> = {}): VerdictLike => ({
    id,
    stage: 4,
    outcome: "fail",
    evidence: { judge: judgeAnswer([{ call: 0, function: "get_weather", parameter: "city", value: "Paris", issue: "the user asked about Lyon", expected: "Lyon" }]) },
    decidedBy: "llm:judge",
    attempt: 1,
    runId: 7,
    ...over,
  });
  const calls: ToolCall[] = [{ name: "get_weather", arguments: { city: "Paris" } }];

  it("mark the value the judge names, from the sample's newest verdicts", () => {
    expect(judgeHighlights([verdict("5")], calls)).toEqual([
      { call: 0, argument: "city", path: null, kind: "hallucinated", message: "the user asked about Lyon (expected Lyon)", decidedBy: "llm:judge" },
    ]);
  });

  it("ignore a judge verdict that is older than the newest verdict group (the calls changed since)", () => {
    const edited = { id: "9", stage: 4, outcome: "pass", evidence: {}, decidedBy: "rule:function-params", attempt: 2, runId: null };
    expect(judgeHighlights([verdict("5"), edited], calls)).toEqual([]);
    // Same group (the rule and the judge of one attempt): kept.
    const rule = { ...edited, id: "4", attempt: 1, runId: 7 };
    expect(judgeHighlights([rule, verdict("5")], calls)).toHaveLength(1);
  });

  it("find the call by function name when the judge gives no index, and survive answers that are not JSON", () => {
    const byName = verdict("5", { evidence: { judge: judgeAnswer([{ function: "get_weather", parameter: "city", issue: "invented" }]) } });
    expect(judgeHighlights([byName], calls)[0]).toMatchObject({ call: 0, argument: "city", message: "invented" });
    expect(judgeHighlights([verdict("5", { evidence: { judge: "not json" } })], calls)).toEqual([]);
    expect(judgeHighlights([verdict("5", { evidence: {} })], calls)).toEqual([]);
  });

  it("come after the rule highlights", () => {
    const all = argumentHighlights([{ name: "get_weather", arguments: { city: "Paris", x: 1 } }], tools, [verdict("5")]);
    expect(all.map((h) => h.kind)).toEqual(["unknown_argument", "hallucinated"]);
  });
});
