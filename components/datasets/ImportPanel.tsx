"use client";

import { useRouter } from "next/navigation";
import { useId, useRef, useState, type FormEvent, type ReactNode } from "react";
import { Alert } from "@/components/ui/Alert";
import { Button } from "@/components/ui/Button";
import { cx } from "@/components/ui/cx";
import { UploadIcon } from "@/components/ui/icons";
import { ProgressBar } from "@/components/ui/ProgressBar";
import type { FormatOption } from "@/lib/formats";
import { apiUpload, errorMessage } from "@/lib/api/client";
import { useApi } from "@/lib/api/use-api";
import { newRequestKey } from "@/lib/http/request-key";
import type { RecordError } from "@/lib/samples/types";
import { formatBytes, formatCount } from "./format";
import type { ImportSummary } from "@/lib/samples/import";


type Summary = ImportSummary;

/** A samples file on its way: bytes sent by the browser; how far the server has read is polled under `importId`. */
interface ImportProgress {
  importId: string;
  fileName: string;
  size: number;
  sent: number;
}

type Phase =
  | { kind: "idle" }
  | { kind: "uploading"; what: string; loaded: number; total: number }
  | ({ kind: "importing" } & ImportProgress)
  | { kind: "done"; summary: Summary; fileName: string }
  | { kind: "failed"; message: string };

/** How often the page asks how far the import has got while the file is being sent. */
const POLL_MS = 500;


