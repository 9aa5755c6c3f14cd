// Helpers for export serializers: fields whose JSON text is already at hand are spliced in, not re-stringified.
import type { ExportSample } from "./index";

export function toolsJsonOf(sample: ExportSample): string {
  return sample.toolsJson ?? JSON.stringify(sample.tools);
}

/** JSON.stringify(value) with extra fields whose values are already JSON text, appended at the end. */
export function jsonWithRaw(value: Record<string, unknown>, raw: Record<string, string>): string {
  const head = JSON.stringify(value);
  const tail = Object.entries(raw).map(([key, json]) => `${JSON.stringify(key)}:${json}`);
  return `${head.slice(0, -1)}${head.length > 2 ? "," : ""}${tail.join(",")}}`;
}
