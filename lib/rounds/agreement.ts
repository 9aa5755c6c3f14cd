// Does a model's answer agree with the reference answer? The comparison BFCL's AST checker makes, without running
// anything: the same functions, called as often; parallel calls matched in any order; each argument the same value
// after normalisation (strings compared as BFCL standardises them, an integer equal to the same float, lists in order,
// objects key by key); an optional argument left out agrees with one given at its default. Pure.
import { toolParams } from "@/lib/pipeline/schema-types";
import type { Answer, Tool, ToolCall } from "@/lib/samples/types";

export type Agreement = { agrees: true } | { agrees: false; reason: string };

/**
 * A whole answer against the reference: calls as callsAgree; a text answer (no call fits the query, BFCL's
 * irrelevance) agrees with a text reference whatever its words; calls never agree with text. Null when there is no
 * reference to compare with.
 */
export function answerAgrees(reference: Answer | null, answer: Answer, tools: readonly Tool[]): Agreement | null {
  if (reference === null) return null;
  if (reference.kind === "text" && answer.kind === "text") return { agrees: true };
  if (reference.kind === "text") return { agrees: false, reason: `${count((answer as { calls: ToolCall[] }).calls.length)} where the reference calls nothing` };
  if (answer.kind === "text") return { agrees: false, reason: `answers in text where the reference makes ${count(reference.calls.length)}` };
  return callsAgree(reference.calls, answer.calls, tools);
}

export function callsAgree(reference: readonly ToolCall[], answer: readonly ToolCall[], tools: readonly Tool[]): Agreement {
  if (answer.length !== reference.length) {
    return { agrees: false, reason: `${count(answer.length)} where the reference makes ${count(reference.length)}` };
  }
  // Parallel calls in any order: each answer call to a reference call of its own (a search: call lists are short).
  const used = new Array<boolean>(reference.length).fill(false);
  let firstMismatch: string | null = null;
  const match = (i: number): boolean => {
    if (i === answer.length) return true;
    for (let j = 0; j < reference.length; j++) {
      if (used[j]) continue;
      const difference = callDifference(reference[j], answer[i], tools);
      if (difference !== null) {
        firstMismatch ??= difference;
        continue;
      }
      used[j] = true;
      if (match(i + 1)) return true;
      used[j] = false;
    }
    return false;
  };
  if (match(0)) return { agrees: true };
  return { agrees: false, reason: firstMismatch ?? "the calls do not match the reference's" };
}

/** Why one call differs from the reference call (null when they agree). */
export function callDifference(reference: ToolCall, answer: ToolCall, tools: readonly Tool[]): string | null {
  if (answer.name !== reference.name) return `calls ${answer.name} where the reference calls ${reference.name}`;
  const params = new Map(toolParams(tools.find((t) => t.name === reference.name) ?? { name: reference.name, parameters: {} }).map((p) => [p.name, p]));
  const names = new Set([...Object.keys(reference.arguments), ...Object.keys(answer.arguments)]);
  for (const name of names) {
    const inReference = Object.hasOwn(reference.arguments, name);
    const inAnswer = Object.hasOwn(answer.arguments, name);
    const fallback = params.get(name)?.default;
    const expected = inReference ? reference.arguments[name] : fallback;
    const given = inAnswer ? answer.arguments[name] : fallback;
    if (expected === undefined) return `${reference.name}(${name}=…) is not in the reference`;
    if (given === undefined) return `${reference.name}(…) leaves out ${name}`;
    if (!sameValue(expected, given)) return `${reference.name}(${name}=${show(given)}) where the reference has ${show(expected)}`;
  }
  return null;
}

/** Values equal as BFCL's checker takes them. */
export function sameValue(expected: unknown, given: unknown): boolean {
  if (typeof expected === "string" && typeof given === "string") return standardize(expected) === standardize(given);
  if (typeof expected === "number" && typeof given === "number") return expected === given;
  if (Array.isArray(expected) && Array.isArray(given)) return expected.length === given.length && expected.every((e, i) => sameValue(e, given[i]));
  if (isObject(expected) && isObject(given)) {
    const keys = new Set([...Object.keys(expected), ...Object.keys(given)]);
    return [...keys].every((key) => Object.hasOwn(expected, key) && Object.hasOwn(given, key) && sameValue(expected[key], given[key]));
  }
  return expected === given;
}

/** BFCL's string standardisation: case, spaces and the punctuation `,./-_*^` do not count; ' and " are one quote. */
export function standardize(text: string): string {
  return text.toLowerCase().replace(/[ ,./\-_*^]/g, "").replaceAll("'", '"');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function count(n: number): string {
  return `${n} ${n === 1 ? "call" : "calls"}`;
}

function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
