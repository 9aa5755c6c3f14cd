"use client";

// Before a download, the export dialogs ask the server what the export will leave out (samples of the refined set a
// rule fails, conversations the format cannot hold, …: lib/samples/export.ts) and say it here, so a download never holds less than was asked without saying so.
import Link from "next/link";
import { useEffect, useState } from "react";
import { formatCount } from "@/components/datasets/format";
import { Alert } from "@/components/ui/Alert";
import type { ExportCheck } from "@/lib/samples/export";

export type CheckState = { kind: "checking" } | { kind: "checked"; check: ExportCheck } | { kind: "failed"; message: string };

/** Asks an export check endpoint: GET `url`, or POST `form` (a selection's ids, too many for a query string). */
export async function fetchExportCheck(url: string, form?: URLSearchParams): Promise<CheckState> {
  try {
    const response = await fetch(url, form ? { method: "POST", body: form } : undefined);
    const json = await response.json();
    return response.ok ? { kind: "checked", check: json as ExportCheck } : { kind: "failed", message: json.error ?? `HTTP ${response.status}` };
  } catch (error) {
    return { kind: "failed", message: (error as Error).message };
  }
}

/** The check of `url` (POSTing `form` when given), redone when either changes; null url: nothing to check. */
export function useExportCheck(url: string | null, form?: string): CheckState | null {
  const [state, setState] = useState<CheckState | null>(null);
  useEffect(() => {
    if (!url) return setState(null);
    let current = true;
    setState({ kind: "checking" });
    void fetchExportCheck(url, form === undefined ? undefined : new URLSearchParams(form)).then((next) => current && setState(next));
    return () => {
      current = false;
    };
  }, [url, form]);
  return state;
}

/** What the check found: nothing to say when every sample passes, else how many are left out, which, and why. */
export function WithheldNotice({ state }: { state: CheckState | null }) {
  if (!state) return null;
  if (state.kind === "checking") return <p className="text-xs text-stone-500">Checking the rules on the samples to export…</p>;
  if (state.kind === "failed") return <Alert tone="error" title={`Could not check the export: ${state.message}`} />;
  const { withheld, withheldSamples, written } = state.check;
  if (withheld === 0) return null;
  const more = withheld - withheldSamples.length;
  return (
    <div data-testid="export-withheld">
      <Alert
        tone="warning"
        title={`${formatCount(withheld)} sample${withheld === 1 ? "" : "s"} will be left out: the download holds the other ${formatCount(written)}.`}
      >
        <ul className="list-disc pl-4">
          {withheldSamples.map((w) => (
            <li key={w.sampleId}>
              <Link href={`/samples/${w.sampleId}`} className="font-medium underline">
                #{w.sampleId}
              </Link>{" "}
              {w.reason}
            </li>
          ))}
        </ul>
        {more > 0 ? <p>…and {formatCount(more)} more.</p> : null}
      </Alert>
    </div>
  );
}
