"use client";

// An admin writes a dataset's guidelines (Markdown) on the Datasets page: the latest version to start from, a preview
// as reviewers will see it, and every earlier version to read. Each save is a new version (lib/guidelines/).
import { useRouter } from "next/navigation";
import { useEffect, useId, useState, type FormEvent, type KeyboardEvent } from "react";
import { Alert } from "@/components/ui/Alert";
import { Button } from "@/components/ui/Button";
import { Dialog } from "@/components/ui/Dialog";
import { Markdown } from "@/components/ui/Markdown";
import type { Guidelines, GuidelinesVersion } from "@/lib/guidelines/get-guidelines";
import { failureMessage } from "@/lib/http/failure";
import type { Jsonified } from "@/lib/http/json";
import { GUIDELINES_MAX_CHARS } from "@/lib/zod/schemas";
import { formatDateTime } from "./format";

type Loaded = Jsonified<{ current: Guidelines | null; versions: GuidelinesVersion[] }>;

const url = (name: string, version?: number) => `/api/datasets/${encodeURIComponent(name)}/guidelines${version ? `?version=${version}` : ""}`;

async function answerOf<T>(response: Response): Promise<T | string> {
  const json = (await response.json().catch(() => ({}))) as T & { error?: string };
  return response.ok ? json : failureMessage(response, json);
}

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
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [text, setText] = useState("");
  /** What the preview shows: the text being written, or an earlier version picked from the list. */
  const [shown, setShown] = useState<{ version: number; body: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    void fetch(url(name), { cache: "no-store" })
      .then((response) => answerOf<Loaded>(response))
      .then((answer) => {
        if (typeof answer === "string") return setProblem(answer);
        setLoaded(answer);
        // Anything typed while it loaded is kept.
        setText((typed) => typed || (answer.current?.body ?? ""));
      })
      .catch(() => setProblem("The studio did not answer."));
  }, [name]);

  async function showVersion(version: number) {
    const answer = await answerOf<Loaded>(await fetch(url(name, version), { cache: "no-store" }));
    if (typeof answer === "string") return setProblem(answer);
    setShown(answer.current && { version, body: answer.current.body });
  }

  async function save(event?: FormEvent) {
    event?.preventDefault();
    setBusy(true);
    setProblem(null);
    const response = await fetch(url(name), { method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ body: text }) }).catch(() => null);
    setBusy(false);
    if (!response) return setProblem("The studio did not answer: nothing was saved.");
    const answer = await answerOf<{ guidelines: Jsonified<Guidelines>; saved: boolean }>(response);
    if (typeof answer === "string") return setProblem(answer);
    onClose();
    router.refresh();
  }

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) void save();
  };
  const latest = loaded?.current ?? null;
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
              setText(event.target.value);
              setShown(null);
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
                    <button type="button" onClick={() => void showVersion(v.version)} className="font-medium text-accent-800 hover:underline">
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
