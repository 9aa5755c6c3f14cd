"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

/** While a run is in progress, re-renders the page's server data every few seconds (nothing when idle). */
export function LiveRefresh({ active, everyMs = 3000 }: { active: boolean; everyMs?: number }) {
  const router = useRouter();
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      // A hidden tab does not need fresh numbers; it catches up when shown again.
      if (document.visibilityState === "visible") router.refresh();
    }, everyMs);
    return () => clearInterval(timer);
  }, [active, everyMs, router]);
  return null;
}
