// Checking a value against a declared type (lib/pipeline/schema-types.ts's ParamType, whatever the tool style).
// Pure; used by stage 4 for call arguments and, recursively, for array items, tuple positions and dict keys.
//
// Semantics (BFCL's checker where it has one, stricter where the schema says more):
// - integer: a whole number; float/number: any number (an int where a float is declared is fine, as in BFCL; a
//   fractional number where an int is declared is not). JSON and Python's `5.0` both read as 5, so 5.0 passes as int.
// - boolean: true/false only (not 0/1, not "true").
// - null: only where the type allows None (Optional[X], a "null" in a type list) or, by checkDeclared, for a parameter
//   that is not required (leaving it out and passing None mean the same to a Python function).
// - any: everything. unknown type strings: everything, but the raw type is reported so a reviewer can see what
//   went unchecked.
// - enum: the value must equal one of the listed values. An `array` whose enum lists non-array values (BFCL writes
//   `{"type": "array", "items": {"type": "string"}, "enum": [...]}`) constrains its items.
// - dict with declared properties: each declared key checked like a parameter (required ones present); undeclared
//   keys are allowed, as in JSON Schema (additionalProperties defaults to true) and in a Python dict: headers or a
//   request body carry keys nobody declared (BFCL's live_multiple_189-83-0 declares placeholder keys param1, param2).
//   Only a call's own arguments reject undeclared names: a Python function rejects an unknown keyword argument.
//   A dict with a value type: every value checked; a bare dict: anything goes.
import type { Param, ParamType } from "../schema-types";

export type ProblemRule = "unknown_function" | "unknown_argument" | "missing_required" | "wrong_type" | "not_in_enum";

export interface ValueProblem {
  rule: ProblemRule;
  /** Where: the parameter name, then `.key` and `[index]` into nested values. */
  path: string;
  expected: string;
  actual: string;
  /** The problem in words, without the call (the caller prefixes `fn(path=…): `). */
  message: string;
}

/** Raw type strings met that could not be checked, collected across a whole check. */
export type UnknownTypes = Set<string>;

/**
 * Checks a call's arguments against its function's parameters: no undeclared name (a Python function rejects an
 * unknown keyword argument), every required one present, each value of its type. Returns every problem found
 * (a nested value stops at its first one).
 */
export function checkArguments(args: Record<string, unknown>, params: readonly Param[], fn: string, unknownTypes: UnknownTypes): ValueProblem[] {
  const declared = new Set(params.map((p) => p.name));
  const names = listNames(params.map((p) => p.name));
  const undeclared: ValueProblem[] = Object.keys(args)
    .filter((key) => !declared.has(key))
    .map((key) => ({
      rule: "unknown_argument",
      path: key,
      expected: names ? `one of ${names}` : "no parameters",
      actual: key,
      message: `${key} is not a parameter of ${fn} (${names ? `it takes ${names}` : "it takes none"})`,
    }));
  return [...undeclared, ...checkDeclared(args, params, "", unknownTypes)];
}

/** Declared keys only: required ones present, values of their types. Undeclared keys are the caller's business. */
function checkDeclared(args: Record<string, unknown>, params: readonly Param[], prefix: string, unknownTypes: UnknownTypes): ValueProblem[] {
  const problems: ValueProblem[] = [];
  for (const param of params) {
    const path = prefix + param.name;
    if (!Object.hasOwn(args, param.name)) {
      if (param.required) {
        problems.push({ rule: "missing_required", path, expected: describeType(param.type), actual: "absent", message: `required parameter ${path} is missing` });
      }
      continue;
    }
    const value = args[param.name];
    // None for a parameter that may be left out means "left out" to the Python function behind it.
    if (value === null && !param.required) continue;
    const problem = checkValue(value, param.type, path, unknownTypes);
    if (problem) problems.push(problem);
  }
  return problems;
}

/** The first problem with `value` as a `type`, or null when it fits. */
export function checkValue(value: unknown, type: ParamType, path: string, unknownTypes: UnknownTypes): ValueProblem | null {
  const enumOnItems = type.kind === "array" && type.enum !== undefined && !type.enum.some(Array.isArray);
  const problem = enumOnItems
    ? checkShape(value, { kind: "array", items: { ...itemsOf(type), enum: type.enum } }, path, unknownTypes)
    : checkShape(value, type, path, unknownTypes);
  if (problem) return problem;
  if (type.enum && !enumOnItems && !type.enum.some((allowed) => sameValue(allowed, value))) {
    const allowed = listValues(type.enum);
    return { rule: "not_in_enum", path, expected: `one of ${allowed}`, actual: show(value), message: `${show(value)} is not one of ${allowed}` };
  }
  return null;
}

function itemsOf(type: ParamType): ParamType {
  return type.kind === "array" ? type.items : { kind: "any" };
}

