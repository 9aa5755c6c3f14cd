// The token counts the fake LLM and the run estimate use are exactly gpt-tokenizer's for GPT-4o's chat template,
// paragraph memo included.
import { encodeChat } from "gpt-tokenizer/model/gpt-4o";
import { describe, expect, it } from "vitest";
import { judgeCotV2, regenerateAnswerV3 } from "./prompts";
import { chatTokens } from "./tokens";

const sample = { query: "Weather in Lyon?\n\nAnd in Paris,  please.\n\n\nThanks", tools: [{ name: "get_weather", description: "Weather.\n\nIn a city.", parameters: {} }], cot: "Lyon.\n\n Then Paris.", calls: [{ name: "get_weather", arguments: { city: "Lyon" } }] };

describe("chatTokens", () => {
  it.each([
    ["a judge prompt", judgeCotV2.build(sample)],
    ["a regeneration prompt", regenerateAnswerV3.build({ ...sample, failures: [{ stage: 4, reason: "wrong\n\ncity" }] })],
  ])("equals gpt-tokenizer's encodeChat for %s, the second time too (memo)", (_, prompt) => {
    const messages = [
      { role: "system" as const, content: prompt.system },
      { role: "user" as const, content: prompt.user },
    ];
    expect(chatTokens(messages)).toEqual(encodeChat(messages));
    expect(chatTokens(messages)).toEqual(encodeChat(messages));
  });
});
