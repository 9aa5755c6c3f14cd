// BFCL test entries {id, question, function} plus, optionally, the possible_answer file's ground truth.
import { z } from "zod";
import { toolParams } from "@/lib/pipeline/schema-types";
import type { RecordError, RecordPosition, SampleInput, Tool, ToolCall } from "@/lib/samples/types";
import { check, checkKept, convert, expected, fail, idText, querySchema, requireObject, stringSchema, toolsSchema, type ImportContext } from "./fields";
import { setOwn } from "./json-value";
import { readRecords, type ByteInput } from "./records";

/** One possible_answer entry's `ground_truth`: per call, `{func_name: {param: [accepted values…]}}`. */
export type GroundTruth = Record<string, Record<string, unknown[]>>[];

const turnsSchema = z
  .array(z.array(z.looseObject({ role: stringSchema }, expected("a message object {role, content}")), expected("a list of messages")), expected("a list of turns, each a list of messages"))
  .min(1, { error: "has no turns" });

/**
 * A BFCL test entry. The query is the last `user` message of the first turn: earlier messages (a system prompt,
 * previous exchanges) and later turns are not kept. The answer comes from `ctx.answers` (the possible_answer
 * file) by id, through groundTruthToCalls; without it the sample has no reference answer (null).
 */
export function fromRecord(value: unknown, pos: RecordPosition, ctx?: ImportContext): SampleInput | RecordError {
  return convert(pos, () => {
    const record = requireObject(value);
    const sourceId = idText(record.id, "id");
    const firstTurn = check(turnsSchema, record.question, "question")[0];
    const userAt = firstTurn.findLastIndex((message) => message.role === "user");
    if (userAt === -1) fail("question[0]", "has no user message");
    const truth = sourceId === null ? undefined : ctx?.answers?.get(sourceId);
    const tools = checkKept(toolsSchema, record.function, "function");
    return {
      sourceId,
      query: check(querySchema, firstTurn[userAt].content, `question[0][${userAt}].content`),
      tools,
      answer: truth ? { kind: "calls", calls: groundTruthToCalls(truth, tools) } : null,
      cot: null,
    };
  });
}

const OMIT = Symbol("omit");

/**
 * One concrete answer from a ground truth: an optional parameter (per `tools`) whose accepted values include "" is
 * left out; every other
 * takes its first non-empty accepted value. Dicts inside accepted values follow BFCL's convention (each key maps
 * to its own list of accepted values) and get the same rule; a key whose value is not a list is kept as written.
 */
export function groundTruthToCalls(groundTruth: GroundTruth, tools: readonly Tool[] = []): ToolCall[] {
  return groundTruth.flatMap((entry) =>
    Object.entries(entry).map(([name, params]) => {
      // "" means "may be left out" only for an optional parameter: a required one takes a real accepted value.
      const tool = tools.find((t) => t.name === name);
      const required = new Set(tool ? toolParams(tool).filter((p) => p.required).map((p) => p.name) : []);
      return { name, arguments: chooseEach(params, required) };
    }),
  );
}

function chooseEach(params: Record<string, unknown>, required: ReadonlySet<string> = new Set()): Record<string, unknown> {
  const chosen: Record<string, unknown> = {};
  for (const [name, accepted] of Object.entries(params)) {
    const value = Array.isArray(accepted) ? choose(accepted, required.has(name)) : accepted;
    if (value !== OMIT) setOwn(chosen, name, value);
  }
  return chosen;
}

function choose(accepted: unknown[], required = false): unknown {
  if (accepted.includes("") && !required) return OMIT;
  const first = accepted.find((value) => value !== "");
  return first === undefined ? OMIT : resolve(first);
}

function resolve(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(resolve);
  if (value !== null && typeof value === "object") return chooseEach(value as Record<string, unknown>);
  return value;
}

const groundTruthSchema: z.ZodType<GroundTruth> = z.array(
  z.record(
    z.string(),
    z.record(z.string(), z.array(z.unknown(), expected("a list of accepted values")), expected("an object of parameters")),
    expected("an object {function name: parameters}"),
  ),
  expected("a list of calls"),
);

/**
 * Reads a possible_answer file (streamed) into id → ground truth. Bad records (and repeated ids: the first wins)
 * come back as errors next to the map; a file-level problem throws FileFormatError.
 */
export async function readGroundTruth(input: ByteInput): Promise<{ answers: Map<string, GroundTruth>; errors: RecordError[] }> {
  const answers = new Map<string, GroundTruth>();
  const errors: RecordError[] = [];
  for await (const record of readRecords(input)) {
    if (!record.ok) {
      errors.push(record.error);
      continue;
    }
    const result = convert({ index: record.index, line: record.line }, () => {
      const entry = requireObject(record.value);
      const id = idText(entry.id, "id") ?? fail("id", "is missing");
      if (answers.has(id)) fail("id", `${id} appears more than once; the first entry is kept`);
      answers.set(id, checkKept(groundTruthSchema, entry.ground_truth, "ground_truth"));
      return null;
    });
    if (result) errors.push(result);
  }
  return { answers, errors };
}
