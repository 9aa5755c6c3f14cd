// Token counts with a real BPE tokenizer (o200k_base: GPT-4o's, GPT-4.1's, o-series'), so the fake LLM reports what
// an OpenAI server would and the run form's estimate counts the same way. A chat request's prompt is its messages in
// GPT-4o's chat template (`<|im_start|>role<|im_sep|>text<|im_end|>`, then `<|im_start|>assistant<|im_sep|>`).
//
// BPE in JavaScript costs ~3 ms per 1,000 tokens, and a run sends the same text again and again (the shared system
// text on every call, a sample's block on each of its calls): text is encoded paragraph by paragraph, each remembered.
// A paragraph ends after a blank line ("\n\n" followed by text), where o200k's pre-tokenizer splits anyway, so the
// tokens are exactly the whole text's.
import { countTokens as countOnce, encode } from "gpt-tokenizer/encoding/o200k_base";

export interface ChatMessageText {
  role: string;
  content: string;
}

// GPT-4o's chat template tokens (checked against gpt-tokenizer's encodeChat in tokens.test.ts).
const IM_START = 200003;
const IM_END = 200004;
const IM_SEP = 200005;

/** Paragraphs remembered, oldest dropped first. */
const MEMO_LIMIT = 50_000;
const memo = new Map<string, number[]>();

function encodeParagraph(text: string): number[] {
  let tokens = memo.get(text);
  if (tokens) return tokens;
  tokens = encode(text);
  memo.set(text, tokens);
  if (memo.size > MEMO_LIMIT) memo.delete(memo.keys().next().value!);
  return tokens;
}

/** `text`'s o200k tokens. */
export function encodeText(text: string): number[] {
  const out: number[] = [];
  for (const paragraph of text.split(/(?<=\n\n)(?=[^\n])/)) for (const t of encodeParagraph(paragraph)) out.push(t);
  return out;
}

/** How many o200k tokens `text` is (a completion; text not seen again). */
export function countTokens(text: string): number {
  return countOnce(text);
}

/**
 * The request's prompt as one token sequence, in order (what a prefix cache hashes block by block). Its length is the
 * request's prompt tokens.
 */
export function chatTokens(messages: readonly ChatMessageText[]): number[] {
  const out: number[] = [];
  for (const m of messages) {
    out.push(IM_START, ...encodeParagraph(m.role), IM_SEP);
    for (const t of encodeText(m.content)) out.push(t);
    out.push(IM_END);
  }
  out.push(IM_START, ...encodeParagraph("assistant"), IM_SEP);
  return out;
}

/** The prompt tokens of a chat request. */
export function chatPromptTokens(messages: readonly ChatMessageText[]): number {
  return chatTokens(messages).length;
}
