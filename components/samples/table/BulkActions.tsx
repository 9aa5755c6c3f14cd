"use client";

// The bulk action buttons of the samples table and their dialogs. The target is either the selected rows (with the
// version each had on screen) or the whole filter; whole-filter actions always ask first, showing the count.
import { can } from "@/lib/auth/permissions";
import type { Role } from "@/lib/auth/roles";
import { useId, useState, type FormEvent, type KeyboardEvent, type ReactNode } from "react";
import { datasetInfoHref } from "@/components/datasets/ExportLinks";
import { formatCount } from "@/components/datasets/format";
import { useExportCheck, WithheldNotice, withFormat } from "@/components/export/WithheldNotice";
import { Button } from "@/components/ui/Button";
import { DownloadIcon } from "@/components/ui/icons";
import { BulkJobProgress, useBulkJobProgress } from "@/components/samples/BulkJobs";
import { api, apiUrl, errorMessage } from "@/lib/api/client";
import { useApi } from "@/lib/api/use-api";
import type { ExportFormatOption } from "@/lib/formats";
import { newRequestKey } from "@/lib/http/request-key";
import type { BulkAction, BulkResult } from "@/lib/review/bulk";
import type { BulkJobView } from "@/lib/review/bulk-job-view";
import { ActionDialog, DialogActions } from "./ActionDialog";
import { STAGE_REGISTRY } from "@/lib/pipeline/stage-registry";

export type BulkTargetChoice =
  | { kind: "selection"; samples: { id: number; version: number }[] }
  | { kind: "filter"; query: string; total: number; totalExact: boolean };

export type BulkOutcome = { ok: true; result: BulkResult } | { ok: false; error: string };

type DialogName = BulkAction["action"] | "export";

const FIELD = "mt-1 block w-full rounded-md border border-stone-300 bg-white px-2.5 py-1.5 text-sm text-stone-800 shadow-xs";

/**
 * `role`: annotators decide and regenerate; admins also re-run stages and export (the server checks again) in one
 * of `exportFormats`.
 */
