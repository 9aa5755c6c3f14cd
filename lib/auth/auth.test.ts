// Accounts on the real database through better-auth's own handler: adding people, signing in, wrong passwords,
// the disabled public sign-up, password changes ending sessions, and the sign-in rate limit.
import { afterAll, describe, expect, it } from "vitest";
import { closeDb, getPool } from "@/lib/db/client";
import { listAudit } from "@/lib/audit/log";
import { getAuth, signInPerMinute } from "./auth";
import { ensureFirstAdmin } from "./bootstrap";
import { addUser, findUser, setPassword, setRole, UserExistsError } from "./users";

afterAll(() => closeDb());

let ip = 1;
/** A request to better-auth's endpoint from its own IP (the rate limit counts per IP). */
async function call(path: string, body: object, cookie?: string) {
  const auth = await getAuth();
  return auth.handler(
    new Request(`http://localhost:3000/api/auth${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: "http://localhost:3000", "x-forwarded-for": `10.0.0.${ip}`, ...(cookie ? { cookie } : {}) },
      body: JSON.stringify(body),
    }),
  );
}
const unique = (name: string) => `${name}-${Math.random().toString(36).slice(2, 8)}@example.com`;

describe("accounts", () => {
  it("signs in a person an admin added, with their role in the session; a wrong password gets 401", async () => {
    ip++;
    const email = unique("ann");
    await addUser({ email, name: "Ann", role: "annotator", password: "correct horse" }, "human:test-admin");
    const ok = await call("/sign-in/email", { email, password: "correct horse" });
    expect(ok.status).toBe(200);
    const cookie = ok.headers.get("set-cookie")!.split(";")[0];
    const session = await (await getAuth()).api.getSession({ headers: new Headers({ cookie }) });
    expect(session?.user).toMatchObject({ email, name: "Ann", role: "annotator" });
    expect((await call("/sign-in/email", { email, password: "wrong horse" })).status).toBe(401);
    const { entries } = await listAudit({ actor: `human:${email}`, action: "sign-in" });
    expect(entries.map((e) => e.summary)).toEqual([`${email} signed in from 10.0.0.${ip}`]);
  });

  it("keeps emails unique, and nobody can sign themselves up", async () => {
    ip++;
    const email = unique("bo");
    await addUser({ email, name: "Bo", role: "viewer", password: "password-1" }, "human:test-admin");
    await expect(addUser({ email: email.toUpperCase(), name: "Bo2", role: "admin", password: "password-2" }, "human:test-admin")).rejects.toThrow(UserExistsError);
    const signUp = await call("/sign-up/email", { email: unique("mallory"), name: "M", password: "password-3" });
    expect(signUp.status).toBe(404);
    const { rows } = await (await getPool()).query(`SELECT count(*)::int AS n FROM users WHERE name = 'M'`);
    expect(rows[0].n).toBe(0);
  });

  it("a new password ends the old sessions; a role change shows in the next request", async () => {
    ip++;
    const email = unique("cy");
    await addUser({ email, name: "Cy", role: "viewer", password: "first-pass" }, "human:test-admin");
    const cookie = (await call("/sign-in/email", { email, password: "first-pass" })).headers.get("set-cookie")!.split(";")[0];
    await setRole(email, "admin", "human:test-admin");
    const auth = await getAuth();
    expect((await auth.api.getSession({ headers: new Headers({ cookie }), query: { disableCookieCache: true } }))?.user).toMatchObject({ role: "admin" });
    await setPassword(email, "second-pass", "human:test-admin");
    expect(await auth.api.getSession({ headers: new Headers({ cookie }), query: { disableCookieCache: true } })).toBeNull();
    expect((await call("/sign-in/email", { email, password: "first-pass" })).status).toBe(401);
    expect((await call("/sign-in/email", { email, password: "second-pass" })).status).toBe(200);
    expect((await findUser(email))?.role).toBe("admin");
  });

  it("rate-limits sign-in attempts per address", async () => {
    ip++;
    const statuses: number[] = [];
    for (let i = 0; i <= signInPerMinute(); i++) statuses.push((await call("/sign-in/email", { email: "nobody@example.com", password: "guessing-" + i })).status);
    expect(statuses.slice(0, signInPerMinute()).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });

  it("does not create another first admin once an admin exists (the e2e server's start-up covers creating one)", async () => {
    await addUser({ email: unique("root"), name: "Root", role: "admin", password: "root-password" }, "human:test-admin");
    const email = unique("second-root");
    expect(await ensureFirstAdmin({ STUDIO_ADMIN_EMAIL: email, STUDIO_ADMIN_PASSWORD: "env-password" })).toBeNull();
    expect(await findUser(email)).toBeNull();
  });
});
