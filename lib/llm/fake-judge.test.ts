// The fake LLM's evidence-based judgement (pure): BFCL-like cases, then the BFCL fixtures the project ships.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { judgeQueryTools, judgeValues, queryNumbers, readTools, teacherCalls, teacherReasoning } from "./fake-judge";

// BFCL's irrelevance_0 and simple_python_0, as the fixtures have them.
const TRIANGLE_QUERY = "Find the area of a triangle with a base of 10 units and height of 5 units.";
const BMI = readTools([
  {
    name: "determine_body_mass_index",
    description: "Calculate body mass index given weight and height.",
    parameters: {
      type: "dict",
      properties: {
        weight: { type: "float", description: "Weight of the individual in kilograms." },
        height: { type: "float", description: "Height of the individual in meters." },
      },
      required: ["weight", "height"],
    },
  },
]);
const TRIANGLE = readTools([
  {
    name: "calculate_triangle_area",
    description: "Calculate the area of a triangle given its base and height.",
    parameters: {
      type: "dict",
      properties: {
        base: { type: "integer", description: "The base of the triangle." },
        height: { type: "integer", description: "The height of the triangle." },
        unit: { type: "string", description: "The unit of measure (defaults to 'units' if not specified)" },
      },
      required: ["base", "height"],
    },
  },
]);
const WEATHER = readTools([
  {
    name: "get_weather",
    description: "Current weather for a city.",
    parameters: { city: { type: "str", description: "City name." }, unit: { type: "str, optional", description: "celsius or fahrenheit", default: "celsius" } },
  },
]);

describe("stage 2: is any tool about the query?", () => {
  it("fails a triangle question given only a body-mass-index tool, though its description says 'height'", () => {
    const verdict = judgeQueryTools("Calculate the area of a triangle given the base is 10 meters and height is 5 meters.", BMI);
    expect(verdict.verdict).toBe("fail");
    expect(verdict.reason).toContain("determine_body_mass_index");
  });

  it("passes the triangle question with the triangle tool, naming the words they share", () => {
    const verdict = judgeQueryTools(TRIANGLE_QUERY, [...BMI, ...TRIANGLE]);
    expect(verdict.verdict).toBe("pass");
    expect(verdict.evidence.needed_tools).toEqual(["calculate_triangle_area"]);
    expect(verdict.reason).toMatch(/triangle/);
  });

  it("meets plurals and word forms (cities / city, discovered / discoverer)", () => {
    const discoverer = readTools([{ name: "get_discoverer", description: "Get the person who discovered a scientific element.", parameters: {} }]);
    expect(judgeQueryTools("Who discovered radium?", discoverer).verdict).toBe("pass");
    const cities = readTools([{ name: "list_cities", description: "Lists cities of a country.", parameters: {} }]);
    expect(judgeQueryTools("Which city in France is the largest?", cities).verdict).toBe("pass");
  });

  it("reads each tool by its own words: a tool of the same name but another description is judged anew", () => {
    // What the fake read from a tool is remembered (fake-judge.ts); it must never answer for another tool.
    const weather = (description: string) => readTools([{ name: "lookup", description, parameters: {} }]);
    const query = "What is the weather in Paris?";
    expect(judgeQueryTools(query, weather("Current weather of a city.")).verdict).toBe("pass");
    expect(judgeQueryTools(query, weather("Stock price of a company.")).verdict).toBe("fail");
    expect(judgeQueryTools(query, weather("Current weather of a city.")).verdict).toBe("pass");
  });

  it("fails when no tool is listed", () => {
    expect(judgeQueryTools("Weather in Lyon?", []).verdict).toBe("fail");
  });
});

