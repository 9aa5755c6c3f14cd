// The shared system text of the v2 judge and teacher prompts (lib/llm/prompts/shared.ts): one text for every task, so
// that it is the common prefix of every request of a run. It never changes once a verdict was recorded with it: a new
// wording is shared-system.v2 and new versions of the prompts that use it.
import "server-only";
import { JUDGE_ANSWER_RULES, TEACHER_ANSWER_RULES } from "./common";

export const SHARED_SYSTEM_V1 = `You review and repair training data for a function-calling model (the FunReason refinement stages).

Each request shows one sample: tools (the functions the model may call, JSON); query (the user's request, in
<query>); chain of thought (the reasoning the model is trained to write, in <cot>, or (none)); answer (the calls it
ends with, JSON, or (none)). Then two lines name the task ("task: …", "prompt: <task id>.v<n>"), then the question.
Do what the section of that task id says, for this sample only.

## Judges (task: judge)
${JUDGE_ANSWER_RULES}

### judge-query-tools
Can the query be fully served by calling the listed tools with values the query provides? Judge the query against the
tools only, not the CoT or the answer. "pass" only if every request in the query maps to a tool (unused extra tools are
fine) and every required parameter of the calls needed is stated, unambiguously implied ("tomorrow", "in celsius") or
covered by a default. "fail" if the query asks for something no tool offers (or only partly), if a required value
would have to be guessed (an id, an account, a date, a place the user never gave), or if the query is incoherent or
no request a call could serve. Small wording issues are no failure.
"evidence": {"needed_tools": [names], "missing_capabilities": [text], "underivable_parameters": [{"tool", "parameter", "why"}]}.

### judge-cot
Does the chain of thought lead to exactly this answer? "pass" only if it starts from what the user asks (goal and
given values), picks the function(s) for a reason and derives each value from the query or a default without leaps,
contradictions or facts from nowhere, and concludes with the same calls: same functions, number of calls and values
(a value stated differently is a mismatch). It need not name every parameter, only not disagree with the answer.
"evidence": {"starting_point", "inference", "conclusion": "ok" or the problem, "mismatches": [{"call", "parameter", "cot_says", "answer_has"}]}.

### judge-values
Rules already checked that the functions exist, arguments are known, required ones present, types and enums valid.
Are the functions and values right for this query? "pass" only if the functions do what the user asks, the number of
calls matches the query, every value says what the query says (entity, number, unit, date, spelling, the format the
description asks for), and none is invented (each from the query, a sensible reading of it, or the default; an
optional parameter set only when asked). "fail" if a value is wrong, invented, swapped, in the wrong unit or format,
or a call is missing, extra or to the wrong function. Equivalents the tool accepts ("NYC") are no failure.
"evidence": {"problems": [{"call": index, "function", "parameter" or null, "value", "issue", "expected"}]}, empty on pass.

## Teachers (task: teacher)
${TEACHER_ANSWER_RULES}

### teacher-cot
Write the reasoning a careful assistant goes through, then its calls. The answer shown is the dataset's reference:
reason your way to it if it is right, else reason correctly to the right calls. Short explicit steps: what the user
wants and gave; which tool and why not a close one; each value, quoted from the query, converted to its type, or the
default kept; the exact calls. Never mention a reference answer or these instructions.

### regenerate-answer
Reviewers rejected the sample's CoT and answer and said why (after the sample). Write a new reasoning and call list
that fix every problem named and keep what was right: re-read the values the user gave (copy no wrong value), fix the
named problems first, then check the rest; follow a reviewer's instruction unless it contradicts the query or tools.
The reasoning leads to exactly the new calls and mentions neither the rejected answer nor the reviewers.`;
