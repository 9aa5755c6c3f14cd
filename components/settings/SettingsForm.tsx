"use client";

import { useId, useState, type FormEvent, type ReactNode } from "react";
import { formatDateTime } from "@/components/datasets/format";
import { Alert } from "@/components/ui/Alert";
import { Badge } from "@/components/ui/Badge";
import { Button } from "@/components/ui/Button";
import { Card, CardHeader } from "@/components/ui/Card";
import { cx } from "@/components/ui/cx";
import { api, errorMessage, fieldErrorsOf } from "@/lib/api/client";
import type { ConnectionResult } from "@/lib/settings/test-connection";
import { MODEL_STAGE_IDS, STAGE_NAMES, stageModelField, stageModelLabel } from "@/lib/pipeline/stage-registry";
import type { FieldView, SettingField, SettingsView } from "@/lib/settings/llm-settings";

type PlainField = Exclude<SettingField, "apiKey">;
type FieldErrors = Partial<Record<SettingField, string>>;

const FIELD =
  "block w-full rounded-lg border-0 bg-white px-3 py-2 text-sm text-stone-900 ring-1 ring-inset placeholder:text-stone-400 focus:ring-2 focus:ring-accent-600 focus:outline-none disabled:bg-stone-50";

interface FieldSpec {
  field: PlainField;
  label: string;
  kind: "text" | "number";
  unit?: string;
  /** What an empty field means when there is no default value. */
  none?: string;
}

const SECTIONS: Array<{ id: string; title: string; description: string; fields: FieldSpec[] }> = [
  {
    id: "models",
    title: "Models",
    description: `The judge model answers every stage without a model of its own. ${MODEL_STAGE_IDS.map((id) => `Stage ${id}: ${STAGE_NAMES[id]}`).join("; ")}. The teacher writes CoTs and regenerated answers.`,
    fields: [
      { field: "model", label: "Judge model", kind: "text", none: "Not set" },
      { field: "teacherModel", label: "Teacher model", kind: "text" },
      ...MODEL_STAGE_IDS.map((id): FieldSpec => ({ field: stageModelField(id), label: stageModelLabel(id), kind: "text" })),
    ],
  },
  {
    id: "requests",
    title: "Requests",
    description: "How long one request may take and how often a failed one is retried (429, 5xx, timeouts, unreadable answers).",
    fields: [
      { field: "timeoutMs", label: "Timeout", kind: "number", unit: "ms" },
      { field: "maxRetries", label: "Retries", kind: "number" },
    ],
  },
  {
    id: "runs",
    title: "Run defaults",
    description: "What the Runs page starts a run with (samples at once, LLM requests per minute, new answers per sample); each run can still choose its own.",
    fields: [
      { field: "concurrency", label: "Concurrency", kind: "number" },
      { field: "requestsPerMinute", label: "Rate limit", kind: "number", unit: "per minute", none: "Unlimited" },
      { field: "maxRegenerations", label: "Regeneration attempts", kind: "number" },
    ],
  },
];

const PLAIN_FIELDS: PlainField[] = ["baseURL", ...SECTIONS.flatMap((s) => s.fields.map((f) => f.field))];

function valuesOf(view: SettingsView): Record<PlainField, string> {
  return Object.fromEntries(PLAIN_FIELDS.map((field) => [field, view.fields[field].saved === null ? "" : String(view.fields[field].saved)])) as Record<
    PlainField,
    string
  >;
}

type Notice = { tone: "success" | "error"; title: string; body?: ReactNode } | null;

