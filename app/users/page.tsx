import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/PageHeader";
import { UsersBoard } from "@/components/users/UsersBoard";
import { requireSection } from "@/lib/auth/require-page";
import { listUsers } from "@/lib/auth/users";

export const metadata: Metadata = { title: "Users" };
export const dynamic = "force-dynamic";

export default async function UsersPage() {
  const me = await requireSection("/users");
  const users = await listUsers();
  return (
    <>
      <PageHeader title="Users" description="Who can sign in, and what they may do: viewers read, annotators review, admins run the studio." />
      <UsersBoard me={me.email} users={users.map((u) => ({ email: u.email, name: u.name, role: u.role, createdAt: u.createdAt.toISOString() }))} />
    </>
  );
}
