/**
 * The fake LLM playing a policy model (the model a self-refinement round samples, lib/rounds/): it answers a query
 * from the query and the tools alone, in the FunReason format (`<think>…</think>`, a blank line, the calls), right
 * on a given share of queries and wrong otherwise in the ways real models are: a wrong value, a missing parameter, the
 * wrong tool. Which queries it gets right depends only on (model, query, sample number): deterministic, and two
 * models of the same skill get different queries right, as two checkpoints do.
 *
 * "Right" needs an answer key the model never sees: the fake is an oracle for it (answerKey, e.g. the BFCL fixtures'
 * ground truth, lib/llm/fake-policy-key.ts); a query the key does not know gets the fake teacher's calls as its right
 * answer. Pure functions only: the server reads the request, these decide.
 */
import { createHash } from "node:crypto";
import { teacherCalls, teacherReasoning, type FakeCall, type FakeTool, type Json } from "./fake-judge";

/** The mistakes a wrong answer makes, drawn evenly among those the right answer allows. */
export const POLICY_MISTAKES = ["wrong-value", "missing-parameter", "wrong-tool"] as const;
export type PolicyMistake = (typeof POLICY_MISTAKES)[number];

/** What the right answer is: calls, or a text answer (no tool fits: BFCL's irrelevance). */
export type PolicyTruth = { kind: "calls"; calls: FakeCall[] } | { kind: "text" };

export interface PolicyInput {
  model: string;
  query: string;
  tools: readonly FakeTool[];
  /** From the answer key; undefined: the fake teacher's calls count as right. */
  truth: PolicyTruth | undefined;
  accuracy: number;
  /** The request's sample number (its `seed`): samples of one query differ. */
  sample: number;
}

export interface PolicyAnswer {
  text: string;
  mistake: PolicyMistake | "calls-instead-of-text" | null;
}

/** How the answer key finds a query: its words and its tools' names (BFCL asks one query with different tools). */
export function policyKeyOf(query: string, toolNames: readonly string[]): string {
  return `${query.trim()}\n${[...toolNames].sort().join(",")}`;
}

/** A deterministic number in [0, 1) from a string. */
function draw(text: string): number {
  return createHash("sha256").update(text).digest().readUInt32BE(0) / 2 ** 32;
}

/** The policy's answer: right when the draw for (model, query, sample) falls under `accuracy`, else one mistake. */
export function policyAnswer(input: PolicyInput): PolicyAnswer {
  const key = `${input.model}\n${input.query}\n${input.sample}`;
  const truth = input.truth ?? { kind: "calls", calls: teacherCalls(input.query, input.tools, null) };
  const right = draw(`right:${key}`) < input.accuracy;
  if (truth.kind === "text" || truth.calls.length === 0) {
    const guess = teacherCalls(input.query, input.tools, null);
    if (right || guess.length === 0) return { text: textAnswer(), mistake: null };
    return { text: thinkThenCalls(input.query, input.tools, guess), mistake: "calls-instead-of-text" };
  }
  if (right) return { text: thinkThenCalls(input.query, input.tools, truth.calls), mistake: null };
  const mistakes = POLICY_MISTAKES.filter((m) => mistaken(m, truth.calls, input.tools) !== null);
  if (mistakes.length === 0) return { text: thinkThenCalls(input.query, input.tools, truth.calls), mistake: null };
  const mistake = mistakes[Math.floor(draw(`mistake:${key}`) * mistakes.length)];
  return { text: thinkThenCalls(input.query, input.tools, mistaken(mistake, truth.calls, input.tools)!), mistake };
}

/** The right calls with one mistake of the kind, or null when they leave no room for it. */
export function mistaken(mistake: PolicyMistake, calls: FakeCall[], tools: readonly FakeTool[]): FakeCall[] | null {
  const copy = structuredClone(calls);
  if (mistake === "wrong-tool") {
    const other = tools.find((t) => t.name !== copy[0].name);
    if (!other) return null;
    // The other tool with the arguments it also takes: what a model confusing two close tools writes.
    const names = new Set(other.params.map((p) => p.name));
    copy[0] = { name: other.name, arguments: Object.fromEntries(Object.entries(copy[0].arguments).filter(([name]) => names.has(name))) };
    return copy;
  }
  for (const call of copy) {
    const names = Object.keys(call.arguments);
    if (mistake === "missing-parameter" && names.length > 0) {
      delete call.arguments[names[0]];
      return copy;
    }
    if (mistake === "wrong-value") {
      const name = names.find((n) => typeof call.arguments[n] === "string" || typeof call.arguments[n] === "number");
      if (name === undefined) continue;
      call.arguments[name] = wrongValue(call.arguments[name]);
      return copy;
    }
  }
  return null;
}

/** A plausible wrong value: a number off by one order of magnitude's step, a string another place or name. */
function wrongValue(value: Json): Json {
  if (typeof value === "number") return Number.isInteger(value) ? value + 1 : Math.round(value * 110) / 100;
  return `${String(value)} Heights`;
}

function pythonValue(value: Json): string {
  if (value === null) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "number" || typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(pythonValue).join(", ")}]`;
  return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${pythonValue(v)}`).join(", ")}}`;
}

/** BFCL's Python call syntax: `[name(a="x", b=1)]`. */
function pythonCalls(calls: FakeCall[]): string {
  const one = (c: FakeCall) => `${c.name}(${Object.entries(c.arguments).map(([k, v]) => `${k}=${pythonValue(v)}`).join(", ")})`;
  return `[${calls.map(one).join(", ")}]`;
}

/** `<think>` with the fake teacher's reasoning for the calls, a blank line, the calls: the FunReason format. */
export function thinkThenCalls(query: string, tools: readonly FakeTool[], calls: FakeCall[]): string {
  return `<think>\n${teacherReasoning(query, tools, calls)}\n</think>\n\n${pythonCalls(calls)}`;
}

function textAnswer(): string {
  return "<think>\nNone of the tools listed does what the request asks, so no call fits.\n</think>\n\nI cannot do that with the tools available.";
}
