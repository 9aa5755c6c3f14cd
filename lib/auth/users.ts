// People: added by an admin (CLI or the Users page), never by themselves. Passwords go through better-auth's own
// hashing (scrypt) — nothing here touches crypto.
import "server-only";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { recordAudit } from "@/lib/audit/log";
import { getPool } from "@/lib/db/client";
import { getAuth } from "./auth";
import { ROLES, type Role } from "./roles";
import { ConflictError, NotFoundError } from "@/lib/errors";

export const NewUserSchema = z.object({
  email: z.email("email must be an email address").trim().toLowerCase(),
  name: z.string({ error: "name is missing" }).trim().min(1, "name is empty").max(100, "name is longer than 100 characters"),
  role: z.enum(ROLES, { error: `role must be one of ${ROLES.join(", ")}` }),
  password: z.string({ error: "password is missing" }).min(8, "password must be at least 8 characters").max(128, "password must be at most 128 characters"),
});
export type NewUser = z.infer<typeof NewUserSchema>;

export interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  createdAt: Date;
}

export class UserExistsError extends ConflictError {}

/** A password for a first-run or CLI-added account when none is given: 18 random characters. */
export function generatePassword(): string {
  return randomBytes(14).toString("base64url").slice(0, 18);
}

/** Adds a person (email + password account) with a role. Throws UserExistsError for a taken email. */
export async function addUser(input: NewUser, actor: string): Promise<UserRow> {
  const user = NewUserSchema.parse(input);
  const pool = await getPool();
  const taken = await pool.query(`SELECT 1 FROM users WHERE email = $1`, [user.email]);
  if (taken.rowCount) throw new UserExistsError(`a user with email ${user.email} already exists`);
  const auth = await getAuth();
  const created = await auth.api.signUpEmail({ body: { email: user.email, name: user.name, password: user.password } });
  await pool.query(`UPDATE users SET role = $2 WHERE id = $1`, [created.user.id, user.role]);
  await recordAudit({ actor, action: "user.add", target: { type: "user", id: user.email }, summary: `Added ${user.email} as ${user.role}`, after: { role: user.role } });
  return (await findUser(user.email))!;
}

/** Replaces a person's password (their sessions end: the old password must not keep anyone signed in). */
export async function setPassword(email: string, password: string, actor: string): Promise<void> {
  NewUserSchema.shape.password.parse(password);
  const user = await findUser(email);
  if (!user) throw new NotFoundError(`no user with email ${email}`);
  const ctx = await (await getAuth()).$context;
  await ctx.internalAdapter.updatePassword(user.id, await ctx.password.hash(password));
  const pool = await getPool();
  await pool.query(`DELETE FROM sessions WHERE user_id = $1`, [user.id]);
  await recordAudit({ actor, action: "user.password", target: { type: "user", id: user.email }, summary: `Set a new password for ${user.email}` });
}

export async function setRole(email: string, role: Role, actor: string): Promise<UserRow> {
  const before = await findUser(email);
  if (!before) throw new NotFoundError(`no user with email ${email}`);
  const pool = await getPool();
  await pool.query(`UPDATE users SET role = $2, updated_at = now() WHERE id = $1`, [before.id, role]);
  await recordAudit({ actor, action: "user.role", target: { type: "user", id: before.email }, summary: `${before.email}: ${before.role} → ${role}`, before: { role: before.role }, after: { role } });
  return (await findUser(email))!;
}

export async function findUser(email: string): Promise<UserRow | null> {
  const pool = await getPool();
  const { rows } = await pool.query(`SELECT id, email, name, role, created_at FROM users WHERE email = $1`, [email.trim().toLowerCase()]);
  return rows[0] ? toUser(rows[0]) : null;
}

export async function listUsers(): Promise<UserRow[]> {
  const pool = await getPool();
  const { rows } = await pool.query(`SELECT id, email, name, role, created_at FROM users ORDER BY created_at, email`);
  return rows.map(toUser);
}

export async function countAdmins(): Promise<number> {
  const pool = await getPool();
  const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM users WHERE role = 'admin'`);
  return rows[0].n;
}

function toUser(r: { id: string; email: string; name: string; role: Role; created_at: Date }): UserRow {
  return { id: r.id, email: r.email, name: r.name, role: r.role, createdAt: r.created_at };
}
