import { describe, expect, it } from "vitest";
import { checkTrainingText, formatRule, formatStage, trainingText } from "./format";

const calls = [{ name: "get_random_word", arguments: { verbeconjugue: true, minlong: "7", avecdef: true } }];

describe("stage 5", () => {
  it("builds the training text as the FunReason export writes it", () => {
    expect(trainingText({ cot: "Think.", calls })).toBe("<think>Think.</think>\n\n[get_random_word(verbeconjugue=True, minlong='7', avecdef=True)]");
    expect(trainingText({ cot: null, calls: [] })).toBe("[]");
  });

  it("accepts one think block first, then a call list in Python or JSON form, nothing after", () => {
    expect(checkTrainingText(trainingText({ cot: "Think.", calls }))).toEqual({ ok: true, calls });
    expect(checkTrainingText('\n<think>\nx\n</think>\n[{"name": "f", "arguments": {"a": 1}}]\n')).toEqual({
      ok: true,
      calls: [{ name: "f", arguments: { a: 1 } }],
    });
    expect(checkTrainingText("<think>x</think>[f(), g(a=[1, (2, 3)], b={'k': None})]")).toMatchObject({ ok: true });
  });

  it("rejects every other shape, saying what is wrong", () => {
    const problem = (text: string) => {
      const checked = checkTrainingText(text);
      return checked.ok ? null : checked.problem;
    };
    expect(problem("[f()]")).toBe("there is no <think> block");
    expect(problem("Sure! <think>x</think>\n\n[f()]")).toBe("text before <think>: 'Sure!'");
    expect(problem("<think>x\n\n[f()]")).toBe("<think> is never closed");
    expect(problem("<think>x</think><think>y</think>[f()]")).toBe("two <think> blocks");
    expect(problem("<think>x</think>[f()]</think>")).toBe("a stray </think> after the think block");
    expect(problem("x</think>[f()]")).toBe("</think> without an opening <think>");
    expect(problem("<think> </think>[f()]")).toBe("the <think> block is empty");
    expect(problem("<think>x</think>\n\n")).toBe("nothing follows </think>");
    expect(problem("<think>x</think>\n\n[f()] Done!")).toBe("text after the call list: 'Done!'");
    expect(problem("<think>x</think>\n\n[f()")).toBe("the call list is not closed: missing ']'");
    expect(problem("<think>x</think>\n\nThe weather is fine.")).toBe("the answer is not a call list: 'The weather is fine.'");
    expect(problem("<think>x</think>\n\n[f(1)]")).toMatch(/^the call list does not parse: expected '=' after 1: only keyword arguments/);
    // A long trailing text is quoted in part.
    expect(problem(`<think>x</think>[f()] ${"and more ".repeat(20)}`)).toBe(`text after the call list: '${"and more ".repeat(6)}and m…'`);
  });

  it("gives a verdict: pass, or fail with the problem and the text", () => {
    expect(formatRule("<think>x</think>\n\n[f(), g()]")).toEqual({
      stage: 5,
      outcome: "pass",
      reason: "The training text is one <think> block followed by a call list of 2 calls.",
      evidence: { calls: 2 },
      decidedBy: "rule:format",
    });
    expect(formatRule("[f()]")).toEqual({
      stage: 5,
      outcome: "fail",
      reason: "The training text is malformed: there is no <think> block.",
      evidence: { problem: "there is no <think> block", text: "[f()]" },
      decidedBy: "rule:format",
    });
  });

  it("as a stage: checks the sample's training text; fails a tool name that cannot be written in call syntax", async () => {
    const ctx = { judge: null, modelFor: () => "m" };
    const run = (cot: string | null, name = "f") =>
      formatStage.run({ query: "q", tools: [], answer: { kind: "calls", calls: [{ name, arguments: { a: "x" } }] }, cot }, ctx);
    expect((await run("Reasoning.")).map((v) => v.outcome)).toEqual(["pass"]);
    expect((await run(null)).map((v) => v.reason)).toEqual(["The training text is malformed: there is no <think> block."]);
    expect((await run("R.", "get weather")).map((v) => v.outcome)).toEqual(["fail"]);
    expect((await formatStage.run({ query: "q", tools: [], answer: null, cot: "R." }, ctx)).map((v) => v.outcome)).toEqual(["skip"]);
  });
});