export function BulkActions({
  target,
  llmConfigured,
  role,
  exportFormats,
  onOutcome,
}: {
  target: BulkTargetChoice;
  llmConfigured: boolean;
  role: Role;
  exportFormats: ExportFormatOption[];
  onOutcome: (outcome: BulkOutcome) => void;
}) {
  const canRerun = can(role, "runs.start");
  const canExport = can(role, "data.export");
  const [open, setOpen] = useState<DialogName | null>(null);
  // While an action runs: the key it was sent with, under which its recorded job's progress is polled.
  const [running, setRunning] = useState<string | null>(null);
  const progress = useBulkJobProgress(running);
  const busy = running !== null;
  // An estimated or capped table total is made exact before a whole-filter action is confirmed.
  const countQuery = open !== null && target.kind === "filter" && !target.totalExact ? `${target.query}&count=exact` : null;
  const { data: exact } = useApi(countQuery === null ? null : "GET /api/samples", { query: countQuery ?? "" });
  const wholeFilter = target.kind === "filter";
  const count = target.kind === "selection" ? target.samples.length : (exact?.total ?? target.total);
  const countText = target.kind === "filter" && !target.totalExact && !exact ? `≈ ${formatCount(target.total)}` : formatCount(count);
  const what = `${countText} ${count === 1 ? "sample" : "samples"}`;

  async function run(action: BulkAction) {
    const key = newRequestKey();
    setRunning(key);
    try {
      const result = await api("POST /api/samples/bulk", {
        body: { target: target.kind === "selection" ? { kind: "selection", samples: target.samples } : { kind: "filter", query: target.query }, action, key },
      });
      onOutcome({ ok: true, result });
    } catch (error) {
      onOutcome({ ok: false, error: errorMessage(error, "the server could not be reached; nothing was changed by this page") });
    } finally {
      setOpen(null);
      setRunning(null);
    }
  }

  const close = () => setOpen(null);
  const scope = wholeFilter ? (
    <>
      Every sample the filter matches <strong className="font-semibold text-stone-700">now</strong>: {what}.
    </>
  ) : (
    <>The {what} you selected. Any changed since you loaded them are skipped and reported.</>
  );

  return (
    <>
      <div className="flex flex-wrap items-center gap-1.5" role="group" aria-label="Bulk actions">
        <Button size="sm" variant="primary" disabled={busy} onClick={() => (wholeFilter ? setOpen("approve") : run({ action: "approve" }))}>
          Approve
        </Button>
        <Button size="sm" disabled={busy} onClick={() => setOpen("discard")}>
          Discard…
        </Button>
        {canRerun ? (
          <Button size="sm" disabled={busy} onClick={() => setOpen("rerun")}>
            Re-run stages…
          </Button>
        ) : null}
        <Button size="sm" disabled={busy || !llmConfigured} title={llmConfigured ? undefined : "Regeneration needs an LLM (the teacher): configure one first"} onClick={() => setOpen("regenerate")}>
          Regenerate…
        </Button>
        {canExport ? (
          <Button size="sm" disabled={busy} onClick={() => setOpen("export")}>
            <DownloadIcon width={14} height={14} />
            Export…
          </Button>
        ) : null}
        {busy && open === null ? (
          <div className="w-64">
            <BulkJobProgress job={progress} />
          </div>
        ) : null}
      </div>

      {open === "approve" ? (
        <ActionDialog title={`Approve ${what}?`} description={scope} onClose={close}>
          <ConfirmForm busy={busy} progress={progress} label={`Approve ${what}`} onSubmit={() => run({ action: "approve" })} onCancel={close} />
        </ActionDialog>
      ) : null}
      {open === "discard" ? <DiscardDialog what={what} scope={scope} busy={busy} progress={progress} onRun={run} onClose={close} /> : null}
      {open === "rerun" ? <RerunDialog what={what} scope={scope} busy={busy} progress={progress} llmConfigured={llmConfigured} onRun={run} onClose={close} /> : null}
      {open === "regenerate" ? <RegenerateDialog what={what} scope={scope} busy={busy} progress={progress} onRun={run} onClose={close} /> : null}
      {open === "export" ? <ExportDialog what={what} target={target} formats={exportFormats} onClose={close} /> : null}
    </>
  );
}

function ConfirmForm({ busy, progress, label, danger, onSubmit, onCancel, children, disabled }: {
  busy: boolean;
  /** The running action's recorded job, shown while busy. */
  progress: BulkJobView | null;
  label: string;
  danger?: boolean;
  onSubmit: () => void;
  onCancel: () => void;
  children?: ReactNode;
  disabled?: boolean;
}) {
  function submit(event: FormEvent | KeyboardEvent) {
    event.preventDefault();
    if (!busy && !disabled) onSubmit();
  }
  return (
    // Ctrl/⌘+Enter submits from anywhere in the form, a text area included (Enter there is a new line).
    <form onSubmit={submit} onKeyDown={(event) => event.key === "Enter" && (event.ctrlKey || event.metaKey) && submit(event)}>
      {children ? <div className="space-y-4 px-5 py-4">{children}</div> : null}
      {busy ? (
        <div className="px-5 pb-4" data-testid="bulk-progress">
          <BulkJobProgress job={progress} />
        </div>
      ) : null}
      <DialogActions>
        <Button onClick={onCancel}>Cancel</Button>
        <Button type="submit" variant={danger ? "danger" : "primary"} disabled={busy || disabled} data-autofocus={children ? undefined : true}>
          {busy ? "Working…" : label}
        </Button>
      </DialogActions>
    </form>
  );
}

interface DialogProps {
  what: string;
  scope: ReactNode;
  busy: boolean;
  progress: BulkJobView | null;
  onRun: (action: BulkAction) => void;
  onClose: () => void;
}

