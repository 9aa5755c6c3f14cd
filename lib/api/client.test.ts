// The browser's API client against a recording fetch: the URL a call makes from its endpoint, params and query; the
// JSON body and its content type; a refusal thrown with the server's words and details; the network failing.
import { afterEach, describe, expect, it, vi } from "vitest";
import { api, ApiError, apiUrl } from "./client";

const calls: { url: string; init: RequestInit }[] = [];
function answerWith(response: () => Response) {
  vi.stubGlobal("fetch", async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return response();
  });
}
afterEach(() => {
  calls.length = 0;
  vi.unstubAllGlobals();
});

describe("apiUrl", () => {
  it("fills the path's segments, encoded, and appends the query without its empty values", () => {
    expect(apiUrl("GET /api/datasets/[name]/guidelines", { params: { name: "bfcl live/simple" }, query: { version: "3" } })).toBe("/api/datasets/bfcl%20live/simple/guidelines?version=3");
    expect(apiUrl("GET /api/samples/[id]/neighbors", { params: { id: 12 }, query: new URLSearchParams("status=flagged&q=a b") })).toBe("/api/samples/12/neighbors?status=flagged&q=a+b");
    expect(apiUrl("GET /api/import/progress", { query: { id: "abc", extra: undefined } as never })).toBe("/api/import/progress?id=abc");
  });
});

describe("api", () => {
  it("sends the body as JSON with the method of the endpoint, and resolves to the answer", async () => {
    answerWith(() => Response.json({ version: 4, status: "approved", decisionId: 9, round: null }));
    const answer = await api("POST /api/samples/[id]/decision", { params: { id: 7 }, body: { action: "approve", expectedVersion: 3 } });
    expect(answer.version).toBe(4);
    expect(calls).toHaveLength(1);
    expect(calls[0].url).toBe("/api/samples/7/decision");
    expect(calls[0].init.method).toBe("POST");
    expect(calls[0].init.headers).toEqual({ "Content-Type": "application/json" });
    expect(JSON.parse(String(calls[0].init.body))).toEqual({ action: "approve", expectedVersion: 3 });
  });

  it("throws a refusal as an ApiError with the server's message and its details", async () => {
    answerWith(() => Response.json({ error: "the sample changed since you opened it", current: { version: 5 } }, { status: 409 }));
    const refusal = await api("POST /api/samples/[id]/decision", { params: { id: 7 }, body: { action: "approve", expectedVersion: 3 } }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ApiError);
    expect(refusal).toMatchObject({ status: 409, message: "the sample changed since you opened it", body: { current: { version: 5 } } });
  });

  it("says what a bare server failure means when the server gave no words", async () => {
    answerWith(() => new Response("Internal Server Error", { status: 502 }));
    await expect(api("GET /api/runs")).rejects.toMatchObject({ status: 502, message: expect.stringContaining("HTTP 502") });
  });

  it("turns a network failure into an ApiError of status 0", async () => {
    vi.stubGlobal("fetch", async () => {
      throw new TypeError("Failed to fetch");
    });
    await expect(api("GET /api/runs")).rejects.toMatchObject({ status: 0, message: expect.stringContaining("did not answer") });
  });

  it("hands back the Response of a download instead of reading it", async () => {
    answerWith(() => new Response("a,b\n", { headers: { "content-type": "text/csv" } }));
    const answer = await api("GET /api/datasets/[name]/export", { params: { name: "d" }, query: { format: "csv" } as never });
    expect(answer).toBeInstanceOf(Response);
    expect(await answer.text()).toBe("a,b\n");
  });
});