/** The type check proper, enum aside. */
function checkShape(value: unknown, type: ParamType, path: string, unknownTypes: UnknownTypes): ValueProblem | null {
  switch (type.kind) {
    case "any":
      return null;
    case "unknown":
      unknownTypes.add(type.raw ?? "(no type)");
      return null;
    case "union": {
      for (const option of type.options) {
        // Only the unknown types of the option that fits count, not those of options tried and rejected.
        const seen: UnknownTypes = new Set();
        if (checkValue(value, option, path, seen) === null) {
          for (const raw of seen) unknownTypes.add(raw);
          return null;
        }
      }
      // The value has the right shape for one option but fails inside it (an enum, an item): that is the news.
      const near = type.options.find((option) => shallowFit(value, option));
      return near ? checkValue(value, near, path, unknownTypes) : wrongType(value, type, path);
    }
    case "array":
    case "tuple": {
      if (!Array.isArray(value)) return wrongType(value, type, path);
      if (type.kind === "tuple" && (value.length < type.items.length || (!type.rest && value.length > type.items.length))) {
        return wrongType(value, type, path);
      }
      for (const [i, item] of value.entries()) {
        const itemType = type.kind === "array" ? type.items : (type.items[i] ?? type.rest ?? { kind: "any" });
        const problem = checkValue(item, itemType, `${path}[${i}]`, unknownTypes);
        if (problem) return problem;
      }
      return null;
    }
    case "object": {
      if (!isRecord(value)) return wrongType(value, type, path);
      if (type.properties) return checkDeclared(value, Object.values(type.properties), `${path}.`, unknownTypes)[0] ?? null;
      if (type.values) {
        for (const [key, item] of Object.entries(value)) {
          const problem = checkValue(item, type.values, `${path}.${key}`, unknownTypes);
          if (problem) return problem;
        }
      }
      return null;
    }
    default:
      return shallowFit(value, type) ? null : wrongType(value, type, path);
  }
}

/** Whether the value has the type's outer shape (scalars: the full check). */
function shallowFit(value: unknown, type: ParamType): boolean {
  switch (type.kind) {
    case "string":
      return typeof value === "string";
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "boolean":
      return typeof value === "boolean";
    case "null":
      return value === null;
    case "array":
    case "tuple":
      return Array.isArray(value);
    case "object":
      return isRecord(value);
    case "union":
      return type.options.some((option) => shallowFit(value, option));
    case "any":
    case "unknown":
      return true;
  }
}

function wrongType(value: unknown, type: ParamType, path: string): ValueProblem {
  const expected = describeType(type);
  const message = value === null ? `null is given, expected ${expected}` : `${show(value)} is ${kindOf(value)}, expected ${expected}`;
  return { rule: "wrong_type", path, expected, actual: show(value), message };
}

/** A type in words: "integer", "array of string", "tuple (float, float)", "string (one of a, b)". */
export function describeType(type: ParamType): string {
  return type.enum ? `${describeShape(type)} (one of ${listValues(type.enum)})` : describeShape(type);
}

function describeShape(type: ParamType): string {
  switch (type.kind) {
    case "number":
      return "float";
    case "unknown":
      return type.raw ? `unknown type ${type.raw}` : "unknown type";
    case "array":
      return type.items.kind === "any" ? "array" : `array of ${describeType(type.items)}`;
    case "tuple": {
      const parts = type.items.map(describeType);
      if (type.rest && type.rest.kind !== "any") parts.push(`${describeType(type.rest)}…`);
      else if (type.rest) parts.push("…");
      return `tuple (${parts.join(", ")})`;
    }
    case "object":
      if (type.properties) return `dict with keys ${listNames(Object.keys(type.properties)) || "(none)"}`;
      return type.values ? `dict of ${describeType(type.values)}` : "dict";
    case "union":
      return type.options.map(describeType).join(" or ");
    default:
      return type.kind;
  }
}

/** The value's kind in words, with an article: "a string", "a float", "an array". */
function kindOf(value: unknown): string {
  if (Array.isArray(value)) return "an array";
  if (typeof value === "number") return Number.isInteger(value) ? "an integer" : "a float";
  if (typeof value === "object") return "a dict";
  return `a ${typeof value}`;
}

/** A value as a reviewer reads it: JSON, cut at 60 characters. */
export function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

/** Enum members as "celsius, fahrenheit" (strings bare, everything else as JSON). */
function listValues(values: readonly unknown[]): string {
  return values.map((v) => (typeof v === "string" ? v : show(v))).join(", ");
}

/** Names as "a, b, c", at most 12 (then "… (N in all)"). */
export function listNames(names: readonly string[]): string {
  return names.length > 12 ? `${names.slice(0, 12).join(", ")}, … (${names.length} in all)` : names.join(", ");
}

/** Deep equality of JSON values (enum membership). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && sameValue(a[k], b[k]));
  }
  return false;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
