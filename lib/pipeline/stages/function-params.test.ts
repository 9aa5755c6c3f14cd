import { describe, expect, it } from "vitest";
import type { Tool, ToolCall } from "@/lib/samples/types";
import { checkCalls, unknownFunctions } from "./call-check";
import { functionParamsRule, functionParamsStage } from "./function-params";

// xLAM style: Python type strings, ", optional" for not required; one parameter is literally called `type`.
const search: Tool = {
  name: "search_products",
  description: "Search the catalogue.",
  parameters: {
    query: { description: "Search words.", type: "str", default: "" },
    type: { description: "Product type.", type: "str, optional", default: "all" },
    limit: { description: "How many.", type: "int, optional", default: 10 },
    price_range: { description: "Min and max price.", type: "Tuple[float, float], optional", default: "" },
    tags: { description: "Tags.", type: "List[str], optional", default: "" },
    matrix: { description: "A grid.", type: "List[List[int]], optional", default: "" },
    filters: { description: "Field filters.", type: "Dict[str, Any], optional", default: "" },
    model: { description: "A fitted model.", type: "sklearn.Model, optional", default: "" },
  },
};

// BFCL style: JSON-schema-like dict.
const weather: Tool = {
  name: "get_weather",
  description: "Weather for a city.",
  parameters: {
    type: "dict",
    properties: {
      city: { type: "string", description: "City." },
      unit: { type: "string", enum: ["celsius", "fahrenheit"], default: "celsius" },
      days: { type: "integer", default: 1 },
      threshold: { type: "float", description: "Alert threshold." },
      metrics: { type: "array", items: { type: "string", enum: ["temp", "wind", "rain"] } },
      location: {
        type: "dict",
        properties: { lat: { type: "float" }, lon: { type: "float" }, label: { type: "string" } },
        required: ["lat", "lon"],
      },
      verbose: { type: "boolean", default: false },
    },
    required: ["city"],
  },
};

const tools = [search, weather];
const call = (name: string, args: Record<string, unknown>): ToolCall => ({ name, arguments: args });
const reason = (...calls: ToolCall[]) => functionParamsRule(calls, tools).reason;

