"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/Alert";
import { Button } from "@/components/ui/Button";

/** Email + password against better-auth's sign-in endpoint (rate-limited there). */
export function SignInForm({ next }: { next: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    const response = await fetch("/api/auth/sign-in/email", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: form.get("email"), password: form.get("password") }),
    }).catch(() => null);
    if (response?.ok) {
      router.replace(next);
      router.refresh();
      return;
    }
    setBusy(false);
    if (!response) setError("The studio did not answer. Check that it is running and try again.");
    else if (response.status === 429) setError("Too many sign-in attempts. Wait a minute and try again.");
    else if (response.status === 401) setError("Wrong email or password.");
    else {
      // A deactivated account (better-auth's {message}) or a refused request (the studio's {error}) says why.
      const json = (await response.json().catch(() => ({}))) as { message?: unknown; error?: unknown };
      const why = typeof json.message === "string" ? json.message : typeof json.error === "string" ? json.error : null;
      setError(why ?? `Sign-in failed (HTTP ${response.status}).`);
    }
  }

  return (
    <form
      onSubmit={submit}
      aria-label="Sign in"
      className="w-full max-w-sm rounded-xl bg-white p-6 shadow-sm ring-1 ring-stone-200"
    >
      <h1 className="text-lg font-semibold text-stone-900">Sign in</h1>
      <p className="mt-1 text-sm text-stone-500">Use the account your studio admin gave you.</p>
      <label className="mt-5 block text-sm font-medium text-stone-700" htmlFor="email">
        Email
      </label>
      <input
        id="email"
        name="email"
        type="email"
        autoComplete="username"
        required
        autoFocus
        className="mt-1 block h-9 w-full rounded-lg border border-stone-300 px-3 text-sm focus:border-accent-600 focus:ring-2 focus:ring-accent-600/20 focus:outline-none"
      />
      <label className="mt-4 block text-sm font-medium text-stone-700" htmlFor="password">
        Password
      </label>
      <input
        id="password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        className="mt-1 block h-9 w-full rounded-lg border border-stone-300 px-3 text-sm focus:border-accent-600 focus:ring-2 focus:ring-accent-600/20 focus:outline-none"
      />
      {error && (
        <Alert tone="error" className="mt-4" title={error} />
      )}
      <Button type="submit" variant="primary" className="mt-5 w-full" disabled={busy}>
        {busy ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
