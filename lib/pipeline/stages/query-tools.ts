// Stage 2, Query & Tool Identification: can the query be solved with these tools, from values the query gives?
//
// Rule pre-check: every called function exists in the tools (an answer calling a tool the sample does not offer
// means query and tools do not go together). The question itself is about meaning, so the judge
// (judge-query-tools) decides it when one is set; without a judge the stage stops at the rule.
//
// A call answer that does not parse (stage 1) has no names to pre-check: the rule says so (skip), and the judge is
// still asked, since its question is about the query and the tools alone. It must be asked now: after the
// regeneration that such an answer leads to, the orchestrator goes on from stage 3.
import { judgeQueryToolsV2 } from "@/lib/llm/prompts";
import type { Tool, ToolCall } from "@/lib/samples/types";
import { askJudge } from "../judge";
import type { Stage, Verdict } from "../types";
import { callsOf, isUnparsedCall, ruleVerdict, skipNotCalls } from "./common";
import { unknownFunctions } from "./call-check";
import { listNames } from "./type-check";

const RULE = "tool-names";

/** Stage 2's rule verdict: fail when the answer calls a function that is not among the tools. */
export function queryToolsRule(calls: readonly ToolCall[], tools: readonly Tool[]): Verdict {
  const missing = unknownFunctions(calls, tools);
  const toolNames = tools.map((t) => t.name);
  if (missing.length > 0) {
    const which = missing.length === 1 ? `${missing[0]}, which is` : `${missing.join(", ")}, which are`;
    const offered = listNames(toolNames) || "none";
    return ruleVerdict(2, RULE, "fail", `The answer calls ${which} not among the tools (${offered}).`, { missing, tools: toolNames });
  }
  const called = [...new Set(calls.map((c) => c.name))];
  return ruleVerdict(2, RULE, "pass", "Every function the answer calls is among the tools.", { called, tools: toolNames });
}

export const queryToolsStage: Stage = {
  id: 2,
  async run(sample, ctx) {
    const calls = callsOf(sample);
    if (!calls && !isUnparsedCall(sample)) return [skipNotCalls(2, RULE, sample)];
    const rule = calls ? queryToolsRule(calls, sample.tools) : skipNotCalls(2, RULE, sample);
    if (rule.outcome === "fail" || !ctx.judge) return [rule];
    return [rule, ...(await askJudge(ctx, 2, judgeQueryToolsV2, { query: sample.query, tools: sample.tools, cot: sample.cot, calls: callsOf(sample) }))];
  },
};
