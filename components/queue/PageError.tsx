"use client";

import { Button } from "@/components/ui/Button";
import { Card } from "@/components/ui/Card";
import { EmptyState } from "@/components/ui/EmptyState";
import { PageHeader } from "@/components/ui/PageHeader";

/** A review page that failed to load (the database went away, a query failed): says so and offers to try again. */
export function PageError({ title, error, retry }: { title: string; error: unknown; retry: () => void }) {
  // Server errors arrive as an Error whose message is generic in production; the digest matches the server's log.
  const digest = error instanceof Error ? (error as Error & { digest?: string }).digest : undefined;
  const message = error instanceof Error ? error.message : String(error);
  return (
    <>
      <PageHeader title={title} description="This page could not be loaded." />
      <Card>
        <EmptyState
          title="Something went wrong while loading"
          actions={
            <Button variant="primary" onClick={retry}>
              Try again
            </Button>
          }
        >
          <span role="alert">
            {digest ? `The server reported an error (reference ${digest}).` : message} Nothing was changed;
            your claims and decisions are safe in the database.
          </span>
        </EmptyState>
      </Card>
    </>
  );
}
