// Light, dark, or the system's preference: the person's choice, remembered in this browser (localStorage). The
// `dark` class on <html> switches the palette (app/globals.css). It is set by an inline script in the page's <head>
// before anything is painted (app/layout.tsx), so a dark page never flashes light, and again on every change.
// Browser-safe: no server code here.

export const THEMES = ["light", "dark", "system"] as const;
export type Theme = (typeof THEMES)[number];

export const THEME_STORAGE_KEY = "studio-theme";

/** A remembered value read back: anything unknown (nothing stored, an old value) is "system". */
export function themeOf(stored: string | null): Theme {
  return (THEMES as readonly string[]).includes(stored ?? "") ? (stored as Theme) : "system";
}

/**
 * Puts the `dark` class on <html> when the choice (or, for "system", the system's preference) is dark. Written to
 * run on its own: the inline script is this function's source (it may use nothing from outside its body).
 */
export function applyTheme(choice: string | null): void {
  const dark = choice === "dark" || (choice !== "light" && window.matchMedia("(prefers-color-scheme: dark)").matches);
  document.documentElement.classList.toggle("dark", dark);
}

/** The inline script of the page's <head>: the remembered choice applied before the first paint. */
export const THEME_SCRIPT = `try{(${applyTheme.toString()})(localStorage.getItem(${JSON.stringify(THEME_STORAGE_KEY)}))}catch(e){}`;
