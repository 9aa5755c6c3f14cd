"use client";

// Opening a mention marks it read: when a sample's thread is on screen, the comments in it that mention the person
// looking are marked read (from the browser, never while the server renders — a prefetched page marks nothing). The
// navigation is told the person's unread count after it (MENTIONS_READ_EVENT) rather than the page refreshed: a
// refresh would start the review page over.
import { useEffect } from "react";
import { api } from "@/lib/api/client";
import type { UnreadMentions } from "@/lib/comments/unread-mentions";

/** A window event whose `detail` is the person's unread mentions once some were marked read (UnreadMentions). */
export const MENTIONS_READ_EVENT = "studio:mentions-read";

export function useMarkMentionsRead(commentIds: readonly number[]) {
  const ids = commentIds.join(",");
  useEffect(() => {
    if (!ids) return;
    void api("POST /api/mentions/read", { body: { commentIds: ids.split(",").map(Number) } })
      .then(({ unread }) => window.dispatchEvent(new CustomEvent<UnreadMentions>(MENTIONS_READ_EVENT, { detail: unread })))
      .catch(() => undefined); // unread they stay: the next visit marks them
  }, [ids]);
}
