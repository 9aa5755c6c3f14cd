import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { groundTruthToCalls, type GroundTruth } from "@/lib/formats/bfcl";
import type { ToolCall } from "@/lib/samples/types";
import { parseCallList, pythonRepr, renderCalls, splitThink } from "./render";
import { seededRandom } from "@/lib/random";

const ANSWERS = path.resolve(import.meta.dirname, "../../fixtures/bfcl/possible_answer");

function parsed(text: string): ToolCall[] {
  const result = parseCallList(text);
  if (!result.ok) throw new Error(result.error);
  return result.calls;
}

describe("renderCalls", () => {
  it("writes calls the way BFCL does (the paper's example)", () => {
    const calls = [{ name: "get_random_word", arguments: { verbeconjugue: true, minlong: "7", avecdef: true } }];
    expect(renderCalls(calls)).toBe("[get_random_word(verbeconjugue=True, minlong='7', avecdef=True)]");
  });

  it("writes several calls, dotted names, calls without arguments and every kind of value", () => {
    const calls = [
      { name: "uber.ride", arguments: { loc: "2020 Addison Street", type: "comfort", time: 600 } },
      { name: "math.hypot", arguments: { x: 3.5, y: -1e-7, big: 1e21, zero: -0, none: null, off: false } },
      { name: "nested", arguments: { list: [1, [2, "b"]], dict: { k: { inner: true }, "it's": [] } } },
      { name: "noop", arguments: {} },
    ];
    expect(renderCalls(calls)).toBe(
      "[uber.ride(loc='2020 Addison Street', type='comfort', time=600), " +
        "math.hypot(x=3.5, y=-1e-7, big=1e+21, zero=-0.0, none=None, off=False), " +
        `nested(list=[1, [2, 'b']], dict={'k': {'inner': True}, "it's": []}), ` +
        "noop()]",
    );
    expect(renderCalls([])).toBe("[]");
  });

  it.each([
    ["plain", "'plain'"],
    ["it's", `"it's"`],
    ['say "hi"', `'say "hi"'`],
    [`it's "both"`, `'it\\'s "both"'`],
    ["back\\slash", "'back\\\\slash'"],
    ["tab\tnew\nline\rcr", "'tab\\tnew\\nline\\rcr'"],
    ["\x00\x07\x1b\x7f", "'\\x00\\x07\\x1b\\x7f'"],
    ["nbsp\u00a0soft\u00adhyphen", "'nbsp\\xa0soft\\xadhyphen'"],
    ["line\u2028sep zero\u200bwidth", "'line\\u2028sep zero\\u200bwidth'"],
    ["lone \ud800 surrogate", "'lone \\ud800 surrogate'"],
    ["tag \u{e0041}", "'tag \\U000e0041'"],
    ["é 中文 😀 ü", "'é 中文 😀 ü'"],
  ])("repr(%j) is %s, as Python writes it", (text, repr) => {
    expect(pythonRepr(text)).toBe(repr);
  });
});

