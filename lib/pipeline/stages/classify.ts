// Stage 1, Function Call Classification: is the reference answer a function call, or plain text?
//
// Plain text is not a failure (pipeline.md): the sample is saved as a text sample and stages 2–5 are skipped. So
// this stage never fails; it passes with `evidence.kind` saying which it is ("calls" | "text"), and the
// orchestrator reads that with isTextSample(). `error` means nobody could tell (no judge, or the judge failed).
//
// The rule decides the clear cases; the judge (judge-classify) is asked only when the rule cannot tell:
// an empty call list, or a text answer that itself parses as a call list (an import that kept calls as text).
// When the judge says such a text is a call, the verdict carries the parsed calls in `evidence.calls`: the
// orchestrator stores them as the answer (a new revision) before running stages 2–5, which look at calls only.
//
// A sample with no reference answer at all (null, or blank text) is an `error` without asking the judge: there
// is nothing to classify, and a judge asked about an empty answer would call it "text" and an empty text sample
// would be saved. (The orchestrator's Generate-CoT step gives such samples an answer before stage 1.)
import { judgeClassifyV1 } from "@/lib/llm/prompts";
import type { Answer, ToolCall } from "@/lib/samples/types";
import { askJudge } from "../judge";
import { parseCallList, renderCalls } from "../render";
import type { PipelineSample, Stage, Verdict } from "../types";
import { ruleVerdict } from "./common";

const RULE = "classify";

export type Classification =
  | { kind: "calls"; calls: ToolCall[] }
  | { kind: "text" }
  /** The judge must decide; `calls` is what a text answer parses to. */
  | { kind: "ambiguous"; why: string; answerText: string; calls?: ToolCall[] }
  | { kind: "missing" };

/** The rule: what the answer is, when its shape says so. */
export function classifyAnswer(answer: Answer | null): Classification {
  if (answer === null) return { kind: "missing" };
  if (answer.kind === "calls") {
    if (answer.calls.length > 0) return { kind: "calls", calls: answer.calls };
    return { kind: "ambiguous", why: "the answer is an empty call list", answerText: renderCalls([]) };
  }
  if (answer.text.trim() === "") return { kind: "missing" };
  const parsed = parseCallList(answer.text);
  if (parsed.ok) return { kind: "ambiguous", why: "the text answer parses as a call list", answerText: answer.text, calls: parsed.calls };
  return { kind: "text" };
}

/** Stage 1's verdict by rule alone, or null when the judge must decide. */
export function classifyRule(sample: PipelineSample): Verdict | null {
  const found = classifyAnswer(sample.answer);
  switch (found.kind) {
    case "calls": {
      const names = [...new Set(found.calls.map((c) => c.name))];
      const n = found.calls.length;
      return ruleVerdict(1, RULE, "pass", `The reference answer is a list of ${n} call${n === 1 ? "" : "s"} (${names.join(", ")}).`, {
        kind: "calls",
        callCount: n,
      });
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
  name: "Function Call Classification",
  async run(sample, ctx) {
    const decided = classifyRule(sample);
    if (decided) return [decided];
    const found = classifyAnswer(sample.answer) as Extract<Classification, { kind: "ambiguous" }>;
    if (!ctx.judge) {
      return [ruleVerdict(1, RULE, "error", `Cannot tell whether the answer is a call or text: ${found.why}, and no judge is configured.`, { kind: null, why: found.why })];
    }
    const verdict = await askJudge(ctx, 1, judgeClassifyV1, { query: sample.query, tools: sample.tools, answerText: found.answerText }, { why: found.why });
    if (verdict.outcome === "error") return [verdict];
    // The judge's "pass" means "a call", its "fail" means "plain text": both are a pass of this stage.
    const isCall = verdict.outcome === "pass";
    const evidence: Record<string, unknown> = { ...verdict.evidence, kind: isCall ? "calls" : "text" };
    if (isCall && found.calls) evidence.calls = found.calls;
    return [{ ...verdict, outcome: "pass", evidence }];
  },
};
