"use client";

import Link from "next/link";
import { useApi } from "@/lib/api/use-api";
import { Alert } from "./Alert";
import { Button, buttonClasses } from "./Button";
import { PageHeader } from "./PageHeader";

/**
 * What an error.tsx shows: the page's title, what failed, the server's reference for the log, and a retry that
 * fetches the page again. Nothing is lost by a page that failed to load: every write is its own request.
 */
export function PageError({
  title,
  message = "This page could not be loaded",
  error,
  retry,
  back,
}: {
  title: string;
  message?: string;
  error: unknown;
  retry: () => void;
  back?: { href: string; label: string };
}) {
  // Server errors reach the browser with a generic message in production; the digest is the line in the server log.
  const digest = error instanceof Error ? (error as Error & { digest?: string }).digest : undefined;
  // Whether the database is what failed: the health check answers 503 then (with a fixed sentence, nothing of the server's).
  const health = useApi("GET /api/health", undefined, { shouldRetryOnError: false });
  const databaseDown = health.error?.status === 503;
  return (
    <>
      <PageHeader title={title} description="Something went wrong while loading this page." />
      <Alert tone="error" title={message}>
        {databaseDown ? "The database is not reachable right now (it may be stopped or restarting)" : "The database or the server did not answer as expected"}
        {digest ? `; the server log has the details under reference ${digest}` : "; the server log has the details"}.
        Nothing was changed: your claims, edits and decisions are safe in the database.
        <div className="mt-3 flex gap-2">
          <Button
            size="sm"
            onClick={() => {
              retry();
              void health.mutate();
            }}
          >
            Try again
          </Button>
          {back ? (
            <Link href={back.href} className={buttonClasses("ghost", "sm")}>
              {back.label}
            </Link>
          ) : null}
        </div>
      </Alert>
    </>
  );
}
