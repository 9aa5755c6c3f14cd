"use client";

import Link from "next/link";
import { Alert } from "@/components/ui/Alert";
import { Button, buttonClasses } from "@/components/ui/Button";

/** A sample that could not be loaded (the database is down, a query failed): say so, and offer a retry. */
export default function SampleError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="mx-auto max-w-xl pt-10">
      <Alert tone="error" title="This sample could not be loaded">
        <p>{error.message || "The server could not answer."}</p>
        <div className="mt-3 flex gap-2">
          <Button size="sm" onClick={reset}>
            Try again
          </Button>
          <Link href="/samples" className={buttonClasses("ghost", "sm")}>
            Back to the samples
          </Link>
        </div>
      </Alert>
    </div>
  );
}
