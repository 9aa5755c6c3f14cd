"use client";

// Rename a dataset, set its reviewers per sample, delete it (admins). Delete asks for the name typed out: it removes every sample, run and job of
// the dataset at once (lib/datasets/manage.ts), and the server refuses it while a run is active.
import { useRouter } from "next/navigation";
import { useId, useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/Alert";
import { Button } from "@/components/ui/Button";
import { Dialog } from "@/components/ui/Dialog";
import { failureMessage } from "@/lib/http/failure";
import { formatCount } from "./format";

const FIELD = "mt-1 block h-9 w-full rounded-lg border border-stone-300 px-3 text-sm focus:border-accent-600 focus:ring-2 focus:ring-accent-600/20 focus:outline-none";

export function DatasetActions({ name, total, reviewsPerSample }: { name: string; total: number; reviewsPerSample: number }) {
  const [open, setOpen] = useState<"rename" | "reviews" | "delete" | null>(null);
  return (
    <>
      <Button size="sm" variant="ghost" onClick={() => setOpen("rename")} aria-label={`Rename ${name}`}>
        Rename…
      </Button>
      <Button size="sm" variant="ghost" onClick={() => setOpen("reviews")} aria-label={`Reviewers per sample of ${name}`}>
        Reviewers…
      </Button>
      <Button size="sm" variant="ghost" onClick={() => setOpen("delete")} aria-label={`Delete ${name}`}>
        Delete…
      </Button>
      {open === "rename" ? <RenameDialog name={name} onClose={() => setOpen(null)} /> : null}
      {open === "reviews" ? <ReviewsDialog name={name} current={reviewsPerSample} onClose={() => setOpen(null)} /> : null}
      {open === "delete" ? <DeleteDialog name={name} total={total} onClose={() => setOpen(null)} /> : null}
    </>
  );
}

/** Sends the change; null when it worked (the page refreshes), else what went wrong. */
function useSend(onDone: () => void) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  async function send(method: "PATCH" | "DELETE", name: string, body: object) {
    setBusy(true);
    setProblem(null);
    const response = await fetch(`/api/datasets/${encodeURIComponent(name)}`, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) }).catch(() => null);
    setBusy(false);
    if (!response) return setProblem("The studio did not answer.");
    if (!response.ok) return setProblem(failureMessage(response, (await response.json().catch(() => ({}))) as { error?: string }));
    onDone();
    router.refresh();
  }
  return { busy, problem, send };
}

function RenameDialog({ name, onClose }: { name: string; onClose: () => void }) {
  const id = useId();
  const [value, setValue] = useState(name);
  const { busy, problem, send } = useSend(onClose);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void send("PATCH", name, { name: value });
  };
  return (
    <Dialog
      open
      onClose={onClose}
      title={`Rename ${name}`}
      description="Links and exports use the new name from now on; the audit log keeps the old one."
      footer={
        <>
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" form={id} variant="primary" disabled={busy || !value.trim() || value.trim() === name}>
            {busy ? "Renaming…" : "Rename"}
          </Button>
        </>
      }
    >
      <form id={id} onSubmit={submit} className="space-y-3">
        <label className="block text-sm font-medium text-stone-700">
          New name
          <input value={value} onChange={(e) => setValue(e.target.value)} maxLength={100} required className={FIELD} />
        </label>
        {problem ? <Alert tone="error" title={problem} /> : null}
      </form>
    </Dialog>
  );
}

function ReviewsDialog({ name, current, onClose }: { name: string; current: number; onClose: () => void }) {
  const id = useId();
  const [value, setValue] = useState(String(current));
  const { busy, problem, send } = useSend(onClose);
  const k = Number(value);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void send("PATCH", name, { reviewsPerSample: k });
  };
  return (
    <Dialog
      open
      onClose={onClose}
      title={`Reviewers per sample of ${name}`}
      description="With more than one, the queue hands each sample to that many different reviewers, blind to each other. When they all agree the sample is decided; when they disagree it waits for an adjudicator."
      footer={
        <>
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" form={id} variant="primary" disabled={busy || !Number.isInteger(k) || k < 1 || k > 5 || k === current}>
            {busy ? "Saving…" : "Save"}
          </Button>
        </>
      }
    >
      <form id={id} onSubmit={submit} className="space-y-3">
        <label className="block text-sm font-medium text-stone-700">
          Reviews per sample (1–5)
          <input type="number" min={1} max={5} step={1} value={value} onChange={(e) => setValue(e.target.value)} required className={FIELD} />
        </label>
        {problem ? <Alert tone="error" title={problem} /> : null}
      </form>
    </Dialog>
  );
}

function DeleteDialog({ name, total, onClose }: { name: string; total: number; onClose: () => void }) {
  const id = useId();
  const [typed, setTyped] = useState("");
  const { busy, problem, send } = useSend(onClose);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (typed === name) void send("DELETE", name, { confirm: typed });
  };
  return (
    <Dialog
      open
      onClose={onClose}
      title={`Delete ${name}`}
      description={`${formatCount(total)} ${total === 1 ? "sample" : "samples"}, with their verdicts, revisions, decisions and comments, its guidelines, its runs and its import and export jobs go for good. The audit log records it.`}
      footer={
        <>
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" form={id} variant="danger" disabled={busy || typed !== name}>
            {busy ? "Deleting…" : "Delete the dataset"}
          </Button>
        </>
      }
    >
      <form id={id} onSubmit={submit} className="space-y-3">
        <label className="block text-sm font-medium text-stone-700">
          Type <span className="font-mono text-stone-900">{name}</span> to confirm
          <input value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" spellCheck={false} className={FIELD} />
        </label>
        {problem ? <Alert tone="error" title={problem} /> : null}
      </form>
    </Dialog>
  );
}
