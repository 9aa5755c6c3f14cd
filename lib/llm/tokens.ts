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

/** Appends `text`'s tokens to `runs`, as the runs of its paragraphs (remembered: not copied). */
function appendRuns(runs: (readonly number[])[], text: string): void {
  for (const paragraph of paragraphs(text)) runs.push(encodePiece(paragraph));
}

/** How many o200k tokens `text` is (an answer: its pieces are remembered, as a prompt's are). */
export function countTokens(text: string): number {
  let count = 0;
  for (const paragraph of paragraphs(text)) count += encodePiece(paragraph).length;
  return count;
}

// The chat template's own tokens, each a run of one.
const [IM_START_RUN, IM_SEP_RUN, IM_END_RUN] = [[IM_START], [IM_SEP], [IM_END]];

/**
 * The request's prompt as runs of tokens: its tokens are theirs one after another, in order (what a prefix cache
 * hashes block by block; their lengths add up to the request's prompt tokens). Runs, not one list: most of a
 * prompt's ~2,000 tokens are remembered paragraphs, and copying them into a list on every request cost the fake a
 * twentieth of its time.
 */
export function chatTokenRuns(messages: readonly ChatMessageText[]): (readonly number[])[] {
  const runs: (readonly number[])[] = [];
  for (const m of messages) {
    runs.push(IM_START_RUN);
    appendRuns(runs, m.role);
    runs.push(IM_SEP_RUN);
    appendRuns(runs, m.content);
    runs.push(IM_END_RUN);
  }
  runs.push(IM_START_RUN);
  appendRuns(runs, "assistant");
  runs.push(IM_SEP_RUN);
  return runs;
}

/** How many tokens runs of tokens hold. */
export function runsLength(runs: readonly (readonly number[])[]): number {
  let length = 0;
  for (const run of runs) length += run.length;
  return length;
}

/** The prompt tokens of a chat request. */
export function chatPromptTokens(messages: readonly ChatMessageText[]): number {
  return runsLength(chatTokenRuns(messages));
}
