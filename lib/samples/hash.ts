import { createHash } from "node:crypto";
import type { SampleInput } from "./types";

/**
 * The text a sample's identity is computed from (see contentHash): `JSON.stringify({query, tools, answer})`, and the
 * follow-up of a conversation (a single exchange's identity is what it was before conversations), built around the
 * tools' JSON text when the caller already has it (an import writes that text to the database too).
 */
export function identityJson(sample: Pick<SampleInput, "query" | "tools" | "answer" | "followUp">, toolsJson = JSON.stringify(sample.tools)): string {
  const followUp = sample.followUp?.length ? `,"followUp":${JSON.stringify(sample.followUp)}` : "";
  return `{"query":${JSON.stringify(sample.query)},"tools":${toolsJson},"answer":${JSON.stringify(sample.answer)}${followUp}}`;
}

/**
 * Identity of a sample inside a dataset: its query, tools, reference answer and follow-up. The CoT is left out on purpose,
 * so re-importing a file whose samples have since gained a CoT (e.g. our own export) adds nothing. Keys keep their
 * source order (the database keeps it too, and every export writes it back): sorting them cost a quarter of an
 * import, for files that differ only in key order, which no real source produces.
 */
export function contentHash(sample: Pick<SampleInput, "query" | "tools" | "answer" | "followUp">, json = identityJson(sample)): string {
  return createHash("sha256").update(json).digest("hex");
}