/** `formats`: the import formats (lib/formats IMPORT_FORMATS), offered after "Detect from the file". */
export function ImportPanel({ datasetNames, maxBytes, formats }: { datasetNames: string[]; maxBytes: number; formats: FormatOption[] }) {
  const router = useRouter();
  const ids = { file: useId(), dataset: useId(), format: useId(), answers: useId(), strict: useId(), names: useId() };
  const formRef = useRef<HTMLFormElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [answers, setAnswers] = useState<File | null>(null);
  const [dataset, setDataset] = useState("");
  const [format, setFormat] = useState("auto");
  const [strict, setStrict] = useState(false);
  const [phase, setPhase] = useState<Phase>({ kind: "idle" });
  const [fieldErrors, setFieldErrors] = useState<{ file?: string; dataset?: string; answers?: string }>({});

  const busy = phase.kind === "uploading" || phase.kind === "importing";
  const answersApply = format === "auto" || format === "bfcl";
  const tooLarge = (f: File | null) => {
    if (!f || f.size <= maxBytes) return undefined;
    // Rounded sizes can look equal near the limit ("2.0 MiB, over the 2 MiB limit"): then say it in bytes.
    const [size, limit] = [formatBytes(f.size), formatBytes(maxBytes)];
    const [shownSize, shownLimit] =
      parseFloat(size) === parseFloat(limit) ? [`${formatCount(f.size)} bytes`, `${formatCount(maxBytes)}-byte`] : [size, limit];
    return (
      `${f.name} is ${shownSize}, over the ${shownLimit} upload limit. ` +
      "Import it with the CLI: npm run studio -- import <file> --dataset <name>"
    );
  };

  function chooseFile(chosen: File | null) {
    setFile(chosen);
    setFieldErrors((errors) => ({ ...errors, file: tooLarge(chosen) }));
    if (chosen && !dataset.trim()) setDataset(suggestName(chosen.name));
  }

  function chooseAnswers(chosen: File | null) {
    setAnswers(chosen);
    setFieldErrors((errors) => ({ ...errors, answers: tooLarge(chosen) }));
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const name = dataset.trim();
    const errors = {
      file: file ? tooLarge(file) : "Choose a file to import.",
      dataset: !name ? "Give the dataset a name." : name.length > 100 ? "Use at most 100 characters." : undefined,
      answers: answersApply ? tooLarge(answers) : undefined,
    };
    setFieldErrors(errors);
    if (errors.file || errors.dataset || errors.answers || !file) {
      const first = errors.file ? ids.file : errors.dataset ? ids.dataset : ids.answers;
      document.getElementById(first)?.focus();
      return;
    }

    try {
      let answersToken: string | undefined;
      if (answersApply && answers) {
        setPhase({ kind: "uploading", what: `Uploading ${answers.name}`, loaded: 0, total: answers.size });
        const stored = await apiUpload("POST /api/import", { query: { kind: "answers", fileName: answers.name }, body: answers }, (loaded) =>
          setPhase({ kind: "uploading", what: `Uploading ${answers.name}`, loaded, total: answers.size }),
        );
        // The answer of an answers upload (the route answers a summary to a samples upload).
        answersToken = (stored as { token: string }).token;
      }

      // The server imports the file while it arrives; the browser reads no answer before the whole file is sent,
      // so the records read so far are polled under an id the page chooses.
      const importId = newRequestKey();
      const query = { dataset: name, format, strict: String(strict), fileName: file.name, importId, answersToken };
      setPhase({ kind: "importing", importId, fileName: file.name, size: file.size, sent: 0 });
      const summary = await apiUpload("POST /api/import", { query, body: file }, (sent) =>
        setPhase({ kind: "importing", importId, fileName: file.name, size: file.size, sent }),
      );
      setPhase({ kind: "done", summary: summary as Summary, fileName: file.name });
      router.refresh();
    } catch (error) {
      const message = capitalize(errorMessage(error));
      setPhase({ kind: "failed", message: message.endsWith(".") ? message : `${message}.` });
    }
  }

  function reset() {
    formRef.current?.reset();
    setFile(null);
    setAnswers(null);
    setDataset("");
    setFormat("auto");
    setStrict(false);
    setFieldErrors({});
    setPhase({ kind: "idle" });
    document.getElementById(ids.file)?.focus();
  }

  return (
    <div>
      <form ref={formRef} onSubmit={submit} noValidate className="grid gap-x-5 gap-y-4 px-5 py-5 md:grid-cols-2" aria-describedby={`${ids.file}-limit`}>
        <Field
          id={ids.file}
          label="File"
          hint={
            <span id={`${ids.file}-limit`}>
              JSON Lines or a JSON array · up to {formatBytes(maxBytes)}
              {file ? <> · {file.name} is {formatBytes(file.size)}</> : null}
            </span>
          }
          error={fieldErrors.file}
        >
          <input
            id={ids.file}
            name="file"
            type="file"
            accept=".json,.jsonl,.ndjson,application/json,application/x-ndjson,text/plain"
            disabled={busy}
            onChange={(event) => chooseFile(event.target.files?.[0] ?? null)}
            aria-invalid={fieldErrors.file ? true : undefined}
            className={fileInputClasses}
          />
        </Field>

        <Field
          id={ids.dataset}
          label="Dataset name"
          hint="A new name creates a dataset; an existing one adds to it (duplicates are skipped)."
          error={fieldErrors.dataset}
        >
          <input
            id={ids.dataset}
            name="dataset"
            type="text"
            list={ids.names}
            maxLength={100}
            autoComplete="off"
            spellCheck={false}
            placeholder="e.g. xlam-60k"
            value={dataset}
            disabled={busy}
            onChange={(event) => setDataset(event.target.value)}
            aria-invalid={fieldErrors.dataset ? true : undefined}
            className={textInputClasses}
          />
          <datalist id={ids.names}>
            {datasetNames.map((name) => (
              <option key={name} value={name} />
            ))}
          </datalist>
        </Field>

        <Field id={ids.format} label="Format">
          <select
            id={ids.format}
            name="format"
            value={format}
            disabled={busy}
            onChange={(event) => setFormat(event.target.value)}
            className={textInputClasses}
          >
            <option value="auto">Detect from the file</option>
            {formats.map((option) => (
              <option key={option.id} value={option.id}>
                {option.label}
              </option>
            ))}
          </select>
        </Field>

        <Field
          id={ids.answers}
          label={
            <>
              BFCL possible_answer file <span className="font-normal text-stone-400">(optional)</span>
            </>
          }
          hint={answersApply ? "The ground truth with the same ids, for BFCL test files." : "Only used with BFCL files."}
          error={answersApply ? fieldErrors.answers : undefined}
        >
          <input
            id={ids.answers}
            name="answers"
            type="file"
            accept=".json,.jsonl,application/json,text/plain"
            disabled={busy || !answersApply}
            onChange={(event) => chooseAnswers(event.target.files?.[0] ?? null)}
            aria-invalid={fieldErrors.answers ? true : undefined}
            className={fileInputClasses}
          />
        </Field>

        <div className="flex flex-wrap items-center justify-between gap-4 border-t border-stone-100 pt-4 md:col-span-2">
          <div className="flex items-start gap-2.5">
            <input
              id={ids.strict}
              name="strict"
              type="checkbox"
              checked={strict}
              disabled={busy}
              onChange={(event) => setStrict(event.target.checked)}
              className="mt-0.5 size-4 rounded border-stone-300 accent-accent-700"
            />
            <label htmlFor={ids.strict} className="text-sm">
              <span className="font-medium text-stone-800">Strict</span>
              <span className="block text-xs text-stone-500">Import nothing if any record is rejected.</span>
            </label>
          </div>
          <div className="flex items-center gap-2">
            {phase.kind === "done" || phase.kind === "failed" ? (
              <Button variant="ghost" onClick={reset}>
                Clear
              </Button>
            ) : null}
            <Button type="submit" variant="primary" disabled={busy}>
              <UploadIcon width={16} height={16} />
              {busy ? "Importing…" : "Import"}
            </Button>
          </div>
        </div>
      </form>

      <div aria-live="polite" className={cx(phase.kind !== "idle" && "border-t border-stone-200 bg-stone-50/60 px-5 py-5")}>
        <PhaseView phase={phase} />
      </div>
    </div>
  );
}