function DiscardDialog({ what, scope, busy, progress, onRun, onClose }: DialogProps) {
  const [reason, setReason] = useState("");
  const [stage, setStage] = useState("");
  const id = useId();
  return (
    <ActionDialog title={`Discard ${what}?`} description={scope} onClose={onClose}>
      <ConfirmForm
        busy={busy}
        progress={progress}
        danger
        disabled={!reason.trim()}
        label={`Discard ${what}`}
        onCancel={onClose}
        onSubmit={() => onRun({ action: "discard", reason: reason.trim(), ...(stage ? { stage: Number(stage) } : {}) })}
      >
        <label htmlFor={`${id}-reason`} className="block text-sm font-medium text-stone-700">
          Reason <span className="font-normal text-stone-500">(required, kept in each sample&apos;s history)</span>
          <textarea id={`${id}-reason`} rows={3} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={2000} className={FIELD} />
        </label>
        <label htmlFor={`${id}-stage`} className="block text-sm font-medium text-stone-700">
          Stage at fault <span className="font-normal text-stone-500">(optional)</span>
          <select id={`${id}-stage`} value={stage} onChange={(e) => setStage(e.target.value)} className={FIELD}>
            <option value="">Not a particular stage</option>
            {STAGE_REGISTRY.map(({ id: n, name }) => (
              <option key={n} value={n}>
                {n} · {name}
              </option>
            ))}
          </select>
        </label>
      </ConfirmForm>
    </ActionDialog>
  );
}

function RerunDialog({ what, scope, busy, progress, llmConfigured, onRun, onClose }: DialogProps & { llmConfigured: boolean }) {
  const [stages, setStages] = useState<"rules" | "all">("rules");
  return (
    <ActionDialog title={`Re-run the stages on ${what}?`} description={scope} onClose={onClose}>
      <ConfirmForm busy={busy} progress={progress} label={`Re-run ${what}`} onCancel={onClose} onSubmit={() => onRun({ action: "rerun", stages })}>
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium text-stone-700">Stages</legend>
          <Choice name="stages" checked={stages === "rules"} onChange={() => setStages("rules")} label="Rules only" help="The rule checks of every stage; no LLM calls." />
          <Choice
            name="stages"
            checked={stages === "all"}
            disabled={!llmConfigured}
            onChange={() => setStages("all")}
            label="All stages"
            help={llmConfigured ? "Rules, the LLM judges and regeneration by the teacher." : "Needs an LLM: configure one first."}
          />
        </fieldset>
        <p className="text-xs leading-5 text-stone-500">
          A pipeline run per dataset takes these samples; follow it on the Runs page. Each sample ends with the pipeline&apos;s
          result, replacing its current status (human decisions included).
        </p>
      </ConfirmForm>
    </ActionDialog>
  );
}

function RegenerateDialog({ what, scope, busy, progress, onRun, onClose }: DialogProps) {
  const [regenerate, setRegenerate] = useState<"answer" | "cot+answer">("cot+answer");
  const [instruction, setInstruction] = useState("");
  const id = useId();
  return (
    <ActionDialog title={`Regenerate ${what}?`} description={scope} onClose={onClose}>
      <ConfirmForm
        busy={busy}
        progress={progress}
        label={`Regenerate ${what}`}
        onCancel={onClose}
        onSubmit={() => onRun({ action: "regenerate", scope: regenerate, ...(instruction.trim() ? { instruction: instruction.trim() } : {}) })}
      >
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium text-stone-700">What to regenerate</legend>
          <Choice name="scope" checked={regenerate === "cot+answer"} onChange={() => setRegenerate("cot+answer")} label="Reasoning and calls" help="A new CoT and a new answer." />
          <Choice name="scope" checked={regenerate === "answer"} onChange={() => setRegenerate("answer")} label="Calls only" help="Keep the CoT, write a new answer." />
        </fieldset>
        <label htmlFor={`${id}-instruction`} className="block text-sm font-medium text-stone-700">
          Instruction to the model <span className="font-normal text-stone-500">(optional)</span>
          <textarea id={`${id}-instruction`} rows={2} value={instruction} onChange={(e) => setInstruction(e.target.value)} maxLength={2000} className={FIELD} />
        </label>
        <p className="text-xs leading-5 text-stone-500">Runs in the background; each sample shows its new revision when done.</p>
      </ConfirmForm>
    </ActionDialog>
  );
}

