// One type model for both tool styles: xLAM's Python-style type strings and BFCL's JSON-schema-like dicts.
import { setOwn } from "@/lib/formats/json-value";
import { MAX_NESTING } from "@/lib/formats/limits";
import type { Tool } from "@/lib/samples/types";

export type ScalarKind = "string" | "integer" | "number" | "boolean" | "null" | "any" | "unknown";

/**
 * A declared type. `unknown` is a type string we could not read (kept in `raw`, to be flagged); `any` accepts
 * everything. A tuple is `items` position by position, then any number of `rest` (BFCL's `{"type": "tuple",
 * "items": {...}}` and `Tuple[int, ...]` have only `rest`). An object has named `properties`, or `values` of one
 * type (`Dict[str, int]`), or neither (any dict). `union` comes from `Optional[X]`, `Union[...]`, `X | Y`, a JSON
 * Schema `type` list or `anyOf`. `enum`, when present, lists the only values allowed; on a parameter it is also
 * copied to Param.enum, and on nested types (array items) it only lives here.
 */
export type ParamType = (
  | { kind: ScalarKind; raw?: string }
  | { kind: "array"; items: ParamType }
  | { kind: "tuple"; items: ParamType[]; rest?: ParamType }
  | { kind: "object"; properties?: Record<string, Param>; values?: ParamType }
  | { kind: "union"; options: ParamType[] }
) & { enum?: unknown[] };

export interface Param {
  name: string;
  type: ParamType;
  required: boolean;
  description?: string;
  enum?: unknown[];
  /** Absent when the source gave none or gave `""` (xLAM's "no default"). */
  default?: unknown;
}

export type JsonSchema = Record<string, unknown>;

const ANY: ParamType = { kind: "any" };

// ---------------------------------------------------------------------------------------------------------------
// Which style

/**
 * True for JSON-schema-like parameters: `type` is the string "dict" or "object" and `properties`, if present, maps
 * names to objects. An xLAM tool may have parameters literally called `type` or `properties`, but then `type` is a
 * parameter spec (an object), never a string.
 */
export function isJsonSchemaStyle(parameters: unknown): parameters is { type: string; properties?: Record<string, unknown>; required?: unknown } {
  if (!isRecord(parameters) || typeof parameters.type !== "string") return false;
  if (!["dict", "object"].includes(parameters.type.toLowerCase())) return false;
  const properties = parameters.properties;
  return properties === undefined || (isRecord(properties) && Object.values(properties).every(isRecord));
}

// A tool object is read once: the export and the pipeline check the same parsed tool for many samples.
const paramsOf = new WeakMap<Tool, Param[]>();

/** A tool's parameters, in declaration order, whatever the style. Malformed specs become `unknown` types. */
export function toolParams(tool: Tool): Param[] {
  let params = paramsOf.get(tool);
  if (params === undefined) {
    params = readToolParams(tool);
    paramsOf.set(tool, params);
  }
  return params;
}

function readToolParams(tool: Tool): Param[] {
  const parameters = tool.parameters;
  if (isJsonSchemaStyle(parameters)) return Object.values(schemaProperties(parameters.properties ?? {}, parameters.required));
  if (!isRecord(parameters)) return [];
  return Object.entries(parameters).map(([name, spec]) => xlamParam(name, spec));
}

// ---------------------------------------------------------------------------------------------------------------
// xLAM: {param: {type: "str, optional", description, default}}

function xlamParam(name: string, spec: unknown): Param {
  if (typeof spec === "string") {
    const { type, optional } = parseTypeString(spec);
    return { name, type, required: !optional };
  }
  if (!isRecord(spec)) return { name, type: { kind: "unknown", raw: JSON.stringify(spec) }, required: true };
  let type: ParamType;
  let optional = false;
  if (typeof spec.type === "string") ({ type, optional } = parseTypeString(spec.type));
  else type = { kind: "unknown", ...(spec.type === undefined ? {} : { raw: JSON.stringify(spec.type) }) };
  return withDetails({ name, type, required: !optional }, spec);
}

const OPTIONAL_SUFFIX = /,\s*optional\s*$/i;

/**
 * Reads a Python-style type string: str, int, float, bool, list, dict, List[int], Dict[str, Any], Tuple[int, str],
 * Tuple[int, ...], Optional[X], Union[X, Y], X | Y, Any, and JSON-ish names (string, integer, number, boolean,
 * array, object), case-insensitively, with an optional `, optional` suffix. `optional` is true for the suffix or
 * an outer Optional[...]. Anything else is `{kind: "unknown", raw}`.
 */