export function SettingsForm({ initial }: { initial: SettingsView }) {
  const [view, setView] = useState(initial);
  const [values, setValues] = useState(() => valuesOf(initial));
  const [newKey, setNewKey] = useState("");
  const [clearKey, setClearKey] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState<"save" | "test" | "reset" | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const [connection, setConnection] = useState<ConnectionResult | null>(null);

  const saved = valuesOf(view);
  const changed = PLAIN_FIELDS.filter((field) => values[field].trim() !== saved[field]);
  const keyChanged = newKey.trim() !== "" || clearKey;
  const changes = changed.length + (keyChanged ? 1 : 0);

  /** The fields that differ from what is saved ("" clears one), and the key when it changes. */
  function update(): Record<string, string | null> {
    const body: Record<string, string | null> = Object.fromEntries(changed.map((field) => [field, values[field].trim()]));
    if (newKey.trim() !== "") body.apiKey = newKey;
    else if (clearKey) body.apiKey = null;
    return body;
  }

  function edit(field: PlainField, value: string) {
    setValues((current) => ({ ...current, [field]: value }));
    setErrors((current) => ({ ...current, [field]: undefined }));
  }

  /** Saves the changed fields (or forgets every saved one); a refusal marks the fields it names. */
  async function send(change: { save: ReturnType<typeof update> } | { reset: true }): Promise<boolean> {
    let settings: SettingsView;
    try {
      ({ settings } = "save" in change ? await api("PATCH /api/settings", { body: change.save }) : await api("DELETE /api/settings"));
    } catch (error) {
      const fields = fieldErrorsOf(error) as FieldErrors;
      setErrors(fields);
      const body = Object.keys(fields).length ? `Fix the marked fields: ${errorMessage(error)}.` : errorMessage(error);
      setNotice({ tone: "error", title: "The settings were not saved", body });
      return false;
    }
    setView(settings);
    setValues(valuesOf(settings));
    setNewKey("");
    setClearKey(false);
    setErrors({});
    return true;
  }

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy || changes === 0) return;
    setBusy("save");
    setNotice(null);
    try {
      if (await send({ save: update() })) {
        setNotice({ tone: "success", title: "Settings saved", body: "Runs, regenerations and re-checks started from now on use them." });
      }
    } catch (error) {
      setNotice({ tone: "error", title: "The settings were not saved", body: (error as Error).message });
    } finally {
      setBusy(null);
    }
  }

  async function resetAll() {
    if (!window.confirm("Forget every saved setting? The environment's values apply again.")) return;
    setBusy("reset");
    setNotice(null);
    try {
      if (await send({ reset: true })) setNotice({ tone: "success", title: "Back to the defaults", body: "Nothing is saved: the environment's values apply." });
    } finally {
      setBusy(null);
    }
  }

  async function testConnection() {
    setBusy("test");
    setConnection(null);
    try {
      setConnection((await api("POST /api/settings/test", { body: update() })).result);
    } catch (error) {
      setErrors(fieldErrorsOf(error) as FieldErrors);
      setConnection({ ok: false, url: null, message: errorMessage(error) });
    } finally {
      setBusy(null);
    }
  }

  return (
    <form onSubmit={save} noValidate className="space-y-8" aria-label="LLM settings">
      {view.environmentProblems.length ? (
        <Alert tone="warning" title="Some environment variables are invalid and ignored">
          <ul className="list-disc pl-5">
            {view.environmentProblems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        </Alert>
      ) : null}

      {view.fields.baseURL.saved === null && view.fields.baseURL.default === null ? (
        <Alert tone="info" title="No LLM is configured">
          Rules-only runs work without one. Full runs, regeneration and re-checks need a base URL and a judge model: set
          them here, or with STUDIO_LLM_BASE_URL and STUDIO_LLM_MODEL.
        </Alert>
      ) : null}

      <Card aria-labelledby="endpoint-title">
        <CardHeader
          titleId="endpoint-title"
          title="Endpoint"
          description="Any OpenAI-compatible server: OpenAI, vLLM, Ollama, LiteLLM. Judges and teacher share it."
          actions={
            <Button size="sm" onClick={testConnection} disabled={busy !== null}>
              {busy === "test" ? "Testing…" : "Test connection"}
            </Button>
          }
        />
        <div className="grid gap-x-6 gap-y-5 px-5 py-5 md:grid-cols-2">
          <TextField
            spec={{ field: "baseURL", label: "Base URL", kind: "text", none: "Not set" }}
            view={view.fields.baseURL}
            value={values.baseURL}
            error={errors.baseURL}
            onChange={(value) => edit("baseURL", value)}
            disabled={busy !== null}
            inputMode="url"
          />
          <ApiKeyField
            status={view.apiKey}
            value={newKey}
            onValue={(value) => {
              setNewKey(value);
              if (value) setClearKey(false);
              setErrors((current) => ({ ...current, apiKey: undefined }));
            }}
            clearing={clearKey}
            onClearing={setClearKey}
            error={errors.apiKey}
            disabled={busy !== null}
          />
          {connection ? <ConnectionNotice result={connection} /> : null}
        </div>
      </Card>

      {SECTIONS.map((section) => (
        <Card key={section.id} aria-labelledby={`${section.id}-title`}>
          <CardHeader titleId={`${section.id}-title`} title={section.title} description={section.description} />
          <div className="grid gap-x-6 gap-y-5 px-5 py-5 md:grid-cols-2 xl:grid-cols-3">
            {section.fields.map((spec) => (
              <TextField
                key={spec.field}
                spec={spec}
                view={view.fields[spec.field]}
                value={values[spec.field]}
                error={errors[spec.field]}
                onChange={(value) => edit(spec.field, value)}
                disabled={busy !== null}
              />
            ))}
          </div>
        </Card>
      ))}

      <div className="flex flex-wrap items-center justify-between gap-3 rounded-xl border border-stone-200 bg-white px-5 py-3 shadow-xs">
        <p className="text-xs text-stone-500" aria-live="polite">
          {changes ? (
            <span className="font-medium text-stone-700">
              {changes} unsaved {changes === 1 ? "change" : "changes"}
            </span>
          ) : view.updatedAt ? (
            <>
              Last saved {formatDateTime(new Date(view.updatedAt))}
              {view.updatedBy ? ` by ${view.updatedBy.replace(/^human:/, "")}` : ""}
            </>
          ) : (
            "Nothing saved yet: the environment's values apply."
          )}
        </p>
        <div className="flex items-center gap-2">
          {view.updatedAt ? (
            <Button variant="ghost" onClick={resetAll} disabled={busy !== null}>
              {busy === "reset" ? "Resetting…" : "Reset to defaults"}
            </Button>
          ) : null}
          <Button type="submit" variant="primary" disabled={busy !== null || changes === 0}>
            {busy === "save" ? "Saving…" : "Save settings"}
          </Button>
        </div>
      </div>

      {notice ? (
        <Alert tone={notice.tone} title={notice.title}>
          {notice.body}
        </Alert>
      ) : null}
    </form>
  );
}

