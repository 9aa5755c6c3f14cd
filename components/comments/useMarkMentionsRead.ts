"use client";

// Opening a mention marks it read: when a sample's thread is on screen, the comments in it that mention the person
// looking are marked read (from the browser, never while the server renders — a prefetched page marks nothing). The
// navigation's count is told how many were unread (MENTIONS_READ_EVENT) rather than the page refreshed: a refresh
// would start the review page over.
import { useEffect } from "react";

/** A window event whose `detail` is how many mentions were just marked read. */
export const MENTIONS_READ_EVENT = "studio:mentions-read";

export function useMarkMentionsRead(commentIds: readonly number[]) {
  const ids = commentIds.join(",");
  useEffect(() => {
    if (!ids) return;
    void fetch("/api/mentions/read", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ commentIds: ids.split(",").map(Number) }) })
      .then((response) => (response.ok ? (response.json() as Promise<{ marked: number }>) : null))
      .then((answer) => answer && answer.marked > 0 && window.dispatchEvent(new CustomEvent(MENTIONS_READ_EVENT, { detail: answer.marked })))
      .catch(() => undefined); // unread they stay: the next visit marks them
  }, [ids]);
}
