// Builds a deterministic set of multi-turn conversations from the BFCL fixtures, in OpenAI / FunReason-MT chat JSON
// Lines: a user request served by a chain of 2–6 calls (BFCL's ground-truth calls, so each is valid against its
// tool; a parallel entry's calls go out together), each answered by a synthetic tool result, then the assistant's
// text; some conversations have a further user request, served by the rest of the chain. Every call turn carries a
// `<think>` CoT; a few conversations are flagged `error_tool_response`, one of their results an error.
import type { ToolCall } from "@/lib/samples/types";
import { jsonSchemaTool } from "@/lib/formats/openai";
import { ruleFailures } from "@/lib/pipeline/rule-check";
import { seededRandom } from "@/lib/random";
import { writeRecords, type Entry } from "./generate-xlam";

export interface ConversationSetStats {
  conversations: number;
  messages: number;
  /** Assistant messages: call turns and text answers (what the stages judge, one turn each). */
  assistantTurns: number;
  calls: number;
  /** Conversations with a further user request. */
  furtherRequests: number;
  errorToolResponse: number;
}

type OpenAiTool = { type: "function"; function: ReturnType<typeof jsonSchemaTool> };
/** A BFCL entry as a conversation uses it: its tools as OpenAI writes them. */
type Link = Entry & { openAiTools: OpenAiTool[] };

const MIN_CALLS = 2;
const MAX_CALLS = 6;
const FURTHER_REQUEST_SHARE = 0.3;
const ERROR_RESPONSE_SHARE = 0.05;

/** Writes `count` conversations to `out` (JSON Lines) and says what they hold. */
export async function writeConversationSet(entries: Entry[], count: number, out: string): Promise<ConversationSetStats> {
  const links = await validLinks(entries);
  const random = seededRandom(16_000_2025);
  const stats: ConversationSetStats = { conversations: count, messages: 0, assistantTurns: 0, calls: 0, furtherRequests: 0, errorToolResponse: 0 };
  await writeRecords(out, count, "lines", (i) => {
    const record = conversation(i, links, random);
    stats.messages += record.messages.length;
    stats.assistantTurns += record.messages.filter((m) => m.role === "assistant").length;
    stats.calls += record.messages.reduce((n, m) => n + (m.role === "assistant" ? (m.tool_calls?.length ?? 0) : 0), 0);
    stats.furtherRequests += record.messages.filter((m) => m.role === "user").length > 1 ? 1 : 0;
    stats.errorToolResponse += record.error_tool_response ? 1 : 0;
    return record;
  });
  return stats;
}

/**
 * The entries whose ground-truth calls the rule stages pass against their tools in OpenAI's JSON Schema (a few of
 * BFCL's ground truths contradict their own schema): a conversation of them passes the rules turn by turn.
 */
async function validLinks(entries: Entry[]): Promise<Link[]> {
  const links: Link[] = [];
  for (const entry of entries) {
    const openAiTools = entry.functions.map((tool): OpenAiTool => ({ type: "function", function: jsonSchemaTool(tool) }));
    // As the chat importer will read them: arguments through JSON text.
    const calls = entry.calls.map((call) => ({ name: call.name, arguments: JSON.parse(JSON.stringify(call.arguments)) }));
    const sample = { query: entry.query, tools: openAiTools.map((t) => t.function), answer: { kind: "calls" as const, calls }, cot: "A CoT." };
    if (calls.length && (await ruleFailures(sample)).length === 0) links.push({ ...entry, openAiTools });
  }
  return links;
}

type Message =
  | { role: "user"; content: string }
  | { role: "assistant"; content: string; tool_calls?: { id: string; type: "function"; function: { name: string; arguments: string } }[] }
  | { role: "tool"; tool_call_id: string; content: string };

function conversation(index: number, links: Link[], random: () => number) {
  const pick = () => links[Math.floor(random() * links.length)];
  // 2–6 calls, short chains the most common (random² leans low): ~8 messages on average.
  const callCount = MIN_CALLS + Math.floor(random() ** 2 * (MAX_CALLS - MIN_CALLS + 1));
  // The chain: entries whose tools do not clash by name with the conversation's others (BFCL reuses names).
  const chain: Link[] = [];
  const names = new Set<string>();
  for (let calls = 0; calls < callCount; ) {
    const link = pick();
    if (calls + link.calls.length > callCount || link.functions.some((f) => names.has(f.name))) continue;
    for (const f of link.functions) names.add(f.name);
    chain.push(link);
    calls += link.calls.length;
  }
  const split = chain.length > 1 && random() < FURTHER_REQUEST_SHARE ? 1 + Math.floor(random() * (chain.length - 1)) : chain.length;
  const requests = split < chain.length ? [chain.slice(0, split), chain.slice(split)] : [chain];
  const failingCall = random() < ERROR_RESPONSE_SHARE ? Math.floor(random() * callCount) : -1;

  const messages: Message[] = [];
  let callNumber = 0;
  for (const request of requests) {
    messages.push({ role: "user", content: request.map((link) => link.query).join(" Then: ") });
    const results: string[] = [];
    request.forEach((link, step) => {
      const ids = link.calls.map((_, j) => `call_${index}_${callNumber + j}`);
      messages.push({
        role: "assistant",
        content: `<think>${thought(link.calls, step)}</think>`,
        tool_calls: link.calls.map((call, j) => ({ id: ids[j], type: "function", function: { name: call.name, arguments: JSON.stringify(call.arguments) } })),
      });
      for (const [j, call] of link.calls.entries()) {
        const content = callNumber + j === failingCall ? toolError(call) : toolResult(call, `req-${index}-${callNumber + j}`, random);
        messages.push({ role: "tool", tool_call_id: ids[j], content });
        results.push(`${call.name} returned ${content}`);
      }
      callNumber += link.calls.length;
    });
    messages.push({ role: "assistant", content: `Done. ${results.join("; ")}.` });
  }
  return {
    id: `conv-${index}`,
    tools: chain.flatMap((link) => link.openAiTools),
    messages,
    ...(failingCall >= 0 ? { error_tool_response: true } : {}),
  };
}

function thought(calls: readonly ToolCall[], step: number): string {
  const what = calls.map((call) => `${call.name} with ${Object.keys(call.arguments).join(", ") || "no arguments"}`).join(" and ");
  return step === 0
    ? `The user asks for this; the tools offer what it needs. I call ${what}, taking each value from the request.`
    : `The earlier result is in. Next the user wants more: I call ${what}, taking each value from the request.`;
}

/** A synthetic result: a status, a value and the request id that makes every conversation distinct. */
function toolResult(call: ToolCall, requestId: string, random: () => number): string {
  const value = random() < 0.5 ? Math.round(random() * 1e6) / 100 : { items: [`${call.name}-a`, `${call.name}-b`], total: Math.floor(random() * 50) };
  return JSON.stringify({ status: "ok", function: call.name, request_id: requestId, value });
}

function toolError(call: ToolCall): string {
  return JSON.stringify({ status: "error", function: call.name, error: "upstream service returned an unexpected payload" });
}
