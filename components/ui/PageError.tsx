"use client";

import { Alert } from "./Alert";
import { Button } from "./Button";
import { PageHeader } from "./PageHeader";

/** What a page's error.tsx shows: the page's title, what failed, and a retry (which re-fetches the page). */
export function PageError({ title, message, retry }: { title: string; message: string; retry: () => void }) {
  return (
    <>
      <PageHeader title={title} description="Something went wrong while loading this page." />
      <Alert tone="error" title={message}>
        The database or the server did not answer as expected; the server log has the details.
        <div className="mt-3">
          <Button size="sm" onClick={() => retry()}>
            Try again
          </Button>
        </div>
      </Alert>
    </>
  );
}
