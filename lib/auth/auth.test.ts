// Accounts on the real database through better-auth's own handler: adding people, signing in, wrong passwords,
// the disabled public sign-up, password changes ending sessions, and the sign-in rate limit.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { closeDb, getPool } from "@/lib/db/client";
import { listAudit } from "@/lib/audit/log";
import { getAuth, signInPerMinute } from "./auth";
import { ensureFirstAdmin } from "./bootstrap";
import { clientAddress, clientAddressHeader, stampClientAddresses, trustedProxies } from "./client-address";
import { sessionUser } from "./session";
import { addUser, findUser, resetPassword, setActive, setPassword, setRole, UserExistsError } from "./users";
import { useOwnDatabase } from "@/test/own-database";

// Its own database: one test deactivates every other admin for a moment, which no other file may see.
const ownDatabase = await useOwnDatabase("auth");
afterAll(async () => {
  await closeDb();
  await ownDatabase.drop();
});

let ip = 1;
/** A request to better-auth's endpoint from its own address, as the web server stamps it (the rate limit counts per address). */
async function call(path: string, body: object, cookie?: string) {
  const auth = await getAuth();
  return auth.handler(
    new Request(`http://localhost:3000/api/auth${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: "http://localhost:3000", [clientAddressHeader()]: `10.0.0.${ip}`, ...(cookie ? { cookie } : {}) },
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

  it("a deactivated person is signed out everywhere and cannot sign in; reactivated, they can; their history stays", async () => {
    ip++;
    const email = unique("fay");
    await addUser({ email, name: "Fay", role: "annotator", password: "fay-password" }, "human:test-admin");
    const cookie = (await call("/sign-in/email", { email, password: "fay-password" })).headers.get("set-cookie")!.split(";")[0];
    expect(await sessionUser(new Headers({ cookie }))).toMatchObject({ email });

    expect((await setActive(email, false, "human:test-admin")).deactivatedAt).toBeInstanceOf(Date);
    expect(await sessionUser(new Headers({ cookie }))).toBeNull();
    const refused = await call("/sign-in/email", { email, password: "fay-password" });
    expect(refused.status).toBe(403);
    expect((await refused.json()).message).toBe("This account is deactivated: ask an admin to reactivate it.");

    expect((await setActive(email, true, "human:test-admin")).deactivatedAt).toBeNull();
    expect((await call("/sign-in/email", { email, password: "fay-password" })).status).toBe(200);
    const { entries } = await listAudit({ targetType: "user", targetId: email });
    expect(entries.map((e) => e.action)).toEqual(expect.arrayContaining(["user.deactivate", "user.reactivate", "user.add"]));
    expect((await listAudit({ actor: `human:${email}`, action: "sign-in" })).entries).toHaveLength(2);
  });

  it("never deactivates the last active admin", async () => {
    const pool = await getPool();
    const admins = (await pool.query<{ email: string }>(`SELECT email FROM users WHERE role = 'admin' AND deactivated_at IS NULL`)).rows.map((r) => r.email);
    const extra = unique("gus");
    await addUser({ email: extra, name: "Gus", role: "admin", password: "gus-password" }, "human:test-admin");
    for (const email of admins) await setActive(email, false, "human:test-admin");
    await expect(setActive(extra, false, "human:test-admin")).rejects.toThrow(`${extra} is the last active admin: make someone else admin first`);
    for (const email of admins) await setActive(email, true, "human:test-admin");
  });

  it("a reset password is new, works, and ends the old sessions", async () => {
    ip++;
    const email = unique("hal");
    await addUser({ email, name: "Hal", role: "viewer", password: "hal-password" }, "human:test-admin");
    const cookie = (await call("/sign-in/email", { email, password: "hal-password" })).headers.get("set-cookie")!.split(";")[0];
    const password = await resetPassword(email, "human:test-admin");
    expect(password).toHaveLength(18);
    expect(await sessionUser(new Headers({ cookie }))).toBeNull();
    expect((await call("/sign-in/email", { email, password: "hal-password" })).status).toBe(401);
    expect((await call("/sign-in/email", { email, password })).status).toBe(200);
  });

  it("rate-limits sign-in attempts per address", async () => {
    ip++;
    const statuses: number[] = [];
    for (let i = 0; i <= signInPerMinute(); i++) statuses.push((await call("/sign-in/email", { email: "nobody@example.com", password: "guessing-" + i })).status);
    expect(statuses.slice(0, signInPerMinute()).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });

  it("changing one's own password ends one's other sessions, whatever the request asks, and is audited", async () => {
    ip++;
    const email = unique("dee");
    await addUser({ email, name: "Dee", role: "annotator", password: "old-password" }, "human:test-admin");
    const signIn = async () => (await call("/sign-in/email", { email, password: "old-password" })).headers.get("set-cookie")!.split(";")[0];
    const here = await signIn();
    const elsewhere = await signIn();
    const changed = await call("/change-password", { currentPassword: "old-password", newPassword: "new-password", revokeOtherSessions: false }, here);
    expect(changed.status).toBe(200);
    const auth = await getAuth();
    const session = (cookie: string) => auth.api.getSession({ headers: new Headers({ cookie }), query: { disableCookieCache: true } });
    expect(await session(elsewhere)).toBeNull();
    // The one that changed it stays signed in, on the new session it was given.
    const renewed = changed.headers.get("set-cookie")!.split(";")[0];
    expect((await session(renewed))?.user.email).toBe(email);
    const { entries } = await listAudit({ actor: `human:${email}` });
    expect(entries.map((e) => `${e.action} ${e.summary}`)).toEqual([
      `user.password ${email} changed their own password; their other sessions ended`,
      `sign-in ${email} signed in from 10.0.0.${ip}`,
      `sign-in ${email} signed in from 10.0.0.${ip}`,
    ]);
    // A wrong current password changes nothing and records nothing.
    expect((await call("/change-password", { currentPassword: "guess", newPassword: "other-password" }, renewed)).status).toBe(400);
    expect((await listAudit({ actor: `human:${email}`, action: "user.password" })).entries).toHaveLength(1);
  });

  it("takes the address from the socket: a client's X-Forwarded-For neither resets the sign-in limit nor reaches the audit log", async () => {
    stampClientAddresses({});
    const auth = await getAuth();
    // A real HTTP server in front of better-auth's handler, as the web server is.
    const server = http.createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const headers = new Headers(Object.entries(req.headers).flatMap(([k, v]) => (typeof v === "string" ? [[k, v] as [string, string]] : [])));
      const answer = await auth.handler(new Request(`http://localhost:3000${req.url}`, { method: req.method, headers, body: Buffer.concat(chunks) }));
      res.writeHead(answer.status, Object.fromEntries(answer.headers)).end(Buffer.from(await answer.arrayBuffer()));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const email = unique("eve");
      await addUser({ email, name: "Eve", role: "viewer", password: "eve-password" }, "human:test-admin");
      const signIn = (password: string, n: number) =>
        fetch(`${base}/api/auth/sign-in/email`, {
          method: "POST",
          headers: { "content-type": "application/json", origin: "http://localhost:3000", "x-forwarded-for": `203.0.113.${n}`, [clientAddressHeader()]: "198.51.100.7" },
          body: JSON.stringify({ email, password }),
        });
      expect((await signIn("eve-password", 250)).status).toBe(200);
      const { entries } = await listAudit({ actor: `human:${email}`, action: "sign-in" });
      expect(entries.map((e) => e.summary)).toEqual([`${email} signed in from 127.0.0.1`]);
      const statuses: number[] = [];
      for (let n = 0; n < signInPerMinute(); n++) statuses.push((await signIn(`wrong-${n}`, n)).status);
      expect(statuses.at(-1)).toBe(429);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("follows X-Forwarded-For only from proxies STUDIO_TRUSTED_PROXIES lists, right to left past each trusted one", () => {
    const none = trustedProxies({});
    expect(clientAddress("127.0.0.1", "203.0.113.9", none)).toBe("127.0.0.1");
    expect(clientAddress("::ffff:192.0.2.4", undefined, none)).toBe("192.0.2.4");
    const proxies = trustedProxies({ STUDIO_TRUSTED_PROXIES: "10.0.0.0/8, ::1" });
    expect(clientAddress("10.1.2.3", "198.51.100.20", proxies)).toBe("198.51.100.20");
    // A client that sends its own header only adds to the left of what the proxies append.
    expect(clientAddress("10.1.2.3", "6.6.6.6, 198.51.100.20, 10.9.9.9", proxies)).toBe("198.51.100.20");
    expect(clientAddress("10.1.2.3", undefined, proxies)).toBe("10.1.2.3");
    expect(clientAddress("192.0.2.50", "198.51.100.20", proxies)).toBe("192.0.2.50");
    expect(() => trustedProxies({ STUDIO_TRUSTED_PROXIES: "proxy.local" })).toThrow(/STUDIO_TRUSTED_PROXIES: "proxy.local" is not an IP address/);
  });

  it("does not create another first admin once an admin exists (the e2e server's start-up covers creating one)", async () => {
    await addUser({ email: unique("root"), name: "Root", role: "admin", password: "root-password" }, "human:test-admin");
    const email = unique("second-root");
    expect(await ensureFirstAdmin({ STUDIO_ADMIN_EMAIL: email, STUDIO_ADMIN_PASSWORD: "env-password" })).toBeNull();
    expect(await findUser(email)).toBeNull();
  });
});
