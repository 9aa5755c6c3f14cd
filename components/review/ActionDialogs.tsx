"use client";

import { useId, useState, type FormEvent, type KeyboardEvent, type ReactNode } from "react";
import { STAGE_NAMES } from "@/components/samples/SampleParts";
import { STAGE_IDS } from "@/lib/pipeline/stage-registry";
import { Alert } from "@/components/ui/Alert";
import { Button } from "@/components/ui/Button";
import { Dialog } from "@/components/ui/Dialog";
import { Kbd } from "@/components/ui/Kbd";

/** What a submit gives back: null when done (the dialog closes), or the problem to show in it. */
type Submit<T> = (value: T) => Promise<string | null>;

const FIELD = "w-full rounded-lg border border-stone-300 bg-white px-3 py-2 text-sm shadow-xs placeholder:text-stone-400";
const LABEL = "mb-1 block text-sm font-medium text-stone-800";

/**
 * A dialog whose body is a form: it opens with focus in its first field; Enter in a single-line field submits it,
 * Ctrl/⌘+Enter submits it from anywhere in the dialog (a text area, a radio, its buttons), Esc closes it.
 */
function FormDialog({
  open,
  onClose,
  title,
  description,
  submitLabel,
  danger,
  onSubmit,
  children,
}: {
  open: boolean;
  onClose: () => void;
  title: string;
  description: ReactNode;
  submitLabel: string;
  danger?: boolean;
  onSubmit: () => Promise<string | null>;
  children: ReactNode;
}) {
  const formId = useId();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  async function submit(event?: FormEvent) {
    event?.preventDefault();
    if (busy) return;
    setBusy(true);
    setProblem(null);
    try {
      const failed = await onSubmit();
      if (failed) setProblem(failed);
    } finally {
      setBusy(false);
    }
  }

  function onKeyDown(event: KeyboardEvent) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) void submit(event);
  }

  return (
    <Dialog
      open={open}
      onClose={onClose}
      onKeyDown={onKeyDown}
      title={title}
      description={description}
      footer={
        <>
          <span className="mr-auto hidden items-center gap-1 text-xs text-stone-400 sm:flex">
            <Kbd>Esc</Kbd> to close
          </span>
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" form={formId} variant={danger ? "danger" : "primary"} disabled={busy}>
            {busy ? "Working…" : submitLabel}
          </Button>
        </>
      }
    >
      <form id={formId} onSubmit={submit} className="space-y-4">
        {children}
        {problem ? <Alert tone="error" title={problem} /> : null}
      </form>
    </Dialog>
  );
}

