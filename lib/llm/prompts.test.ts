// The prompts carry what the fake server (and a reader) needs, and the fake teacher's answer has the training shape.
import { describe, expect, it } from "vitest";
import type { Tool, ToolCall } from "@/lib/samples/types";
import { useFakeLlm } from "@/test/fake-llm";
import { createLlmClient } from "./client";
import { FAKE_BAD_ARGUMENT, FAKE_TASK_MARKERS, extractToolsList } from "./fake-server";
import {
  judgeClassifyV1,
  judgeCotV1,
  judgeQueryToolsV1,
  judgeValuesV1,
  regenerateAnswerV1,
  regenerateAnswerV2,
  splitThinkAnswer,
  teacherCotV1,
  validateTeacherAnswer,
} from "./prompts";

// BFCL-style (JSON-schema-like) tool first, so the fake teacher calls it; an xLAM-style one second.
const tools: Tool[] = [
  {
    name: "book_flight",
    description: "Books a flight.",
    parameters: {
      type: "dict",
      properties: {
        from: { type: "string" },
        seats: { type: "integer" },
        budget: { type: "float" },
        cabin: { type: "string", enum: ["economy", "business"] },
        flexible: { type: "boolean" },
        stops: { type: "array", items: { type: "string" } },
        extras: { type: "dict" },
        note: { type: "string" },
      },
      required: ["from", "seats", "budget", "cabin", "flexible", "stops", "extras"],
    },
  },
  { name: "forecast", parameters: { city: { type: "str" }, days: { type: "int, optional" } } },
];
const calls: ToolCall[] = [{ name: "book_flight", arguments: { from: "Lyon", seats: 2 } }];

const builds = {
  "judge-query-tools.v1": [judgeQueryToolsV1.promptVersion, judgeQueryToolsV1.build({ query: "Fly me from Lyon", tools })],
  "judge-cot.v1": [judgeCotV1.promptVersion, judgeCotV1.build({ query: "Fly me from Lyon", tools, cot: "I book it.", calls })],
  "judge-values.v1": [judgeValuesV1.promptVersion, judgeValuesV1.build({ query: "Fly me from Lyon", tools, calls })],
  "judge-classify.v1": [judgeClassifyV1.promptVersion, judgeClassifyV1.build({ query: "Fly me from Lyon", tools, answerText: "book_flight from Lyon" })],
  "teacher-cot.v1": [teacherCotV1.promptVersion, teacherCotV1.build({ query: "Fly me from Lyon", tools, answer: calls })],
  "regenerate-answer.v1": [
    regenerateAnswerV1.promptVersion,
    regenerateAnswerV1.build({
      query: "Fly me from Lyon",
      tools,
      previousAnswer: { kind: "calls", calls },
      previousCot: "I book it.",
      failures: [{ stage: 4, reason: "seats is invented." }],
    }),
  ],
  "regenerate-answer.v2": [
    regenerateAnswerV2.promptVersion,
    regenerateAnswerV2.build({
      query: "Fly me from Lyon",
      tools,
      previousAnswer: { kind: "calls", calls },
      previousCot: "I book it.",
      failures: [],
      instruction: "Book two seats.",
    }),
  ],
} as const;

describe("prompts", () => {
  it.each(Object.entries(builds))("%s carries its markers, the query and the tools", (id, [promptVersion, built]) => {
    expect(promptVersion).toBe(id);
    const task = id.startsWith("judge") ? FAKE_TASK_MARKERS.judge : FAKE_TASK_MARKERS.teacher;
    expect(built.system.split("\n").slice(0, 2)).toEqual([task, `prompt: ${id}`]);
    expect(built.user.startsWith("query:\nFly me from Lyon\n\ntools:\n")).toBe(true);
    expect(extractToolsList(built.user)).toEqual(tools);
    if (id.startsWith("judge")) expect(built.system).toMatch(/"verdict": "pass" \| "fail"/);
    else expect(built.system).toContain("<think>");
  });
});

