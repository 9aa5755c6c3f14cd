"use client";

import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { STAGE_NAMES } from "@/components/samples/SampleParts";
import { Alert } from "@/components/ui/Alert";
import { Button } from "@/components/ui/Button";
import { cx } from "@/components/ui/cx";
import { Kbd } from "@/components/ui/Kbd";
import { failureMessage } from "@/lib/http/failure";
import type { FailingVerdict } from "@/lib/review/edit";
import { shortcutFor } from "@/lib/keyboard/shortcuts";
import type { Answer } from "@/lib/samples/types";

/** How long typing must pause before the rule stages look at the edit. */
const VALIDATE_AFTER_MS = 300;

type Check = { state: "checking" } | { state: "ok" } | { state: "failing"; failing: FailingVerdict[] } | { state: "unreachable"; message: string };

/** The answer as the editor shows it: calls as indented JSON, or the text. */
function editableAnswer(answer: Answer | null): string {
  if (!answer) return "[]";
  return answer.kind === "calls" ? JSON.stringify(answer.calls, null, 2) : answer.text;
}

const AREA = "block w-full rounded-lg border bg-white px-3 py-2.5 font-mono text-[13px] leading-6 shadow-xs focus:outline-2 focus:outline-offset-0";

/**
 * Edits the calls (JSON, or Python call syntax) and the CoT. The rule stages check the edit as it is typed; Save
 * (Ctrl/⌘+Enter) is refused while they fail. A conflict (the sample changed meanwhile) keeps what was typed, and
 * so does a closed browser: every change goes to `onDraft` (null once the text is back to the sample's).
 */
