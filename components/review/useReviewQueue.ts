"use client";

// How the review page moves from sample to sample. Queue mode walks the reviewer's claims: the next sample is looked
// up (not claimed) while this one is on screen, and claimed together with the decision, so it is on screen one round
// trip after the key press; `j` gives this one back (a skip) and takes the next. Browse mode walks the table's list:
// the previous and next rows are fetched with the sample.
import { useCallback, useEffect, useRef, useState } from "react";
import { queueSampleHref } from "@/components/queue/format";
import { api, errorMessage } from "@/lib/api/client";
import { useApi } from "@/lib/api/use-api";
import type { View } from "./useSampleView";

/** Queue mode walks the reviewer's claims (the next one claimed while this one is on screen); browse mode walks the table's list. */
export type ReviewMode = { kind: "queue"; datasetId: number | null; adjudicate: boolean } | { kind: "browse"; listQuery: string };

type NextAnswer = { nextId: number | null; next?: View | null };

export function reviewUrl(mode: ReviewMode, sampleId: number): string {
  return mode.kind === "queue" ? queueSampleHref(sampleId, mode.datasetId, mode.adjudicate) : `/samples/${sampleId}${mode.listQuery ? `?${mode.listQuery}` : ""}`;
}

/** `show` puts a sample on screen; `say` tells the reviewer how a move went (null: nothing to say). */
export function useReviewQueue(mode: ReviewMode, id: number, { show, say }: { show: (view: View) => void; say: (notice: { tone: "success" | "error"; title: string; body?: string } | null) => void }) {
  const queue = mode.kind === "queue";
  const [queueEmpty, setQueueEmpty] = useState(false);
  /** Queue mode: the sample after this one is looked up and loaded (what makes "next" instant). */
  const [nextReady, setNextReady] = useState(false);
  const peeked = useRef<Promise<View | null> | null>(null);
  /** Samples this reviewer skipped in this session: not handed out again right away. */
  const skipped = useRef<number[]>([]);
  /** The last skip's release, still on its way: taking the skip back waits for it. */
  const releasing = useRef<Promise<unknown> | null>(null);
  /** Decisions made in this session (the empty queue says how many). */
  const decided = useRef(0);

  const queueQuery = mode.kind === "queue" ? { ...(mode.datasetId === null ? {} : { datasetId: String(mode.datasetId) }), ...(mode.adjudicate ? { mode: "adjudicate" as const } : {}) } : {};
  /** "N left in this queue · M done by you today · median per sample", asked for again with each sample shown. */
  const { data: progress, mutate: refreshProgress } = useApi(queue ? "GET /api/review/progress" : null, { query: queueQuery });
  const progressFor = useRef(id);
  useEffect(() => {
    if (progressFor.current === id) return;
    progressFor.current = id;
    // The figures are a help, not the work: the page goes on without them.
    void refreshProgress().catch(() => undefined);
  }, [id, refreshProgress]);

  /** Browse mode: the samples before and after this one in the table's list. */
  const { data: neighbors } = useApi(queue ? null : "GET /api/samples/[id]/neighbors", { params: { id }, query: mode.kind === "browse" ? mode.listQuery : undefined });

  /** Queue mode: the next sample after this one, looked up (claim: false) or claimed for the reviewer (claim: true). */
  const queueNext = useCallback(
    (claim: boolean, known?: number): Promise<NextAnswer> => {
      if (mode.kind !== "queue") return Promise.resolve({ nextId: null, next: null });
      return api("POST /api/samples/[id]/next", {
        params: { id },
        body: { claim, known, skipped: skipped.current, ...(mode.datasetId === null ? {} : { datasetId: mode.datasetId }), ...(mode.adjudicate ? { mode: "adjudicate" } : {}) },
      });
    },
    [id, mode],
  );

  // Queue mode: look up what comes next while this sample is on screen.
  useEffect(() => {
    if (!queue) return;
    setNextReady(false);
    peeked.current = queueNext(false).then((found) => found.next ?? null);
    peeked.current.then(
      () => setNextReady(true),
      () => undefined, // a failed look ahead costs only speed: moving on asks again
    );
  }, [queue, queueNext]);

  async function peekedId(): Promise<number | undefined> {
    return (await peeked.current?.catch(() => null))?.sample.id;
  }

  /** Queue mode: claims the sample after this one (sent along with a decision); null in browse mode. */
  function claimNext(): Promise<NextAnswer> | null {
    return queue ? peekedId().then((known) => queueNext(true, known)) : null;
  }

  /** Shows the claimed sample: the prefetched view when the claim is the sample looked up, else the claimed one's. */
  async function moveOn(claiming: Promise<NextAnswer>) {
    try {
      const [claimed, prefetched] = await Promise.all([claiming, peeked.current?.catch(() => null) ?? null]);
      const next = claimed.nextId === null ? null : claimed.nextId === prefetched?.sample.id ? prefetched : (claimed.next ?? null);
      if (next) show(next);
      else setQueueEmpty(true);
      say(null);
    } catch (error) {
      say({ tone: "error", title: "Could not load the next sample", body: errorMessage(error) });
    }
  }

  /** Queue mode's "next": give this sample back to the queue and take the next one. */
  async function skip() {
    skipped.current.push(id);
    const claiming = queueNext(true, await peekedId());
    releasing.current = api("POST /api/review/release", { body: { sampleId: id, skip: true } }).catch(() => undefined);
    await moveOn(claiming);
  }

  /** Takes a skip back: the sample is claimed for this reviewer again (after its release has landed). */
  async function unskip(sampleId: number) {
    await releasing.current;
    await api("POST /api/review/reclaim", { body: { sampleId } });
    skipped.current = skipped.current.filter((n) => n !== sampleId);
  }

  return {
    queue,
    queueEmpty,
    nextReady,
    progress: progress ?? null,
    neighbors: neighbors ?? null,
    decided,
    claimNext,
    moveOn,
    skip,
    unskip,
    /** An undo brought a sample back: the queue is not empty any more. */
    refill: () => setQueueEmpty(false),
  };
}
