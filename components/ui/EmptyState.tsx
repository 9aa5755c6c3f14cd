import type { ReactNode } from "react";
import { cx } from "./cx";

/** What a page or card shows when it has nothing yet: an icon, a title, one or two sentences, and what to do. */
export function EmptyState({
  icon,
  title,
  children,
  actions,
  className,
}: {
  icon?: ReactNode;
  title: ReactNode;
  children?: ReactNode;
  actions?: ReactNode;
  className?: string;
}) {
  return (
    <div className={cx("flex flex-col items-center px-6 py-12 text-center", className)}>
      {icon ? (
        <div aria-hidden className="mb-4 flex size-11 items-center justify-center rounded-full bg-stone-100 text-stone-500">
          {icon}
        </div>
      ) : null}
      <h3 className="text-sm font-semibold text-stone-900">{title}</h3>
      {children ? <div className="mt-1.5 w-full max-w-md min-w-0 text-sm leading-6 text-stone-500">{children}</div> : null}
      {actions ? <div className="mt-5 flex flex-wrap items-center justify-center gap-2">{actions}</div> : null}
    </div>
  );
}
