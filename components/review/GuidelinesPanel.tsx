"use client";

// The dataset's guidelines on the review page: one line while folded (which version, who wrote it), the Markdown
// when open. `g` opens and folds it (lib/review/shortcuts.ts); the choice is remembered in this browser.
import { formatDateTime } from "@/components/datasets/format";
import { Card } from "@/components/ui/Card";
import { Kbd } from "@/components/ui/Kbd";
import { Markdown } from "@/components/ui/Markdown";
import type { Guidelines } from "@/lib/guidelines/get-guidelines";
import type { Jsonified } from "@/lib/http/json";

export function GuidelinesPanel({ guidelines, dataset, open, onToggle }: { guidelines: Jsonified<Guidelines> | null; dataset: string; open: boolean; onToggle: () => void }) {
  return (
    <Card className="mb-4" data-testid="guidelines-panel" data-version={guidelines?.version}>
      <button
        type="button"
        onClick={onToggle}
        aria-expanded={open}
        aria-controls="guidelines-body"
        aria-keyshortcuts="g"
        className="flex w-full items-center gap-3 rounded-xl px-5 py-2.5 text-left text-sm hover:bg-stone-50"
      >
        <span aria-hidden className={`text-stone-400 transition-transform ${open ? "rotate-90" : ""}`}>
          ▸
        </span>
        <span className="font-semibold text-stone-900">Guidelines</span>
        <span className="min-w-0 flex-1 truncate text-stone-500">
          {guidelines
            ? `${dataset} · version ${guidelines.version} · by ${guidelines.author.replace(/^human:/, "")}, ${formatDateTime(new Date(guidelines.createdAt))}`
            : `none written for ${dataset} yet`}
        </span>
        <span className="flex shrink-0 items-center gap-1.5 text-xs text-stone-400">
          {open ? "Hide" : "Show"} <Kbd>G</Kbd>
        </span>
      </button>
      {open ? (
        <div id="guidelines-body" className="max-h-[40vh] overflow-y-auto border-t border-stone-100 px-5 py-4">
          {guidelines ? (
            <Markdown testId="guidelines-body">{guidelines.body}</Markdown>
          ) : (
            <p className="text-sm text-stone-500">An admin writes them on the Datasets page (Guidelines…); every decision records the version it was made under.</p>
          )}
        </div>
      ) : null}
    </Card>
  );
}
