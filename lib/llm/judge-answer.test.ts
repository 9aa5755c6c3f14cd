import { describe, expect, it } from "vitest";
import { answerText } from "./client";
import { jsonObjects, parseJudgeAnswer, readCombinedAnswer } from "./judge-answer";

const PASS = '{"verdict": "pass", "reason": "The tool fits the query."}';
const FAIL = '{"verdict": "fail", "reason": "No tool fits the query."}';

describe("parseJudgeAnswer: the answer styles of real models", () => {
  it.each([
    ["bare JSON", PASS],
    ["a reasoning preamble", `<think>The query asks for weather; get_weather fits. {"verdict": "fail"} would be wrong.</think>\n${PASS}`],
    ["a fence at the start", "```json\n" + PASS + "\n```"],
    ["a fence mid-text", `Here is my verdict:\n\n\`\`\`json\n${PASS}\n\`\`\`\nHope this helps.`],
    ["one object inside prose", `After checking the tools, my answer is ${PASS} — as required.`],
    ["an object whose reason holds braces", 'Verdict: {"verdict": "pass", "reason": "The call {city} is filled from the query."}'],
    ["the same object twice", `${PASS}\n\nFinal answer: ${PASS}`],
  ])("finds the verdict in %s", (_, text) => {
    expect(parseJudgeAnswer(text)).toMatchObject({ ok: true, value: { verdict: "pass" } });
  });

  it("refuses two objects that disagree, never picking one", () => {
    const result = parseJudgeAnswer(`First I thought ${PASS} but on reflection ${FAIL}`);
    expect(result).toEqual({ ok: false, message: expect.stringContaining("verdicts that disagree (pass and fail)") });
  });

  it("refuses an answer with no object, one that is all reasoning, and one whose object is not a verdict", () => {
    expect(parseJudgeAnswer("Sorry, I cannot help with that.")).toMatchObject({ ok: false, message: expect.stringContaining("no JSON object") });
    expect(parseJudgeAnswer("<think>Let me look at the tools. The query")).toMatchObject({ ok: false, message: expect.stringContaining("all reasoning") });
    expect(parseJudgeAnswer('{"verdict": "maybe", "reason": "unsure"}')).toMatchObject({ ok: false, message: expect.stringContaining("verdict") });
  });

  it("reads only objects, not arrays or numbers", () => {
    expect(jsonObjects("[1, 2]")).toEqual([]);
    expect(jsonObjects('x {"a": "}"} y {"b": 2}')).toEqual([{ a: "}" }, { b: 2 }]);
  });
});

describe("answerText: what a reply's message says", () => {
  it("takes a tool call's arguments when the content is empty (no response_format support)", () => {
    const message = { content: null, tool_calls: [{ id: "c1", type: "function" as const, function: { name: "verdict", arguments: PASS } }] };
    expect(answerText(message)).toBe(PASS);
  });

  it("puts a separate reasoning field first as a <think> block, unless the content has one", () => {
    expect(answerText({ content: "[get_weather(city='Lyon')]", reasoning_content: "The user wants Lyon." })).toBe(
      "<think>The user wants Lyon.</think>\n\n[get_weather(city='Lyon')]",
    );
    expect(answerText({ content: "<think>mine</think>\n\n[f()]", reasoning: "theirs" })).toBe("<think>mine</think>\n\n[f()]");
    expect(answerText({ content: "", reasoning_content: "only thoughts" })).toBeNull();
  });
});

describe("readCombinedAnswer: one verdict per judge of a combined call", () => {
  const TASKS = ["judge-query-tools", "judge-cot", "judge-values"];
  const part = (verdict: string) => ({ verdict, reason: `It is a ${verdict}.` });
  const all = JSON.stringify({ "judge-query-tools": part("pass"), "judge-cot": part("pass"), "judge-values": part("fail") });

  it("reads each judge's verdict, after reasoning, in a fence or in prose", () => {
    for (const text of [all, `<think>hmm</think>\n${all}`, `Here:\n\`\`\`json\n${all}\n\`\`\``, `My verdicts are ${all} as asked.`]) {
      const read = readCombinedAnswer(text, TASKS);
      expect(read.problem, text).toBeNull();
      expect([...read.verdicts].map(([task, v]) => [task, v.verdict])).toEqual([
        ["judge-query-tools", "pass"],
        ["judge-cot", "pass"],
        ["judge-values", "fail"],
      ]);
    }
  });

  it("keeps the verdicts that are there and names the judge missing or misfit", () => {
    const partial = readCombinedAnswer(JSON.stringify({ "judge-query-tools": part("pass"), "judge-values": { verdict: "maybe", reason: "?" } }), TASKS);
    expect([...partial.verdicts.keys()]).toEqual(["judge-query-tools"]);
    expect(partial.problem).toMatch(/incomplete: no verdict for judge-cot; judge-values: verdict/);
  });

  it("two objects whose verdicts disagree, or none keyed by a judge, are no verdict at all", () => {
    const other = JSON.stringify({ "judge-query-tools": part("pass"), "judge-cot": part("fail"), "judge-values": part("fail") });
    const conflicting = readCombinedAnswer(`First: ${all} Then: ${other}`, TASKS);
    expect(conflicting.verdicts.size).toBe(0);
    expect(conflicting.problem).toMatch(/verdicts for judge-cot that disagree/);
    expect(readCombinedAnswer(JSON.stringify(part("pass")), TASKS).problem).toMatch(/no verdict keyed by judge-query-tools, judge-cot, judge-values/);
    expect(readCombinedAnswer("Sorry, no.", TASKS).problem).toMatch(/holds no JSON object/);
  });
});
