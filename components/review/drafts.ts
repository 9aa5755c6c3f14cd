// Unsaved edits kept in the browser (localStorage) while they are typed, so a closed tab or a crashed browser loses
// nothing: the review page offers them back on the reviewer's next visit. One draft per person and sample; it
// records the version it was typed against, so a draft older than the sample says so before it is restored.
import { z } from "@/lib/browser-zod";

const DraftSchema = z.object({
  version: z.number().int().positive(),
  answer: z.string(),
  cot: z.string(),
  savedAt: z.iso.datetime(),
});
export type EditDraft = z.infer<typeof DraftSchema>;

const keyFor = (user: string, sampleId: number) => `funreason-studio:edit-draft:${user}:${sampleId}`;

/** The draft `user` left on the sample, if any (one that does not parse, from an older page, counts as none). */
export function readDraft(user: string, sampleId: number): EditDraft | null {
  try {
    const stored = window.localStorage.getItem(keyFor(user, sampleId));
    if (stored === null) return null;
    const parsed = DraftSchema.safeParse(JSON.parse(stored));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Keeps what is typed; storage that is full or switched off only costs the safety net, never the editor. */
export function writeDraft(user: string, sampleId: number, draft: Omit<EditDraft, "savedAt">): void {
  try {
    window.localStorage.setItem(keyFor(user, sampleId), JSON.stringify({ ...draft, savedAt: new Date().toISOString() }));
  } catch {
    // see above
  }
}

export function clearDraft(user: string, sampleId: number): void {
  try {
    window.localStorage.removeItem(keyFor(user, sampleId));
  } catch {
    // see writeDraft
  }
}
