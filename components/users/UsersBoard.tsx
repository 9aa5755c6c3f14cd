"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/Alert";
import { Button } from "@/components/ui/Button";
import { Card, CardHeader } from "@/components/ui/Card";
import { ROLES, type Role } from "@/lib/auth/roles";
import { api, errorMessage } from "@/lib/api/client";

interface UserItem {
  email: string;
  name: string;
  role: Role;
  createdAt: string;
  active: boolean;
}

type Message = { tone: "success" | "error"; text: string; password?: string };

const FIELD = "mt-1 block h-9 w-full rounded-lg border border-stone-300 px-3 text-sm focus:border-accent-600 focus:ring-2 focus:ring-accent-600/20 focus:outline-none";

/**
 * The people list (role, active or not, a new password on request) and the form that adds someone. A password the
 * studio generates is shown here once, in the message, and nowhere else.
 */
export function UsersBoard({ users, me }: { users: UserItem[]; me: string }) {
  const router = useRouter();
  const [message, setMessage] = useState<Message | null>(null);
  const [busy, setBusy] = useState(false);

  /** Sends the change; its answer when it worked, else null (the message says why). */
  async function send<T>(call: () => Promise<T>): Promise<T | null> {
    setBusy(true);
    setMessage(null);
    try {
      const answer = await call();
      router.refresh();
      return answer;
    } catch (error) {
      setMessage({ tone: "error", text: errorMessage(error, "The studio did not answer.") });
      return null;
    } finally {
      setBusy(false);
    }
  }

  async function add(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const { password, ...form } = Object.fromEntries(new FormData(formElement)) as { name: string; email: string; role: Role; password: string };
    const answer = await send(() => api("POST /api/users", { body: password ? { ...form, password } : form }));
    if (!answer) return;
    formElement.reset();
    setMessage({ tone: "success", text: `${form.email} can now sign in as ${form.role}.`, password: answer.password });
  }

  async function change(email: string, body: { role?: Role; active?: boolean }, success: string) {
    if (await send(() => api("PATCH /api/users", { body: { email, ...body } }))) setMessage({ tone: "success", text: success });
  }

  async function newPassword(email: string) {
    const answer = await send(() => api("POST /api/users/password", { body: { email } }));
    if (answer) setMessage({ tone: "success", text: `${email} has a new password; their sessions ended.`, password: answer.password });
  }

  return (
    <div className="grid items-start gap-6 lg:grid-cols-[1fr_20rem]">
      <Card>
        <CardHeader title="People" description={`${users.length} with a login, ${users.filter((u) => !u.active).length} deactivated`} />
        {message ? <MessageBox message={message} onDone={() => setMessage(null)} /> : null}
        <table className="w-full text-sm">
          <thead className="text-left text-xs font-medium text-stone-500">
            <tr className="border-b border-stone-200">
              <th className="px-5 py-2.5 font-medium">Name</th>
              <th className="px-3 py-2.5 font-medium">Email</th>
              <th className="px-3 py-2.5 font-medium">Role</th>
              <th className="px-3 py-2.5 font-medium">Since</th>
              <th className="px-5 py-2.5 text-right font-medium">Account</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => {
              const self = u.email === me;
              return (
                <tr key={u.email} className="border-b border-stone-100 last:border-0" data-user={u.email} data-active={u.active}>
                  <td className="px-5 py-2.5 whitespace-nowrap font-medium text-stone-800">
                    {u.name}
                    {u.active ? null : <span className="ml-2 rounded bg-stone-100 px-1.5 py-0.5 text-xs font-medium text-stone-500">deactivated</span>}
                  </td>
                  <td className="px-3 py-2.5 text-stone-600">{u.email}</td>
                  <td className="px-3 py-2.5">
                    <select
                      aria-label={`Role of ${u.email}`}
                      value={u.role}
                      disabled={busy || self}
                      title={self ? "You cannot change your own role" : undefined}
                      onChange={(e) => change(u.email, { role: e.target.value as Role }, `${u.email} is now ${e.target.value}.`)}
                      className="h-8 rounded-md border border-stone-300 bg-white px-2 text-sm"
                    >
                      {ROLES.map((r) => (
                        <option key={r}>{r}</option>
                      ))}
                    </select>
                  </td>
                  <td className="px-3 py-2.5 whitespace-nowrap text-stone-500 tabular-nums">{u.createdAt.slice(0, 10)}</td>
                  <td className="px-5 py-2.5 text-right whitespace-nowrap">
                    {self ? (
                      <span className="text-xs text-stone-400">you</span>
                    ) : (
                      <span className="inline-flex gap-1.5">
                        <Button size="sm" variant="ghost" disabled={busy} onClick={() => newPassword(u.email)} aria-label={`New password for ${u.email}`}>
                          New password
                        </Button>
                        <Button
                          size="sm"
                          disabled={busy}
                          onClick={() =>
                            change(u.email, { active: !u.active }, u.active ? `${u.email} is deactivated; their sessions ended.` : `${u.email} can sign in again.`)
                          }
                          aria-label={`${u.active ? "Deactivate" : "Reactivate"} ${u.email}`}
                        >
                          {u.active ? "Deactivate" : "Reactivate"}
                        </Button>
                      </span>
                    )}
                  </td>
                </tr>
              );
            })}
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
            <input name="password" type="password" minLength={8} autoComplete="new-password" placeholder="empty: the studio makes one" className={FIELD} />
          </label>
          <Button type="submit" variant="primary" className="mt-4 w-full" disabled={busy}>
            Add
          </Button>
        </form>
      </Card>
    </div>
  );
}

/** What the last change did; a generated password in full, once, until the admin has taken it. */
function MessageBox({ message, onDone }: { message: Message; onDone: () => void }) {
  return (
    <div className="border-b border-stone-200 px-5 py-3">
      <Alert tone={message.tone} title={message.text}>
        {message.password ? (
          <p className="mt-1">
            Their password, shown this once: <code className="rounded bg-white px-1.5 py-0.5 font-mono text-stone-900 select-all" data-testid="shown-password">{message.password}</code>{" "}
            <button type="button" className="ml-1 text-xs font-medium text-accent-700 underline" onClick={onDone}>
              Done
            </button>
          </p>
        ) : null}
      </Alert>
    </div>
  );
}
