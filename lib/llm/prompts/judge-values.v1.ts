// Stage 4, Function & Parameter Identification (the part rules cannot decide): are the values right for the query?
import type { Tool, ToolCall } from "@/lib/samples/types";
import { CALLS_LINES } from "../markers";
import { JUDGE_ANSWER_RULES, callsJson, definePrompt, queryAndTools } from "./common";

export interface JudgeValuesInput {
  query: string;
  tools: Tool[];
  calls: ToolCall[];
}

export const judgeValuesV1 = definePrompt<JudgeValuesInput>(
  "judge-values",
  1,
  "judge",
  `You review training data for a function-calling model. A sample has a user query, the tools, and the answer: the
function calls the model is trained to make. Rules have already checked that the functions exist, that no unknown
argument is used, that required parameters are present and that types and enum values are valid. Your job is the part
rules cannot check: are the chosen functions and the argument values right for this query?

Answer "pass" only if:
- the functions called are the ones that do what the user asks (not a similar but different tool);
- the number of calls matches the query (e.g. "in Paris and in Rome" needs two calls when the tool takes one city);
- every value says what the query says: the right entity, number, unit, date, spelling and format the parameter's
  description asks for (e.g. a 2-letter country code when the description says so);
- no value is hallucinated: every value comes from the query, is a sensible reading of it, or is the declared
  default; an optional parameter is set only when the query asks for it.

Answer "fail" if any value is wrong, invented, swapped between parameters, in the wrong unit or format, or if a call
is missing, extra, or to the wrong function. Minor differences that mean the same thing ("NYC" for "New York City"
when the tool accepts either) are not failures.

${JUDGE_ANSWER_RULES}
- "evidence": {"problems": [{"call": index, "function": name, "parameter": name or null, "value": the value,
  "issue": short text, "expected": what the query implies}]} — an empty list when the verdict is pass.`,
  ({ query, tools, calls }) => `${queryAndTools(query, tools)}

${CALLS_LINES.answer}
${callsJson(calls)}

Are these the right calls with the right values for this query? Answer with the JSON object.`,
);
