"use client";

import { Fragment } from "react";
import { Dialog } from "@/components/ui/Dialog";
import { Kbd } from "@/components/ui/Kbd";
import { SHORTCUTS, type Shortcut } from "@/lib/keyboard/shortcuts";

const GROUPS: Shortcut["group"][] = ["Decide", "Change", "Move", "Help"];
const SCOPE_NOTE: Partial<Record<Shortcut["scope"], string>> = { editor: "in the editor" };
/** The review page's keys: the page's own, the editor's and the dialogs'. */
const REVIEW_KEYS = (SHORTCUTS as readonly Shortcut[]).filter((s) => s.scope === "review" || s.scope === "editor" || s.scope === "dialog");

/** The `?` overlay: every key of the review page, listed from the very table the key handler reads. */
export function ShortcutOverlay({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Dialog open={open} onClose={onClose} title="Keyboard shortcuts" description="Keys never fire while you type in a field.">
      <div className="space-y-5" data-testid="shortcut-overlay">
        {GROUPS.map((group) => (
          <section key={group} aria-label={group}>
            <h3 className="mb-2 text-[11px] font-semibold tracking-wide text-stone-400 uppercase">{group}</h3>
            <dl className="space-y-2">
              {REVIEW_KEYS.filter((s) => s.group === group).map((s) => (
                <div key={s.action} className="flex items-center justify-between gap-4 text-sm" data-shortcut={s.action}>
                  <dt className="min-w-0 text-stone-700">
                    {s.description}
                    {SCOPE_NOTE[s.scope] ? <span className="ml-1 text-xs text-stone-400">({SCOPE_NOTE[s.scope]})</span> : null}
                  </dt>
                  <dd className="flex shrink-0 items-center gap-1 text-xs text-stone-400">
                    {s.keys.map((combo, i) => (
                      <Fragment key={i}>
                        {i > 0 ? <span>or</span> : null}
                        <span className="inline-flex items-center gap-0.5">
                          {combo.map((k) => (
                            <Kbd key={k}>{k}</Kbd>
                          ))}
                        </span>
                      </Fragment>
                    ))}
                  </dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </div>
    </Dialog>
  );
}
