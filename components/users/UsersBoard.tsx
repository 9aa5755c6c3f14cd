"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/Alert";
import { Button } from "@/components/ui/Button";
import { Card, CardHeader } from "@/components/ui/Card";
import { ROLES, type Role } from "@/lib/auth/roles";
import { failureMessage } from "@/lib/http/failure";

interface UserItem {
  email: string;
  name: string;
  role: Role;
  createdAt: string;
}

const FIELD = "mt-1 block h-9 w-full rounded-lg border border-stone-300 px-3 text-sm focus:border-accent-600 focus:ring-2 focus:ring-accent-600/20 focus:outline-none";

/** The people list with their roles (changeable), and the form that adds someone. */
export function UsersBoard({ users, me }: { users: UserItem[]; me: string }) {
  const router = useRouter();
  const [message, setMessage] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function send(method: "POST" | "PATCH", body: object, success: string): Promise<boolean> {
    setBusy(true);
    setMessage(null);
    const response = await fetch("/api/users", { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) }).catch(() => null);
    setBusy(false);
    if (!response) {
      setMessage({ tone: "error", text: "The studio did not answer." });
      return false;
    }
    if (!response.ok) {
      setMessage({ tone: "error", text: failureMessage(response, (await response.json().catch(() => ({}))) as { error?: string }) });
      return false;
    }
    setMessage({ tone: "success", text: success });
    router.refresh();
    return true;
  }

  async function add(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = Object.fromEntries(new FormData(formElement));
    if (await send("POST", form, `${form.email} can now sign in as ${form.role}.`)) formElement.reset();
  }

  return (
    <div className="grid items-start gap-6 lg:grid-cols-[1fr_20rem]">
      <Card>
        <CardHeader title="People" description={`${users.length} with a login`} />
        <table className="w-full text-sm">
          <thead className="text-left text-xs font-medium text-stone-500">
            <tr className="border-b border-stone-200">
              <th className="px-5 py-2.5 font-medium">Name</th>
              <th className="px-3 py-2.5 font-medium">Email</th>
              <th className="px-3 py-2.5 font-medium">Role</th>
              <th className="px-5 py-2.5 font-medium">Since</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.email} className="border-b border-stone-100 last:border-0" data-user={u.email}>
                <td className="px-5 py-2.5 whitespace-nowrap font-medium text-stone-800">{u.name}</td>
                <td className="px-3 py-2.5 text-stone-600">{u.email}</td>
                <td className="px-3 py-2.5">
                  <select
                    aria-label={`Role of ${u.email}`}
                    value={u.role}
                    disabled={busy || u.email === me}
                    title={u.email === me ? "You cannot change your own role" : undefined}
                    onChange={(e) => send("PATCH", { email: u.email, role: e.target.value }, `${u.email} is now ${e.target.value}.`)}
                    className="h-8 rounded-md border border-stone-300 bg-white px-2 text-sm"
                  >
                    {ROLES.map((r) => (
                      <option key={r}>{r}</option>
                    ))}
                  </select>
                </td>
                <td className="px-5 py-2.5 whitespace-nowrap text-stone-500 tabular-nums">{u.createdAt.slice(0, 10)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
      <Card>
        <CardHeader title="Add a person" description="They sign in with this email and password." />
        <form onSubmit={add} aria-label="Add a person" className="px-5 py-4">
          <label className="block text-sm font-medium text-stone-700">
            Name
            <input name="name" required className={FIELD} />
          </label>
          <label className="mt-3 block text-sm font-medium text-stone-700">
            Email
            <input name="email" type="email" required className={FIELD} />
          </label>
          <label className="mt-3 block text-sm font-medium text-stone-700">
            Role
            <select name="role" defaultValue="annotator" className={FIELD}>
              {ROLES.map((r) => (
                <option key={r}>{r}</option>
              ))}
            </select>
          </label>
          <label className="mt-3 block text-sm font-medium text-stone-700">
            Password
            <input name="password" type="password" minLength={8} required autoComplete="new-password" className={FIELD} />
          </label>
          <Button type="submit" variant="primary" className="mt-4 w-full" disabled={busy}>
            Add
          </Button>
          {message && <Alert tone={message.tone} className="mt-4" title={message.text} />}
        </form>
      </Card>
    </div>
  );
}
