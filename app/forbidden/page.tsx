import type { Metadata } from "next";
import Link from "next/link";
import { EmptyState } from "@/components/ui/EmptyState";
import { currentUser } from "@/lib/auth/current-user";
import { isPermission, leastRoleFor } from "@/lib/auth/permissions";

export const metadata: Metadata = { title: "Not allowed" };

/** Where a page sends someone whose role is not enough (lib/auth/require-page.ts). */
export default async function ForbiddenPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { need } = await searchParams;
  const user = await currentUser();
  return (
    <EmptyState
      title="This page is not for your role"
      actions={
        <Link href="/datasets" className="text-sm font-medium text-accent-700 hover:underline">
          Back to datasets
        </Link>
      }
    >
      It needs the {isPermission(need) ? `${leastRoleFor(need)} role (${need})` : "a higher role"}; you are signed in as {user?.email ?? "nobody"} (
      {user?.role ?? "signed out"}). Ask an admin if you need it.
    </EmptyState>
  );
}
