"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/Alert";
import { Button } from "@/components/ui/Button";
import { api, ApiError, errorMessage } from "@/lib/api/client";

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
    try {
      await api("POST /api/auth/[...all]", { params: { all: "sign-in/email" }, body: { email: String(form.get("email")), password: String(form.get("password")) } });
      router.replace(next);
      router.refresh();
    } catch (error) {
      setBusy(false);
      setError(signInProblem(error));
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

/** Why the sign-in did not work, in the person's terms. */
function signInProblem(error: unknown): string {
  if (!(error instanceof ApiError)) return errorMessage(error);
  if (error.status === 0) return "The studio did not answer. Check that it is running and try again.";
  if (error.status === 429) return "Too many sign-in attempts. Wait a minute and try again.";
  if (error.status === 401) return "Wrong email or password.";
  // A deactivated account (better-auth's {message}) or a refused request (the studio's {error}) says why.
  const { message, error: why } = error.body;
  return typeof message === "string" ? message : typeof why === "string" ? why : `Sign-in failed (HTTP ${error.status}).`;
}
