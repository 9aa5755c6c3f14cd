import { describe, expect, it } from "vitest";
import type { PipelineSample } from "./types";
import { describeRuleFailures, ruleFailures } from "./rule-check";
import { turnViews } from "./turns";

const forecast = { name: "forecast", description: "Weather for a city", parameters: { city: { type: "str", description: "The city" } } };
const book = { name: "book_table", description: "Book a table", parameters: { city: { type: "str", description: "The city" }, people: { type: "int", description: "How many" } } };

const conversation = (lastCall: Record<string, unknown>): PipelineSample => ({
  query: "Weather in Lyon?",
  tools: [forecast, book],
  answer: { kind: "calls", calls: [{ name: "forecast", arguments: { city: "Lyon" }, id: "c1" }] },
  cot: "The user wants Lyon's weather.",
  followUp: [
    { role: "tool", content: '{"sky": "clear"}', callId: "c1", name: "forecast" },
    { role: "assistant", cot: null, answer: { kind: "text", text: "Clear skies in Lyon." } },
    { role: "user", content: "Then book a table for 2 there." },
    { role: "assistant", cot: "Book for two in Lyon.", answer: { kind: "calls", calls: [{ name: "book_table", arguments: lastCall }] } },
  ],
});

describe("a conversation's turns", () => {
  it("are the first answer and every assistant message after it, each with the conversation before it as its request", () => {
    const views = turnViews(conversation({ city: "Lyon", people: 2 }));
    expect(views.map((v) => [v.turn, v.answer?.kind, v.cot])).toEqual([
      [1, "calls", "The user wants Lyon's weather."],
      [2, "text", null],
      [3, "calls", "Book for two in Lyon."],
    ]);
    expect(views[0].query).toBe("Weather in Lyon?");
    expect(views[2].query).toBe(
      [
        "User: Weather in Lyon?",
        "Assistant: calls [forecast(city='Lyon')]",
        'Tool result (forecast): {"sky": "clear"}',
        "Assistant: Clear skies in Lyon.",
        "User: Then book a table for 2 there.",
      ].join("\n"),
    );
  });

  it("are each checked by the rules: a later turn's bad call fails the sample, named by its turn", async () => {
    expect(await ruleFailures(conversation({ city: "Lyon", people: 2 }))).toEqual([]);
    const failures = await ruleFailures(conversation({ city: "Lyon", people: "two" }));
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.every((f) => f.turn === 3)).toBe(true);
    expect(describeRuleFailures(failures)).toMatch(/^fails turn 3, stage 4 \(rule:[a-z-]+\): .*people/);
  });

  it("of a single exchange is the sample itself", async () => {
    const { followUp: _, ...single } = conversation({});
    expect(turnViews(single)).toEqual([{ ...single, turn: 1 }]);
    expect((await ruleFailures(single)).every((f) => f.turn === undefined)).toBe(true);
  });
});
