import type { ReactNode } from "react";
import { Card } from "@/components/ui/Card";
import { EmptyState } from "@/components/ui/EmptyState";
import { PageHeader } from "@/components/ui/PageHeader";
import Link from "next/link";
import { buttonClasses } from "@/components/ui/Button";

/** A section that is planned but not built yet: says what it will do and which issue brings it. */
export function PlaceholderPage({
  title,
  description,
  icon,
  arrivesWith,
  children,
}: {
  title: string;
  description: string;
  icon: ReactNode;
  arrivesWith: string;
  children?: ReactNode;
}) {
  return (
    <>
      <PageHeader title={title} description={description} />
      <Card>
        <EmptyState
          icon={icon}
          title={`${title} arrives with the ${arrivesWith}`}
          actions={
            <Link href="/datasets" className={buttonClasses("secondary")}>
              Go to Datasets
            </Link>
          }
        >
          {children}
        </EmptyState>
      </Card>
    </>
  );
}
