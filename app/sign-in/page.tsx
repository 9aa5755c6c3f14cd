import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/app-shell/SignInForm";
import { currentUser } from "@/lib/auth/current-user";
import { safeNext } from "@/lib/auth/safe-next";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const next = safeNext((await searchParams).next);
  if (await currentUser()) redirect(next);
  return <SignInForm next={next} />;
}
