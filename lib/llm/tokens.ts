// Token counts with a real BPE tokenizer (o200k_base: GPT-4o's, GPT-4.1's, o-series'), so the fake LLM reports what
// an OpenAI server would and the run form's estimate counts the same way. A chat request's prompt is its messages in
// GPT-4o's chat template (`<|im_start|>role<|im_sep|>text<|im_end|>`, then `<|im_start|>assistant<|im_sep|>`).
//
// BPE in JavaScript costs ~3 ms per 1,000 tokens, and a run sends the same text again and again (the shared system
// text on every call, a sample's block on each of its calls): text is encoded in pieces, each remembered, cut only
// where o200k's pre-tokenizer splits anyway, so the tokens are exactly the whole text's (tokens.test.ts checks it):
// - paragraphs: a paragraph ends after a blank line ("\n\n" followed by text);
// - within a new paragraph, its lines and its JSON objects in a list, remembered piece by piece: the same tools recur
//   across samples in new lists (a prompt's tools, a sample's calls: `[{"name":…},{"name":…}]`), and the lines of a
//   teacher's reasoning, counted as its answer, come back as the CoT each judge is shown, and across samples.
//   - A piece ends after `[{"` or `,{"` followed by a letter or digit: the pre-tokenizer takes a run of punctuation
//     (`}},{"`) as one pre-token, which a letter or digit ends, and starts the next there; the run cannot be a word's
//     prefix (one character at most, and `{"` is two).
//   - A piece ends after "\n" followed by a letter: no pre-token holds a line break and a letter (a word's prefix is
//     no line break; the pre-tokens of punctuation and of line breaks end before a letter).
import { encode } from "gpt-tokenizer/encoding/o200k_base";
import { boundedMemo } from "./memo";

export interface ChatMessageText {
  role: string;
  content: string;
}

// GPT-4o's chat template tokens (checked against gpt-tokenizer's encodeChat in tokens.test.ts).
const IM_START = 200003;
const IM_END = 200004;
const IM_SEP = 200005;

/** Where a new paragraph is cut into pieces: its lines, its list's JSON objects (see the top of this file). */
const PIECE_START = /(?<=[[,]\{")(?=[A-Za-z0-9])|(?<=\n)(?=[A-Za-z])/;

/** A paragraph's or a piece's tokens, the last 100,000 remembered (a few thousand samples' texts). */
const encodePiece: (text: string) => readonly number[] = boundedMemo(100_000, (text: string): readonly number[] => {
  const pieces = text.split(PIECE_START);
  if (pieces.length === 1) return encode(text);
  const tokens: number[] = [];
  for (const piece of pieces) for (const t of encodePiece(piece)) tokens.push(t);
  return tokens;
});

/** `text`'s paragraphs: each ends after "\n\n" that text follows. */
function paragraphs(text: string): string[] {
  const found: string[] = [];
  let start = 0;
  let blank = text.indexOf("\n\n");
  while (blank >= 0) {
    let end = blank + 2;
    while (text.charCodeAt(end) === 10) end++; // a run of blank lines stays in the paragraph it ends
    if (end >= text.length) break;
    found.push(text.slice(start, end));
    start = end;
    blank = text.indexOf("\n\n", start);
  }
  found.push(start === 0 ? text : text.slice(start));
  return found;
}

/** Appends `text`'s tokens to `out`. */
function appendTokens(out: number[], text: string): void {
  for (const paragraph of paragraphs(text)) for (const t of encodePiece(paragraph)) out.push(t);
}

/** How many o200k tokens `text` is (an answer: its pieces are remembered, as a prompt's are). */
export function countTokens(text: string): number {
  let count = 0;
  for (const paragraph of paragraphs(text)) count += encodePiece(paragraph).length;
  return count;
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
