// BFCL's default system prompt (Apache-2.0, see fixtures/bfcl/LICENSE), copied verbatim from
// fixtures/bfcl/default_system_prompt.txt; `{functions}` is replaced by the JSON list of tools.
// FunReason trains with it; the chat importer recognises it to recover the tools from a system message.

export const FUNCTIONS_PLACEHOLDER = "{functions}";

export const BFCL_SYSTEM_PROMPT = `You are an expert in composing functions. You are given a question and a set of possible functions. Based on the question, you will need to make one or more function/tool calls to achieve the purpose.
If none of the functions can be used, point it out. If the given question lacks the parameters required by the function, also point it out.
You should only return the function calls in your response.

If you decide to invoke any of the function(s), you MUST put it in the format of [func_name1(params_name1=params_value1, params_name2=params_value2...), func_name2(params)]
You SHOULD NOT include any other text in the response.

At each turn, you should try your best to complete the tasks requested by the user within the current turn. Continue to output functions to call until you have fulfilled the user's request to the best of your ability. Once you have no more functions to call, the system will consider the current turn complete and proceed to the next turn or task.

Here is a list of functions in JSON format that you can invoke.
{functions}

`;

/** The prompt with the tools filled in (a function replacer, so `$` in the tools is taken literally). */
export function systemPromptWithTools(tools: unknown[]): string {
  return systemPromptWithToolsJson(JSON.stringify(tools));
}

export function systemPromptWithToolsJson(toolsJson: string): string {
  return BFCL_SYSTEM_PROMPT.replace(FUNCTIONS_PLACEHOLDER, () => toolsJson);
}

/**
 * The JSON text that stands where `{functions}` was, if `content` is the prompt (surrounding whitespace may
 * differ); null otherwise.
 */
export function functionsFromSystemPrompt(content: string): string | null {
  const [before, after] = BFCL_SYSTEM_PROMPT.split(FUNCTIONS_PLACEHOLDER).map((part) => part.trim());
  const text = content.trim();
  if (!text.startsWith(before) || !text.endsWith(after) || text.length < before.length + after.length) return null;
  return text.slice(before.length, text.length - after.length).trim();
}