function PhaseView({ phase }: { phase: Phase }) {
  switch (phase.kind) {
    case "idle":
      return null;
    case "uploading":
      return (
        <ProgressBar
          label={phase.what}
          value={phase.loaded}
          max={phase.total}
          detail={`${formatBytes(phase.loaded)} of ${formatBytes(phase.total)}`}
        />
      );
    case "importing":
      return <ImportingView phase={phase} />;
    case "failed":
      return (
        <Alert tone="error" title="The import did not run">
          {phase.message}
        </Alert>
      );
    case "done":
      return <SummaryView summary={phase.summary} fileName={phase.fileName} />;
  }
}

function SummaryView({ summary, fileName }: { summary: Summary; fileName: string }) {
  return (
    <div className="space-y-4" data-testid="import-summary">
      {summary.ok ? (
        <Alert tone={summary.rejected > 0 ? "warning" : "success"} title={`Imported ${fileName} into ${summary.dataset}`}>
          {formatCount(summary.total)} {summary.total === 1 ? "record" : "records"} read as {summary.format} in{" "}
          {formatSeconds(summary.seconds)}
          {summary.rejected > 0 ? "; the rejected records are listed below and were not imported." : "."}
        </Alert>
      ) : (
        <Alert tone="error" title="Nothing was imported">
          {summary.failure ?? "The import failed."}
        </Alert>
      )}
      {summary.ok || summary.rejected > 0 ? (
        <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
          <Stat label="Records" value={summary.total} testId="import-total" tone="stone" />
          <Stat label="Inserted" value={summary.inserted} testId="import-inserted" tone={summary.inserted ? "teal" : "stone"} />
          <Stat label="Duplicates" value={summary.duplicates} testId="import-duplicates" tone="stone" />
          <Stat label="Rejected" value={summary.rejected} testId="import-rejected" tone={summary.rejected ? "rose" : "stone"} />
        </dl>
      ) : null}
      {summary.furtherTurns > 0 ? (
        <p data-testid="import-further-turns" className="text-sm text-stone-700">
          {formatCount(summary.furtherTurns)} {summary.furtherTurns === 1 ? "record is a conversation" : "records are conversations"} of more
          than one exchange, imported with every turn and tool result.
        </p>
      ) : null}
      {summary.errors.length > 0 ? <RejectedList errors={summary.errors} rejected={summary.rejected} /> : null}
    </div>
  );
}

function Stat({ label, value, testId, tone }: { label: string; value: number; testId: string; tone: "teal" | "stone" | "rose" }) {
  return (
    <div className="rounded-lg border border-stone-200 bg-white px-4 py-3">
      <dt className="text-xs font-medium text-stone-500">{label}</dt>
      <dd
        data-testid={testId}
        className={cx(
          "tabular mt-0.5 text-2xl font-semibold",
          tone === "teal" ? "text-accent-800" : tone === "rose" ? "text-rose-700" : "text-stone-800",
        )}
      >
        {formatCount(value)}
      </dd>
    </div>
  );
}

