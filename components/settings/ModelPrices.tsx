"use client";

// The Settings page's model prices (issue 15 §1): US dollars per 1M input, cached input and output tokens, per model
// as the judge's server names it. The Runs page and the dashboard show a cost only for models priced here.
import { useId, useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/Alert";
import { Button } from "@/components/ui/Button";
import { Card, CardHeader } from "@/components/ui/Card";
import { FIELD } from "@/components/ui/form-classes";
import { Table, type TableColumn } from "@/components/ui/Table";
import { api, errorMessage, fieldErrorsOf } from "@/lib/api/client";
import type { ModelPrice } from "@/lib/cost/prices";

const PRICE_FIELDS = [
  { key: "input", label: "Input" },
  { key: "cachedInput", label: "Cached input" },
  { key: "output", label: "Output" },
] as const;
type PriceField = (typeof PRICE_FIELDS)[number]["key"];
const PRICE_COLUMNS: TableColumn[] = [
  { label: "Model" },
  ...PRICE_FIELDS.map((f) => ({ label: `${f.label} $/1M` })),
  { label: <span className="sr-only">Remove</span> },
];
type Draft = { model: string } & Record<PriceField, string>;

const draftOf = (p: ModelPrice): Draft => ({ model: p.model, input: String(p.input), cachedInput: p.cachedInput === undefined ? "" : String(p.cachedInput), output: String(p.output) });
/** Empty text is no number (the server names the field); cached input may stay empty. */
const numberOf = (text: string) => (text.trim() === "" ? undefined : Number(text));

export function ModelPrices({ initial }: { initial: ModelPrice[] }) {
  const id = useId();
  const [rows, setRows] = useState<Draft[]>(initial.map(draftOf));
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});

  const edit = (i: number, key: keyof Draft, value: string) => setRows((all) => all.map((row, j) => (j === i ? { ...row, [key]: value } : row)));

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setNotice(null);
    setFieldErrors({});
    try {
      const prices = rows.map((r) => ({ model: r.model.trim(), input: numberOf(r.input), output: numberOf(r.output), ...(r.cachedInput.trim() ? { cachedInput: numberOf(r.cachedInput) } : {}) }));
      const saved = await api("PUT /api/settings/prices", { body: { prices: prices as ModelPrice[] } });
      setRows(saved.prices.map(draftOf));
      setNotice({ tone: "success", text: `Saved the prices of ${saved.prices.length} model${saved.prices.length === 1 ? "" : "s"}.` });
    } catch (error) {
      setFieldErrors(fieldErrorsOf(error));
      setNotice({ tone: "error", text: errorMessage(error) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card aria-labelledby={`${id}-title`} className="mt-8">
      <CardHeader
        titleId={`${id}-title`}
        title="Model prices"
        description="US dollars per 1M tokens, as your provider lists them. Cached input is what a prompt token the server's prefix cache served costs (empty: as input). A model without a price shows no cost."
      />
      <form onSubmit={save} className="space-y-4 px-5 py-5" aria-label="Model prices">
        {rows.length ? (
          <Table layout="in-form" columns={PRICE_COLUMNS}>
            {rows.map((row, i) => (
              <tr key={i} data-price-row={i}>
                <td className="py-1 align-top">
                  <input aria-label={`Model ${i + 1}`} className={FIELD} value={row.model} onChange={(e) => edit(i, "model", e.target.value)} placeholder="gpt-4o" disabled={busy} />
                  <FieldError text={fieldErrors[`prices.${i}.model`]} />
                </td>
                {PRICE_FIELDS.map((f) => (
                  <td key={f.key} className="py-1 pl-3 align-top">
                    <input
                      aria-label={`${f.label} price of model ${i + 1}`}
                      className={FIELD}
                      type="number"
                      min={0}
                      step="any"
                      value={row[f.key]}
                      onChange={(e) => edit(i, f.key, e.target.value)}
                      placeholder={f.key === "cachedInput" ? "as input" : undefined}
                      disabled={busy}
                    />
                    <FieldError text={fieldErrors[`prices.${i}.${f.key}`]} />
                  </td>
                ))}
                <td className="py-1 pl-3 align-top">
                  <Button type="button" size="sm" variant="ghost" onClick={() => setRows((all) => all.filter((_, j) => j !== i))} disabled={busy}>
                    Remove
                  </Button>
                </td>
              </tr>
            ))}
          </Table>
        ) : (
          <p className="text-sm text-stone-500">No prices yet: runs show their tokens, without a cost.</p>
        )}
        <div className="flex flex-wrap gap-2">
          <Button type="button" onClick={() => setRows((all) => [...all, { model: "", input: "", cachedInput: "", output: "" }])} disabled={busy}>
            Add a model
          </Button>
          <Button type="submit" variant="primary" disabled={busy}>
            {busy ? "Saving…" : "Save prices"}
          </Button>
        </div>
        {notice ? <Alert tone={notice.tone} title={notice.text} /> : null}
      </form>
    </Card>
  );
}

function FieldError({ text }: { text: string | undefined }) {
  return text ? <p className="mt-1 text-xs text-rose-700">{text}</p> : null;
}
