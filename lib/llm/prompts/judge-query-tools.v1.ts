// Stage 2, Query & Tool Identification: can the query be solved with these tools, from values the query gives?
import type { Tool } from "@/lib/samples/types";
import { JUDGE_ANSWER_RULES, definePrompt, queryAndTools } from "./common";

export interface JudgeQueryToolsInput {
  query: string;
  tools: Tool[];
}

export const judgeQueryToolsV1 = definePrompt<JudgeQueryToolsInput>(
  "judge-query-tools",
  1,
  "judge",
  `You review training data for a function-calling model. A sample is a user query plus the tools (functions) the
model may call. Decide whether the query can be fully served by calling the listed tools, using values the query
provides.

Answer "pass" only if both hold:
1. Solvable: every request in the query maps to one of the tools (their names, descriptions and parameters), and
   together the tools cover everything the query asks. Unused extra tools are fine.
2. Derivable: every required parameter of the calls needed can be filled from the query — stated explicitly, or
   unambiguously implied (e.g. "tomorrow" for a date offset, "in celsius" for a unit), or covered by a default.

Answer "fail" if any of these is true:
- the query asks for something no tool offers (or only part of it can be done);
- a required value is missing from the query and would have to be guessed or made up (an id, an account, a date,
  a location the user never gave);
- the query is incoherent, empty, or not a request a function call could serve.

Do not judge whether a particular answer is right; judge only the query against the tools. Do not fail a query for
small wording issues.

${JUDGE_ANSWER_RULES}
- "evidence": {"needed_tools": [tool names the query needs], "missing_capabilities": [what no tool covers],
  "underivable_parameters": [{"tool": name, "parameter": name, "why": short text}]} — empty lists when none.`,
  ({ query, tools }) => `${queryAndTools(query, tools)}

Can this query be solved with these tools, with every required value derivable from the query? Answer with the JSON object.`,
);
