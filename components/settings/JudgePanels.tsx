"use client";

// The Settings page's judge panels (issue 13 §1): define named panels of judges — a model each, optionally a base
// URL and key of its own and a prompt version — with the rule that turns their votes into a verdict. A run picks a
// panel per stage on the Runs page. Keys are write-only, as the judge's own.
import { useId, useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/Alert";
import { Badge } from "@/components/ui/Badge";
import { Button } from "@/components/ui/Button";
import { Card, CardHeader } from "@/components/ui/Card";
import { cx } from "@/components/ui/cx";
import { api, errorMessage, fieldErrorsOf } from "@/lib/api/client";
import { PANEL_RULE_LABELS, PANEL_RULES, type PanelRule } from "@/lib/judges/panel-vote";
import type { PanelView } from "@/lib/judges/panels";

const FIELD =
  "block w-full rounded-lg border-0 bg-white px-3 py-2 text-sm text-stone-900 ring-1 ring-inset ring-stone-300 placeholder:text-stone-400 focus:ring-2 focus:ring-accent-600 focus:outline-none disabled:bg-stone-50";
const LABEL = "mb-1 block text-xs font-medium text-stone-700";

interface MemberDraft {
  model: string;
  baseURL: string;
  apiKey: string;
  promptVersion: string;
  /** A key is saved for this member (kept while its base URL stays). */
  keySet: boolean;
}
interface PanelDraft {
  /** The saved name, when editing a saved panel. */
  was: string | null;
  name: string;
  rule: PanelRule;
  members: MemberDraft[];
}

const emptyMember = (): MemberDraft => ({ model: "", baseURL: "", apiKey: "", promptVersion: "", keySet: false });

function draftOf(panel: PanelView): PanelDraft {
  return {
    was: panel.name,
    name: panel.name,
    rule: panel.rule,
    members: panel.members.map((m) => ({ model: m.model, baseURL: m.baseURL ?? "", apiKey: "", promptVersion: m.promptVersion === null ? "" : String(m.promptVersion), keySet: m.keySet })),
  };
}

/** A panel as PUT /api/settings/panels takes it: saved keys kept unless a new one is typed. */
function inputOf(draft: PanelDraft) {
  return {
    name: draft.name.trim(),
    ...(draft.was && draft.was !== draft.name.trim() ? { was: draft.was } : {}),
    rule: draft.rule,
    members: draft.members.map((m) => ({
      model: m.model.trim(),
      baseURL: m.baseURL.trim(),
      ...(m.apiKey ? { apiKey: m.apiKey } : { keepKey: m.keySet }),
      promptVersion: m.promptVersion.trim(),
    })),
  };
}

const MEMBER_FIELDS: Record<string, string> = { model: "model", baseURL: "base URL", apiKey: "API key", promptVersion: "prompt version" };

/** "panels.1.members.0.model" → "Member 1 model", as the editor labels it. */
function fieldLabel(path: string): string {
  const member = /^panels\.\d+\.members\.(\d+)\.(\w+)$/.exec(path);
  if (member) return `Member ${Number(member[1]) + 1} ${MEMBER_FIELDS[member[2]] ?? member[2]}`;
  const panel = /^panels\.\d+\.(\w+)$/.exec(path);
  if (panel) return panel[1] === "name" ? "Panel name" : panel[1] === "rule" ? "Rule" : "Members:";
  return "Panels:";
}

export function JudgePanels({ initial }: { initial: PanelView[] }) {
  const [panels, setPanels] = useState(initial);
  const [draft, setDraft] = useState<PanelDraft | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<{ tone: "success" | "error"; title: string; body?: string } | null>(null);

  async function put(next: ReturnType<typeof inputOf>[], done: string): Promise<boolean> {
    setBusy(true);
    setNotice(null);
    try {
      const saved = await api("PUT /api/settings/panels", { body: { panels: next } });
      setPanels(saved.panels);
      setNotice({ tone: "success", title: done });
      return true;
    } catch (error) {
      const fields = Object.entries(fieldErrorsOf(error)).map(([path, message]) => `${fieldLabel(path)} ${message}`);
      setNotice({ tone: "error", title: "The judge panels were not saved", body: fields.length ? `${fields.join("; ")}.` : errorMessage(error) });
      return false;
    } finally {
      setBusy(false);
    }
  }

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!draft || busy) return;
    const others = panels.filter((p) => p.name !== draft.was).map((p) => inputOf(draftOf(p)));
    if (await put([...others, inputOf(draft)], `Panel "${draft.name.trim()}" saved`)) setDraft(null);
  }

  async function remove(name: string) {
    if (!window.confirm(`Delete the judge panel "${name}"? Runs that used it keep what it was.`)) return;
    await put(panels.filter((p) => p.name !== name).map((p) => inputOf(draftOf(p))), `Panel "${name}" deleted`);
  }

  return (
    <Card aria-labelledby="panels-title" className="mt-8">
      <CardHeader
        titleId="panels-title"
        title="Judge panels"
        description="Several judges vote on a stage, and a rule decides: all must pass, a majority, or any. Each member's vote is kept. Pick a panel per stage when you start a run."
        actions={
          draft ? null : (
            <Button size="sm" onClick={() => setDraft({ was: null, name: "", rule: "majority", members: [emptyMember(), emptyMember(), emptyMember()] })} disabled={busy}>
              New panel
            </Button>
          )
        }
      />
      <div className="space-y-4 px-5 py-5">
        {panels.length === 0 && !draft ? <p className="text-sm text-stone-500">No panel yet: every stage has its single judge.</p> : null}
        {panels.length ? (
          <ul className="divide-y divide-stone-100" aria-label="Saved judge panels">
            {panels.map((panel) => (
              <li key={panel.name} className="flex flex-wrap items-start justify-between gap-3 py-2" data-testid="judge-panel" data-panel={panel.name}>
                <div className="min-w-0">
                  <p className="text-sm font-medium text-stone-900">
                    {panel.name} <span className="font-normal text-stone-500">· {PANEL_RULE_LABELS[panel.rule]}</span>
                  </p>
                  <ul className="mt-1 space-y-0.5 font-mono text-xs text-stone-600">
                    {panel.members.map((m, i) => (
                      <li key={i}>
                        {m.model}
                        {m.baseURL ? ` @ ${m.baseURL}` : " (the judge's base URL)"}
                        {m.promptVersion !== null ? ` · prompt v${m.promptVersion}` : ""}
                        {m.keySet ? <Badge tone="green" className="ml-2">key set</Badge> : null}
                      </li>
                    ))}
                  </ul>
                </div>
                <div className="flex gap-2">
                  <Button size="sm" variant="ghost" onClick={() => setDraft(draftOf(panel))} disabled={busy || draft !== null}>
                    Edit
                  </Button>
                  <Button size="sm" variant="ghost" onClick={() => remove(panel.name)} disabled={busy || draft !== null}>
                    Delete
                  </Button>
                </div>
              </li>
            ))}
          </ul>
        ) : null}
        {draft ? <PanelEditor draft={draft} onChange={setDraft} onSubmit={save} onCancel={() => setDraft(null)} busy={busy} /> : null}
        {notice ? (
          <Alert tone={notice.tone} title={notice.title}>
            {notice.body}
          </Alert>
        ) : null}
      </div>
    </Card>
  );
}

