// Who a comment @mentions, as a pure function of its text and the people of the studio (no database here: the
// rules are unit-tested). A mention is "@" then a handle, not glued to a word before it (an address like
// ann@example.org in a sentence mentions nobody). A handle names a person when it is, ignoring case:
//   - their email:                        @ann@example.org
//   - the part of their email before "@": @ann
//   - their name without its spaces:      @AnnLee (for "Ann Lee")
// An email names its owner outright; a shorter handle only when it fits exactly one person (two "ann"s at two
// domains: neither is mentioned, rather than the wrong one). Trailing punctuation ends a handle ("@ann," "@ann."),
// and text in code (`…` and ``` blocks) mentions nobody: `@decorator` is Python. A handle nobody has is plain text.

export interface Person {
  id: string;
  email: string;
  name: string;
}

// "@" not after a letter, digit, "_", "." or another "@"; the handle: letters, digits and . _ + - , optionally
// followed by "@domain.tld" (a whole email).
const MENTION = /(?<![\p{L}\p{N}_.@])@([\p{L}\p{N}_][\p{L}\p{N}_.+-]*(?:@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+)?)/gu;
const CODE = /```[\s\S]*?(?:```|$)|`[^`\n]*`/g;

/** The handles written in a comment, lower-cased, each once, in order (trailing "." "-" "+" dropped). */
export function mentionHandles(markdown: string): string[] {
  const prose = markdown.replace(CODE, " ");
  const handles = [...prose.matchAll(MENTION)].map((match) => match[1].replace(/[.+-]+$/, "").toLowerCase());
  return [...new Set(handles.filter(Boolean))];
}

const compactName = (person: Person) => person.name.replace(/\s+/g, "").toLowerCase();
const localPart = (person: Person) => person.email.slice(0, person.email.lastIndexOf("@")).toLowerCase();

/** The people the handles name (see the rules above), each once. */
export function resolveMentions(handles: readonly string[], people: readonly Person[]): Person[] {
  const found = new Map<string, Person>();
  for (const handle of handles) {
    const byEmail = people.find((person) => person.email.toLowerCase() === handle);
    const candidates = byEmail ? [byEmail] : people.filter((person) => localPart(person) === handle || compactName(person) === handle);
    if (candidates.length === 1) found.set(candidates[0].id, candidates[0]);
  }
  return [...found.values()];
}
