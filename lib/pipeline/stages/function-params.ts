// Stage 4, Function & Parameter Identification: are the called functions and their arguments right?
//
// Rules first (exact, explainable): the function exists; no unknown argument; every required parameter present;
// each value of its declared type, enums respected (stages/type-check.ts has the type semantics). A failure names
// every problem in the evidence and the first one in the reason. Only when the rules pass, and a judge is set, the
// judge (judge-values) says whether the values are right for the query (not hallucinated) — rules cannot.
// A passing rule verdict lists its warnings (optional arguments restating their default), which fail nothing.
import { judgeValuesV2 } from "@/lib/llm/prompts";
import type { Tool, ToolCall } from "@/lib/samples/types";
import { askJudge } from "../judge";
import type { PipelineSample, Stage, Verdict } from "../types";
import { callsOf, ruleVerdict, skipNotCalls } from "./common";
import { checkCalls, restatedDefaults } from "./call-check";

const RULE = "function-params";

/** Stage 4's rule verdict for a call answer. */
export function functionParamsRule(calls: readonly ToolCall[], tools: readonly Tool[]): Verdict {
  const { problems, unknownTypes } = checkCalls(calls, tools);
  if (problems.length > 0) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? "s" : ""})` : "";
    return ruleVerdict(4, RULE, "fail", problems[0].message + more, { problems, ...(unknownTypes.length ? { unknownTypes } : {}) });
  }
  const unchecked = unknownTypes.length ? ` (not checked, unknown types: ${unknownTypes.join(", ")})` : "";
  const warnings = restatedDefaults(calls, tools);
  return ruleVerdict(
    4,
    RULE,
    "pass",
    `Every call uses a known function, known arguments, all required parameters and values of the declared types${unchecked}.`,
    { problems: [], ...(unknownTypes.length ? { unknownTypes } : {}), ...(warnings.length ? { warnings } : {}) },
  );
}

export const functionParamsStage: Stage = {
  id: 4,
  async run(sample: PipelineSample, ctx) {
    const calls = callsOf(sample);
    if (!calls) return [skipNotCalls(4, RULE, sample)];
    const rule = functionParamsRule(calls, sample.tools);
    if (rule.outcome !== "pass" || !ctx.judge) return [rule];
    return [rule, ...(await askJudge(ctx, 4, judgeValuesV2, { query: sample.query, tools: sample.tools, cot: sample.cot, calls }))];
  },
};
