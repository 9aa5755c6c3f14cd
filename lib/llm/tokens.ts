// Token counts with a real BPE tokenizer (o200k_base: GPT-4o's, GPT-4.1's, o-series'), so the fake LLM reports what
// an OpenAI server would and the run form's estimate counts the same way. A chat request's prompt is its messages in
// GPT-4o's chat template (`<|im_start|>role<|im_sep|>text<|im_end|>`, then `<|im_start|>assistant<|im_sep|>`).
//
// BPE in JavaScript costs ~3 ms per 1,000 tokens, and a run sends the same text again and again (the shared system
// text on every call, a sample's block on each of its calls): text is encoded in pieces, each remembered, cut only
// where o200k's pre-tokenizer splits anyway, so the tokens are exactly the whole text's (tokens.test.ts checks it):
// - paragraphs: a paragraph ends after a blank line ("\n\n" followed by text);
// - a new paragraph's JSON objects in a list (a prompt's tools, a sample's calls: `[{"name":…},{"name":…}]`): a
//   piece ends after `[{"` or `,{"` followed by a letter or digit. The same tools recur across samples in new lists.
//   The pre-tokenizer takes a run of punctuation (`}},{"`) as one pre-token, which a letter or digit ends, and starts
//   the next there; the run cannot be a word's prefix (one character at most, and `{"` is two).
import { countTokens as countOnce, encode } from "gpt-tokenizer/encoding/o200k_base";
import { boundedMemo } from "./memo";

export interface ChatMessageText {
  role: string;
  content: string;
}

// GPT-4o's chat template tokens (checked against gpt-tokenizer's encodeChat in tokens.test.ts).
const IM_START = 200003;
const IM_END = 200004;
const IM_SEP = 200005;

/** Where a new paragraph's list of JSON objects is cut (see the top of this file). */
const OBJECT_IN_LIST = /(?<=[[,]\{")(?=[A-Za-z0-9])/;

/** A paragraph's or a piece's tokens, the last 50,000 remembered. */
const encodePiece: (text: string) => readonly number[] = boundedMemo(50_000, (text: string): readonly number[] => {
  const pieces = text.split(OBJECT_IN_LIST);
  if (pieces.length === 1) return encode(text);
  const tokens: number[] = [];
  for (const piece of pieces) for (const t of encodePiece(piece)) tokens.push(t);
  return tokens;
});

/** Appends `text`'s tokens to `out`, paragraph by paragraph (each ends after "\n\n" that text follows). */
function appendTokens(out: number[], text: string): void {
  let start = 0;
  let blank = text.indexOf("\n\n");
  while (blank >= 0) {
    let end = blank + 2;
    while (text.charCodeAt(end) === 10) end++; // a run of blank lines stays in the paragraph it ends
    if (end >= text.length) break;
    for (const t of encodePiece(text.slice(start, end))) out.push(t);
    start = end;
    blank = text.indexOf("\n\n", start);
  }
  for (const t of encodePiece(start === 0 ? text : text.slice(start))) out.push(t);
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
    out.push(IM_START);
    appendTokens(out, m.role);
    out.push(IM_SEP);
    appendTokens(out, m.content);
    out.push(IM_END);
  }
  out.push(IM_START);
  appendTokens(out, "assistant");
  out.push(IM_SEP);
  return out;
}

/** The prompt tokens of a chat request. */
export function chatPromptTokens(messages: readonly ChatMessageText[]): number {
  return chatTokens(messages).length;
}
