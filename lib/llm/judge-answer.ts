// A judge's verdict, found in what real models answer: bare JSON; JSON after a reasoning preamble (`<think>…</think>`);
// JSON in a Markdown fence anywhere; one JSON object inside prose. Two objects that disagree, or none, is no verdict:
// the caller records an error (the sample is flagged), never a fail. Pure.
import { z } from "zod";

export const judgeAnswerSchema = z.object({
  verdict: z.enum(["pass", "fail"]),
  reason: z.string().trim().min(1),
  evidence: z.unknown().optional(),
});

export type JudgeAnswer = z.infer<typeof judgeAnswerSchema>;

export type ParsedJudgeAnswer = { ok: true; value: JudgeAnswer } | { ok: false; message: string };

/** Reasoning blocks some models write before their answer (DeepSeek-R1, Qwen3 and others: `<think>`). */
const REASONING = /<(think|thinking|reasoning)>[\s\S]*?<\/\1>/gi;
const UNCLOSED_REASONING = /^\s*<(think|thinking|reasoning)>/i;
const FENCE = /```[\w-]*[ \t]*\r?\n([\s\S]*?)```/g;

/** The verdict's JSON schema, for structured outputs (`strict: false`: each stage's evidence has its own shape). */
export const VERDICT_JSON_SCHEMA = {
  type: "object",
  properties: { verdict: { type: "string", enum: ["pass", "fail"] }, reason: { type: "string" }, evidence: { type: "object" } },
  required: ["verdict", "reason"],
};

/** The JSON objects of an answer once its reasoning preamble is cut, or what is wrong when there are none. */
function answerObjects(text: string): { ok: true; objects: Record<string, unknown>[] } | { ok: false; message: string } {
  const answer = text.replace(REASONING, "").trim();
  if (UNCLOSED_REASONING.test(answer)) return { ok: false, message: `the judge's answer is all reasoning, its verdict never came: ${excerpt(text)}` };
  const objects = jsonObjects(answer);
  if (objects.length === 0) return { ok: false, message: `the judge's answer holds no JSON object: ${excerpt(text)}` };
  return { ok: true, objects };
}

export function parseJudgeAnswer(text: string): ParsedJudgeAnswer {
  const found = answerObjects(text);
  if (!found.ok) return found;
  const { objects } = found;
  const fitting: JudgeAnswer[] = [];
  let misfit: string | null = null;
  for (const object of objects) {
    const checked = judgeAnswerSchema.safeParse(object);
    if (checked.success) fitting.push(checked.data);
    else misfit ??= describeIssue(checked.error.issues[0]);
  }
  if (fitting.length === 0) return { ok: false, message: `the judge's answer does not fit {verdict, reason}: ${misfit}` };
  const verdicts = new Set(fitting.map((f) => f.verdict));
  if (verdicts.size > 1) return { ok: false, message: `the judge's answer holds verdicts that disagree (${[...verdicts].join(" and ")}): ${excerpt(text)}` };
  // Several objects with one verdict (an example and the answer, or the answer repeated): the last is the answer.
  return { ok: true, value: fitting.at(-1)! };
}

/**
 * A combined judge's answer (issue 15 §3): one object holding one verdict per judge asked, keyed by the judge's task
 * id (`{"judge-query-tools": {verdict, reason, evidence}, "judge-cot": {…}}`). `verdicts` holds every judge's verdict
 * that is there and fits; `problem` says what is wrong otherwise (a judge missing or misfit; no such object; two
 * objects whose verdicts disagree, which is no verdict at all).
 */
export function readCombinedAnswer(text: string, tasks: readonly string[]): { verdicts: Map<string, JudgeAnswer>; problem: string | null } {
  const none = new Map<string, JudgeAnswer>();
  const found = answerObjects(text);
  if (!found.ok) return { verdicts: none, problem: found.message };
  const candidates = found.objects.filter((object) => tasks.some((task) => task in object));
  if (candidates.length === 0) return { verdicts: none, problem: `the judge's answer has no verdict keyed by ${tasks.join(", ")}: ${excerpt(text)}` };
  const readings = candidates.map((object) => {
    const verdicts = new Map<string, JudgeAnswer>();
    const problems: string[] = [];
    for (const task of tasks) {
      const checked = judgeAnswerSchema.safeParse(object[task]);
      if (checked.success) verdicts.set(task, checked.data);
      else problems.push(task in object ? `${task}: ${describeIssue(checked.error.issues[0])}` : `no verdict for ${task}`);
    }
    return { verdicts, problems };
  });
  const disagree = tasks.find((task) => new Set(readings.map((r) => r.verdicts.get(task)?.verdict).filter(Boolean)).size > 1);
  if (disagree) return { verdicts: none, problem: `the judge's answer holds verdicts for ${disagree} that disagree: ${excerpt(text)}` };
  // Several objects that agree (an example and the answer, or the answer repeated): the last is the answer.
  const last = readings.at(-1)!;
  return { verdicts: last.verdicts, problem: last.problems.length ? `the judge's combined answer is incomplete: ${last.problems.join("; ")}` : null };
}

/**
 * The JSON objects the text holds: the whole text when it is one, else each fenced block that is one, else each
 * balanced `{…}` found in the prose — duplicates once.
 */
export function jsonObjects(text: string): Record<string, unknown>[] {
  const whole = parseObject(text);
  if (whole) return [whole];
  const fenced = [...text.matchAll(FENCE)].map((m) => parseObject(m[1].trim())).filter((o) => o !== null);
  const found = fenced.length > 0 ? fenced : balancedObjects(text).map(parseObject).filter((o) => o !== null);
  const seen = new Set<string>();
  return found.filter((object) => {
    const key = JSON.stringify(object);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Each outermost `{…}` of the text, braces inside JSON strings not counted. */
function balancedObjects(text: string): string[] {
  const spans: string[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (depth > 0 && inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (depth > 0 && c === '"') inString = true;
    else if (c === "{") {
      if (depth === 0) start = i;
      depth++;
    } else if (c === "}" && depth > 0) {
      depth--;
      if (depth === 0) spans.push(text.slice(start, i + 1));
    }
  }
  return spans;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  return `${issue.path.length > 0 ? issue.path.join(".") : "answer"}: ${issue.message}`;
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return JSON.stringify(flat.length > 80 ? `${flat.slice(0, 80)}…` : flat);
}
