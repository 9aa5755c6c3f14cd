// Accounts with better-auth: email + password, sessions in PostgreSQL (tables users, sessions, accounts,
// verifications; see prisma/schema.prisma), sign-in rate-limited. Nobody signs themselves up: admins add people
// (`npm run studio -- user add`, or the Users page), so the public sign-up route is disabled.
import "server-only";
import { randomBytes } from "node:crypto";
import { betterAuth } from "better-auth";
import { APIError, createAuthMiddleware } from "better-auth/api";
import { nextCookies } from "better-auth/next-js";
import { recordAudit } from "@/lib/audit/log";
import { getPool } from "@/lib/db/client";
import { isDatabaseOutageOrCause, logDatabaseError } from "@/lib/db/outage";
import { clientAddressHeader } from "./client-address";

/** Sign-in attempts allowed per IP address per minute (STUDIO_SIGN_IN_PER_MINUTE). */
export const signInPerMinute = () => Number(process.env.STUDIO_SIGN_IN_PER_MINUTE) || 10;

const SESSION_DAYS = 7;
const CHANGE_PASSWORD = "/change-password";
const SIGN_IN = "/sign-in/email";

/** better-auth's log lines, as its own logger writes them, but for the database being out of reach. */
function logAuthMessage(level: "debug" | "info" | "warn" | "error", message: string, ...args: unknown[]): void {
  const outage = args.find((arg) => isDatabaseOutageOrCause(arg));
  if (outage) return logDatabaseError("sign-in and sessions", outage as Error);
  const write = level === "error" ? console.error : level === "warn" ? console.warn : console.log;
  write(`[Better Auth] ${message}`, ...args);
}

async function createAuth() {
  const pool = await getPool();
  return betterAuth({
    appName: "FunReason Studio",
    baseURL: baseURL(),
    secret: await authSecret(),
    database: pool,
    telemetry: { enabled: false },
    // The database out of reach is said once (lib/db/outage.ts), not as a stack dump per session lookup.
    logger: { log: logAuthMessage },
    // The client's address as the web server stamped it at the socket (lib/auth/client-address.ts), never a
    // client-sent X-Forwarded-For: it keys the sign-in rate limit and goes into the audit log.
    advanced: { ipAddress: { ipAddressHeaders: [clientAddressHeader()] } },
    emailAndPassword: { enabled: true, minPasswordLength: 8, autoSignIn: false },
    disabledPaths: ["/sign-up/email"],
    user: {
      modelName: "users",
      fields: { emailVerified: "email_verified", createdAt: "created_at", updatedAt: "updated_at" },
      additionalFields: {
        role: { type: "string", required: false, defaultValue: "viewer", input: false },
        deactivatedAt: { type: "date", required: false, input: false, fieldName: "deactivated_at" },
      },
    },
    session: {
      modelName: "sessions",
      fields: { userId: "user_id", expiresAt: "expires_at", ipAddress: "ip_address", userAgent: "user_agent", createdAt: "created_at", updatedAt: "updated_at" },
      expiresIn: SESSION_DAYS * 24 * 3600,
    },
    account: {
      modelName: "accounts",
      fields: {
        accountId: "account_id",
        providerId: "provider_id",
        userId: "user_id",
        accessToken: "access_token",
        refreshToken: "refresh_token",
        idToken: "id_token",
        accessTokenExpiresAt: "access_token_expires_at",
        refreshTokenExpiresAt: "refresh_token_expires_at",
        createdAt: "created_at",
        updatedAt: "updated_at",
      },
    },
    verification: { modelName: "verifications", fields: { expiresAt: "expires_at", createdAt: "created_at", updatedAt: "updated_at" } },
    rateLimit: {
      enabled: true,
      storage: "memory",
      window: 60,
      max: 600,
      customRules: { [SIGN_IN]: { window: 60, max: signInPerMinute() } },
    },
    hooks: {
      // Changing one's own password ends one's other sessions (a stolen session must not outlive the old
      // password), whatever the request asked for, and is audited.
      before: createAuthMiddleware(async (ctx) => {
        if (ctx.path === CHANGE_PASSWORD) return { context: { ...ctx, body: { ...ctx.body, revokeOtherSessions: true } } };
        // A deactivated account cannot sign in, whatever its password (lib/auth/users.ts setActive).
        if (ctx.path === SIGN_IN && typeof ctx.body?.email === "string") {
          const { rows } = await pool.query(`SELECT 1 FROM users WHERE email = lower($1) AND deactivated_at IS NOT NULL`, [ctx.body.email.trim()]);
          if (rows.length) throw new APIError("FORBIDDEN", { message: "This account is deactivated: ask an admin to reactivate it." });
        }
      }),
      after: createAuthMiddleware(async (ctx) => {
        const email = ctx.context.session?.user.email;
        if (ctx.path !== CHANGE_PASSWORD || !email || ctx.context.returned instanceof Error) return;
        await recordAudit({
          actor: `human:${email}`,
          action: "user.password",
          target: { type: "user", id: email },
          summary: `${email} changed their own password; their other sessions ended`,
        });
      }),
    },
    databaseHooks: {
      session: {
        create: {
          // Every sign-in creates a session: that is where it is recorded (a password change's new session is not one).
          after: async (session, context) => {
            if (context?.path === CHANGE_PASSWORD) return;
            const { rows } = await pool.query<{ email: string }>(`SELECT email FROM users WHERE id = $1`, [session.userId]);
            const email = rows[0]?.email ?? session.userId;
            await recordAudit({
              actor: `human:${email}`,
              action: "sign-in",
              target: { type: "user", id: email },
              summary: `${email} signed in${session.ipAddress ? ` from ${session.ipAddress}` : ""}`,
            });
          },
        },
      },
    },
    plugins: [nextCookies()],
  });
}

/**
 * Where people reach the studio: STUDIO_PUBLIC_URL (e.g. https://studio.example.org), or by default any port on
 * this machine's loopback names. Sign-in and sign-out only accept requests whose Origin is that address.
 */
function baseURL(): string | { allowedHosts: string[]; protocol: "http"; fallback: string } {
  const url = process.env.STUDIO_PUBLIC_URL?.trim();
  if (url) return url;
  return {
    allowedHosts: ["localhost:*", "127.0.0.1:*", "[::1]:*", "localhost", "127.0.0.1"],
    protocol: "http",
    // For calls made by the server itself (adding a user from the CLI), which have no request to read.
    fallback: `http://localhost:${process.env.PORT ?? 3000}`,
  };
}

export type Auth = Awaited<ReturnType<typeof createAuth>>;

const state = globalThis as unknown as { __studioAuth?: Promise<Auth> };

export function getAuth(): Promise<Auth> {
  state.__studioAuth ??= createAuth().catch((error) => {
    state.__studioAuth = undefined;
    throw error;
  });
  return state.__studioAuth;
}

/**
 * The key sessions are signed with: STUDIO_AUTH_SECRET, or one generated on first use and kept in the database
 * (settings key `auth.secret`), so sessions survive restarts without any set-up.
 */
async function authSecret(): Promise<string> {
  const fromEnv = process.env.STUDIO_AUTH_SECRET?.trim();
  if (fromEnv) return fromEnv;
  const pool = await getPool();
  await pool.query(`INSERT INTO settings (key, value) VALUES ('auth.secret', to_jsonb($1::text)) ON CONFLICT (key) DO NOTHING`, [
    randomBytes(32).toString("base64url"),
  ]);
  const { rows } = await pool.query<{ value: string }>(`SELECT value FROM settings WHERE key = 'auth.secret'`);
  return rows[0].value;
}
