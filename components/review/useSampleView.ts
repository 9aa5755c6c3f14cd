"use client";

// The review page's data: the sample on screen (its view kept by SWR, polled while a regeneration or re-check it
// waits for runs), moving to another sample at once (its own URL; back and forward load the sample the URL names),
// and reloading after a change.
import { useCallback, useEffect, useRef, useState } from "react";
import { api, type ApiAnswer } from "@/lib/api/client";
import { cache, useApi } from "@/lib/api/use-api";

export type View = ApiAnswer<"GET /api/samples/[id]">;
export type Task = View["tasks"][number];

const POLL_MS = 1000;

export const isActive = (task: Task) => task.status === "queued" || task.status === "running";

const sampleRequest = (id: number) => ({ params: { id } });

/** The sample's view as it is now (null when it is gone or the server did not answer). */
export function fetchView(id: number): Promise<View | null> {
  return api("GET /api/samples/[id]", sampleRequest(id)).catch(() => null);
}

/**
 * `onShow`: resets what belongs to the sample that was on screen (dialogs, editor, conflict) the moment another is
 * shown; `onTaskEnded`: a task the page waited for ended (say how it went).
 */
export function useSampleView(initial: View, { urlFor, onShow, onTaskEnded }: { urlFor: (sampleId: number) => string; onShow: () => void; onTaskEnded: (task: Task) => void }) {
  const [id, setId] = useState(initial.sample.id);
  /** The task the page waits for: one asked for here, or one found running. */
  const [watching, setWatching] = useState<number | null>(null);
  const { data, mutate } = useApi("GET /api/samples/[id]", sampleRequest(id), {
    fallbackData: id === initial.sample.id ? initial : undefined,
    // The page arrives with its view, and show() brings the next one: nothing to fetch on arrival.
    revalidateOnMount: false,
    revalidateIfStale: false,
    refreshInterval: watching === null ? 0 : POLL_MS,
  });
  const lastView = useRef(initial);
  if (data) lastView.current = data;
  const view = data ?? lastView.current;

  const activeTask = view.tasks.find(isActive) ?? null;
  const noticeTaskEnd = useRef(onTaskEnded);
  useEffect(() => {
    noticeTaskEnd.current = onTaskEnded;
  });
  useEffect(() => {
    if (watching === null) {
      if (activeTask) setWatching(activeTask.id);
      return;
    }
    // A task asked for here may be done before the page ever sees it running.
    const task = view.tasks.find((t) => t.id === watching);
    if (task && isActive(task)) return;
    setWatching(null);
    if (task) noticeTaskEnd.current(task);
  }, [view, watching, activeTask]);

  /** Puts another sample on screen at once (its view is already here) and gives it its own URL. */
  const show = useCallback(
    (next: View, how: "push" | "none" = "push") => {
      const nextId = next.sample.id;
      void cache("GET /api/samples/[id]", sampleRequest(nextId), next);
      setId(nextId);
      setWatching(null);
      onShow();
      if (how === "push") window.history.pushState(null, "", urlFor(nextId));
      document.title = `Sample ${nextId} · FunReason Studio`;
      window.scrollTo(0, 0);
      // A prefetched view may be seconds old: refresh it quietly.
      void fetchView(nextId).then((fresh) => fresh && cache("GET /api/samples/[id]", sampleRequest(nextId), fresh));
    },
    [urlFor, onShow],
  );

  /** The sample as it is now, shown (null when the server did not answer). */
  const reload = useCallback(async () => (await mutate().catch(() => undefined)) ?? null, [mutate]);

  /** Shows a change the page made itself (a task asked for: watch it). */
  const update = useCallback((change: (current: View) => View, watch?: number) => {
    if (watch !== undefined) setWatching(watch);
    void mutate((current) => change(current ?? lastView.current), { revalidate: false });
  }, [mutate]);

  // Back and forward between samples shown here: load the sample the URL names.
  useEffect(() => {
    const onPopState = () => {
      const match = /^\/samples\/(\d+)$/.exec(window.location.pathname);
      if (!match || Number(match[1]) === id) return;
      void fetchView(Number(match[1])).then((found) => found && show(found, "none"));
    };
    window.addEventListener("popstate", onPopState);
    return () => window.removeEventListener("popstate", onPopState);
  }, [id, show]);

  return { view, activeTask, show, reload, update };
}
