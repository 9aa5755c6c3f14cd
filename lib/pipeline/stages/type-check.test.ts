import { describe, expect, it } from "vitest";
import { parseTypeString, type ParamType } from "../schema-types";
import { checkValue, describeType } from "./type-check";

/** The problem (rule and message) with `value` as the xLAM type string `type`, or null. */
function check(value: unknown, type: string | ParamType) {
  const parsed = typeof type === "string" ? parseTypeString(type).type : type;
  const unknown = new Set<string>();
  const problem = checkValue(value, parsed, "p", unknown);
  return { problem: problem && `${problem.rule} at ${problem.path}: ${problem.message}`, unknown: [...unknown] };
}
const ok = (value: unknown, type: string | ParamType) => expect(check(value, type).problem, `${JSON.stringify(value)} as ${JSON.stringify(type)}`).toBeNull();
const bad = (value: unknown, type: string | ParamType) => expect(check(value, type).problem, `${JSON.stringify(value)} as ${JSON.stringify(type)}`);

describe("checkValue", () => {
  it("checks scalars: strings, integers, floats (int accepted), booleans (not 0/1)", () => {
    ok("x", "str");
    bad(3, "str").toBe("wrong_type at p: 3 is an integer, expected string");
    ok(3, "int");
    bad(3.5, "int").toBe("wrong_type at p: 3.5 is a float, expected integer");
    bad("3", "int").toBe('wrong_type at p: "3" is a string, expected integer');
    ok(3, "float"); // int where a float is declared: fine, as in BFCL
    ok(3.5, "float");
    bad("3.5", "float").toBe('wrong_type at p: "3.5" is a string, expected float');
    ok(true, "bool");
    bad(1, "bool").toBe("wrong_type at p: 1 is an integer, expected boolean");
    bad(0, "bool").toBe("wrong_type at p: 0 is an integer, expected boolean");
    bad("true", "bool").toBe('wrong_type at p: "true" is a string, expected boolean');
    bad(true, "int").toBe("wrong_type at p: true is a boolean, expected integer");
  });

  it("accepts null only where the type allows None", () => {
    bad(null, "str").toBe("wrong_type at p: null is given, expected string");
    ok(null, "Optional[str]");
    ok(null, "str | None");
    ok(null, "Union[int, None]");
    ok(null, "Any");
    bad(null, "List[int]").toBe("wrong_type at p: null is given, expected array of integer");
    bad([1, null], "List[int]").toBe("wrong_type at p[1]: null is given, expected integer");
    ok([1, null], "List[Optional[int]]");
  });

  it("checks array items, nested arrays included", () => {
    ok([1, 2], "List[int]");
    ok([], "List[int]");
    ok(["a", 1, null], "list");
    bad([1, "2"], "List[int]").toBe('wrong_type at p[1]: "2" is a string, expected integer');
    bad("1,2", "List[int]").toBe('wrong_type at p: "1,2" is a string, expected array of integer');
    ok([[1, 2], [3.5]], "List[List[float]]");
    bad([[1, 2], [3, "x"]], "List[List[int]]").toBe('wrong_type at p[1][1]: "x" is a string, expected integer');
    bad([1, 2], "List[List[int]]").toBe("wrong_type at p[0]: 1 is an integer, expected array of integer");
  });

  it("checks dicts: a value type, declared properties, and anything for a bare dict", () => {
    ok({ a: 1, b: [1] }, "dict");
    ok({}, "Dict[str, Any]");
    ok({ a: 1, b: 2 }, "Dict[str, int]");
    bad({ a: 1, b: "2" }, "Dict[str, int]").toBe('wrong_type at p.b: "2" is a string, expected integer');
    bad([1], "dict").toBe("wrong_type at p: [1] is an array, expected dict");
    bad(null, "dict").toBe("wrong_type at p: null is given, expected dict");
    const point: ParamType = {
      kind: "object",
      properties: {
        lat: { name: "lat", type: { kind: "number" }, required: true },
        label: { name: "label", type: { kind: "string" }, required: false },
      },
    };
    ok({ lat: 1.5 }, point);
    ok({ lat: 1, label: null }, point); // an optional key given None
    ok({ lat: 1, extra: "kept" }, point); // undeclared keys are allowed inside a dict value (JSON Schema's default)
    bad({ label: "x" }, point).toBe("missing_required at p.lat: required parameter p.lat is missing");
    bad({ lat: "north" }, point).toBe('wrong_type at p.lat: "north" is a string, expected float');
    bad([{ lat: 1 }, { lat: true }], { kind: "array", items: point }).toBe("wrong_type at p[1].lat: true is a boolean, expected float");
  });

  it("checks tuples position by position, with a rest type", () => {
    ok([1, "a"], "Tuple[int, str]");
    bad(["a", 1], "Tuple[int, str]").toBe('wrong_type at p[0]: "a" is a string, expected integer');
    bad([1], "Tuple[int, str]").toBe("wrong_type at p: [1] is an array, expected tuple (integer, string)");
    bad([1, "a", 2], "Tuple[int, str]").toBe('wrong_type at p: [1,"a",2] is an array, expected tuple (integer, string)');
    ok([1, 2, 3], "Tuple[int, ...]");
    ok([], "Tuple[int, ...]");
    bad([1, 2.5], "Tuple[int, ...]").toBe("wrong_type at p[1]: 2.5 is a float, expected integer");
    // BFCL: {"type": "tuple", "items": {"type": "float"}}
    ok([1.5, 2, 3], { kind: "tuple", items: [], rest: { kind: "number" } });
  });

  it("checks unions: any option fits; otherwise the problem inside the option of the right shape", () => {
    ok("a", "Union[int, str]");
    ok(3, "int | str");
    bad(true, "Union[int, str]").toBe("wrong_type at p: true is a boolean, expected integer or string");
    bad([1, "x"], "Union[List[int], str]").toBe('wrong_type at p[1]: "x" is a string, expected integer');
    const unit: ParamType = { kind: "union", options: [{ kind: "string", enum: ["c", "f"] }, { kind: "null" }] };
    bad("k", unit).toBe('not_in_enum at p: "k" is not one of c, f');
    ok(null, unit);
  });

  it("checks enums, exactly, on scalars and on array items", () => {
    const unit: ParamType = { kind: "string", enum: ["celsius", "fahrenheit"] };
    ok("celsius", unit);
    bad("kelvin", unit).toBe('not_in_enum at p: "kelvin" is not one of celsius, fahrenheit');
    bad("Celsius", unit).toBe('not_in_enum at p: "Celsius" is not one of celsius, fahrenheit');
    bad(3, unit).toBe("wrong_type at p: 3 is an integer, expected string (one of celsius, fahrenheit)");
    ok(2, { kind: "integer", enum: [1, 2, 3] });
    bad(4, { kind: "integer", enum: [1, 2, 3] }).toBe("not_in_enum at p: 4 is not one of 1, 2, 3");
    // enum on the items type
    const items: ParamType = { kind: "array", items: { kind: "string", enum: ["a", "b"] } };
    ok(["a", "b", "a"], items);
    bad(["a", "c"], items).toBe('not_in_enum at p[1]: "c" is not one of a, b');
    // BFCL puts the items' enum on the array itself: {"type": "array", "items": {"type": "string"}, "enum": [...]}
    const onArray: ParamType = { kind: "array", items: { kind: "string" }, enum: ["temperature", "humidity"] };
    ok(["humidity"], onArray);
    bad(["humidity", "noise"], onArray).toBe('not_in_enum at p[1]: "noise" is not one of temperature, humidity');
    // an enum of arrays on an array is a whole-value enum
    const pairs: ParamType = { kind: "array", items: { kind: "integer" }, enum: [[1, 2], [3, 4]] };
    ok([3, 4], pairs);
    bad([1, 4], pairs).toBe("not_in_enum at p: [1,4] is not one of [1,2], [3,4]");
  });

  it("accepts anything for any, and for unknown type strings while reporting them", () => {
    ok({ x: [1] }, "Any");
    expect(check({ x: 1 }, "DataFrame")).toEqual({ problem: null, unknown: ["DataFrame"] });
    expect(check([1, "a"], "List[Callable]")).toEqual({ problem: null, unknown: ["Callable"] });
    expect(check("a", "pd.Series[int]")).toEqual({ problem: null, unknown: ["pd.Series"] });
    // Only the option that fits reports its unknown types.
    expect(check(3, "Union[int, Widget]")).toEqual({ problem: null, unknown: [] });
    expect(check("w", "Union[int, Widget]")).toEqual({ problem: null, unknown: ["Widget"] });
  });
});

describe("describeType", () => {
  it("says a type in words", () => {
    const words = (t: string) => describeType(parseTypeString(t).type);
    expect(words("List[Dict[str, int]]")).toBe("array of dict of integer");
    expect(words("Tuple[float, float]")).toBe("tuple (float, float)");
    expect(words("Tuple[int, ...]")).toBe("tuple (integer…)");
    expect(words("Optional[str]")).toBe("string or null");
    expect(words("list")).toBe("array");
  });
});
