// Stage 1, Function Call Classification: is the reference answer a function call, or plain text?
//
// Plain text is not a failure (pipeline.md): the sample is saved as a text sample and stages 2–5 are skipped. So
// this stage never fails; it passes with `evidence.kind` saying which it is ("calls" | "text"), and the
// orchestrator reads that with isTextSample(). `error` means nobody could tell (no judge, or the judge failed).
//
// The rule (classifyAnswer, lib/pipeline/answer-kind.ts) reads "call" generously: a text answer that parses as a
// call list is calls, and one that merely contains something shaped like a call (or a stray <think> tag) is a
// call answer that does not parse — it passes here as "calls" with `evidence.parses: false`, stages 2–4 cannot
// check it and say so, and stage 5 fails it with the exact problem, so the sample is regenerated like any other
// format failure. Only an answer that calls nothing is text.
//
// A text answer that parses as a call list carries its calls in `evidence.calls`: the orchestrator stores them as
// the answer (a new revision) before running stages 2–5. The judge (judge-classify) is asked only when the rule
// cannot tell: an empty call list.
//
// A sample with no reference answer at all (null, or blank text) is an `error` without asking the judge: there
// is nothing to classify, and a judge asked about an empty answer would call it "text" and an empty text sample
// would be saved. (The orchestrator's Generate-CoT step gives such samples an answer before stage 1.)
import { judgeClassifyV1 } from "@/lib/llm/prompts";
import { classifyAnswer, type CallSign, type Classification } from "../answer-kind";
import { askOneJudge } from "../judge";
import type { PipelineSample, Stage, Verdict } from "../types";
import { ruleVerdict } from "./common";

export { classifyAnswer, type Classification } from "../answer-kind";

const RULE = "classify";

const SIGNS: Record<CallSign["form"], string> = {
  "tool-call": "a call",
  "call-list": "the start of a call list",
  "json-object": "a JSON call object",
  tag: "a call tag",
  "think-tag": "a stray think tag",
};

/** Stage 1's verdict by rule alone, or null when the judge must decide. */
export function classifyRule(sample: PipelineSample): Verdict | null {
  const found = classifyAnswer(sample.answer, sample.tools);
  switch (found.kind) {
    case "calls": {
      const names = [...new Set(found.calls.map((c) => c.name))];
      const n = found.calls.length;
      const list = `a list of ${n} call${n === 1 ? "" : "s"} (${names.join(", ")})`;
      if (sample.answer?.kind === "text") {
        return ruleVerdict(1, RULE, "pass", `The reference answer is text that parses as ${list}: it is stored as calls.`, {
          kind: "calls",
          callCount: n,
          calls: found.calls,
        });
      }
      return ruleVerdict(1, RULE, "pass", `The reference answer is ${list}.`, { kind: "calls", callCount: n });
    }
    case "malformed": {
      const { sign } = found;
      return ruleVerdict(
        1,
        RULE,
        "pass",
        `The reference answer is a call that does not parse as a call list: it has ${SIGNS[sign.form]} (${JSON.stringify(sign.found)} at character ${sign.at}); stage 5 says what is wrong.`,
        { kind: "calls", parses: false, sign },
      );
    }
    case "text":
      return ruleVerdict(1, RULE, "pass", "The reference answer is plain text: it is kept as a text sample and stages 2–5 do not apply.", {
        kind: "text",
      });
    case "missing":
      return ruleVerdict(1, RULE, "error", "Cannot tell whether the answer is a call or text: the sample has no reference answer.", {
        kind: null,
      });
    case "ambiguous":
      return null;
  }
}

/** True when stage 1's verdicts say the sample is a text sample (save it as-is, skip stages 2–5). */
export function isTextSample(verdicts: readonly Verdict[]): boolean {
  const last = verdicts.at(-1);
  return last?.stage === 1 && last.outcome === "pass" && last.evidence.kind === "text";
}

export const classifyStage: Stage = {
  id: 1,
  async run(sample, ctx) {
    const decided = classifyRule(sample);
    if (decided) return [decided];
    const found = classifyAnswer(sample.answer, sample.tools) as Extract<Classification, { kind: "ambiguous" }>;
    if (!ctx.judge) {
      return [ruleVerdict(1, RULE, "error", `Cannot tell whether the answer is a call or text: ${found.why}, and no judge is configured.`, { kind: null, why: found.why })];
    }
    const verdict = await askOneJudge(ctx, 1, judgeClassifyV1, { query: sample.query, tools: sample.tools, answerText: found.answerText }, { why: found.why });
    if (verdict.outcome === "error") return [verdict];
    // The judge's "pass" means "a call", its "fail" means "plain text": both are a pass of this stage.
    const isCall = verdict.outcome === "pass";
    const evidence: Record<string, unknown> = { ...verdict.evidence, kind: isCall ? "calls" : "text" };
    if (isCall && found.calls) evidence.calls = found.calls;
    return [{ ...verdict, outcome: "pass", evidence }];
  },
};
