// What every import format shares: zod schemas for the sample's fields (with the limits), JSON-string fields, and
// turning the first problem into a RecordError that names the field and says exactly what is wrong.
import { z } from "zod";
import type { RecordError, RecordPosition, Tool, ToolCall } from "@/lib/samples/types";
import type { GroundTruth } from "./bfcl";
import { joinPath, nestingBeyond, nestingProblem } from "./json-value";
import { MAX_COT_CHARS, MAX_QUERY_CHARS, MAX_TOOLS } from "./limits";
import { describeJson } from "./records";

export { joinPath } from "./json-value";

/** Extra input a format may need besides the record: BFCL's ground truth, by test id. */
export interface ImportContext {
  answers?: Map<string, GroundTruth>;
}

/** A problem with one field of a record; `fromRecord` turns it into a RecordError. */
export class FieldError extends Error {
  constructor(
    readonly field: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

/** Runs a record conversion, turning a FieldError into the record's error. */
export function convert<T>(pos: RecordPosition, build: () => T): T | RecordError {
  try {
    return build();
  } catch (error) {
    if (!(error instanceof FieldError)) throw error;
    const where = { index: pos.index, ...(pos.line === undefined ? {} : { line: pos.line }) };
    return { ...where, ...(error.field ? { field: error.field } : {}), message: error.message };
  }
}

export function requireObject(value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new FieldError(undefined, `record is ${describeJson(value)}, expected an object`);
  }
  return value as Record<string, unknown>;
}

/**
 * A field that may hold its value as JSON text (xLAM's tools and answers): parsed if it is a string. The parsed
 * value is held to the nesting limit like a whole record.
 */
export function jsonField(value: unknown, field: string): unknown {
  if (typeof value !== "string") return value;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    throw new FieldError(field, `is a string but not valid JSON (${(error as Error).message})`);
  }
  return withinNesting(parsed, field);
}

/** A value parsed from JSON text, refused (at the field and path) when it nests past the limit. */
function withinNesting(value: unknown, field: string): unknown {
  const tooDeep = nestingBeyond(value);
  if (tooDeep) {
    const problem = nestingProblem(tooDeep);
    fail(joinPath(field, problem.path), problem.message);
  }
  return value;
}

/** Validates with a zod schema; the first issue becomes a FieldError at `field` + the issue's path. */
export function check<T>(schema: z.ZodType<T>, value: unknown, field: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  return fail(joinPath(field, issue.path), issue.message);
}

/**
 * Like check, but returns the value itself rather than zod's copy: zod copies objects key by key, which drops a
 * `__proto__` key (it sets the copy's prototype instead). For schemas that only validate (tools, ground truth).
 */
export function checkKept<T>(schema: z.ZodType<T>, value: unknown, field: string): T {
  check(schema, value, field);
  return value as T;
}

export function fail(field: string, message: string): never {
  throw new FieldError(field, message);
}

/** "a string", "an array", "null", "nothing"… of a value, for messages. */
export function kindOf(value: unknown): string {
  return value === undefined ? "nothing" : describeJson(value);
}

/** zod error option: "is missing" or "expected <what>, got <kind>". */
export function expected(what: string) {
  return {
    error: (issue: { input?: unknown }) => (issue.input === undefined ? "is missing" : `expected ${what}, got ${kindOf(issue.input)}`),
  };
}

const count = (n: number) => n.toLocaleString("en-US");

export const stringSchema = z.string(expected("a string"));

export const querySchema = stringSchema
  .max(MAX_QUERY_CHARS, { error: (issue) => `is ${count((issue.input as string).length)} characters; the limit is ${count(MAX_QUERY_CHARS)}` })
  .refine((query) => query.trim().length > 0, { error: "is empty" });

export const cotSchema = stringSchema.max(MAX_COT_CHARS, {
  error: (issue) => `is ${count((issue.input as string).length)} characters; the limit is ${count(MAX_COT_CHARS)}`,
});

const toolSchema = z.looseObject(
  {
    name: stringSchema.min(1, { error: "is empty" }),
    description: stringSchema.optional(),
    parameters: z.unknown().optional(),
  },
  expected("a tool object {name, description, parameters}"),
);

export const toolsSchema: z.ZodType<Tool[]> = z
  .array(toolSchema, expected("a list of tools (array or JSON string)"))
  .max(MAX_TOOLS, { error: (issue) => `has ${count((issue.input as unknown[]).length)} tools; the limit is ${MAX_TOOLS}` });

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/** A call's arguments: any object, kept as it is (not copied, so a `__proto__` argument stays an argument). */
export const argumentsSchema = z.custom<Record<string, unknown>>(isPlainObject, expected("an object"));

/**
 * A call's arguments: an object, JSON text of one (the OpenAI spec), or JSON text of JSON text of one (double-encoded,
 * as in the OpenAI cookbook's own fine-tuning data). Absent means no arguments.
 */
export function argumentsField(value: unknown, field: string): Record<string, unknown> {
  if (value === undefined) return {};
  let args = jsonField(value, field);
  if (typeof args === "string") {
    try {
      args = JSON.parse(args);
    } catch (error) {
      fail(field, `is JSON text of a string that is not valid JSON (${(error as Error).message})`);
    }
    withinNesting(args, field);
  }
  return check(argumentsSchema, args, field);
}

const callSchema = z.object({ name: stringSchema.min(1, { error: "is empty" }), arguments: argumentsSchema }, expected("a call object {name, arguments}"));

export const callsSchema: z.ZodType<ToolCall[]> = z.array(callSchema, expected("a list of calls (array or JSON string)"));

/** An id field (string or number) as text; null when absent. */
export function idText(value: unknown, field: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === "string" || typeof value === "number") return String(value);
  return fail(field, `expected a string or a number, got ${kindOf(value)}`);
}

/** A CoT as stored: trimmed, null when absent or blank (so every format round-trips it the same way). */
export function cotOrNull(value: unknown, field: string): string | null {
  if (value === undefined || value === null) return null;
  const cot = check(cotSchema, value, field).trim();
  return cot ? cot : null;
}
