import { redirect } from "next/navigation";
import { currentUser } from "@/lib/auth/current-user";
import { homeFor } from "@/lib/nav";

/** The studio's front door: each role's first page (signed out: proxy.ts has sent the browser to sign in). */
export default async function Home() {
  const user = await currentUser();
  redirect(user ? homeFor(user.role) : "/sign-in");
}