/** A small parser for BFCL's Python call list, enough to check the fake teacher's answers. */
function parseCallList(src: string): ToolCall[] {
  let i = 0;
  const ws = () => {
    while (/\s/.test(src[i] ?? "")) i++;
  };
  const eat = (c: string) => {
    ws();
    if (src[i] !== c) throw new Error(`expected ${c} at ${i} in ${src}`);
    i++;
  };
  const ident = () => {
    ws();
    const m = /^[A-Za-z_][\w.]*/.exec(src.slice(i));
    if (!m) throw new Error(`expected a name at ${i} in ${src}`);
    i += m[0].length;
    return m[0];
  };
  const sequence = <T>(close: string, item: () => T): T[] => {
    const out: T[] = [];
    ws();
    while (src[i] !== close) {
      out.push(item());
      ws();
      if (src[i] === ",") i++;
      ws();
    }
    i++;
    return out;
  };
  const value = (): unknown => {
    ws();
    if (src[i] === '"') {
      const m = /^"(?:[^"\\]|\\.)*"/.exec(src.slice(i))!;
      i += m[0].length;
      return JSON.parse(m[0]);
    }
    if (src[i] === "[") {
      i++;
      return sequence("]", value);
    }
    if (src[i] === "{") {
      i++;
      return Object.fromEntries(sequence("}", () => [value(), (eat(":"), value())]));
    }
    const m = /^(True|False|None|-?\d+(?:\.\d+)?)/.exec(src.slice(i));
    if (!m) throw new Error(`bad value at ${i} in ${src}`);
    i += m[0].length;
    return m[0] === "True" ? true : m[0] === "False" ? false : m[0] === "None" ? null : Number(m[0]);
  };
  eat("[");
  const result = sequence("]", () => {
    const name = ident();
    eat("(");
    const args = Object.fromEntries(sequence(")", () => [ident(), (eat("="), value())]));
    return { name, arguments: args };
  });
  ws();
  if (i !== src.length) throw new Error(`trailing text in ${src}`);
  return result;
}

describe("fake teacher answers", () => {
  const llm = useFakeLlm();
  const teacher = () => createLlmClient({ baseURL: llm.url, model: "fake-teacher", maxRetries: 0 });

  it("parse as <think> + a valid call: a value from the query, a placeholder of the declared type for the others", async () => {
    const result = await teacher().complete({
      ...teacherCotV1.build({ query: "Fly me from Lyon", tools }),
      promptVersion: teacherCotV1.promptVersion,
      validate: validateTeacherAnswer,
    });
    if (!result.ok) throw new Error(result.message);
    const split = splitThinkAnswer(result.text)!;
    expect(split.cot).toMatch(/book_flight/);
    expect(parseCallList(split.answer)).toEqual([
      {
        name: "book_flight",
        arguments: { from: "Lyon", seats: 1, budget: 1.5, cabin: "economy", flexible: true, stops: ["sample stops"], extras: {} },
      },
    ]);
  });

  it("teacher-fixes-after=2: bad for the first two answers of a sample, then good", async () => {
    const query = "Fly me from Lyon [[fake:teacher-fixes-after=2]]";
    const requests = [
      teacherCotV1.build({ query, tools }),
      regenerateAnswerV1.build({ query, tools, previousAnswer: null, failures: [{ stage: 4, reason: "unknown argument" }] }),
      regenerateAnswerV1.build({ query, tools, previousAnswer: null, failures: [{ stage: 4, reason: "unknown argument again" }] }),
    ];
    const bad: boolean[] = [];
    for (const req of requests) {
      const result = await teacher().complete({ ...req, promptVersion: "x" });
      if (!result.ok) throw new Error(result.message);
      const parsed = parseCallList(splitThinkAnswer(result.text)!.answer);
      bad.push(FAKE_BAD_ARGUMENT in parsed[0].arguments);
    }
    expect(bad).toEqual([true, true, false]);
    // Another sample has its own count.
    const other = await teacher().complete({ ...teacherCotV1.build({ query: `${query} (other)`, tools }), promptVersion: "x" });
    expect(other.ok && other.text).toContain(FAKE_BAD_ARGUMENT);
  });

  it("regenerate v2 passes a reviewer's instruction, and says nothing of one when there is none", () => {
    const input = { query: "Fly me from Lyon", tools, previousAnswer: { kind: "calls" as const, calls }, failures: [{ stage: 4, reason: "seats is invented." }] };
    expect(regenerateAnswerV2.build({ ...input, instruction: "  Book two seats. " }).user).toContain("the reviewer's instruction:\nBook two seats.\n\nWrite the corrected");
    expect(regenerateAnswerV2.build({ ...input, instruction: " " }).user).not.toContain("instruction");
  });

  it("checks the teacher answer shape", () => {
    expect(validateTeacherAnswer("<think>\nwhy\n</think>\n\n[f()]")).toBeUndefined();
    expect(validateTeacherAnswer("[f()]")).toBe("there is no <think> block");
    expect(validateTeacherAnswer("<think>why</think>")).toMatch(/nothing follows/);
    expect(validateTeacherAnswer("<think></think>\n[f()]")).toMatch(/empty/);
    expect(validateTeacherAnswer("<think>a</think><think>b</think>[f()]")).toBe("two <think> blocks");
  });
});
