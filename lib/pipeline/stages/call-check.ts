// Stage 4's rule checks of calls against their tools (the function exists, no unknown argument, required ones
// present, values of the declared types). Pure and free of prompts, so the review page can run them in the browser
// to mark problems on the exact argument; the stage itself (function-params.ts) adds the judge.
import type { Tool, ToolCall } from "@/lib/samples/types";
import { toolParams } from "../schema-types";
import { checkArguments, listNames, sameValue, show, type ProblemRule } from "./type-check";

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

/**
 * Optional arguments given exactly their declared default: not wrong, but noise a model learns to repeat. A
 * warning, never a failure (the hard-data pool prefers the candidate with fewer of them).
 */
export function restatedDefaults(calls: readonly ToolCall[], tools: readonly Tool[]): string[] {
  const byName = toolsByName(tools);
  return calls.flatMap((call) => {
    const tool = byName.get(call.name);
    if (!tool) return [];
    return toolParams(tool)
      .filter((p) => !p.required && p.default !== undefined && p.name in call.arguments && sameValue(p.default, call.arguments[p.name]))
      .map((p) => `${call.name}(${p.name}=…) restates its default ${show(p.default)}`);
  });
}