describe("stage 4: does each call fit the query, and does each value come from it?", () => {
  it("never passes a BMI call for a triangle question, even with the query's numbers", () => {
    const verdict = judgeValues(TRIANGLE_QUERY, BMI, [{ name: "determine_body_mass_index", arguments: { weight: 10, height: 5 } }]);
    expect(verdict.verdict).toBe("fail");
    expect(verdict.reason).toContain("determine_body_mass_index does not do what the query asks");
  });

  it("passes values the query gives, numbers by value", () => {
    expect(judgeValues(TRIANGLE_QUERY, TRIANGLE, [{ name: "calculate_triangle_area", arguments: { base: 10, height: 5.0 } }]).verdict).toBe("pass");
  });

  it("fails a value that is nowhere in the query, naming the parameter and the value", () => {
    const verdict = judgeValues(TRIANGLE_QUERY, TRIANGLE, [{ name: "calculate_triangle_area", arguments: { base: 12, height: 5 } }]);
    expect(verdict.verdict).toBe("fail");
    expect(verdict.reason).toBe("Fake judge: calculate_triangle_area(base=…): 12 occurs nowhere in the query and is not the default.");
    const city = judgeValues("What's the weather in Lyon?", WEATHER, [{ name: "get_weather", arguments: { city: "Paris" } }]);
    expect(city.verdict).toBe("fail");
    expect(city.evidence.problems).toMatchObject([{ parameter: "city", value: "Paris" }]);
  });

  it("accepts a parameter's default, declared or said in its description", () => {
    expect(judgeValues(TRIANGLE_QUERY.replace(" units", " cm"), TRIANGLE, [{ name: "calculate_triangle_area", arguments: { base: 10, height: 5, unit: "units" } }]).verdict).toBe("pass");
    expect(judgeValues("What's the weather in Lyon?", WEATHER, [{ name: "get_weather", arguments: { city: "Lyon", unit: "celsius" } }]).verdict).toBe("pass");
    expect(judgeValues("What's the weather in Lyon?", WEATHER, [{ name: "get_weather", arguments: { city: "Lyon", unit: "fahrenheit" } }]).verdict).toBe("fail");
  });

  it("reads strings word by word, whatever their case and punctuation, and looks inside lists", () => {
    const query = "Weather in new york city and in SAN-FRANCISCO, please.";
    expect(judgeValues(query, WEATHER, [{ name: "get_weather", arguments: { city: "New York City" } }, { name: "get_weather", arguments: { city: "San Francisco" } }]).verdict).toBe("pass");
    const sum = readTools([{ name: "math_sum", description: "Sum of numbers.", parameters: { type: "dict", properties: { numbers: { type: "array" } } } }]);
    expect(judgeValues("Sum the numbers 3, 4 and 9.", sum, [{ name: "math_sum", arguments: { numbers: [3, 4, 9] } }]).verdict).toBe("pass");
    expect(judgeValues("Sum the numbers 3, 4 and 9.", sum, [{ name: "math_sum", arguments: { numbers: [3, 4, 8] } }]).verdict).toBe("fail");
  });
});

describe("numbers the query says", () => {
  it("reads digits, thousands separators, percentages, scales and number words", () => {
    const numbers = queryNumbers("A rate of 5% on 1,500 dollars for six years, 213 million people, 1e-9 C.");
    for (const n of [5, 0.05, 1500, 6, 213, 213_000_000, 1e-9]) expect(numbers).toContain(n);
  });
});

describe("the fake teacher", () => {
  it("calls the tool that fits the query, not the first one listed, with the query's values", () => {
    expect(teacherCalls(TRIANGLE_QUERY, [...BMI, ...TRIANGLE], null)).toEqual([{ name: "calculate_triangle_area", arguments: { base: 10, height: 5 } }]);
    expect(teacherCalls("What's the weather in Lyon today?", WEATHER, null)).toEqual([{ name: "get_weather", arguments: { city: "Lyon" } }]);
  });

  it("repairs a rejected answer: keeps what the query supports, drops an invented optional value, retakes a required one", () => {
    const rejected = [{ name: "calculate_triangle_area", arguments: { base: 12, height: 5, unit: "inches" } }];
    const repaired = teacherCalls(TRIANGLE_QUERY, TRIANGLE, rejected);
    expect(repaired).toEqual([{ name: "calculate_triangle_area", arguments: { base: 10, height: 5 } }]);
    expect(judgeValues(TRIANGLE_QUERY, TRIANGLE, repaired).verdict).toBe("pass");
  });

  it("uses each of the query's values once, and a parameter's default where the query gives none", () => {
    const prime = readTools([
      {
        name: "get_closest_prime",
        description: "Retrieve the closest prime number that is lesser than a given number.",
        parameters: {
          type: "dict",
          properties: { number: { type: "integer", description: "The upper limit." }, skip: { type: "integer", description: "Number of closest primes to skip. Default is 0." } },
          required: ["number", "skip"],
        },
      },
    ]);
    const rejected = [{ name: "get_closest_prime", arguments: { number: 30, skip: 1 } }];
    expect(teacherCalls("What is the closest prime to 30?", prime, rejected)).toEqual([{ name: "get_closest_prime", arguments: { number: 30, skip: 0 } }]);
  });

  it("says in its reasoning where each value comes from", () => {
    const text = teacherReasoning(TRIANGLE_QUERY, TRIANGLE, [{ name: "calculate_triangle_area", arguments: { base: 10, unit: "units" } }]);
    expect(text).toContain("calculate_triangle_area does that");
    expect(text).toContain("base = 10: the request gives it.");
    expect(text).toContain('unit = "units": its default.');
  });
});

describe("against the BFCL fixtures", () => {
  const dir = path.resolve(import.meta.dirname, "../../fixtures/bfcl");
  const entries = (file: string) =>
    readFileSync(path.join(dir, file), "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { question: { role: string; content: string }[][]; function: unknown[] });
  const stage2PassRate = (file: string) => {
    const all = entries(file);
    const passed = all.filter((e) => judgeQueryTools(e.question[0].findLast((m) => m.role === "user")!.content, readTools(e.function)).verdict === "pass");
    return passed.length / all.length;
  };

  it("fails stage 2 for most of BFCL's irrelevance set (no tool fits) and passes most of its simple set", () => {
    expect(stage2PassRate("BFCL_v4_irrelevance.json")).toBeLessThan(0.4);
    expect(stage2PassRate("BFCL_v4_simple_python.json")).toBeGreaterThan(0.9);
    expect(stage2PassRate("BFCL_v4_multiple.json")).toBeGreaterThan(0.9);
  });
});
