import type { ReactNode } from "react";
import { cx } from "./cx";

/** An inline message. `error` is announced to screen readers as it appears. */
export function Alert({
  tone = "info",
  title,
  children,
  className,
}: {
  tone?: "info" | "success" | "warning" | "error";
  title: ReactNode;
  children?: ReactNode;
  className?: string;
}) {
  const styles = {
    info: "border-sky-200 bg-sky-50 text-sky-900",
    success: "border-emerald-200 bg-emerald-50 text-emerald-900",
    warning: "border-amber-200 bg-amber-50 text-amber-900",
    error: "border-rose-200 bg-rose-50 text-rose-900",
  }[tone];
  return (
    <div role={tone === "error" ? "alert" : "status"} className={cx("rounded-lg border px-4 py-3 text-sm", styles, className)}>
      <p className="font-medium">{title}</p>
      {children ? <div className="mt-1 leading-6 opacity-90">{children}</div> : null}
    </div>
  );
}
