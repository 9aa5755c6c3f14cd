// Comments on the real database: the thread, the mentions it stores (known, active people other than the author),
// the audit entry that puts it in the sample's History, a person's Mentions and marking them read, and a dataset
// delete taking comments, mentions and guidelines with it.
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { listAudit } from "@/lib/audit/log";
import { deleteDataset } from "@/lib/datasets/manage";
import { closeDb, getPool } from "@/lib/db/client";
import { saveGuidelines } from "@/lib/guidelines/save-guidelines";
import { seedDataset } from "@/test/seed";
import { addComment } from "./add-comment";
import { listComments } from "./list-comments";
import { listMentions, unreadMentionCount, unreadMentionsNow } from "./list-mentions";
import { markMentionsRead } from "./mark-mentions-read";

afterAll(() => closeDb());

/** A person with a unique email (the test database is shared by every test file). */
async function person(name: string, { deactivated = false } = {}) {
  const tag = randomBytes(3).toString("hex");
  const email = `${name.split(" ")[0].toLowerCase()}-${tag}@studio.test`;
  const id = `user-${tag}`;
  await (await getPool()).query(`INSERT INTO users (id, name, email, role, deactivated_at) VALUES ($1, $2, $3, 'annotator', $4)`, [
    id,
    `${name} ${tag}`,
    email,
    deactivated ? new Date() : null,
  ]);
  return { id, email, handle: email.split("@")[0], author: `human:${email}` };
}

const count = async (sql: string, params: unknown[]) => (await (await getPool()).query<{ n: number }>(sql, params)).rows[0].n;

describe("addComment", () => {
  it("adds to the thread, mentions the people it names — not unknown handles, the author or a deactivated account", async () => {
    const { ids } = await seedDataset([{}], "comments");
    const [ann, bo, gone] = [await person("Ann"), await person("Bo"), await person("Gone", { deactivated: true })];
    const body = `@${bo.handle}, look at **stage 4**. cc @${gone.handle} @nobody-${ann.handle} @${ann.handle} and mail ${bo.email}`;

    const comment = await addComment(ids[0], body, ann.author);
    expect(comment).toMatchObject({ sampleId: ids[0], author: ann.author, authorName: expect.stringMatching(/^Ann /), body });
    expect(comment.mentions.map((m) => m.email)).toEqual([bo.email]);
    await addComment(ids[0], "second", bo.author);
    expect((await listComments({ sampleId: ids[0] })).map((c) => c.body)).toEqual([body, "second"]);

    // In the sample's History (the audit log) and nowhere half-written.
    const { entries } = await listAudit({ targetType: "sample", targetId: String(ids[0]), action: "comment.add" });
    expect(entries.map((e) => [e.actor, e.summary])).toEqual([
      [bo.author, "Commented: second"],
      [ann.author, `Commented: ${body}`],
    ]);
    expect(entries[1].after).toEqual({ commentId: comment.id, mentions: [bo.email] });
  });

  it("refuses an empty or too long comment naming the field, and an unknown sample, writing nothing", async () => {
    const { ids } = await seedDataset([{}], "comments-bad");
    const ann = await person("Ann");
    await expect(addComment(ids[0], " \n\t", ann.author)).rejects.toThrow("body is empty");
    await expect(addComment(ids[0], "x".repeat(5_001), ann.author)).rejects.toThrow("body is too long (5,000 characters at most)");
    await expect(addComment(2_147_483_000, "hello", ann.author)).rejects.toThrow("sample 2147483000 does not exist");
    expect(await count(`SELECT count(*)::int AS n FROM sample_comments WHERE sample_id = $1`, [ids[0]])).toBe(0);
  });

  it("quotes a long comment shortly in the History", async () => {
    const { ids } = await seedDataset([{}], "comments-long");
    const ann = await person("Ann");
    await addComment(ids[0], `${"word ".repeat(100)}end`, ann.author);
    const { entries } = await listAudit({ targetType: "sample", targetId: String(ids[0]) });
    expect(entries[0].summary).toHaveLength("Commented: ".length + 160);
    expect(entries[0].summary.endsWith("…")).toBe(true);
  });
});

describe("Mentions", () => {
  it("lists the comments that mention a person, newest first, unread until marked — only their own", async () => {
    const { name, ids } = await seedDataset([{}, {}], "mentions");
    const [ann, bo] = [await person("Ann"), await person("Bo")];
    const first = await addComment(ids[0], `@${bo.handle} first`, ann.author);
    const second = await addComment(ids[1], `@${bo.handle} second`, ann.author);
    await addComment(ids[1], `@${ann.handle} for Ann`, bo.author);

    const mentions = await listMentions(bo.id);
    expect(mentions.map((m) => [m.comment.id, m.comment.sampleId, m.dataset, m.readAt])).toEqual([
      [second.id, ids[1], name, null],
      [first.id, ids[0], name, null],
    ]);
    expect(await unreadMentionCount(bo.id)).toBe(2);

    // Marking Ann's comment ids as Bo changes only Bo's rows; a second mark changes nothing.
    expect(await markMentionsRead(bo.id, [first.id])).toBe(1);
    expect(await markMentionsRead(bo.id, [first.id])).toBe(0);
    expect(await unreadMentionCount(bo.id)).toBe(1);
    expect(await unreadMentionCount(ann.id)).toBe(1);
    // What the navigation is told after a mark: the count then, and when it was counted (the later count wins there).
    const before = Date.now();
    const now = await unreadMentionsNow(bo.id);
    expect(now.count).toBe(1);
    expect(now.asOf).toBeGreaterThanOrEqual(before);
    expect((await listMentions(bo.id)).find((m) => m.comment.id === first.id)?.readAt).toBeInstanceOf(Date);
  });
});

describe("deleting a dataset", () => {
  it("removes its guidelines, comments and mentions in the same transaction", async () => {
    const { datasetId, name, ids } = await seedDataset([{}], "delete-collab");
    const [ann, bo] = [await person("Ann"), await person("Bo")];
    await saveGuidelines(name, "rules", ann.author);
    const comment = await addComment(ids[0], `@${bo.handle} see`, ann.author);

    await deleteDataset(name, name, "human:ada");
    expect(await count(`SELECT count(*)::int AS n FROM dataset_guidelines WHERE dataset_id = $1`, [datasetId])).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM sample_comments WHERE id = $1`, [comment.id])).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM comment_mentions WHERE comment_id = $1`, [comment.id])).toBe(0);
    expect(await unreadMentionCount(bo.id)).toBe(0);
  });
});
