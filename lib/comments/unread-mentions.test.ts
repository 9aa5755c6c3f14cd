// The navigation's unread mentions: the page's render and the answer to a mention opened arrive in either order, and
// the count shown is the one counted later. (It used to take the number marked off whatever it showed: a render that
// had already counted the mention read, then the answer, took it off twice — two unread, shown as none.)
import { describe, expect, it } from "vitest";
import { laterUnread } from "./unread-mentions";

describe("laterUnread", () => {
  const rendered = { count: 2, asOf: 1_000 }; // the page as first rendered: two unread
  const afterOpening = { count: 1, asOf: 2_000 }; // one opened: counted after marking it read
  const renderedAgain = { count: 1, asOf: 1_900 }; // a render that ran while it was being marked, after the commit

  it("shows the count after a mention was opened, whichever arrives last", () => {
    expect(laterUnread(laterUnread(rendered, renderedAgain), afterOpening)).toEqual(afterOpening);
    expect(laterUnread(laterUnread(rendered, afterOpening), renderedAgain)).toEqual(afterOpening);
    expect(laterUnread(laterUnread(rendered, afterOpening), renderedAgain).count).toBe(1);
  });

  it("a render counted later than the answer wins: a mention that arrived meanwhile is shown", () => {
    const newMention = { count: 2, asOf: 3_000 };
    expect(laterUnread(afterOpening, newMention)).toEqual(newMention);
  });
});
