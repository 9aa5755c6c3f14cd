// Text PostgreSQL can store and every reader can decode: no NUL character (a text column refuses it), no lone
// surrogate (not Unicode, so not UTF-8). Checked by the route wrapper on every string of every request, keys included,
// so no handler can forget it.

const NUL = "\u0000";
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What is wrong with a string for storage, or null. */
export function textProblem(text: string): string | null {
  if (text.includes(NUL)) return "contains a NUL character (\\u0000)";
  if (LONE_SURROGATE.test(text)) return "contains a lone surrogate (not Unicode text)";
  return null;
}

/** The first string in a JSON value (or key) with a textProblem, as "field.path: problem"; null when all are fine. */
export function unsafeTextIn(value: unknown, path: string): string | null {
  if (typeof value === "string") {
    const problem = textProblem(value);
    return problem && `${path || "the value"} ${problem}`;
  }
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = unsafeTextIn(item, `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      const field = path ? `${path}.${key}` : key;
      const keyProblem = textProblem(key);
      if (keyProblem) return `a field name in ${path || "the body"} ${keyProblem}`;
      const found = unsafeTextIn(item, field);
      if (found) return found;
    }
  }
  return null;
}
