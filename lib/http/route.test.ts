// The route wrapper on its own, with a handler that records what reached it: each check in its order, and what a
// caller is told (and not told) when something goes wrong.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { PrismaPg } from "@prisma/adapter-pg";
import { z } from "zod";
import type { CurrentUser } from "@/lib/auth/session";
import { PrismaClient } from "@/lib/db/generated/client";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { routeContext, STUDIO_ORIGIN, studioRequest } from "@/test/route-request";

const session = vi.hoisted(() => ({ user: null as CurrentUser | null }));
vi.mock("@/lib/auth/session", () => ({ sessionUser: async () => session.user }));

const { JSON_BODY_MAX_BYTES, route } = await import("./route");

const annotator: CurrentUser = { id: "u1", email: "ann@route.test", name: "Ann", role: "annotator" };
const viewer: CurrentUser = { ...annotator, role: "viewer" };

const reached = vi.fn();
const decide = route(
  {
    permission: "samples.decide",
    params: z.object({ id: z.string().regex(/^\d+$/, "the sample id must be digits") }),
    body: z.object({ reason: z.string().max(20, "reason is too long"), stage: z.number().int().max(5, "stage must be 1–5").optional() }),
  },
  ({ user, params, body }) => {
    reached({ user: user.email, params, body });
    return { ok: true };
  },
);

function post(body: unknown, headers: Record<string, string> = {}) {
  return decide(
    studioRequest("/api/things/7", { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body), headers: { "content-type": "application/json", ...headers } }),
    routeContext({ id: "7" }),
  );
}

beforeEach(() => {
  session.user = annotator;
  reached.mockClear();
});
afterEach(() => {
  vi.restoreAllMocks();
  delete process.env.STUDIO_PUBLIC_URL;
});

