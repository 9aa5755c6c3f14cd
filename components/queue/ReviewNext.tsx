"use client";

import { useRouter } from "next/navigation";
import { useCallback, useRef, useState } from "react";
import { Alert } from "@/components/ui/Alert";
import { Button } from "@/components/ui/Button";
import { Kbd } from "@/components/ui/Kbd";
import { useShortcuts } from "@/components/ui/useShortcuts";
import { failureMessage } from "@/lib/http/failure";
import { queueSampleHref } from "./format";

type Problem = { kind: "empty" } | { kind: "error"; message: string } | null;

/**
 * The "Review next" button: claims the next sample for this reviewer (POST /api/review/next) and opens it. Also on
 * `n` and Enter anywhere on the page, unless the person is typing or Enter already means something where they are.
 * `adjudicate`: the same for the adjudication queue (no key: the review queue keeps `n` and Enter).
 */
export function ReviewNext({ datasetId, adjudicate = false }: { datasetId: number | null; adjudicate?: boolean }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem>(null);
  const busyRef = useRef(false);

  const reviewNext = useCallback(async () => {
    if (busyRef.current) return;
    busyRef.current = true;
    setBusy(true);
    setProblem(null);
    let navigating = false;
    try {
      const response = await fetch("/api/review/next", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ ...(datasetId === null ? {} : { datasetId }), ...(adjudicate ? { mode: "adjudicate" } : {}) }),
      });
      const json = (await response.json().catch(() => ({}))) as { sampleId?: number | null; error?: string };
      if (!response.ok) {
        setProblem({ kind: "error", message: failureMessage(response, json) });
      } else if (typeof json.sampleId === "number") {
        navigating = true;
        router.push(queueSampleHref(json.sampleId, datasetId, adjudicate));
      } else {
        // The counts on the page were older than the queue (someone took the last sample meanwhile), or what is left
        // are samples this reviewer skipped.
        setProblem({ kind: "empty" });
        router.refresh();
      }
    } catch (error) {
      setProblem({ kind: "error", message: (error as Error).message });
    } finally {
      // While the next page loads the button stays busy, so a second press cannot claim a second sample.
      if (!navigating) {
        busyRef.current = false;
        setBusy(false);
      }
    }
  }, [datasetId, adjudicate, router]);

  useShortcuts("queue", () => void reviewNext(), !adjudicate);

  return (
    <div className="space-y-3">
      <Button
        variant={adjudicate ? "secondary" : "primary"}
        className="h-11 w-full px-5 text-base"
        onClick={reviewNext}
        disabled={busy}
        aria-keyshortcuts={adjudicate ? undefined : "n Enter"}
      >
        {busy ? (
          <>
            <span aria-hidden className="size-4 animate-spin rounded-full border-2 border-current/30 border-t-current" />
            Claiming the next sample…
          </>
        ) : adjudicate ? (
          "Adjudicate next"
        ) : (
          "Review next"
        )}
      </Button>
      {adjudicate ? null : (
        <p className="flex items-center justify-center gap-1.5 text-xs text-stone-500">
          Press <Kbd>N</Kbd> or <Kbd>Enter</Kbd>
        </p>
      )}
      {problem?.kind === "empty" ? (
        <Alert tone="info" title="Queue empty">
          Nothing is left for you here: someone took the last sample a moment ago, or you skipped what is left (a
          skipped sample comes back to you when its claim would have run out; others can review it now).
        </Alert>
      ) : null}
      {problem?.kind === "error" ? (
        <Alert tone="error" title="Could not claim a sample">
          {problem.message}
        </Alert>
      ) : null}
    </div>
  );
}
