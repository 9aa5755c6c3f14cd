"use client";

import { useEffect } from "react";
import { PageError } from "@/components/ui/PageError";
import { THEME_STORAGE_KEY, applyTheme } from "@/lib/theme";
import "./globals.css";

/** When the root layout itself fails (it reads the session, so: the database is down), in place of the whole page. */
export default function GlobalError({ error, retry }: { error: unknown; retry: () => void }) {
  // The root layout's theme script is not on this page: the remembered theme is applied here ("System" follows the system).
  useEffect(() => {
    const apply = () => {
      try {
        applyTheme(window.localStorage.getItem(THEME_STORAGE_KEY));
      } catch {
        applyTheme(null);
      }
    };
    apply();
    const query = window.matchMedia("(prefers-color-scheme: dark)");
    query.addEventListener("change", apply);
    return () => query.removeEventListener("change", apply);
  }, []);
  return (
    <html lang="en">
      <body>
        <main className="mx-auto max-w-2xl px-6 py-16">
          <PageError title="FunReason Studio" message="The studio could not load this page" error={error} retry={retry} />
        </main>
      </body>
    </html>
  );
}
