"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/Button";
import type { Role } from "@/lib/auth/roles";
import { ThemeToggle } from "./ThemeToggle";

/** Who is signed in, with what role, the way out, and the theme. */
export function UserMenu({ name, email, role }: { name: string; email: string; role: Role }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  async function signOut() {
    setBusy(true);
    await fetch("/api/auth/sign-out", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    router.replace("/sign-in");
    router.refresh();
  }
  return (
    <div className="hidden border-t border-stone-200 px-5 py-4 md:block" data-testid="user-menu">
      <p className="truncate text-sm font-medium text-stone-800" title={email}>
        {name}
      </p>
      <p className="truncate text-xs text-stone-500">
        {email} · <span data-testid="user-role">{role}</span>
      </p>
      <ThemeToggle className="mt-3 w-full" />
      <Button size="sm" variant="ghost" className="mt-2 -ml-2.5" onClick={signOut} disabled={busy}>
        {busy ? "Signing out…" : "Sign out"}
      </Button>
    </div>
  );
}