export function parseTypeString(raw: string): { type: ParamType; optional: boolean } {
  let text = raw.trim();
  let optional = false;
  const suffix = OPTIONAL_SUFFIX.exec(text);
  if (suffix) {
    optional = true;
    text = text.slice(0, suffix.index).trim();
  }
  if (/^(typing\.)?optional\s*\[/i.test(text)) optional = true;
  const type = new TypeStringParser(text).parse();
  return { type: type ?? { kind: "unknown", raw }, optional };
}

const SCALARS: Record<string, ScalarKind> = {
  str: "string", string: "string",
  int: "integer", integer: "integer",
  float: "number", number: "number", double: "number",
  bool: "boolean", boolean: "boolean",
  none: "null", null: "null", nonetype: "null",
  any: "any",
};
const ARRAYS = new Set(["list", "array", "sequence", "set"]);
const OBJECTS = new Set(["dict", "object", "mapping"]);

class TypeFailure extends Error {}

/** Recursive descent over `Name[arg, arg] | Name`; returns null when the text is not that grammar. */
class TypeStringParser {
  private pos = 0;
  /** Brackets open: past MAX_NESTING the text is not a type we read (and recursing on would overflow the stack). */
  private depth = 0;
  constructor(private readonly text: string) {}

  parse(): ParamType | null {
    try {
      const type = this.union();
      this.space();
      return this.pos === this.text.length && type !== "..." ? type : null;
    } catch (error) {
      if (error instanceof TypeFailure) return null;
      throw error;
    }
  }

  private union(): ParamType | "..." {
    const options = [this.term()];
    while (this.space(), this.text[this.pos] === "|") {
      this.pos++;
      options.push(this.term());
    }
    return options.length === 1 ? options[0] : unionOf(options);
  }

  private term(): ParamType | "..." {
    this.space();
    if (this.text.startsWith("...", this.pos)) {
      this.pos += 3;
      return "...";
    }
    const name = /^[A-Za-z_][\w.]*/.exec(this.text.slice(this.pos))?.[0];
    if (!name) throw new TypeFailure();
    this.pos += name.length;
    this.space();
    const args: (ParamType | "...")[] = [];
    if (this.text[this.pos] === "[") {
      this.pos++;
      if (++this.depth > MAX_NESTING) throw new TypeFailure();
      while (this.space(), this.text[this.pos] !== "]") {
        args.push(this.union());
        this.space();
        if (this.text[this.pos] === ",") this.pos++;
        else if (this.text[this.pos] !== "]") throw new TypeFailure();
      }
      this.pos++;
      this.depth--;
    }
    return build(name, args);
  }

  private space(): void {
    while (this.text[this.pos] === " " || this.text[this.pos] === "\t") this.pos++;
  }
}

function build(name: string, args: (ParamType | "...")[]): ParamType {
  const lower = name.toLowerCase().replace(/^typing\./, "");
  const types = args.filter((a): a is ParamType => a !== "...");
  const ellipsis = args.length !== types.length;
  if (ellipsis && lower !== "tuple") throw new TypeFailure();
  if (SCALARS[lower]) {
    if (args.length) throw new TypeFailure();
    return { kind: SCALARS[lower] };
  }
  if (ARRAYS.has(lower)) {
    if (args.length > 1) throw new TypeFailure();
    return { kind: "array", items: types[0] ?? ANY };
  }
  if (OBJECTS.has(lower)) {
    if (args.length !== 0 && args.length !== 2) throw new TypeFailure();
    const values = types[1];
    return values && values.kind !== "any" ? { kind: "object", values } : { kind: "object" };
  }
  if (lower === "tuple") {
    if (args.length === 0) return { kind: "tuple", items: [], rest: ANY };
    if (ellipsis) {
      if (args.length !== 2 || args[1] !== "...") throw new TypeFailure();
      return { kind: "tuple", items: [], rest: types[0] };
    }
    return { kind: "tuple", items: types };
  }
  if (lower === "optional") {
    if (types.length !== 1) throw new TypeFailure();
    return unionOf([types[0], { kind: "null" }]);
  }
  if (lower === "union" && types.length > 0) return unionOf(types);
  return { kind: "unknown", raw: name };
}

function unionOf(options: (ParamType | "...")[]): ParamType {
  if (options.includes("...")) throw new TypeFailure();
  const flat = (options as ParamType[]).flatMap((o) => (o.kind === "union" && !o.enum ? o.options : [o]));
  if (flat.some((o) => o.kind === "any" && !o.enum)) return ANY;
  return flat.length === 1 ? flat[0] : { kind: "union", options: flat };
}

// ---------------------------------------------------------------------------------------------------------------
// JSON-schema-like: {type: "dict", properties: {...}, required: [...]} (BFCL; also OpenAI tools)

function schemaProperties(properties: Record<string, unknown>, required: unknown): Record<string, Param> {
  const listed = new Set(Array.isArray(required) ? required.filter((r) => typeof r === "string") : []);
  const params: Record<string, Param> = {};
  for (const [name, spec] of Object.entries(properties)) {
    const param: Param = { name, type: schemaType(spec), required: listed.has(name) && !isOptionalFlag(spec) };
    setOwn(params, name, isRecord(spec) ? withDetails(param, spec) : param);
  }
  return params;
}

// BFCL marks a few parameters `"optional": true` (or "true", "yes") on top of (or instead of) the required list.
function isOptionalFlag(spec: unknown): boolean {
  const flag = isRecord(spec) ? spec.optional : undefined;
  return flag === true || (typeof flag === "string" && /^(true|yes)$/i.test(flag));
}

function schemaType(spec: unknown): ParamType {
  if (!isRecord(spec)) return { kind: "unknown", raw: JSON.stringify(spec) };
  let type: ParamType;
  const anyOf = Array.isArray(spec.anyOf) ? spec.anyOf : Array.isArray(spec.oneOf) ? spec.oneOf : null;
  if (Array.isArray(spec.type)) type = unionOf(spec.type.map((name) => typeFromName(name, spec)));
  else if (spec.type !== undefined) type = typeFromName(spec.type, spec);
  else if (anyOf) type = unionOf(anyOf.map(schemaType));
  else if (spec.properties !== undefined) type = typeFromName("object", spec);
  else if (spec.items !== undefined) type = typeFromName("array", spec);
  else type = ANY; // JSON Schema: no type, no constraint
  return Array.isArray(spec.enum) ? { ...type, enum: spec.enum } : type;
}

/** A JSON-schema type name (BFCL's string/integer/float/boolean/array/dict/tuple/any, or JSON Schema's) plus its keywords. */
function typeFromName(name: unknown, spec: Record<string, unknown>): ParamType {
  if (typeof name !== "string") return { kind: "unknown", raw: JSON.stringify(name) };
  const base = parseTypeString(name).type;
  const items = spec.items;
  if (base.kind === "array" && items !== undefined) {
    return Array.isArray(items) ? { kind: "tuple", items: items.map(schemaType) } : { kind: "array", items: schemaType(items) };
  }
  if (base.kind === "tuple" && items !== undefined) {
    return Array.isArray(items) ? { kind: "tuple", items: items.map(schemaType) } : { kind: "tuple", items: [], rest: schemaType(items) };
  }
  if (base.kind === "object") {
    const type: ParamType = { kind: "object" };
    if (isRecord(spec.properties)) type.properties = schemaProperties(spec.properties, spec.required);
    if (isRecord(spec.additionalProperties)) type.values = schemaType(spec.additionalProperties);
    return type;
  }
  return base;
}

/** Description, enum and (meaningful) default from a parameter spec of either style. */
function withDetails(param: Param, spec: Record<string, unknown>): Param {
  if (typeof spec.description === "string") param.description = spec.description;
  if (Array.isArray(spec.enum)) {
    param.enum = spec.enum;
    param.type = { ...param.type, enum: spec.enum };
  }
  if (spec.default !== undefined && spec.default !== "") param.default = spec.default;
  return param;
}

// ---------------------------------------------------------------------------------------------------------------
// JSON Schema out

/**
 * The tool's parameters as a JSON Schema object: float → number, dict → object, tuple → array (prefixItems for
 * fixed positions), union → anyOf, any/unknown → {} (description kept); descriptions, enums and defaults kept.
 */
export function toJsonSchema(tool: Tool): { type: "object"; properties: Record<string, JsonSchema>; required: string[] } {
  return objectSchema(toolParams(tool));
}

function objectSchema(params: Param[]): { type: "object"; properties: Record<string, JsonSchema>; required: string[] } {
  const properties: Record<string, JsonSchema> = {};
  for (const param of params) setOwn(properties, param.name, paramSchema(param));
  return { type: "object", properties, required: params.filter((p) => p.required).map((p) => p.name) };
}

function paramSchema(param: Param): JsonSchema {
  const schema = typeSchema(param.type);
  if (param.description !== undefined) schema.description = param.description;
  if (param.default !== undefined) schema.default = param.default;
  return schema;
}

export function typeSchema(type: ParamType): JsonSchema {
  const schema = baseSchema(type);
  if (type.enum) schema.enum = type.enum;
  return schema;
}

function baseSchema(type: ParamType): JsonSchema {
  switch (type.kind) {
    case "string":
    case "integer":
    case "number":
    case "boolean":
    case "null":
      return { type: type.kind };
    case "any":
    case "unknown":
      return {};
    case "array": {
      const items = typeSchema(type.items);
      return Object.keys(items).length ? { type: "array", items } : { type: "array" };
    }
    case "tuple": {
      const schema: JsonSchema = { type: "array" };
      if (type.items.length) {
        schema.prefixItems = type.items.map(typeSchema);
        schema.minItems = type.items.length;
      }
      if (!type.rest) schema.maxItems = type.items.length;
      else if (type.rest.kind !== "any") schema.items = typeSchema(type.rest);
      return schema;
    }
    case "object": {
      if (type.properties) return objectSchema(Object.values(type.properties));
      return type.values ? { type: "object", additionalProperties: typeSchema(type.values) } : { type: "object" };
    }
    case "union":
      return { anyOf: type.options.map(typeSchema) };
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