describe("route()", () => {
  it("passes the caller, the parsed params and body to the handler and answers its value as JSON", async () => {
    const response = await post({ reason: "fine", stage: 2 });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(reached).toHaveBeenCalledWith({ user: annotator.email, params: { id: "7" }, body: { reason: "fine", stage: 2 } });
  });

  it("checks the origin before the session, the session before the permission, the permission before the body", async () => {
    session.user = null;
    const crossSite = await post("not json", { origin: "http://studio.test:4000" });
    expect(crossSite.status).toBe(403);
    expect((await crossSite.json()).error).toContain("http://studio.test:4000");

    const signedOut = await post("not json");
    expect(signedOut.status).toBe(401);

    session.user = viewer;
    const denied = await post("not json");
    expect(denied.status).toBe(403);
    expect((await denied.json()).error).toBe("This needs the annotator role (samples.decide); you are viewer.");
    expect(reached).not.toHaveBeenCalled();
  });

  it("refuses a body that is not JSON by its type (415), by its text (400), or too large (413), naming what is wrong", async () => {
    const form = await post("reason=x", { "content-type": "text/plain" });
    expect(form.status).toBe(415);
    expect((await form.json()).error).toBe("the body must be sent as application/json, not text/plain");

    const broken = await post("{reason:");
    expect(broken.status).toBe(400);
    expect((await broken.json()).error).toBe("the request body is not valid JSON");

    const huge = await post({ reason: "x".repeat(JSON_BODY_MAX_BYTES) });
    expect(huge.status).toBe(413);
    expect(reached).not.toHaveBeenCalled();
  });

  it("names the field a schema refuses, and refuses NUL and lone surrogates in any string or key", async () => {
    const tooLong = await post({ reason: "x".repeat(21) });
    expect(tooLong.status).toBe(400);
    expect(await tooLong.json()).toEqual({ error: "reason is too long", fields: { reason: "reason is too long" } });

    const nul = await post({ reason: "a\u0000b" });
    expect(nul.status).toBe(400);
    expect((await nul.json()).error).toBe("body: reason contains a NUL character (\\u0000)");

    const surrogate = await post('{"reason": "a\\ud800b"}');
    expect(surrogate.status).toBe(400);
    expect((await surrogate.json()).error).toBe("body: reason contains a lone surrogate (not Unicode text)");

    const key = await post({ reason: "x", ["k\u0000"]: 1 });
    expect(key.status).toBe(400);

    const params = await decide(
      studioRequest("/api/things/x", { method: "POST", body: "{}", headers: { "content-type": "application/json" } }),
      routeContext({ id: "0x10" }),
    );
    expect(params.status).toBe(400);
    expect((await params.json()).error).toBe("the sample id must be digits");
    expect(reached).not.toHaveBeenCalled();
  });

  it("answers a domain error with its status and details, and anything else with a 500 that hides it", async () => {
    const notFound = route({ permission: "samples.read" }, () => {
      throw new NotFoundError("sample 9 does not exist");
    });
    const missing = await notFound(studioRequest("/api/x"), routeContext());
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: "sample 9 does not exist" });

    const busy = route({ permission: "samples.read" }, () => {
      throw new ConflictError("changed meanwhile", { current: { version: 3 } });
    });
    expect(await (await busy(studioRequest("/api/x"), routeContext())).json()).toEqual({ error: "changed meanwhile", current: { version: 3 } });

    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const broken = route({ permission: "samples.read" }, () => {
      throw new RangeError("secret detail from the driver");
    });
    const response = await broken(studioRequest("/api/x"), routeContext());
    expect(response.status).toBe(500);
    const body = await response.json();
    expect(JSON.stringify(body)).not.toContain("secret detail");
    expect(body.error).toContain(body.requestId);
    const log = logged.mock.calls.flat().map(String).join(" ");
    expect(log).toContain(body.requestId);
    expect(log).toContain("secret detail from the driver");
  });

  it("says the database is out of reach (503) when it is, rather than a bare 500", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const down = route({ permission: "samples.read" }, () => {
      throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    });
    const response = await down(studioRequest("/api/x"), routeContext());
    expect(response.status).toBe(503);
    // Also when a library wraps the driver's error (better-auth's session lookup does).
    const wrapped = route({ permission: "samples.read" }, () => {
      throw new Error("Failed to get session", { cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }) });
    });
    expect((await wrapped(studioRequest("/api/x"), routeContext())).status).toBe(503);
    expect((await response.json()).error).toMatch(/^The server could not reach the database \(it may be unreachable or restarting\): nothing was written\./);
  });

  it("answers 503 when a handler's Prisma query finds no database server, naming neither the server nor its URL", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    // A real Prisma client on a port nothing listens on: the errors are Prisma's own (P1001, and P2010 for raw SQL).
    const url = "postgresql://studio:secret-password@127.0.0.1:1/studio";
    const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
    try {
      for (const query of [() => prisma.user.count(), () => prisma.$queryRaw`SELECT 1`]) {
        const response = await route({ permission: "samples.read" }, async () => ({ n: await query() }))(studioRequest("/api/x"), routeContext());
        expect(response.status).toBe(503);
        const body = await response.json();
        expect(body.error).toMatch(/^The server could not reach the database/);
        expect(JSON.stringify(body)).not.toMatch(/127\.0\.0\.1|secret-password/);
      }
      // The log gets one line per request, what happened (not Prisma's excerpt of the calling code).
      const lines = logged.mock.calls.map((call) => call.join(" "));
      expect(lines).toHaveLength(2);
      for (const line of lines) expect(line).toMatch(/GET \/api\/x: the database did not answer: .*Can't reach database server at 127\.0\.0\.1:1`?$/);
    } finally {
      await prisma.$disconnect();
    }
  });

  it("lets demand() refuse an action whose permission depends on the body", async () => {
    const bulk = route({ permission: "samples.decide", body: z.object({ action: z.string() }) }, ({ body, demand }) => {
      if (body.action === "rerun") demand("runs.start");
      return { done: body.action };
    });
    const ask = (action: string) =>
      bulk(studioRequest("/api/bulk", { method: "POST", body: JSON.stringify({ action }), headers: { "content-type": "application/json" } }), routeContext());
    expect((await ask("approve")).status).toBe(200);
    const rerun = await ask("rerun");
    expect(rerun.status).toBe(403);
    expect((await rerun.json()).error).toBe("This needs the admin role (runs.start); you are annotator.");
  });

  it("takes the configured public URL as the studio's origin", async () => {
    process.env.STUDIO_PUBLIC_URL = "https://studio.example.org";
    expect((await post({ reason: "x" }, { origin: STUDIO_ORIGIN })).status).toBe(403);
    expect((await post({ reason: "x" }, { origin: "https://evil.example.org" })).status).toBe(403);
    expect((await post({ reason: "x" }, { origin: "https://studio.example.org" })).status).toBe(200);
  });
});
