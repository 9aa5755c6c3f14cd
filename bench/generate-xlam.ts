// Builds a deterministic xLAM-format set of any size from the BFCL fixtures: real queries, real tools (converted to
// xLAM's Python-style type strings) and real ground-truth answers, with distractor tools drawn from other entries
// the way xLAM samples carry several tools.
import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline";
import { finished } from "node:stream/promises";
import { groundTruthToCalls } from "@/lib/formats/bfcl";
import { fakeJudgePasses, type FakeCall } from "@/lib/llm/fake-judge";
import type { Tool, ToolCall } from "@/lib/samples/types";
import { seededRandom } from "@/lib/random";

interface BfclParam {
  type?: string;
  items?: BfclParam;
  description?: string;
  default?: unknown;
}
interface BfclTool {
  name: string;
  description?: string;
  parameters?: { properties?: Record<string, BfclParam>; required?: string[] };
}
interface XlamTool {
  name: string;
  description: string;
  parameters: Record<string, { description: string; type: string; default?: unknown }>;
}
export interface Entry {
  query: string;
  /** The tools converted to xLAM's style. */
  tools: XlamTool[];
  /** The tools as BFCL wrote them (JSON-schema-like dicts). */
  functions: Tool[];
  calls: ToolCall[];
}

const PY_TYPES: Record<string, string> = {
  string: "str", integer: "int", float: "float", boolean: "bool", dict: "Dict[str, Any]", tuple: "Tuple", any: "Any",
};

function pythonType(param: BfclParam): string {
  if (param.type === "array") return param.items ? `List[${pythonType(param.items)}]` : "List";
  return PY_TYPES[param.type ?? "any"] ?? "Any";
}

export function toXlamTool(tool: BfclTool): XlamTool {
  const required = new Set(tool.parameters?.required ?? []);
  const parameters: XlamTool["parameters"] = {};
  for (const [name, param] of Object.entries(tool.parameters?.properties ?? {})) {
    const optional = !required.has(name);
    parameters[name] = {
      description: param.description ?? "",
      type: pythonType(param) + (optional ? ", optional" : ""),
      ...(optional ? { default: param.default ?? "" } : {}),
    };
  }
  return { name: tool.name, description: tool.description ?? "", parameters };
}

async function readJsonLines<T>(file: string): Promise<T[]> {
  const rows: T[] = [];
  for await (const line of createInterface({ input: createReadStream(file) })) if (line.trim()) rows.push(JSON.parse(line));
  return rows;
}

/** Every BFCL entry that has a ground truth, as an xLAM-style entry. */
export async function loadBfclEntries(dir: string): Promise<Entry[]> {
  const entries: Entry[] = [];
  for (const file of (await readdir(path.join(dir, "possible_answer"))).sort()) {
    const truths = new Map(
      (await readJsonLines<{ id: string; ground_truth: unknown }>(path.join(dir, "possible_answer", file))).map((t) => [t.id, t.ground_truth]),
    );
    for (const test of await readJsonLines<{ id: string; question: { role: string; content: string }[][]; function: BfclTool[] }>(
      path.join(dir, file),
    )) {
      const truth = truths.get(test.id);
      const user = test.question[0]?.filter((m) => m.role === "user").at(-1);
      if (!truth || !user) continue;
      const functions = test.function as Tool[];
      entries.push({ query: user.content, tools: test.function.map(toXlamTool), functions, calls: groundTruthToCalls(truth as never, functions) });
    }
  }
  return entries;
}

/**
 * The entries the built-in fake judge passes at stages 2 and 4 (lib/llm/fake-judge.ts): for sets meant to go through
 * all five stages, so that what they measure is the studio rather than the fake judge's discards.
 */
export async function loadBfclEntriesTheFakePasses(dir: string): Promise<Entry[]> {
  return (await loadBfclEntries(dir)).filter((e) => fakeJudgePasses(e.query, e.tools, e.calls as FakeCall[]));
}

/**
 * Writes `count` xLAM records (`tools`/`answers` as JSON strings, like the real file) to `out`: a JSON array, or
 * JSON Lines with `layout: "lines"`.
 */
export async function writeXlamSet(entries: Entry[], count: number, out: string, layout: "array" | "lines" = "array"): Promise<void> {
  const random = seededRandom(20505192);
  await writeRecords(out, count, layout, (i) => {
    const entry = entries[i % entries.length];
    const round = Math.floor(i / entries.length);
    const distractors = Array.from({ length: Math.floor(random() * 4) }, () => entries[Math.floor(random() * entries.length)].tools[0]);
    const tools = [...entry.tools, ...distractors.filter((d) => !entry.tools.some((t) => t.name === d.name))];
    // Rounds after the first repeat a query with other distractors; the round number keeps every record distinct.
    const query = round === 0 ? entry.query : `${entry.query} (variant ${round})`;
    return { id: i, query, tools: JSON.stringify(tools), answers: JSON.stringify(entry.calls) };
  });
}

/** Writes `record(0)` … `record(count - 1)` to `out` as a JSON array or as JSON Lines, waiting for the disk as it goes. */
export async function writeRecords(out: string, count: number, layout: "array" | "lines", record: (i: number) => unknown): Promise<void> {
  const file = createWriteStream(out);
  const [open, separator, close] = layout === "array" ? ["[\n", ",\n", "\n]\n"] : ["", "\n", "\n"];
  file.write(open);
  for (let i = 0; i < count; i++) {
    if (!file.write(`${i ? separator : ""}${JSON.stringify(record(i))}`)) await once(file, "drain");
  }
  file.end(close);
  await finished(file);
}
