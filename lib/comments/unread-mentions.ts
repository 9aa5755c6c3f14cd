// What the navigation shows of a person's unread mentions, as the server counted them; shared by the server (the
// page's render, POST /api/mentions/read) and the browser (NavLinks), so no server code here.

/**
 * The user's unread mentions as of a moment (`asOf`, the server's clock in ms, read before counting): of two counts,
 * the page shows the one read later. A page render and a mention marked read can answer in either order.
 */
export interface UnreadMentions {
  count: number;
  asOf: number;
}

/** Of the count shown and a new one, the one counted later (the same moment: the new one). */
export function laterUnread(shown: UnreadMentions, next: UnreadMentions): UnreadMentions {
  return next.asOf >= shown.asOf ? next : shown;
}