describe("parseCallList", () => {
  it("reads the Python form with dotted names, whitespace, newlines and every literal", () => {
    const text = `
      [ uber.ride(loc = '2020 Addison St', time=600),
        math.factorial(number=5, ratio=-2.5e-3, exp=1E3, plus=+4, under=1_000, half=.5),
        flags(a=True, b=False, c=None, d=[1, 'two', (3, 4)], e={'k': "v", "n": [None]}, f=(), g=(7,), h=(8)),
      ]`;
    expect(parsed(text)).toEqual([
      { name: "uber.ride", arguments: { loc: "2020 Addison St", time: 600 } },
      { name: "math.factorial", arguments: { number: 5, ratio: -2.5e-3, exp: 1000, plus: 4, under: 1000, half: 0.5 } },
      { name: "flags", arguments: { a: true, b: false, c: null, d: [1, "two", [3, 4]], e: { k: "v", n: [null] }, f: [], g: [7], h: 8 } },
    ]);
  });

  it("decodes Python string escapes", () => {
    const [call] = parsed(String.raw`[f(a='it\'s', b="say \"hi\"", c='\x41\101\u00e9\U0001F600', d='\n\t\\', e='\d', f='a\
b')]`);
    expect(call.arguments).toEqual({ a: "it's", b: 'say "hi"', c: "AAé😀", d: "\n\t\\", e: "\\d", f: "ab" });
  });

  it("reads the JSON list form", () => {
    expect(parsed('[{"name": "calc.area", "arguments": {"base": 10, "tags": ["a\\/b", true, null], "u": "\\u00e9"}}, {"name": "g", "arguments": {}}]')).toEqual([
      { name: "calc.area", arguments: { base: 10, tags: ["a/b", true, null], u: "é" } },
      { name: "g", arguments: {} },
    ]);
  });

  it("reads an empty list and a call without arguments", () => {
    expect(parsed("  []  ")).toEqual([]);
    expect(parsed("[ping()]")).toEqual([{ name: "ping", arguments: {} }]);
  });

  it.each([
    ["[f(a=1)] and more", "unexpected text after the closing ']'", 9],
    ["[f(a=1)]\n[g()]", "unexpected text after the closing ']'", 9],
    ["[f(a=1)", "the call list is not closed with ']'", 7],
    ["f(a=1)", "a call list must start with '['", 0],
    ["[f(1)]", "only keyword arguments", 4],
    ["[f(a='x)]", "unterminated string", 5],
    ["[f(a=1, a=2)]", "the argument a is given twice", 8],
    ["[f(a={1: 2})]", "dict keys must be strings", 6],
    ["[f(a=true)]", "expected a value, found true", 5],
    ["[f(a=1 b=2)]", "expected ',' or ')'", 7],
    ['[{"name": "f"}]', 'has no "arguments" object', 1],
    ['[{"name": "f", "arguments": {}, "id": 3}]', 'unexpected key "id"', 1],
    ['[{"name": "f", "arguments": {"a": True}}]', "expected a value, found True", 34],
  ])("rejects %j: %s at offset %i", (text, message, offset) => {
    const result = parseCallList(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toContain(message);
    expect(result.error).toContain(`(offset ${offset})`);
    expect(result.offset).toBe(offset);
  });

  it("gives back every BFCL ground truth after renderCalls", () => {
    let count = 0;
    for (const file of readdirSync(ANSWERS)) {
      for (const line of readFileSync(path.join(ANSWERS, file), "utf8").split("\n").filter(Boolean)) {
        const calls = groundTruthToCalls((JSON.parse(line) as { ground_truth: GroundTruth }).ground_truth);
        const text = renderCalls(calls);
        const result = parseCallList(text);
        expect(result, `${file}: ${text}`).toEqual({ ok: true, calls });
        count++;
      }
    }
    expect(count).toBeGreaterThan(2000);
  });

  it("round-trips random JSON arguments, including hostile strings", () => {
    const random = seededRandom(7);
    const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)];
    const alphabet = ["a", "Z", " ", "'", '"', "\\", "\n", "\r", "\t", "\x00", "\x7f", "\u00a0", "é", "中", "😀", "\ud800", "\udc00", "\u2028", "\u{e0001}", "(", ")", "[", "]", "=", ",", "<think>"];
    const text = () => Array.from({ length: Math.floor(random() * 8) }, () => pick(alphabet)).join("");
    const value = (depth: number): unknown => {
      const kind = Math.floor(random() * (depth > 2 ? 5 : 7));
      if (kind === 0) return text();
      if (kind === 1) return Math.round((random() - 0.5) * 1e6);
      if (kind === 2) return (random() - 0.5) * 10 ** Math.floor(random() * 40 - 20);
      if (kind === 3) return random() < 0.5;
      if (kind === 4) return null;
      if (kind === 5) return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1));
      return Object.fromEntries(Array.from({ length: Math.floor(random() * 4) }, () => [text(), value(depth + 1)]));
    };
    for (let i = 0; i < 2000; i++) {
      const calls = Array.from({ length: 1 + Math.floor(random() * 3) }, (_, n) => ({
        name: pick(["f", "math.factorial", "get-weather", "a.b.c"]),
        arguments: Object.fromEntries(Array.from({ length: Math.floor(random() * 4) }, (_, k) => [`p${n}_${k}`, value(0)])),
      }));
      expect(parseCallList(renderCalls(calls))).toEqual({ ok: true, calls });
    }
  });
});

describe("splitThink", () => {
  it("splits a FunReason assistant message into CoT and the rest", () => {
    expect(splitThink("<think>\n  Base 3, height 4.\n</think>\n\n[calc_area(base=3, height=4)]")).toEqual({
      cot: "Base 3, height 4.",
      rest: "[calc_area(base=3, height=4)]",
    });
  });

  it("accepts leading whitespace and returns an empty CoT for an empty block", () => {
    expect(splitThink("\n <think></think>answer")).toEqual({ cot: "", rest: "answer" });
  });

  it("has no CoT without a leading, closed think block", () => {
    expect(splitThink("[f()]")).toEqual({ cot: null, rest: "[f()]" });
    expect(splitThink("<think>never closed [f()]")).toEqual({ cot: null, rest: "<think>never closed [f()]" });
    expect(splitThink("text <think>late</think>")).toEqual({ cot: null, rest: "text <think>late</think>" });
  });

  it("closes the block at the first </think>", () => {
    expect(splitThink("<think>a</think>b</think>")).toEqual({ cot: "a", rest: "b</think>" });
  });
});


describe("parseCallList on hostile text", () => {
  it("refuses values nested past the limit as a parse error (a teacher's answer or an edit), not a stack overflow", () => {
    for (const [open, close] of [["[", "]"], ["(", ",)"], ["{'k': ", "}"]]) {
      const result = parseCallList(`[f(a=${open.repeat(5000)}1${close.repeat(5000)})]`);
      expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/^values are nested more than 64 levels deep/) });
    }
    expect(parseCallList(`[{"name": "f", "arguments": {"a": ${"[".repeat(5000)}${"]".repeat(5000)}}}]`).ok).toBe(false);
    expect(parseCallList(`[f(a=${"[".repeat(63)}${"]".repeat(63)})]`).ok).toBe(true);
  });
});
