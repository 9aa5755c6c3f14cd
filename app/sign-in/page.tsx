import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/app-shell/SignInForm";
import { currentUser } from "@/lib/auth/current-user";

export const metadata: Metadata = { title: "Sign in" };

/** Only local paths: a `next` pointing elsewhere would make the sign-in page an open redirect. */
function safeNext(next: string | string[] | undefined): string {
  return typeof next === "string" && next.startsWith("/") && !next.startsWith("//") ? next : "/datasets";
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const next = safeNext((await searchParams).next);
  if (await currentUser()) redirect(next);
  return <SignInForm next={next} />;
}