function RejectedList({ errors, rejected }: { errors: RecordError[]; rejected: number }) {
  const headingId = useId();
  return (
    <section aria-labelledby={headingId}>
      <h3 id={headingId} className="mb-2 text-sm font-semibold text-stone-800">
        Rejected records
        {rejected > errors.length ? (
          <span className="ml-2 font-normal text-stone-500">
            first {formatCount(errors.length)} of {formatCount(rejected)}
          </span>
        ) : null}
      </h3>
      <ol
        tabIndex={0}
        aria-labelledby={headingId}
        data-testid="import-errors"
        className="max-h-72 divide-y divide-stone-100 overflow-y-auto rounded-lg border border-stone-200 bg-white text-sm"
      >
        {errors.map((error, i) => (
          <li key={i} className="grid grid-cols-[6.5rem_minmax(0,1fr)] gap-3 px-4 py-2.5" data-testid="import-error">
            <span className="tabular text-xs font-medium text-stone-500">
              {error.line !== undefined ? `Line ${formatCount(error.line)}` : `Record ${formatCount(error.index + 1)}`}
            </span>
            <span className="min-w-0">
              {error.field ? (
                <code className="mr-2 rounded bg-rose-50 px-1.5 py-0.5 font-mono text-xs text-rose-800 ring-1 ring-inset ring-rose-600/20">
                  {error.field}
                </code>
              ) : null}
              <span className="break-words text-stone-700">{error.message}</span>
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}

function Field({
  id,
  label,
  hint,
  error,
  children,
}: {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  children: ReactNode;
}) {
  return (
    <div className="min-w-0">
      <label htmlFor={id} className="mb-1.5 block text-sm font-medium text-stone-800">
        {label}
      </label>
      {children}
      {error ? (
        <p role="alert" className="mt-1.5 text-xs leading-5 text-rose-700">
          {error}
        </p>
      ) : hint ? (
        <p className="mt-1.5 text-xs leading-5 text-stone-500">{hint}</p>
      ) : null}
    </div>
  );
}

const textInputClasses =
  "block h-9 w-full rounded-lg border border-stone-300 bg-white px-3 text-sm text-stone-900 shadow-xs placeholder:text-stone-400 " +
  "disabled:bg-stone-50 disabled:text-stone-400 aria-invalid:border-rose-400";

const fileInputClasses =
  "block w-full rounded-lg border border-stone-300 bg-white text-sm text-stone-600 shadow-xs " +
  "file:mr-3 file:h-9 file:cursor-pointer file:border-0 file:border-r file:border-stone-200 file:bg-stone-50 file:px-3 " +
  "file:text-sm file:font-medium file:text-stone-700 hover:file:bg-stone-100 " +
  "disabled:cursor-not-allowed disabled:bg-stone-50 disabled:text-stone-400 disabled:file:text-stone-400 aria-invalid:border-rose-400";

/** "BFCL_v4_simple_python.json" → "BFCL_v4_simple_python". */
function suggestName(fileName: string): string {
  return fileName.replace(/\.(jsonl|ndjson|json)$/i, "").slice(0, 100);
}

/** The upload's bar, and the import's: records the server has read so far, and the bytes they came from. */
function ImportingView({ phase }: { phase: ImportProgress }) {
  // 404 before the import has started and after it has answered: nothing to show yet, so ask again at the same pace.
  // (SWR stops its refreshInterval while the last answer is an error, and backs off its own retries: the first poll
  // often beats the upload to the server, and the bar would then wait for records forever.)
  const { data } = useApi(
    "GET /api/import/progress",
    { query: { id: phase.importId } },
    { refreshInterval: POLL_MS, onErrorRetry: (_error, _key, _config, revalidate, { retryCount }) => void setTimeout(() => revalidate({ retryCount }), POLL_MS) },
  );
  const [records, read] = [data?.records ?? 0, data?.bytes ?? 0];
  return (
    <div className="space-y-4">
      <ProgressBar label={`Uploading ${phase.fileName}`} value={phase.sent} max={phase.size} detail={`${formatBytes(phase.sent)} of ${formatBytes(phase.size)}`} />
      <ProgressBar
        label="Importing"
        value={read}
        max={phase.size}
        detail={records === 0 ? "Waiting for the first records…" : `${formatCount(records)} records read${read >= phase.size ? " · saving them" : ""}`}
      />
    </div>
  );
}

function formatSeconds(seconds: number): string {
  return seconds < 1 ? `${Math.max(1, Math.round(seconds * 1000))} ms` : `${seconds.toFixed(1)} s`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