describe("stage 4 rules", () => {
  it("passes calls that respect their schemas, in both tool styles", () => {
    const verdict = functionParamsRule(
      [
        call("search_products", { query: "lamp", type: "furniture", limit: 3, price_range: [10, 99.5], tags: ["a"], matrix: [[1, 2], [3]], filters: { x: [1] } }),
        call("get_weather", { city: "Lyon", unit: "celsius", threshold: 3, metrics: ["temp", "rain"], location: { lat: 45.76, lon: 4 } }),
      ],
      tools,
    );
    expect(verdict).toEqual({
      stage: 4,
      outcome: "pass",
      reason: "Every call uses a known function, known arguments, all required parameters and values of the declared types.",
      evidence: { problems: [], warnings: ['get_weather(unit=…) restates its default "celsius"'] },
      decidedBy: "rule:function-params",
    });
  });

  it("warns, without failing, about optional arguments that restate their default, in both tool styles", () => {
    const verdict = functionParamsRule(
      [call("search_products", { query: "lamp", limit: 10, type: "toys", tags: [] }), call("get_weather", { city: "Lyon", days: 1, verbose: true })],
      tools,
    );
    expect(verdict.outcome).toBe("pass");
    expect(verdict.evidence.warnings).toEqual(["search_products(limit=…) restates its default 10", "get_weather(days=…) restates its default 1"]);
    // xLAM's "" means no default; a value differing from the default says something.
    expect(functionParamsRule([call("search_products", { query: "", limit: 11 })], tools).evidence).toEqual({ problems: [] });
  });

  it("treats an xLAM parameter named `type` as a parameter, not as a schema keyword", () => {
    expect(functionParamsRule([call("search_products", { query: "lamp", type: "furniture" })], tools).outcome).toBe("pass");
    expect(reason(call("search_products", { query: "lamp", type: 3 }))).toBe("search_products(type=…): 3 is an integer, expected string");
    expect(reason(call("search_products", { type: "furniture" }))).toBe("search_products(…): required parameter query is missing");
  });

  it("fails an unknown function, naming the tools", () => {
    const verdict = functionParamsRule([call("get_forecast", { city: "Lyon" })], tools);
    expect(verdict.outcome).toBe("fail");
    expect(verdict.reason).toBe("get_forecast(…): there is no tool named get_forecast (the tools are search_products, get_weather)");
    expect(verdict.evidence.problems).toEqual([
      {
        call: 0,
        function: "get_forecast",
        parameter: null,
        rule: "unknown_function",
        expected: "one of search_products, get_weather",
        actual: "get_forecast",
        message: verdict.reason,
      },
    ]);
    expect(unknownFunctions([call("get_forecast", {}), call("get_weather", {}), call("get_forecast", {})], tools)).toEqual(["get_forecast"]);
  });

  it("fails an unknown argument, naming the parameters the function takes", () => {
    expect(reason(call("get_weather", { city: "Lyon", country: "FR" }))).toBe(
      "get_weather(country=…): country is not a parameter of get_weather (it takes city, unit, days, threshold, metrics, location, verbose)",
    );
  });

  it("fails a missing required parameter, at the top level and inside a dict", () => {
    expect(reason(call("get_weather", { unit: "celsius" }))).toBe("get_weather(…): required parameter city is missing");
    expect(reason(call("get_weather", { city: "Lyon", location: { lat: 1 } }))).toBe("get_weather(…): required parameter location.lon is missing");
  });

  it("fails a value outside the enum with the exact reason, on a parameter and on array items", () => {
    const verdict = functionParamsRule([call("get_weather", { city: "Lyon", unit: "kelvin" })], tools);
    expect(verdict.reason).toBe('get_weather(unit=…): "kelvin" is not one of celsius, fahrenheit');
    expect(verdict.evidence.problems).toEqual([
      {
        call: 0,
        function: "get_weather",
        parameter: "unit",
        rule: "not_in_enum",
        expected: "one of celsius, fahrenheit",
        actual: '"kelvin"',
        message: verdict.reason,
      },
    ]);
    expect(reason(call("get_weather", { city: "Lyon", metrics: ["temp", "snow"] }))).toBe('get_weather(metrics[1]=…): "snow" is not one of temp, wind, rain');
  });

  it("accepts an int where a float is declared, not a float where an int is", () => {
    expect(functionParamsRule([call("get_weather", { city: "Lyon", threshold: 5 })], tools).outcome).toBe("pass");
    expect(reason(call("get_weather", { city: "Lyon", days: 1.5 }))).toBe("get_weather(days=…): 1.5 is a float, expected integer");
    expect(reason(call("search_products", { query: "x", limit: 2.5 }))).toBe("search_products(limit=…): 2.5 is a float, expected integer");
  });

  it("checks nested arrays, tuples and dict values", () => {
    expect(reason(call("search_products", { query: "x", matrix: [[1], ["2"]] }))).toBe(
      'search_products(matrix[1][0]=…): "2" is a string, expected integer',
    );
    expect(reason(call("search_products", { query: "x", price_range: [1] }))).toBe(
      "search_products(price_range=…): [1] is an array, expected tuple (float, float)",
    );
    expect(reason(call("get_weather", { city: "x", location: { lat: "45N", lon: 4 } }))).toBe(
      'get_weather(location.lat=…): "45N" is a string, expected float',
    );
    expect(reason(call("search_products", { query: "x", tags: "a,b" }))).toBe('search_products(tags=…): "a,b" is a string, expected array of string');
  });

  it("accepts null for optional parameters only", () => {
    expect(functionParamsRule([call("get_weather", { city: "Lyon", unit: null, location: null })], tools).outcome).toBe("pass");
    expect(functionParamsRule([call("search_products", { query: "x", limit: null, tags: null })], tools).outcome).toBe("pass");
    expect(reason(call("get_weather", { city: null }))).toBe("get_weather(city=…): null is given, expected string");
    expect(reason(call("search_products", { query: null }))).toBe("search_products(query=…): null is given, expected string");
  });

  it("rejects 0/1 for a boolean", () => {
    expect(reason(call("get_weather", { city: "x", verbose: 1 }))).toBe("get_weather(verbose=…): 1 is an integer, expected boolean");
  });

  it("passes unknown type strings and flags them", () => {
    const verdict = functionParamsRule([call("search_products", { query: "x", model: "<model>" })], tools);
    expect(verdict.outcome).toBe("pass");
    expect(verdict.reason).toBe(
      "Every call uses a known function, known arguments, all required parameters and values of the declared types (not checked, unknown types: sklearn.Model).",
    );
    expect(verdict.evidence).toEqual({ problems: [], unknownTypes: ["sklearn.Model"] });
  });

  it("lists every problem of every call (unknown arguments first, then parameters in declaration order), and names the first in the reason", () => {
    const { problems } = checkCalls(
      [call("get_weather", { city: "Lyon" }), call("get_weather", { unit: "k", extra: 1 }), call("nope", {})],
      tools,
    );
    expect(problems.map((p) => [p.call, p.rule, p.parameter])).toEqual([
      [1, "unknown_argument", "extra"],
      [1, "missing_required", "city"],
      [1, "not_in_enum", "unit"],
      [2, "unknown_function", null],
    ]);
    expect(reason(call("get_weather", { unit: "k", extra: 1 }))).toBe(
      "get_weather(extra=…): extra is not a parameter of get_weather (it takes city, unit, days, threshold, metrics, location, verbose) (and 2 more problems)",
    );
  });

  it("passes a tool without parameters called without arguments, and fails any argument to it", () => {
    const ping: Tool = { name: "ping" };
    expect(functionParamsRule([call("ping", {})], [ping]).outcome).toBe("pass");
    expect(functionParamsRule([call("ping", { x: 1 })], [ping]).reason).toBe("ping(x=…): x is not a parameter of ping (it takes none)");
  });

  it("as a stage: skips a text answer; without a judge returns the rule verdict alone", async () => {
    const ctx = { judge: null, modelFor: () => "m" };
    const text = await functionParamsStage.run({ query: "q", tools, answer: { kind: "text", text: "hi" }, cot: null }, ctx);
    expect(text.map((v) => [v.outcome, v.reason])).toEqual([["skip", "Not checked: the reference answer is plain text, not a call list."]]);
    const calls = await functionParamsStage.run({ query: "q", tools, answer: { kind: "calls", calls: [call("get_weather", { city: "x" })] }, cot: null }, ctx);
    expect(calls.map((v) => [v.outcome, v.decidedBy])).toEqual([["pass", "rule:function-params"]]);
  });
});
