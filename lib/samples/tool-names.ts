// A sample's tool names, for the table's tool filter (samples.tool_names). Import computes them here, while the
// tools are parsed anyway (per-row JSON work in SQL slowed a 60k import by a second); the SQL function
// studio_tool_names (migration 20261125020000_review) gives the same answer for rows written in SQL.
// tool-names.test.ts holds the two to the same result.
import type { Tool } from "./types";

export function toolNames(tools: readonly Tool[]): string[] {
  const names = new Set<string>();
  for (const tool of tools) {
    if (tool === null || typeof tool !== "object" || Array.isArray(tool)) continue;
    const name: unknown = tool.name;
    if (name === null || name === undefined) continue;
    names.add(typeof name === "string" ? name : JSON.stringify(name));
  }
  // array_agg(DISTINCT …) sorts; C collation = code-unit order for the ASCII names tools have.
  return [...names].sort();
}
