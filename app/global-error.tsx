"use client";

import { PageError } from "@/components/ui/PageError";
import "./globals.css";

/** When the root layout itself fails (it reads the session, so: the database is down), in place of the whole page. */
export default function GlobalError({ error, retry }: { error: unknown; retry: () => void }) {
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
