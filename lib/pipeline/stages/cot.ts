// Stage 3, CoT Identification: does the chain of thought lead to this answer?
//
// Rule pre-check: there is a chain of thought. (The orchestrator generates one before stage 1 for samples that
// have none, so an empty one here is a real defect: fail.) Whether it leads to the answer is meaning, decided by
// the judge (judge-cot) when one is set.
//
// The design note also suggests checking that the names the CoT concludes with match the calls. We only record
// which called functions the CoT never names (evidence.functionsNotMentioned) and do not fail on it: a CoT may
// say "the weather tool" for get_weather, and a stage 3 failure discards the sample, so a wrong guess is costly.
import { judgeCotV2 } from "@/lib/llm/prompts";
import type { ToolCall } from "@/lib/samples/types";
import { askJudge } from "../judge";
import type { Stage, Verdict } from "../types";
import { callsOf, ruleVerdict, skipNotCalls } from "./common";

const RULE = "cot-present";

/** Stage 3's rule verdict: fail without a chain of thought. */
export function cotRule(cot: string | null, calls: readonly ToolCall[]): Verdict {
  const text = cot?.trim() ?? "";
  if (text === "") return ruleVerdict(3, RULE, "fail", "The sample has no chain of thought.", { chars: 0 });
  const functionsNotMentioned = [...new Set(calls.map((c) => c.name))].filter((name) => !text.includes(name));
  return ruleVerdict(3, RULE, "pass", `The sample has a chain of thought (${text.length} characters).`, {
    chars: text.length,
    functionsNotMentioned,
  });
}

export const cotStage: Stage = {
  id: 3,
  async run(sample, ctx) {
    const calls = callsOf(sample);
    if (!calls) return [skipNotCalls(3, RULE, sample)];
    const rule = cotRule(sample.cot, calls);
    if (rule.outcome !== "pass" || !ctx.judge) return [rule];
    return [rule, ...(await askJudge(ctx, 3, judgeCotV2, { query: sample.query, tools: sample.tools, cot: sample.cot!, calls }))];
  },
};
