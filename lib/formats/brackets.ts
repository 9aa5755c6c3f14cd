// Finding where a bracketed value written inside free text ends (tools in a system prompt, a call in a chat turn).

/**
 * Index of the bracket that closes the `[` or `{` at `open`, counting brackets outside quoted strings (backslash
 * escapes honoured), or -1 when it never closes. `quotes` are the characters that open a string: `"` for JSON;
 * `"'` for Python literals (a JSON-only text passes `"`, so an apostrophe in prose does not open a string).
 */
export function closingBracket(text: string, open: number, quotes = '"'): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = null;
    } else if (quotes.includes(c)) quote = c;
    else if (c === "[" || c === "{") depth++;
    else if (c === "]" || c === "}") {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}
