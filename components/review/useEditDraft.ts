"use client";

// The review page's editor and its safety net: which version the open editor edits, and the unsaved edits a closed
// tab left on this sample (drafts.ts keeps them in the browser), offered back until restored or discarded.
import { useCallback, useEffect, useState } from "react";
import { clearDraft, readDraft, writeDraft, type EditDraft } from "./drafts";

export function useEditDraft(user: string, sampleId: number) {
  /** The version the open editor edits (null: not editing); moves on only when the reviewer reloads. */
  const [editBase, setEditBase] = useState<number | null>(null);
  /** Unsaved edits left on this sample by an earlier visit, offered back until restored or discarded. */
  const [draft, setDraft] = useState<EditDraft | null>(null);
  /** The draft the open editor was restored from. */
  const [restored, setRestored] = useState<EditDraft | null>(null);

  // Another sample on screen: its editor starts closed.
  const [editorFor, setEditorFor] = useState(sampleId);
  if (editorFor !== sampleId) {
    setEditorFor(sampleId);
    setEditBase(null);
    setRestored(null);
  }

  // localStorage exists only in the browser: look for a draft once the page is there, and for each sample shown.
  useEffect(() => setDraft(readDraft(user, sampleId)), [user, sampleId]);

  /** The open editor's text, kept as it is typed against the version it edits. */
  const onDraft = useCallback(
    (edit: { answer: string; cot: string } | null) => {
      if (editBase === null) return;
      if (edit) writeDraft(user, sampleId, { version: editBase, ...edit });
      else clearDraft(user, sampleId);
    },
    [user, sampleId, editBase],
  );

  /**
   * Reopens the editor with the draft, against the version it was typed on: when the sample has moved on since,
   * saving shows what changed (a conflict) instead of overwriting it, as the offer said.
   */
  function restoreDraft(found: EditDraft) {
    setRestored(found);
    setEditBase(found.version);
    setDraft(null);
  }

  return {
    editBase,
    draft,
    restored,
    onDraft,
    restoreDraft,
    /** `e`: a draft on offer is what the reviewer came back for (the offer already said how old it is). */
    openEditor(version: number) {
      if (draft) restoreDraft(draft);
      else setEditBase(version);
    },
    /** Saved or cancelled: the draft is done with. */
    closeEditor() {
      clearDraft(user, sampleId);
      setEditBase(null);
      setRestored(null);
    },
    discardDraft() {
      clearDraft(user, sampleId);
      setDraft(null);
    },
    /** The reviewer reloaded: an open editor keeps its text and will save over the version now shown. */
    followVersion(version: number) {
      setEditBase((base) => (base === null ? null : version));
    },
  };
}
