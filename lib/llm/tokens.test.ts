// The token counts the fake LLM and the run estimate use are exactly gpt-tokenizer's for GPT-4o's chat template,
// paragraph memo and the pieces a new paragraph is cut into (its lines, its list's JSON objects) included.
import { readFileSync } from "node:fs";
import path from "node:path";
import { countTokens as countWhole } from "gpt-tokenizer/encoding/o200k_base";
import { encodeChat } from "gpt-tokenizer/model/gpt-4o";
import { describe, expect, it } from "vitest";
import { judgeCotV2, regenerateAnswerV3 } from "./prompts";
import { chatTokenRuns, countTokens } from "./tokens";

/** The prompt's tokens as one list. */
const chatTokens = (messages: Parameters<typeof chatTokenRuns>[0]) => chatTokenRuns(messages).flat();

const sample = { query: "Weather in Lyon?\n\nAnd in Paris,  please.\n\n\nThanks", tools: [{ name: "get_weather", description: "Weather.\n\nIn a city.", parameters: {} }], cot: "Lyon.\n\n Then Paris.", calls: [{ name: "get_weather", arguments: { city: "Lyon" } }] };

/** The messages whose tokens chatTokens gives and encodeChat checks. */
const user = (content: string) => [{ role: "user" as const, content }];

describe("chatTokenRuns", () => {
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

  it("equals encodeChat for BFCL's tools in new lists: each list's objects are encoded from pieces seen in other lists", () => {
    // Tools recur across BFCL's entries, in other lists, orders and places: a new list's tools then come from the
    // pieces remembered (tokens.ts), and the whole must still be exactly the text's own tokens.
    const dir = path.resolve(import.meta.dirname, "../../fixtures/bfcl");
    const entries = ["BFCL_v4_multiple.json", "BFCL_v4_parallel_multiple.json", "BFCL_v4_live_multiple.json"].flatMap((file) =>
      readFileSync(path.join(dir, file), "utf8")
        .trim()
        .split("\n")
        .slice(0, 150)
        .map((line) => JSON.parse(line) as { question: { content: string }[][]; function: { name: string }[] }),
    );
    const wrong: string[] = [];
    for (const entry of entries) {
      const query = entry.question[0].at(-1)!.content;
      const calls = entry.function.map((f) => ({ name: f.name, arguments: { x: 1 } }));
      for (const tools of [entry.function, [...entry.function].reverse()]) {
        const { user: text } = judgeCotV2.build({ query, tools: tools as never, cot: null, calls });
        if (JSON.stringify(chatTokens(user(text))) !== JSON.stringify(encodeChat(user(text)))) wrong.push(text.slice(0, 80));
      }
    }
    expect(wrong).toEqual([]);
  });

  it("equals encodeChat where a list's objects start with other characters, or nest, or sit in prose", () => {
    const texts = [
      '[{"_private":1},{"_private":1},{"b":2}]',
      '[{"1st":"a"},{"2nd":"b"},{"1st":"a"}]',
      '[{"été":1},{"naïve":"x"},{"été":1}]',
      '[ {"a":1} , {"a":1} ]\n\n[{"a":1},{"a":1}]',
      '[{"a":[{"b":{"c":1}},{"d":[{"e":"it\'s"}]}]},{"a":[{"b":{"c":1}}]}]',
      'Call it[{"s":1}] or it\'s[{"s":1},{"t":"don\'t"}], then x,{"y":"z"} and "[{"q":"[{\\"r\\":1}]"}]"',
      '[{"name":"a"},\n  {"name":"b"},{"Name":"C"},{"NAME":"d"},{"name":"a"}]',
      '[{"x":"\\u00e9\\n"},{"x":"line\\nbreak"},{"x":"tab\\there"},{"x":"😀 emoji"},{"x":"😀 emoji"}]',
    ];
    for (const text of texts) {
      expect(chatTokens(user(text))).toEqual(encodeChat(user(text)));
      expect(chatTokens(user(`tools:\n${text}\n\nquery:\n${text}`))).toEqual(encodeChat(user(`tools:\n${text}\n\nquery:\n${text}`)));
    }
  });
});

describe("countTokens", () => {
  it("equals gpt-tokenizer's count of the whole text, for texts cut into lines wherever a line starts with a letter", () => {
    // A teacher's answer: its reasoning's lines are remembered, then come back in other answers and in prompts.
    const reasoning = [
      "The request is about elevation, area: park_information does that (Retrieve the basic information).",
      'park_name = "Yellowstone National Park": the request gives it.',
      "holding_period = 10: the request gives it.",
      "So I call park_information, then calculate_stock_return.",
    ].join("\n");
    const texts = [
      `<think>\n${reasoning}\n</think>\n\n[park_information(park_name="Yellowstone National Park")]`,
      `<think>\n${reasoning.split("\n").reverse().join("\n")}\n</think>\n\n[f(x=1)]`,
      `chain of thought:\n<cot>\n${reasoning}\n</cot>`,
      "see:\n/usr/bin and\n./run, then\n'quoted' and\n\"x\" or\n-1 or\n 2 spaces\n\tand a tab",
      "ends in a space \nThen a word, a digit 5\nThen, a mark é\nÉté then\nété and\r\nCRLF and\n\u00a0nbsp\nZ",
      "it's\ns and don't\nt, can\n'\nt: contractions near line breaks\n",
      "    indented\n    lines\n        deeper\nback",
    ];
    for (const text of texts) {
      expect(countTokens(text)).toBe(countWhole(text));
      expect(countTokens(text)).toBe(countWhole(text)); // from the pieces remembered
      expect(chatTokens(user(text))).toEqual(encodeChat(user(text)));
    }
  });
});
