"use client";

import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/Alert";
import { Button } from "@/components/ui/Button";
import { Card, CardBody, CardHeader } from "@/components/ui/Card";
import { FIELD, LABEL } from "@/components/ui/form-classes";
import { api, errorMessage, fieldErrorsOf } from "@/lib/api/client";
import type { PolicyView } from "@/lib/settings/policy-settings";

type Field = "baseURL" | "model";

/** The policy model of self-refinement rounds: base URL, key (write-only, bound to the base URL) and model. */
export function PolicyForm({ initial }: { initial: PolicyView }) {
  const [view, setView] = useState(initial);
  const [values, setValues] = useState<Record<Field, string>>({ baseURL: initial.baseURL ?? "", model: initial.model ?? "" });
  const [newKey, setNewKey] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setNotice(null);
    const body: Record<string, string | null> = {};
    for (const field of ["baseURL", "model"] as const) if (values[field].trim() !== (view[field] ?? "")) body[field] = values[field].trim();
    if (newKey.trim()) body.apiKey = newKey;
    try {
      const { policy } = await api("PATCH /api/settings/policy", { body });
      setView(policy);
      setValues({ baseURL: policy.baseURL ?? "", model: policy.model ?? "" });
      setNewKey("");
      setErrors({});
      setNotice({ tone: "success", text: "Policy model saved: rounds started from now on ask it." });
    } catch (error) {
      setErrors(fieldErrorsOf(error));
      setNotice({ tone: "error", text: errorMessage(error) });
    } finally {
      setBusy(false);
    }
  }

  const input = (field: Field | "apiKey", label: string, props: { value: string; onChange: (v: string) => void; placeholder: string; type?: string }) => (
    <div>
      <label htmlFor={`policy-${field}`} className={LABEL}>
        {label}
      </label>
      <input
        id={`policy-${field}`}
        type={props.type ?? "text"}
        autoComplete="off"
        className={FIELD}
        value={props.value}
        placeholder={props.placeholder}
        onChange={(e) => props.onChange(e.target.value)}
        aria-invalid={errors[field] ? true : undefined}
      />
      {errors[field] ? <p className="mt-1 text-xs text-rose-700">{errors[field]}</p> : null}
    </div>
  );

  return (
    <Card className="mt-6" aria-labelledby="policy-title">
      <CardHeader
        titleId="policy-title"
        title="Policy model (self-refinement rounds)"
        description="The model a round samples: typically your own fine-tuned model, e.g. on vLLM. It sees the query and the tools, never the reference answer. Without a base URL of its own it is asked at the judge's endpoint, with the judge's key."
      />
      <CardBody>
        <form onSubmit={save} className="grid gap-4 sm:grid-cols-3">
          {input("baseURL", "Policy base URL", { value: values.baseURL, onChange: (v) => setValues((c) => ({ ...c, baseURL: v })), placeholder: "the judge's" })}
          {input("apiKey", "Policy key", {
            value: newKey,
            onChange: setNewKey,
            type: "password",
            placeholder: view.keySet ? "saved (type to replace)" : view.keySavedFor ? `saved for ${view.keySavedFor}: type it again` : "none",
          })}
          {input("model", "Policy model", { value: values.model, onChange: (v) => setValues((c) => ({ ...c, model: v })), placeholder: "named when a round starts" })}
          <div className="sm:col-span-3 flex items-center gap-3">
            <Button type="submit" variant="primary" disabled={busy}>
              Save policy model
            </Button>
            {notice ? (
              <Alert tone={notice.tone} title={notice.text} className="flex-1" />
            ) : null}
          </div>
        </form>
      </CardBody>
    </Card>
  );
}
