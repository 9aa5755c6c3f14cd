import { createHash } from "node:crypto";
import type { SampleInput } from "./types";

/** JSON with object keys sorted at every depth, so equal content always gives equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/**
 * Identity of a sample inside a dataset: its query, tools and reference answer. The CoT is left out on purpose,
 * so re-importing a file whose samples have since gained a CoT (e.g. our own export) adds nothing.
 */
export function contentHash(sample: Pick<SampleInput, "query" | "tools" | "answer">): string {
  return createHash("sha256")
    .update(canonicalJson({ query: sample.query, tools: sample.tools, answer: sample.answer }))
    .digest("hex");
}