/** Discard (reason required, optionally the stage to blame) or restore a discarded sample (reason required). */
export function DecisionDialog({
  mode,
  open,
  onClose,
  defaultStage,
  originalAnswer = false,
  onSubmit,
}: {
  mode: "discard" | "restore";
  open: boolean;
  onClose: () => void;
  defaultStage: number | null;
  /** restore: the answer was regenerated or edited since import, so it can come back as imported. */
  originalAnswer?: boolean;
  onSubmit: Submit<{ reason: string; stage?: number; withOriginalAnswer?: boolean }>;
}) {
  const reasonId = useId();
  const stageId = useId();
  const [reason, setReason] = useState("");
  const [withOriginal, setWithOriginal] = useState(false);
  const [stage, setStage] = useState(defaultStage != null ? String(defaultStage) : "");
  const discard = mode === "discard";
  return (
    <FormDialog
      open={open}
      onClose={onClose}
      title={discard ? "Discard this sample" : "Restore to review"}
      description={discard ? "It leaves the refined set; the reason is kept in its history and in the discard audit." : "It goes back to the review queue as flagged."}
      submitLabel={discard ? "Discard" : "Restore"}
      danger={discard}
      onSubmit={() => {
        if (!reason.trim()) return Promise.resolve(`A reason is required to ${mode}.`);
        return onSubmit({ reason: reason.trim(), ...(discard && stage ? { stage: Number(stage) } : {}), ...(withOriginal ? { withOriginalAnswer: true } : {}) });
      }}
    >
      <div>
        <label htmlFor={reasonId} className={LABEL}>
          Reason
        </label>
        <input
          id={reasonId}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          maxLength={2000}
          placeholder={discard ? "e.g. the query asks for two cities, the answer calls one" : "e.g. the stage 4 judge was wrong"}
          className={FIELD}
        />
      </div>
      {discard ? (
        <div>
          <label htmlFor={stageId} className={LABEL}>
            Stage at fault <span className="font-normal text-stone-400">(optional)</span>
          </label>
          <select id={stageId} value={stage} onChange={(e) => setStage(e.target.value)} className={FIELD}>
            <option value="">No particular stage</option>
            {STAGE_IDS.map((s) => (
              <option key={s} value={s}>
                {s} · {STAGE_NAMES[s]}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {!discard && originalAnswer ? (
        <label className="flex items-start gap-2 text-sm text-stone-700">
          <input type="checkbox" checked={withOriginal} onChange={(e) => setWithOriginal(e.target.checked)} className="mt-1 accent-teal-700" />
          <span>
            Restore with the original answer
            <span className="block text-xs text-stone-500">The answer and CoT as imported come back as a new revision; the rule stages check them.</span>
          </span>
        </label>
      ) : null}
    </FormDialog>
  );
}

function Choice({ name, value, checked, onChange, title, children }: { name: string; value: string; checked: boolean; onChange: (v: string) => void; title: string; children: ReactNode }) {
  return (
    <label className="flex cursor-pointer gap-3 rounded-lg border border-stone-200 px-3 py-2.5 has-checked:border-accent-600 has-checked:bg-accent-50/50">
      <input type="radio" name={name} value={value} checked={checked} onChange={() => onChange(value)} className="mt-1 accent-teal-700" />
      <span>
        <span className="block text-sm font-medium text-stone-900">{title}</span>
        <span className="block text-xs leading-5 text-stone-500">{children}</span>
      </span>
    </label>
  );
}

export type RegenerateScope = "answer" | "cot+answer";

/** Regenerate: the answer only, or the CoT and the answer, with an optional instruction to the model. */
export function RegenerateDialog({ open, onClose, onSubmit }: { open: boolean; onClose: () => void; onSubmit: Submit<{ scope: RegenerateScope; instruction: string }> }) {
  const instructionId = useId();
  const [scope, setScope] = useState<RegenerateScope>("cot+answer");
  const [instruction, setInstruction] = useState("");
  return (
    <FormDialog
      open={open}
      onClose={onClose}
      title="Regenerate"
      description="The teacher writes a new version in the background, the stages judge it, and this page updates when it is done."
      submitLabel="Regenerate"
      onSubmit={() => onSubmit({ scope, instruction: instruction.trim() })}
    >
      <fieldset className="space-y-2">
        <legend className={LABEL}>What to regenerate</legend>
        <Choice name="scope" value="cot+answer" checked={scope === "cot+answer"} onChange={(v) => setScope(v as RegenerateScope)} title="CoT and answer">
          A new chain of thought and new calls that follow from it.
        </Choice>
        <Choice name="scope" value="answer" checked={scope === "answer"} onChange={(v) => setScope(v as RegenerateScope)} title="Answer only">
          New calls; the current chain of thought is kept.
        </Choice>
      </fieldset>
      <div>
        <label htmlFor={instructionId} className={LABEL}>
          Instruction to the model <span className="font-normal text-stone-400">(optional)</span>
        </label>
        <textarea
          id={instructionId}
          data-autofocus
          value={instruction}
          onChange={(e) => setInstruction(e.target.value)}
          rows={3}
          maxLength={2000}
          placeholder="e.g. the user gave the temperature in Fahrenheit; keep the unit"
          className={FIELD}
        />
        <p className="mt-1 text-xs text-stone-400">
          <Kbd>Ctrl</Kbd> <Kbd>Enter</Kbd> to start
        </p>
      </div>
    </FormDialog>
  );
}

/** Re-check: the rule stages only (instant, no LLM), or every stage with the judges. */
export function RecheckDialog({ open, onClose, onSubmit }: { open: boolean; onClose: () => void; onSubmit: Submit<{ stages: "rules" | "all" }> }) {
  const [stages, setStages] = useState<"rules" | "all">("all");
  return (
    <FormDialog
      open={open}
      onClose={onClose}
      title="Re-check"
      description="Run the stages again on the sample as it is now; the verdicts and the status update when they are done."
      submitLabel="Re-check"
      onSubmit={() => onSubmit({ stages })}
    >
      <fieldset className="space-y-2">
        <legend className="sr-only">Stages</legend>
        <Choice name="stages" value="all" checked={stages === "all"} onChange={(v) => setStages(v as "all")} title="All stages">
          The rules and the LLM judges, as a pipeline run would (no regeneration).
        </Choice>
        <Choice name="stages" value="rules" checked={stages === "rules"} onChange={(v) => setStages(v as "rules")} title="Rule stages only">
          The exact checks, without an LLM: the status stays, the stage outcomes update.
        </Choice>
      </fieldset>
    </FormDialog>
  );
}
