// The LLM client's fetch over undici's dispatch, against a real local server: what the openai SDK relies on.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { httpFetch } from "./http-fetch";

let server: http.Server | null = null;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(null));
  server = null;
});

async function listen(handler: http.RequestListener): Promise<string> {
  server = http.createServer(handler);
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

describe("httpFetch", () => {
  it("sends the method, headers and body, asking for no compression, and hands back status, headers and the whole answer", async () => {
    let received: { method?: string; type?: string; length?: string; encoding?: string; body: string } = { body: "" };
    const url = await listen((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        received = { method: req.method, type: req.headers["content-type"], length: req.headers["content-length"], encoding: req.headers["accept-encoding"], body };
        res.writeHead(201, { "content-type": "application/json", "x-request-id": "r1" });
        res.write('{"a":');
        res.end('"ü"}');
      });
    });
    const body = JSON.stringify({ question: "naïve?" });
    const headers = new Headers({ "content-type": "application/json", "accept-encoding": "gzip" });
    const response = await httpFetch(`${url}/v1/chat/completions`, { method: "POST", headers, body });
    expect(received).toEqual({ method: "POST", type: "application/json", length: String(Buffer.byteLength(body)), encoding: "identity", body });
    expect(response.status).toBe(201);
    expect(response.headers.get("x-request-id")).toBe("r1");
    expect(await response.json()).toEqual({ a: "ü" });
  });

  it("does not follow a redirect: the 3xx itself comes back", async () => {
    let hits = 0;
    const url = await listen((_req, res) => {
      hits++;
      res.writeHead(302, { location: "/elsewhere" }).end();
    });
    const response = await httpFetch(`${url}/v1/models`);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/elsewhere");
    expect(hits).toBe(1);
  });

  it("rejects with an AbortError when aborted while the answer is coming (the SDK reads it as a timeout)", async () => {
    const url = await listen((_req, res) => {
      res.writeHead(200);
      res.write("{"); // and never ends
    });
    const controller = new AbortController();
    const pending = httpFetch(url, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
  });

  it("refuses what is not http(s)", async () => {
    await expect(httpFetch("file:///etc/passwd")).rejects.toThrow(/not http\(s\)/);
  });
});
