// Per-model prices an admin enters on the Settings page (settings key `model-prices`), and what a call's tokens cost
// at them. Pure and browser-safe: the Settings form validates with the same schema the route does.
import { z } from "@/lib/browser-zod";
import type { TokenUsage } from "@/lib/llm/client";
import { LLM_FIELD_SCHEMAS } from "@/lib/llm/config";

/** US dollars per 1M tokens, as providers list them. */
const perMillion = (what: string) =>
  z.number({ error: `${what} must be a number (US dollars per 1M tokens)` }).min(0, `${what} must be 0 or more`).max(10_000, `${what} must be at most 10,000`);

export const ModelPrice = z.object({
  /** The model as the judge's server names it; also matches the dated names it answers with (gpt-4o → gpt-4o-2024-08-06). */
  model: LLM_FIELD_SCHEMAS.model
    .min(1, "model must not be empty")
    // PostgreSQL's jsonb cannot hold a NUL, and no model name has a control character.
    .refine((name) => !/[\u0000-\u001f]/.test(name), "model must not contain control characters"),
  input: perMillion("input"),
  /** What a cached prompt token costs; absent: as an input token (a server without prompt caching). */
  cachedInput: perMillion("cachedInput").optional(),
  output: perMillion("output"),
});
export type ModelPrice = z.infer<typeof ModelPrice>;

export const PricesUpdate = z.object({
  prices: z
    .array(ModelPrice)
    .max(100, "at most 100 model prices")
    .superRefine((prices, ctx) => {
      const seen = new Set<string>();
      prices.forEach((p, i) => {
        if (seen.has(p.model)) ctx.addIssue({ code: "custom", path: [i, "model"], message: `model "${p.model}" has two prices` });
        seen.add(p.model);
      });
    }),
});
export type PricesUpdate = z.infer<typeof PricesUpdate>;

/** The saved prices (or none, when what is stored does not read as prices). */
export function readSavedPrices(value: unknown): ModelPrice[] {
  const parsed = PricesUpdate.safeParse(value);
  return parsed.success ? parsed.data.prices : [];
}

/**
 * The price of `model`: its own, else the longest priced name it starts with followed by "-" (servers answer with
 * dated names: gpt-4o-2024-08-06 for gpt-4o). Null when none is entered: no cost is shown.
 */
export function priceFor(prices: readonly ModelPrice[], model: string): ModelPrice | null {
  const exact = prices.find((p) => p.model === model);
  if (exact) return exact;
  const prefixed = prices.filter((p) => model.startsWith(`${p.model}-`));
  return prefixed.sort((a, b) => b.model.length - a.model.length)[0] ?? null;
}

/** US dollars for `tokens` at `price`: uncached prompt tokens at input, cached ones at cached input, completion at output. */
export function costOf(tokens: TokenUsage, price: ModelPrice): number {
  const cached = Math.min(tokens.cached, tokens.prompt);
  return ((tokens.prompt - cached) * price.input + cached * (price.cachedInput ?? price.input) + tokens.completion * price.output) / 1_000_000;
}

/** `tokens` of `model` at the saved prices, or null when the model has no price. */
export function modelCost(prices: readonly ModelPrice[], model: string, tokens: TokenUsage): number | null {
  const price = priceFor(prices, model);
  return price ? costOf(tokens, price) : null;
}

/** "$12.34", "$0.0042": cents for a dollar and more, two significant digits below. */
export function formatCost(dollars: number): string {
  if (dollars === 0) return "$0";
  if (dollars >= 1) return `$${dollars.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  return `$${dollars.toPrecision(2)}`;
}
