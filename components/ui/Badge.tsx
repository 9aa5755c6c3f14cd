import type { ReactNode } from "react";
import { cx } from "./cx";

export type BadgeTone = "neutral" | "green" | "amber" | "sky" | "violet" | "rose" | "teal";

const TONES: Record<BadgeTone, string> = {
  neutral: "bg-stone-100 text-stone-700 ring-stone-300/70",
  green: "bg-emerald-50 text-emerald-800 ring-emerald-600/25",
  amber: "bg-amber-50 text-amber-800 ring-amber-600/30",
  sky: "bg-sky-50 text-sky-800 ring-sky-600/25",
  violet: "bg-violet-50 text-violet-800 ring-violet-600/25",
  rose: "bg-rose-50 text-rose-800 ring-rose-600/25",
  teal: "bg-teal-50 text-teal-800 ring-teal-600/25",
};

/** The dot colour of each tone, for legends and bars. */
export const TONE_FILL: Record<BadgeTone, string> = {
  neutral: "bg-stone-400",
  green: "bg-emerald-500",
  amber: "bg-amber-500",
  sky: "bg-sky-500",
  violet: "bg-violet-500",
  rose: "bg-rose-500",
  teal: "bg-teal-500",
};

export function Badge({
  tone = "neutral",
  dot = false,
  className,
  children,
  title,
}: {
  tone?: BadgeTone;
  dot?: boolean;
  className?: string;
  children: ReactNode;
  title?: string;
}) {
  return (
    <span
      title={title}
      className={cx(
        "inline-flex items-center gap-1.5 rounded-md px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset",
        TONES[tone],
        className,
      )}
    >
      {dot ? <span aria-hidden className={cx("size-1.5 rounded-full", TONE_FILL[tone])} /> : null}
      {children}
    </span>
  );
}
