// Token counts with a real BPE tokenizer (o200k_base: GPT-4o's, GPT-4.1's, o-series'), so the fake LLM reports what
// an OpenAI server would and the run form's estimate counts the same way. A chat request's prompt is its messages in
// GPT-4o's chat template (`<|im_start|>role<|im_sep|>text<|im_end|>`, then the assistant's start), as OpenAI bills it.
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { encodeChat } from "gpt-tokenizer/model/gpt-4o";

export { countTokens };

export interface ChatMessageText {
  role: string;
  content: string;
}

type TemplateRole = Parameters<typeof encodeChat>[0][number]["role"];

/**
 * The request's prompt as one token sequence, in order (what a prefix cache hashes block by block). Its length is the
 * request's prompt tokens. A role the template does not know (tool, developer) is written as the user's.
 */
export function chatTokens(messages: readonly ChatMessageText[]): number[] {
  const known = new Set<string>(["system", "user", "assistant"]);
  return encodeChat(messages.map((m) => ({ role: (known.has(m.role) ? m.role : "user") as TemplateRole, content: m.content })));
}

/** The prompt tokens of a chat request. */
export function chatPromptTokens(messages: readonly ChatMessageText[]): number {
  return chatTokens(messages).length;
}
