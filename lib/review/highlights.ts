// Where a sample's calls are wrong, argument by argument, for the review page: the stage-4 rule problems of the
// calls as they stand now (checkCalls, the very check stage 4 runs, so a highlight never points at an argument an
// edit or a regeneration has since changed), plus the values the stage-4 judge called wrong or invented in the
// sample's newest verdicts (its answer's evidence.problems, see lib/llm/prompts/judge-values.v1.ts).
import { checkCalls } from "@/lib/pipeline/stages/call-check";
import type { Tool, ToolCall } from "@/lib/samples/types";

export type HighlightKind = "unknown_function" | "unknown_argument" | "missing_required" | "wrong_type" | "not_in_enum" | "hallucinated";

export interface ArgumentHighlight {
  /** Index of the call in the answer. */
  call: number;
  /** The top-level argument marked (null: the call itself, e.g. an unknown function). */
  argument: string | null;
  /** Where exactly, when deeper than the argument: `location.lat`, `metrics[1]`. */
  path: string | null;
  kind: HighlightKind;
  message: string;
  /** `rule:function-params` or the judge's `llm:<model>`. */
  decidedBy: string;
}

export const HIGHLIGHT_LABEL: Record<HighlightKind, string> = {
  unknown_function: "Unknown function",
  unknown_argument: "Unknown argument",
  missing_required: "Missing required",
  wrong_type: "Wrong type",
  not_in_enum: "Not an allowed value",
  hallucinated: "Wrong or invented value",
};

/** The verdict fields highlights read (a stored verdict, as getSample returns it). */
export interface VerdictLike {
  id: string;
  stage: number;
  outcome: string;
  evidence: Record<string, unknown>;
  decidedBy: string;
  attempt: number;
  runId: number | null;
}

/** The top-level argument of a problem path: `location.lat` → `location`, `metrics[1]` → `metrics`. */
export function argumentOf(path: string): string {
  const match = /^[^.[]+/.exec(path);
  return match ? match[0] : path;
}

/** The stage-4 rule problems of `calls` against `tools`, one highlight each. */
export function ruleHighlights(calls: readonly ToolCall[], tools: readonly Tool[]): ArgumentHighlight[] {
  return checkCalls(calls, tools).problems.map((p) => {
    const argument = p.parameter === null ? null : argumentOf(p.parameter);
    // The message without the `fn(arg=…): ` that names the call (as stages/call-check.ts writes it): the
    // highlight sits next to the argument already.
    const prefix = `${p.function}(${p.parameter === null || p.rule === "missing_required" ? "…" : `${p.parameter}=…`}): `;
    return {
      call: p.call,
      argument,
      path: p.parameter !== null && p.parameter !== argument ? p.parameter : null,
      kind: p.rule,
      message: p.message.startsWith(prefix) ? p.message.slice(prefix.length) : p.message,
      decidedBy: "rule:function-params",
    };
  });
}

/** A verdict group: one attempt of one run (or of one review task or edit, whose attempts never repeat). */
export function verdictGroup(v: Pick<VerdictLike, "runId" | "attempt">): string {
  return `${v.runId ?? "task"}:${v.attempt}`;
}

interface JudgeProblem {
  call?: unknown;
  function?: unknown;
  parameter?: unknown;
  issue?: unknown;
  expected?: unknown;
}

/**
 * The values a failing stage-4 judge named, when its verdict belongs to the sample's newest verdict group (then it
 * judged the calls as they stand). A problem without a call index is matched to the first call of its function.
 */
export function judgeHighlights(verdicts: readonly VerdictLike[], calls: readonly ToolCall[]): ArgumentHighlight[] {
  const newest = verdicts.reduce<VerdictLike | null>((a, v) => (!a || Number(v.id) > Number(a.id) ? v : a), null);
  if (!newest) return [];
  const group = verdictGroup(newest);
  const judged = verdicts.filter((v) => v.stage === 4 && v.outcome === "fail" && v.decidedBy.startsWith("llm:") && verdictGroup(v) === group);
  return judged.flatMap((v) => judgeProblems(v.evidence).flatMap((p) => toHighlight(p, v.decidedBy, calls)));
}

function judgeProblems(evidence: Record<string, unknown>): JudgeProblem[] {
  if (typeof evidence.judge !== "string") return [];
  try {
    const answer = JSON.parse(evidence.judge) as { evidence?: { problems?: unknown } };
    const problems = answer.evidence?.problems;
    return Array.isArray(problems) ? problems.filter((p): p is JudgeProblem => typeof p === "object" && p !== null) : [];
  } catch {
    return [];
  }
}

function toHighlight(p: JudgeProblem, decidedBy: string, calls: readonly ToolCall[]): ArgumentHighlight[] {
  const index =
    typeof p.call === "number" && Number.isInteger(p.call) && p.call >= 0 && p.call < calls.length
      ? p.call
      : calls.findIndex((c) => c.name === p.function);
  if (index < 0) return [];
  const path = typeof p.parameter === "string" && p.parameter ? p.parameter : null;
  const argument = path === null ? null : argumentOf(path);
  const issue = typeof p.issue === "string" && p.issue.trim() ? p.issue.trim() : "the judge says this value is wrong";
  const expected = typeof p.expected === "string" && p.expected.trim() ? ` (expected ${p.expected.trim()})` : "";
  return [{ call: index, argument, path: path !== argument ? path : null, kind: "hallucinated", message: issue + expected, decidedBy }];
}

/** Every highlight of a sample's calls: the rules' on the current calls, then the judge's from its newest verdicts. */
export function argumentHighlights(calls: readonly ToolCall[], tools: readonly Tool[], verdicts: readonly VerdictLike[]): ArgumentHighlight[] {
  return [...ruleHighlights(calls, tools), ...judgeHighlights(verdicts, calls)];
}
