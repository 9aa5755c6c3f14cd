import type { ReactNode } from "react";

export function Kbd({ children }: { children: ReactNode }) {
  return (
    <kbd className="inline-flex h-5 min-w-5 items-center justify-center rounded border border-stone-300 border-b-2 bg-white px-1 font-mono text-[11px] font-medium text-stone-600">
      {children}
    </kbd>
  );
}
