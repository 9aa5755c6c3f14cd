// Stage 4, Function & Parameter Identification: are the called functions and their arguments right?
//
// Rules first (exact, explainable): the function exists; no unknown argument; every required parameter present;
// each value of its declared type, enums respected (stages/type-check.ts has the type semantics). A failure names
// every problem in the evidence and the first one in the reason. Only when the rules pass, and a judge is set, the
// judge (judge-values) says whether the values are right for the query (not hallucinated) — rules cannot.
import { judgeValuesV1 } from "@/lib/llm/prompts";
import type { Tool, ToolCall } from "@/lib/samples/types";
import { askJudge } from "../judge";
import { toolParams } from "../schema-types";
import type { PipelineSample, Stage, Verdict } from "../types";
import { callsOf, ruleVerdict, skipNotCalls } from "./common";
import { checkArguments, listNames, type ProblemRule } from "./type-check";

const RULE = "function-params";

export interface CallProblem {
  /** Index of the call in the answer. */
  call: number;
  function: string;
  /** The parameter (dotted/indexed path into nested values); null for an unknown function. */
  parameter: string | null;
  rule: ProblemRule;
  expected: string;
  actual: string;
  /** The problem in one sentence, naming the call: what the reason shows for the first problem. */
  message: string;
}

/** Tools by name (the first of a repeated name wins, as a model reading the list would see it first). */
function toolsByName(tools: readonly Tool[]): Map<string, Tool> {
  const byName = new Map<string, Tool>();
  for (const tool of tools) if (!byName.has(tool.name)) byName.set(tool.name, tool);
  return byName;
}

/** Names of called functions that are not among the tools, each once, in call order (stage 2's pre-check too). */
export function unknownFunctions(calls: readonly ToolCall[], tools: readonly Tool[]): string[] {
  const byName = toolsByName(tools);
  return [...new Set(calls.map((c) => c.name).filter((name) => !byName.has(name)))];
}

/** Every rule problem of the calls against the tools, plus the type strings that could not be checked. */
export function checkCalls(calls: readonly ToolCall[], tools: readonly Tool[]): { problems: CallProblem[]; unknownTypes: string[] } {
  const byName = toolsByName(tools);
  const problems: CallProblem[] = [];
  const unknownTypes = new Set<string>();
  calls.forEach((call, index) => {
    const tool = byName.get(call.name);
    if (!tool) {
      const names = listNames([...byName.keys()]);
      problems.push({
        call: index,
        function: call.name,
        parameter: null,
        rule: "unknown_function",
        expected: names ? `one of ${names}` : "no tools",
        actual: call.name,
        message: `${call.name}(…): there is no tool named ${call.name} (the tools are ${names || "none"})`,
      });
      return;
    }
    for (const p of checkArguments(call.arguments, toolParams(tool), call.name, unknownTypes)) {
      const where = p.rule === "missing_required" ? "…" : `${p.path}=…`;
      problems.push({
        call: index,
        function: call.name,
        parameter: p.path,
        rule: p.rule,
        expected: p.expected,
        actual: p.actual,
        message: `${call.name}(${where}): ${p.message}`,
      });
    }
  });
  return { problems, unknownTypes: [...unknownTypes] };
}

/** Stage 4's rule verdict for a call answer. */
export function functionParamsRule(calls: readonly ToolCall[], tools: readonly Tool[]): Verdict {
  const { problems, unknownTypes } = checkCalls(calls, tools);
  if (problems.length > 0) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? "s" : ""})` : "";
    return ruleVerdict(4, RULE, "fail", problems[0].message + more, { problems, ...(unknownTypes.length ? { unknownTypes } : {}) });
  }
  const unchecked = unknownTypes.length ? ` (not checked, unknown types: ${unknownTypes.join(", ")})` : "";
  return ruleVerdict(
    4,
    RULE,
    "pass",
    `Every call uses a known function, known arguments, all required parameters and values of the declared types${unchecked}.`,
    unknownTypes.length ? { problems: [], unknownTypes } : { problems: [] },
  );
}

export const functionParamsStage: Stage = {
  id: 4,
  name: "Function & Parameter Identification",
  async run(sample: PipelineSample, ctx) {
    const calls = callsOf(sample);
    if (!calls) return [skipNotCalls(4, RULE, sample)];
    const rule = functionParamsRule(calls, sample.tools);
    if (rule.outcome !== "pass" || !ctx.judge) return [rule];
    return [rule, await askJudge(ctx, 4, judgeValuesV1, { query: sample.query, tools: sample.tools, calls })];
  },
};