function PanelEditor({
  draft,
  onChange,
  onSubmit,
  onCancel,
  busy,
}: {
  draft: PanelDraft;
  onChange: (draft: PanelDraft) => void;
  onSubmit: (event: FormEvent<HTMLFormElement>) => void;
  onCancel: () => void;
  busy: boolean;
}) {
  const id = useId();
  const member = (i: number, change: Partial<MemberDraft>) =>
    onChange({ ...draft, members: draft.members.map((m, j) => (j === i ? { ...m, ...change, ...(change.baseURL !== undefined && change.baseURL !== m.baseURL ? { keySet: false } : {}) } : m)) });
  return (
    <form onSubmit={onSubmit} noValidate aria-label="Judge panel" className="space-y-4 rounded-lg border border-stone-200 p-4">
      <div className="grid gap-4 sm:grid-cols-2">
        <div>
          <label htmlFor={`${id}-name`} className={LABEL}>
            Panel name
          </label>
          <input id={`${id}-name`} className={FIELD} value={draft.name} onChange={(e) => onChange({ ...draft, name: e.target.value })} disabled={busy} autoComplete="off" />
        </div>
        <div>
          <label htmlFor={`${id}-rule`} className={LABEL}>
            Rule
          </label>
          <select id={`${id}-rule`} className={FIELD} value={draft.rule} onChange={(e) => onChange({ ...draft, rule: e.target.value as PanelRule })} disabled={busy}>
            {PANEL_RULES.map((rule) => (
              <option key={rule} value={rule}>
                {rule}: {PANEL_RULE_LABELS[rule]}
              </option>
            ))}
          </select>
        </div>
      </div>
      <fieldset className="space-y-3">
        <legend className="text-sm font-medium text-stone-700">Members</legend>
        {draft.members.map((m, i) => (
          <div key={i} className="grid items-end gap-3 sm:grid-cols-[1fr_1fr_1fr_7rem_auto]">
            <MemberField id={`${id}-${i}-model`} label={`Member ${i + 1} model`} value={m.model} onValue={(model) => member(i, { model })} disabled={busy} />
            <MemberField id={`${id}-${i}-url`} label={`Member ${i + 1} base URL`} value={m.baseURL} onValue={(baseURL) => member(i, { baseURL })} disabled={busy} placeholder="The judge's" inputMode="url" />
            <MemberField
              id={`${id}-${i}-key`}
              label={`Member ${i + 1} API key`}
              value={m.apiKey}
              onValue={(apiKey) => member(i, { apiKey })}
              disabled={busy || !m.baseURL.trim()}
              placeholder={m.keySet ? "•••• saved — type to replace" : m.baseURL ? "None" : "The judge's"}
              type="password"
            />
            <MemberField id={`${id}-${i}-prompt`} label={`Member ${i + 1} prompt version`} value={m.promptVersion} onValue={(promptVersion) => member(i, { promptVersion })} disabled={busy} placeholder="Current" type="number" />
            <Button size="sm" variant="ghost" onClick={() => onChange({ ...draft, members: draft.members.filter((_, j) => j !== i) })} disabled={busy || draft.members.length <= 2} aria-label={`Remove member ${i + 1}`}>
              Remove
            </Button>
          </div>
        ))}
        <Button size="sm" onClick={() => onChange({ ...draft, members: [...draft.members, emptyMember()] })} disabled={busy}>
          Add member
        </Button>
      </fieldset>
      <p className="text-xs text-stone-500">
        A member without a base URL of its own asks the judge&apos;s, with the judge&apos;s key. A key typed here is only ever sent to the base URL it is typed with.
      </p>
      <div className="flex justify-end gap-2">
        <Button variant="ghost" onClick={onCancel} disabled={busy}>
          Cancel
        </Button>
        <Button type="submit" variant="primary" disabled={busy}>
          {busy ? "Saving…" : "Save panel"}
        </Button>
      </div>
    </form>
  );
}

/** One labelled field of a member's row (text in a monospace font; a number for the prompt version). */
function MemberField({
  id,
  label,
  value,
  onValue,
  disabled,
  placeholder,
  type = "text",
  inputMode,
}: {
  id: string;
  label: string;
  value: string;
  onValue: (value: string) => void;
  disabled: boolean;
  placeholder?: string;
  type?: "text" | "password" | "number";
  inputMode?: "url";
}) {
  return (
    <div>
      <label htmlFor={id} className={LABEL}>
        {label}
      </label>
      <input
        id={id}
        className={cx(FIELD, type !== "number" && "font-mono")}
        type={type}
        min={type === "number" ? 1 : undefined}
        step={type === "number" ? 1 : undefined}
        inputMode={inputMode}
        placeholder={placeholder}
        value={value}
        onChange={(e) => onValue(e.target.value)}
        disabled={disabled}
        autoComplete="off"
        spellCheck={false}
      />
    </div>
  );
}