function ExportDialog({ what, target, formats, onClose }: { what: string; target: BulkTargetChoice; formats: ExportFormatOption[]; onClose: () => void }) {
  const [format, setFormat] = useState(formats[0].id);
  const chosen = formats.find((f) => f.id === format);
  const fileName = `samples.${format}.jsonl`; // what the export route names the download
  const description =
    target.kind === "filter" ? `Every sample the filter matches (${what}), as JSON Lines in id order.` : `The ${what} you selected, as JSON Lines in id order.`;
  const ids = target.kind === "selection" ? target.samples.map((s) => s.id).join(",") : "";
  // What the download will leave out (refined samples a rule fails), said before it starts; the audit writes all.
  const checked = useExportCheck(format === "audit" ? null : target.kind === "filter" ? { format, filter: target.query } : { format, ids });
  const download = (
    <>
      <DownloadIcon width={16} height={16} />
      Download
    </>
  );
  return (
    <ActionDialog title={`Export ${what}`} description={description} onClose={onClose}>
      <fieldset className="space-y-2 px-5 py-4">
        <legend className="sr-only">Format</legend>
        {formats.map((f) => (
          <Choice key={f.id} name="format" checked={format === f.id} onChange={() => setFormat(f.id)} label={f.label} help={f.help ?? ""} />
        ))}
      </fieldset>
      {chosen?.datasetInfo ? (
        <p className="px-5 pb-3 text-xs leading-5 text-stone-600">
          LLaMA-Factory loads it through an entry in its data/dataset_info.json:{" "}
          <a href={datasetInfoHref("studio_export", fileName)} download={`${fileName}.dataset_info.json`} className="font-medium text-accent-800 underline">
            download the entry
          </a>{" "}
          and put {fileName} beside it.
        </p>
      ) : null}
      <div className="px-5 pb-2">
        <WithheldNotice state={checked} />
      </div>
      {target.kind === "filter" ? (
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <a href={apiUrl("GET /api/samples/export", { query: withFormat(target.query, format) })} download onClick={() => setTimeout(onClose, 0)} className="inline-flex h-9 items-center gap-2 rounded-lg bg-accent-700 px-3.5 text-sm font-medium text-white shadow-sm hover:bg-accent-800">
            {download}
          </a>
        </DialogActions>
      ) : (
        // A form post: a selection can be thousands of ids, too many for a link.
        <form method="post" action={apiUrl("POST /api/samples/export")} onSubmit={() => setTimeout(onClose, 0)}>
          <input type="hidden" name="ids" value={ids} />
          <input type="hidden" name="format" value={format} />
          <DialogActions>
            <Button onClick={onClose}>Cancel</Button>
            <Button type="submit" variant="primary">
              {download}
            </Button>
          </DialogActions>
        </form>
      )}
    </ActionDialog>
  );
}

function Choice({ name, checked, onChange, label, help, disabled }: { name: string; checked: boolean; onChange: () => void; label: string; help: string; disabled?: boolean }) {
  return (
    <label className={`flex items-start gap-2.5 rounded-lg px-3 py-2 ring-1 ring-inset ${checked ? "bg-accent-50/60 ring-accent-600/40" : "ring-stone-200"} ${disabled ? "opacity-50" : "cursor-pointer"}`}>
      <input type="radio" name={name} checked={checked} onChange={onChange} disabled={disabled} className="mt-1 accent-teal-700" />
      <span>
        <span className="block text-sm font-medium text-stone-800">{label}</span>
        <span className="block text-xs text-stone-500">{help}</span>
      </span>
    </label>
  );
}
