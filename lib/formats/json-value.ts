// JSON values as data: paths for messages, own keys (even `__proto__`), and how deep a value or a text nests. Every
// walk here is iterative, so a hostile value cannot overflow the stack.
import { MAX_NESTING } from "./limits";

export type JsonPath = readonly (string | number)[];

/** `tools` + [0, "name"] → `tools[0].name`. */
export function joinPath(field: string, path: readonly PropertyKey[]): string {
  let out = field;
  for (const key of path) out += typeof key === "number" ? `[${key}]` : out ? `.${String(key)}` : String(key);
  return out;
}

/** Sets a key as an own property, even `__proto__` (as JSON.parse does), so no key of the data is lost. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

const isContainer = (value: unknown): value is object => value !== null && typeof value === "object";

/**
 * Where `value` nests arrays and objects more than `limit` levels deep (the value itself is level 1): the path to
 * the first container past the limit, or null when it stays within it.
 */
export function nestingBeyond(value: unknown, limit = MAX_NESTING): JsonPath | null {
  if (!isContainer(value)) return null;
  // Depth-first with an explicit stack; paths are only rebuilt (from parent links) once something is too deep.
  type Node = { value: object; depth: number; parent: Node | null; key: string | number };
  const stack: Node[] = [{ value, depth: 1, parent: null, key: "" }];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.depth > limit) return pathOf(node);
    if (Array.isArray(node.value)) {
      for (let i = node.value.length - 1; i >= 0; i--) {
        const child: unknown = node.value[i];
        if (isContainer(child)) stack.push({ value: child, depth: node.depth + 1, parent: node, key: i });
      }
    } else {
      for (const key in node.value) {
        const child = (node.value as Record<string, unknown>)[key];
        if (isContainer(child)) stack.push({ value: child, depth: node.depth + 1, parent: node, key });
      }
    }
  }
  return null;

  function pathOf(node: Node): JsonPath {
    const path: (string | number)[] = [];
    for (let at: Node | null = node; at?.parent; at = at.parent) path.unshift(at.key);
    return path;
  }
}

/** How a too-deep value is reported: the first few keys of its path (the rest is the same runaway nesting). */
export function nestingProblem(path: JsonPath, limit = MAX_NESTING): { path: JsonPath; message: string } {
  return { path: path.slice(0, 4), message: `nests arrays and objects more than ${limit} levels deep; the limit is ${limit}` };
}

/**
 * How deep brackets (`[` `(` `{`) nest in a call list as written (JSON or Python syntax), outside quoted strings.
 * Stops counting once past `limit`.
 */
export function bracketNesting(text: string, limit = MAX_NESTING): number {
  let depth = 0;
  let deepest = 0;
  let quote = "";
  for (let i = 0; i < text.length && deepest <= limit; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === "\\") i++;
      else if (ch === quote) quote = "";
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === "[" || ch === "(" || ch === "{") deepest = Math.max(deepest, ++depth);
    else if (ch === "]" || ch === ")" || ch === "}") depth--;
  }
  return deepest;
}

/** The path of the first string (or key) in `value` that contains `needle`, in document order; null if none. */
export function pathOfText(value: unknown, needle: string): JsonPath | null {
  const stack: { value: unknown; path: JsonPath }[] = [{ value, path: [] }];
  while (stack.length) {
    const { value: at, path } = stack.pop()!;
    if (typeof at === "string") {
      if (at.includes(needle)) return path;
    } else if (Array.isArray(at)) {
      for (let i = at.length - 1; i >= 0; i--) stack.push({ value: at[i], path: [...path, i] });
    } else if (isContainer(at)) {
      const entries = Object.entries(at);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i];
        // The key is looked at before its value: pushed after it.
        stack.push({ value: child, path: [...path, key] }, { value: key, path: [...path, key] });
      }
    }
  }
  return null;
}
