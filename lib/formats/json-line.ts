// Helpers for export serializers: fields whose JSON text is already at hand are spliced in, not re-stringified.
import type { Tool } from "@/lib/samples/types";
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

/**
 * The texts of the objects in a JSON array of objects (`[{…},{…}]`, as the database stores tools), without parsing
 * them; null when the text is anything else (the caller then parses it).
 */
export function objectTexts(arrayJson: string): string[] | null {
  const texts: string[] = [];
  let i = skipSpace(arrayJson, 0);
  if (arrayJson[i] !== "[") return null;
  i = skipSpace(arrayJson, i + 1);
  if (arrayJson[i] === "]") return skipSpace(arrayJson, i + 1) === arrayJson.length ? texts : null;
  for (;;) {
    if (arrayJson[i] !== "{") return null;
    const start = i;
    let depth = 0;
    for (; i < arrayJson.length; i++) {
      const c = arrayJson[i];
      if (c === '"') {
        i = closingQuote(arrayJson, i);
        if (i === -1) return null;
      } else if (c === "{" || c === "[") depth++;
      else if ((c === "}" || c === "]") && --depth === 0) break;
    }
    if (i >= arrayJson.length) return null;
    texts.push(arrayJson.slice(start, i + 1));
    i = skipSpace(arrayJson, i + 1);
    if (arrayJson[i] === "]") return skipSpace(arrayJson, i + 1) === arrayJson.length ? texts : null;
    if (arrayJson[i] !== ",") return null;
    i = skipSpace(arrayJson, i + 1);
  }
}

// A dataset offers the same tools over and over: each tool's JSON text is parsed once per process. Bounded: emptied
// when full. The parsed tools are shared between samples, so nothing may change them.
const parsedTools = new Map<string, Tool>();
const PARSED_TOOLS_SIZE = 20_000;

/** The tools of a stored tools text (a JSON array of objects), each tool parsed once per process. */
export function parseToolsJson(toolsJson: string): Tool[] {
  const texts = objectTexts(toolsJson);
  if (texts === null) return JSON.parse(toolsJson) as Tool[];
  return texts.map((text) => {
    let tool = parsedTools.get(text);
    if (tool === undefined) {
      tool = JSON.parse(text) as Tool;
      if (parsedTools.size >= PARSED_TOOLS_SIZE) parsedTools.clear();
      parsedTools.set(text, tool);
    }
    return tool;
  });
}

function skipSpace(text: string, from: number): number {
  let i = from;
  while (i < text.length && (text[i] === " " || text[i] === "\n" || text[i] === "\r" || text[i] === "\t")) i++;
  return i;
}

/** The index of the quote closing the string that opens at `open`, or -1. */
function closingQuote(text: string, open: number): number {
  for (let quote = text.indexOf('"', open + 1); quote !== -1; quote = text.indexOf('"', quote + 1)) {
    let backslashes = 0;
    while (text[quote - backslashes - 1] === "\\") backslashes++;
    if (backslashes % 2 === 0) return quote;
  }
  return -1;
}
