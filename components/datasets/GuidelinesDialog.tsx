"use client";

// An admin writes a dataset's guidelines (Markdown) on the Datasets page: the latest version to start from, a preview
// as reviewers will see it, and every earlier version to read. Each save is a new version (lib/guidelines/).
import { useRouter } from "next/navigation";
import { useId, useState, type FormEvent, type KeyboardEvent } from "react";
import { Alert } from "@/components/ui/Alert";
import { Button } from "@/components/ui/Button";
import { Dialog } from "@/components/ui/Dialog";
import { Markdown } from "@/components/ui/Markdown";
import { api, errorMessage } from "@/lib/api/client";
import { invalidate, useApi } from "@/lib/api/use-api";
import { GUIDELINES_MAX_CHARS } from "@/lib/zod/schemas";
import { formatDateTime } from "./format";

export function GuidelinesButton({ name }: { name: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button size="sm" variant="ghost" onClick={() => setOpen(true)} aria-label={`Guidelines of ${name}`}>
        Guidelines…
      </Button>
      {open ? <GuidelinesDialog name={name} onClose={() => setOpen(false)} /> : null}
    </>
  );
}

function GuidelinesDialog({ name, onClose }: { name: string; onClose: () => void }) {
  const formId = useId();
  const router = useRouter();
  const params = { name };
  const { data: loaded, error: loadError } = useApi("GET /api/datasets/[name]/guidelines", { params });
  /** What the person typed; until they type, the latest version (as soon as it has loaded). */
  const [typed, setTyped] = useState<string | null>(null);
  /** An earlier version picked from the list, shown in the preview instead of the text being written. */
  const [version, setVersion] = useState<number | null>(null);
  const { data: picked, error: pickError } = useApi(version === null ? null : "GET /api/datasets/[name]/guidelines", { params, query: { version: String(version) } });
  const [busy, setBusy] = useState(false);
  const [saveProblem, setSaveProblem] = useState<string | null>(null);
  const latest = loaded?.current ?? null;
  const text = typed ?? latest?.body ?? "";
  const shown = version !== null && picked?.current ? { version, body: picked.current.body } : null;
  const problem = saveProblem ?? (loadError ? errorMessage(loadError, "The studio did not answer.") : pickError ? errorMessage(pickError) : null);

  async function save(event?: FormEvent) {
    event?.preventDefault();
    setBusy(true);
    setSaveProblem(null);
    try {
      await api("PUT /api/datasets/[name]/guidelines", { params, body: { body: text } });
    } catch (error) {
      return setSaveProblem(errorMessage(error, "The studio did not answer: nothing was saved."));
    } finally {
      setBusy(false);
    }
    void invalidate("GET /api/datasets/[name]/guidelines");
    onClose();
    router.refresh();
  }

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) void save();
  };
  const unchanged = latest ? text === latest.body : !text.trim();

  return (
    <Dialog
      open
      onClose={onClose}
      className="w-[min(60rem,calc(100vw-2rem))]"
      title={`Guidelines of ${name}`}
      description={
        latest
          ? `Version ${latest.version}, by ${latest.author.replace(/^human:/, "")} on ${formatDateTime(new Date(latest.createdAt))}. Saving makes version ${latest.version + 1}; every decision records the version it was made under.`
          : "None yet. Reviewers see them above every sample of this dataset (g shows and hides them); every decision records the version it was made under."
      }
      footer={
        <>
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" form={formId} variant="primary" disabled={busy || !loaded || unchanged}>
            {busy ? "Saving…" : latest ? `Save as version ${latest.version + 1}` : "Save as version 1"}
          </Button>
        </>
      }
    >
      <form id={formId} onSubmit={save} onKeyDown={onKeyDown} className="grid gap-4 md:grid-cols-2">
        <label className="block text-sm font-medium text-stone-700">
          Markdown
          <textarea
            value={text}
            onChange={(event) => {
              setTyped(event.target.value);
              setVersion(null);
            }}
            rows={16}
            maxLength={GUIDELINES_MAX_CHARS}
            placeholder={"# What to approve\n\n- The **arguments** come from the query\n- …"}
            className="mt-1 block w-full rounded-lg border border-stone-300 bg-white px-3 py-2 font-mono text-xs leading-5 focus:border-accent-600 focus:ring-2 focus:ring-accent-600/20 focus:outline-none"
          />
          <span className="mt-1 block text-xs font-normal text-stone-400">Headings, **bold**, *italic*, `code`, lists, links (http/https). No HTML. Ctrl/⌘+Enter saves.</span>
        </label>
        <div className="min-w-0 text-sm">
          <p className="font-medium text-stone-700">{shown ? `Version ${shown.version} (read only)` : "Preview"}</p>
          <div className="mt-1 max-h-80 overflow-y-auto rounded-lg border border-stone-200 px-3 py-2" data-testid="guidelines-preview">
            {(shown?.body ?? text).trim() ? <Markdown>{shown?.body ?? text}</Markdown> : <p className="text-stone-400">Nothing written yet.</p>}
          </div>
          {loaded && loaded.versions.length > 1 ? (
            <div className="mt-3">
              <p className="font-medium text-stone-700">Earlier versions</p>
              <ul className="mt-1 space-y-1 text-xs text-stone-500">
                {loaded.versions.slice(1).map((v) => (
                  <li key={v.version}>
                    <button type="button" onClick={() => setVersion(v.version)} className="font-medium text-accent-800 hover:underline">
                      Version {v.version}
                    </button>{" "}
                    by {v.author.replace(/^human:/, "")}, {formatDateTime(new Date(v.createdAt))}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
        </div>
        {problem ? (
          <div className="md:col-span-2">
            <Alert tone="error" title={problem} />
          </div>
        ) : null}
      </form>
    </Dialog>
  );
}
