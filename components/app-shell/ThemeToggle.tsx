"use client";

import { useEffect, useState } from "react";
import { cx } from "@/components/ui/cx";
import { THEME_STORAGE_KEY, THEMES, applyTheme, themeOf, type Theme } from "@/lib/theme";

const LABEL: Record<Theme, string> = { light: "Light", dark: "Dark", system: "System" };

/** Light / Dark / System, remembered in this browser; "System" follows the system's setting as it changes. */
export function ThemeToggle({ className }: { className?: string }) {
  const [theme, setTheme] = useState<Theme>("system");
  useEffect(() => setTheme(themeOf(window.localStorage.getItem(THEME_STORAGE_KEY))), []);
  useEffect(() => {
    if (theme !== "system") return;
    const query = window.matchMedia("(prefers-color-scheme: dark)");
    const follow = () => applyTheme("system");
    query.addEventListener("change", follow);
    return () => query.removeEventListener("change", follow);
  }, [theme]);

  function choose(next: Theme) {
    setTheme(next);
    applyTheme(next);
    try {
      window.localStorage.setItem(THEME_STORAGE_KEY, next);
    } catch {
      // Private mode or a full storage: the choice holds for this page only.
    }
  }

  return (
    <div role="group" aria-label="Theme" className={cx("flex rounded-lg bg-stone-100 p-0.5 ring-1 ring-inset ring-stone-200", className)}>
      {THEMES.map((option) => (
        <button
          key={option}
          type="button"
          aria-pressed={theme === option}
          onClick={() => choose(option)}
          className={cx(
            "flex-1 rounded-md px-2 py-0.5 text-xs font-medium transition-colors",
            theme === option ? "bg-white text-stone-900 shadow-xs ring-1 ring-stone-300" : "text-stone-600 hover:text-stone-900",
          )}
        >
          {LABEL[option]}
        </button>
      ))}
    </div>
  );
}