export function EditPanel({
  sampleId,
  turn = 1,
  version,
  kind,
  answer,
  cot,
  initial,
  onDraft,
  onCancel,
  onSave,
}: {
  sampleId: number;
  /** The conversation's assistant turn edited (1: the first answer). */
  turn?: number;
  /** The version being edited: a save is checked against it (a newer one is a conflict, the text stays). */
  version: number;
  kind: Answer["kind"];
  answer: Answer | null;
  cot: string | null;
  /** What the editor starts with instead of the sample's text (a restored draft). */
  initial?: { answer: string; cot: string };
  onDraft: (edit: { answer: string; cot: string } | null) => void;
  onCancel: () => void;
  /** Saves the edit; resolves with the problems when the server refused it (the panel stays open). */
  onSave: (edit: { answer: string; cot: string }, expectedVersion: number) => Promise<FailingVerdict[] | string | null>;
}) {
  const answerId = useId();
  const cotId = useId();
  const [answerText, setAnswerText] = useState(() => initial?.answer ?? editableAnswer(answer));
  const [cotText, setCotText] = useState(initial?.cot ?? cot ?? "");
  const [check, setCheck] = useState<Check>({ state: "checking" });
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const firstField = useRef<HTMLTextAreaElement>(null);
  const unchanged = answerText === editableAnswer(answer) && cotText === (cot ?? "");

  useEffect(() => firstField.current?.focus(), []);
  useEffect(() => onDraft(unchanged ? null : { answer: answerText, cot: cotText }), [onDraft, unchanged, answerText, cotText]);

  // Live validation: the newest edit wins; an answer that arrives for an older text is dropped.
  useEffect(() => {
    const controller = new AbortController();
    const timer = setTimeout(async () => {
      setCheck({ state: "checking" });
      try {
        const response = await fetch(`/api/samples/${sampleId}/edit/validate`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ answer: answerText, cot: cotText, ...(turn > 1 ? { turn } : {}) }),
          signal: controller.signal,
        });
        const json = (await response.json()) as { ok?: boolean; failing?: FailingVerdict[]; error?: string };
        if (!response.ok) setCheck({ state: "unreachable", message: failureMessage(response, json) });
        else setCheck(json.ok ? { state: "ok" } : { state: "failing", failing: json.failing ?? [] });
      } catch (error) {
        if (!controller.signal.aborted) setCheck({ state: "unreachable", message: error instanceof Error ? error.message : String(error) });
      }
    }, VALIDATE_AFTER_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [sampleId, turn, answerText, cotText]);

  const canSave = check.state === "ok" && !unchanged && !saving;

  async function save() {
    if (!canSave) return;
    setSaving(true);
    setProblem(null);
    try {
      const refused = await onSave({ answer: answerText, cot: cotText }, version);
      if (typeof refused === "string") setProblem(refused);
      else if (refused) setCheck({ state: "failing", failing: refused });
    } finally {
      setSaving(false);
    }
  }

  function onKeyDown(event: KeyboardEvent) {
    if (shortcutFor({ key: event.key, ctrlKey: event.ctrlKey, metaKey: event.metaKey, altKey: event.altKey }, "editor") === "save") {
      event.preventDefault();
      void save();
    } else if (event.key === "Escape") {
      event.preventDefault();
      onCancel();
    }
  }

  const failing = check.state === "failing" ? check.failing : [];
  const blames = (field: "answer" | "cot") => failing.some((f) => f.fields.some((x) => (field === "cot" ? x === "cot" : x !== "cot")));

  return (
    <section aria-label="Edit the sample" className="space-y-4 px-5 py-4" onKeyDown={onKeyDown} data-testid="edit-panel">
      <div>
        <label htmlFor={cotId} className="mb-1 flex items-baseline justify-between text-sm font-medium text-stone-800">
          Chain of thought
          <span className="text-xs font-normal text-stone-400">{cotText.trim().length.toLocaleString("en-US")} characters</span>
        </label>
        <textarea
          id={cotId}
          ref={firstField}
          value={cotText}
          onChange={(e) => setCotText(e.target.value)}
          rows={Math.min(14, Math.max(4, Math.ceil(cotText.length / 70) + cotText.split("\n").length))}
          spellCheck
          className={cx(AREA, "font-sans text-[14px]", blames("cot") ? "border-rose-400 outline-rose-500" : "border-stone-300 outline-accent-600")}
        />
      </div>
      <div>
        <label htmlFor={answerId} className="mb-1 flex items-baseline justify-between text-sm font-medium text-stone-800">
          {kind === "calls" ? "Calls" : "Text answer"}
          {kind === "calls" ? <span className="text-xs font-normal text-stone-400">JSON list, or Python: [get_weather(city=&quot;Lyon&quot;)]</span> : null}
        </label>
        <textarea
          id={answerId}
          value={answerText}
          onChange={(e) => setAnswerText(e.target.value)}
          rows={Math.min(18, Math.max(3, answerText.split("\n").length + 1))}
          spellCheck={false}
          className={cx(AREA, blames("answer") ? "border-rose-400 outline-rose-500" : "border-stone-300 outline-accent-600")}
        />
      </div>

      <div aria-live="polite" data-testid="edit-validation" data-state={check.state}>
        {check.state === "checking" ? <p className="text-xs text-stone-400">Checking with the rule stages…</p> : null}
        {check.state === "ok" ? <p className="text-xs font-medium text-emerald-700">The rule stages pass this edit.</p> : null}
        {check.state === "unreachable" ? <Alert tone="warning" title="Could not check the edit">{check.message}</Alert> : null}
        {failing.length ? (
          <div className="rounded-lg border border-rose-200 bg-rose-50/60 px-4 py-3">
            <p className="text-sm font-medium text-rose-900">The rule stages fail this edit: fix it to save.</p>
            <ul className="mt-2 space-y-1.5">
              {failing.map((f, i) => (
                <li key={i} className="text-xs leading-5 text-rose-900" data-testid="edit-problem" data-stage={f.stage}>
                  <span className="flex flex-wrap items-center gap-1.5">
                    <span className="font-medium">
                      Stage {f.stage} · {STAGE_NAMES[f.stage]}
                    </span>
                    {f.fields.map((field) => (
                      <code key={field} className="rounded bg-white px-1 py-px font-mono text-[11px] break-all ring-1 ring-rose-200">
                        {field}
                      </code>
                    ))}
                  </span>
                  <span className="block text-rose-800">{f.reason}</span>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </div>
      {problem ? <Alert tone="error" title={problem} /> : null}

      <div className="flex flex-wrap items-center gap-2">
        <Button variant="primary" onClick={save} disabled={!canSave}>
          {saving ? "Saving…" : "Save edit"}
        </Button>
        <Button variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
        <span className="ml-auto flex items-center gap-1 text-xs text-stone-400">
          <Kbd>Ctrl</Kbd>
          <Kbd>Enter</Kbd> save · <Kbd>Esc</Kbd> cancel
        </span>
      </div>
      {unchanged ? <p className="text-xs text-stone-400">Nothing changed yet.</p> : null}
    </section>
  );
}
