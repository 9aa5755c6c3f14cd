// Input pieces every route shares, bounded as the database stores them. Each message names its field.
import { z } from "@/lib/browser-zod";

/** The largest value of a PostgreSQL integer (int4): ids, versions and counts are stored as such. */
export const INT4_MAX = 2_147_483_647;

/** A whole number in [min, max] from a JSON body (max defaults to int4's). */
export function wholeNumber(field: string, { min = 0, max = INT4_MAX }: { min?: number; max?: number } = {}) {
  return z
    .number({ error: `${field} must be a number` })
    .int(`${field} must be a whole number`)
    .min(min, `${field} must be at least ${min}`)
    .max(max, max === INT4_MAX ? `${field} is too large` : `${field} must be at most ${max}`);
}

/** An id in a JSON body: a positive int4. */
export function idSchema(field: string) {
  return wholeNumber(field, { min: 1 });
}

/** A conversation's assistant turn in a JSON body (1: the first answer; turns are stored as smallint). */
export const MAX_TURN = 999;
export const turnSchema = wholeNumber("turn", { min: 1, max: MAX_TURN });

const DIGITS = /^[1-9][0-9]{0,9}$/;

/** A whole number written in a path or query string: decimal digits only ("0x10", "1e3", " 7", "+7" are not). */
export function wholeNumberText(field: string, { min = 0, max = INT4_MAX }: { min?: number; max?: number } = {}) {
  return z
    .string({ error: `${field} is missing` })
    .regex(min === 0 ? /^(0|[1-9][0-9]{0,9})$/ : DIGITS, `${field} must be a whole number written in digits`)
    .transform(Number)
    .refine((n) => n >= min, `${field} must be at least ${min}`)
    .refine((n) => n <= max, max === INT4_MAX ? `${field} is too large` : `${field} must be at most ${max}`);
}

/** An id in a path or query string. */
export function idText(field: string) {
  return wholeNumberText(field, { min: 1 });
}

/** The most a dataset's guidelines may hold (a few pages of Markdown). */
export const GUIDELINES_MAX_CHARS = 20_000;
/** The most one comment may hold. */
export const COMMENT_MAX_CHARS = 5_000;

/** Markdown text a person writes: not blank, at most `max` characters; the message names `field`. */
function markdownText(field: string, max: number) {
  return z
    .string({ error: `${field} must be text` })
    .refine((text) => text.trim().length > 0, `${field} is empty`)
    .refine((text) => text.length <= max, `${field} is too long (${max.toLocaleString("en-US")} characters at most)`);
}

/** PUT /api/datasets/:name/guidelines: the new version's Markdown. */
export const GuidelinesBody = z.object({ body: markdownText("body", GUIDELINES_MAX_CHARS) });

/** GET /api/datasets/:name/guidelines?version=N: one earlier version (else the latest and the list). */
export const GuidelinesQuery = z.object({ version: idText("version").optional() });

/** POST /api/samples/:id/comments: the comment's Markdown (@name mentions a person). */
export const CommentBody = z.object({ body: markdownText("body", COMMENT_MAX_CHARS) });

/** POST /api/mentions/read: the comments whose mentions of the caller were seen. */
export const MentionsReadBody = z.object({
  commentIds: z.array(idSchema("commentIds[]"), { error: "commentIds must be a list of comment ids" }).max(500, "commentIds holds more than 500 ids"),
});