/** "Default: 60,000 (built-in)", "Default: fake-judge, from STUDIO_LLM_MODEL", "Default: the judge model (fake-judge)". */
function defaultText(view: FieldView, spec: FieldSpec): string {
  const value = view.default === null ? null : typeof view.default === "number" ? view.default.toLocaleString("en-US") : view.default;
  if (view.defaultFrom === "the judge model") return value ? `Default: the judge model (${value})` : "Default: the judge model";
  if (value === null) return view.defaultFrom === "built-in" ? `Default: ${spec.none ?? "none"}` : `No default: ${view.defaultFrom} is not set`;
  return view.defaultFrom === "built-in" ? `Default: ${value} (built-in)` : `Default: ${value}, from ${view.defaultFrom}`;
}

function TextField({
  spec,
  view,
  value,
  error,
  onChange,
  disabled,
  inputMode,
}: {
  spec: FieldSpec;
  view: FieldView;
  value: string;
  error?: string;
  onChange: (value: string) => void;
  disabled: boolean;
  inputMode?: "url";
}) {
  const id = useId();
  const hint = `${id}-hint`;
  const errorId = `${id}-error`;
  const placeholder = view.default === null ? (spec.none ?? "") : String(view.default);
  return (
    <div>
      <label htmlFor={id} className="mb-1.5 block text-sm font-medium text-stone-700">
        {spec.label}
        {spec.unit ? <span className="ml-1 font-normal text-stone-400">({spec.unit})</span> : null}
      </label>
      <input
        id={id}
        name={spec.field}
        type={spec.kind === "number" ? "number" : "text"}
        inputMode={spec.kind === "number" ? "numeric" : inputMode}
        step={spec.kind === "number" ? 1 : undefined}
        autoComplete="off"
        spellCheck={false}
        className={cx(FIELD, "font-mono", error ? "ring-rose-400" : "ring-stone-300")}
        placeholder={placeholder}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        disabled={disabled}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${errorId} ${hint}` : hint}
      />
      {error ? (
        <p id={errorId} className="mt-1.5 text-xs font-medium text-rose-700">
          {spec.label} {error}
        </p>
      ) : null}
      <p id={hint} className="mt-1 text-xs break-words text-stone-500">
        {defaultText(view, spec)}
        {value !== "" ? (
          <>
            {" · "}
            <button type="button" onClick={() => onChange("")} disabled={disabled} className="font-medium text-accent-700 hover:underline">
              Use default
            </button>
          </>
        ) : null}
      </p>
    </div>
  );
}

function ApiKeyField({
  status,
  value,
  onValue,
  clearing,
  onClearing,
  error,
  disabled,
}: {
  status: SettingsView["apiKey"];
  value: string;
  onValue: (value: string) => void;
  clearing: boolean;
  onClearing: (clearing: boolean) => void;
  error?: string;
  disabled: boolean;
}) {
  const id = useId();
  const hint = `${id}-hint`;
  const inUse = clearing ? (status.environment ? "environment" : "none") : status.inUse;
  return (
    <div>
      <div className="mb-1.5 flex items-center justify-between gap-2">
        <label htmlFor={id} className="text-sm font-medium text-stone-700">
          API key
        </label>
        <span data-testid="api-key-status" data-set={status.inUse !== "none"}>
          {status.inUse === "none" ? <Badge>Not set</Badge> : <Badge tone="green" dot>Set</Badge>}
        </span>
      </div>
      <input
        id={id}
        name="apiKey"
        type="password"
        autoComplete="off"
        spellCheck={false}
        className={cx(FIELD, "font-mono", error ? "ring-rose-400" : "ring-stone-300")}
        placeholder={status.saved ? "•••••••• saved — type to replace" : "Type a key to save one"}
        value={value}
        onChange={(event) => onValue(event.target.value)}
        disabled={disabled}
        aria-invalid={error ? true : undefined}
        aria-describedby={hint}
      />
      <div id={hint} className="mt-1 flex flex-wrap items-center gap-x-2 text-xs text-stone-500">
        <span>
          {value
            ? "The new key is saved with the settings; it is never shown again."
            : clearing
              ? status.environment
                ? "The saved key is removed on save; the environment's key applies to its own base URL."
                : "The saved key is removed on save; requests go without a key."
              : inUse === "saved"
                ? "A key is saved here. It is never sent back to the browser."
                : inUse === "environment"
                  ? "From STUDIO_LLM_API_KEY."
                  : status.savedFor
                    ? `The saved key is only sent to ${status.savedFor}, the base URL it was saved with: type the key for this one.`
                    : status.environment
                    ? "STUDIO_LLM_API_KEY is only sent to the environment's base URL: save a key for this one."
                    : "Local servers (vLLM, Ollama) need none."}
        </span>
        {status.saved && !value ? (
          <button
            type="button"
            onClick={() => onClearing(!clearing)}
            disabled={disabled}
            className="font-medium text-accent-700 hover:underline"
          >
            {clearing ? "Keep the saved key" : "Clear the saved key"}
          </button>
        ) : null}
      </div>
      {error ? <p className="mt-1.5 text-xs font-medium text-rose-700">API key {error}</p> : null}
    </div>
  );
}

function ConnectionNotice({ result }: { result: ConnectionResult }) {
  if (!result.ok) {
    return (
      <Alert tone="error" title="The connection failed" className="md:col-span-2">
        {result.url ? <span className="font-mono text-xs">{result.url}: </span> : null}
        {result.message}
      </Alert>
    );
  }
  return (
    <Alert tone={result.missing.length ? "warning" : "success"} title={`Connected in ${result.latencyMs} ms`} className="md:col-span-2">
      <span className="font-mono text-xs">{result.url}</span>
      {result.served !== null ? (
        <>
          {" "}
          lists {result.served} {result.served === 1 ? "model" : "models"}
          {result.missing.length ? "" : ", the configured ones among them"}.
        </>
      ) : (
        " answered, without a model list."
      )}
      {result.missing.length ? <> Not listed: {result.missing.join(", ")} (the server may still accept them).</> : null}
      <span className="block" data-testid="response-format">
        {result.responseFormat.mode
          ? `Judges' verdicts are asked for as ${result.responseFormat.label}.`
          : `Response format not found out: ${result.responseFormat.problem}.`}
      </span>
    </Alert>
  );
}
