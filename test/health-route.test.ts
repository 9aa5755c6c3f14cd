// /api/health answers anyone, signed in or not: when the database is down it must say so without the driver's
// words (which name hosts, users and paths).
import { afterEach, describe, expect, it, vi } from "vitest";
import { routeContext, studioRequest } from "./route-request";

const DRIVER_ERROR = 'password authentication failed for user "studio_owner" at db.internal.example:5432';

vi.mock("@/lib/db/client", () => ({
  getPrisma: async () => ({ $queryRaw: async () => Promise.reject(new Error(DRIVER_ERROR)) }),
}));

afterEach(() => {
  vi.restoreAllMocks();
});

describe("GET /api/health", () => {
  it("answers 503 with a fixed message when the database fails, and logs the driver's error on the server only", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const { GET } = await import("@/app/api/health/route");
    const response = await GET(studioRequest("/api/health"), routeContext());
    expect(response.status).toBe(503);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ ok: false, error: "the database is not reachable" });
    expect(text).not.toContain("studio_owner");
    expect(logged.mock.calls.flat().join(" ")).toContain(DRIVER_ERROR);
  });
});
