// How far each browser import has got, for the Datasets page to poll while its upload is still being sent (a
// browser reads no answer before it has sent the whole request, so the import's own answer cannot carry progress).
// Process-local: the import and the polls reach the same web server process.

import { REQUEST_KEY } from "@/lib/http/request-key";

/** The browser's name for its import: 32 hex digits it draws itself, so it can poll before the answer comes. */
export const IMPORT_ID = REQUEST_KEY;

export interface ImportProgressView {
  /** Records read so far, valid or not. */
  records: number;
  /** Bytes of the file the importer has read. */
  bytes: number;
  /** The file's size, when the request said it (Content-Length). */
  totalBytes: number | null;
}

// On globalThis: every route bundle that imports this module must see the same map.
const holder = globalThis as { __studioImportProgress?: Map<string, ImportProgressView> };
const running = (holder.__studioImportProgress ??= new Map());

/** Starts tracking an import; null when an import with this id is already running. */
export function trackImport(id: string, totalBytes: number | null) {
  if (running.has(id)) return null;
  const view: ImportProgressView = { records: 0, bytes: 0, totalBytes };
  running.set(id, view);
  return {
    update({ records, bytes }: { records: number; bytes: number }) {
      view.records = records;
      view.bytes = bytes;
    },
    finish() {
      running.delete(id);
    },
  };
}

/** The progress of a running import, or null when none with this id runs (not started yet, or finished). */
export function importProgress(id: string): ImportProgressView | null {
  const view = running.get(id);
  return view ? { ...view } : null;
}
