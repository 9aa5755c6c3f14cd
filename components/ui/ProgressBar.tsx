import { cx } from "./cx";

/**
 * A labelled progress bar. Without `max` (or with max 0) it is indeterminate: the bar pulses and no percentage
 * is announced.
 */
export function ProgressBar({
  label,
  value,
  max,
  detail,
  tone = "accent",
}: {
  label: string;
  value: number;
  max?: number;
  detail?: string;
  tone?: "accent" | "stone";
}) {
  const determinate = max !== undefined && max > 0;
  const percent = determinate ? Math.min(100, Math.max(0, (value / max) * 100)) : 100;
  return (
    <div>
      <div className="mb-1.5 flex items-baseline justify-between gap-3 text-xs">
        <span className="font-medium text-stone-700">{label}</span>
        {detail ? <span className="tabular text-stone-500">{detail}</span> : null}
      </div>
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={determinate ? 0 : undefined}
        aria-valuemax={determinate ? 100 : undefined}
        aria-valuenow={determinate ? Math.round(percent) : undefined}
        aria-valuetext={detail}
        className="h-2 overflow-hidden rounded-full bg-stone-200"
      >
        <div
          className={cx(
            "h-full rounded-full transition-[width] duration-300 ease-out",
            tone === "accent" ? "bg-accent-600" : "bg-stone-500",
            !determinate && "animate-pulse",
          )}
          style={{ width: `${percent}%` }}
        />
      </div>
    </div>
  );
}
