// Which requests may change something: only those from the studio's own origin (lib/http/origin.ts).
import { afterEach, describe, expect, it } from "vitest";
import { crossSiteRefusal, ownOrigin } from "./origin";

function request(method: string, headers: Record<string, string>, url = "http://127.0.0.1:3000/api/users") {
  return new Request(url, { method, headers: { host: new URL(url).host, ...headers } });
}

afterEach(() => {
  delete process.env.STUDIO_PUBLIC_URL;
});

describe("crossSiteRefusal", () => {
  it("lets reads through from anywhere: they change nothing", () => {
    expect(crossSiteRefusal(request("GET", { origin: "http://evil.example" }))).toBeNull();
    expect(crossSiteRefusal(request("HEAD", {}))).toBeNull();
  });

  it("accepts a write from the studio's own origin, or marked same-origin by the browser", () => {
    expect(crossSiteRefusal(request("POST", { origin: "http://127.0.0.1:3000" }))).toBeNull();
    expect(crossSiteRefusal(request("PATCH", { "sec-fetch-site": "same-origin" }))).toBeNull();
  });

  it("refuses a write from another port of the same host (same site: the cookie goes along)", () => {
    expect(crossSiteRefusal(request("POST", { origin: "http://127.0.0.1:4000" }))).toBe(
      "a request from http://127.0.0.1:4000 cannot change anything here: only http://127.0.0.1:3000 may",
    );
  });

  it("refuses a write without an Origin, or with Origin null, or marked same-site or cross-site", () => {
    expect(crossSiteRefusal(request("POST", {}))).toMatch(/has no Origin header/);
    expect(crossSiteRefusal(request("DELETE", { "sec-fetch-site": "same-site" }))).toMatch(/has no Origin header/);
    expect(crossSiteRefusal(request("POST", { origin: "null" }))).toMatch(/from null/);
  });

  it("with STUDIO_PUBLIC_URL, only that origin: not a sibling subdomain, not another scheme, not the request's Host", () => {
    process.env.STUDIO_PUBLIC_URL = "https://studio.example.org/";
    const behindProxy = "http://10.0.0.5:3000/api/users";
    expect(ownOrigin(request("POST", {}, behindProxy))).toBe("https://studio.example.org");
    expect(crossSiteRefusal(request("POST", { origin: "https://studio.example.org" }, behindProxy))).toBeNull();
    for (const origin of ["https://evil.example.org", "https://other.example.org", "http://studio.example.org", "http://10.0.0.5:3000"]) {
      expect(crossSiteRefusal(request("POST", { origin }, behindProxy)), origin).not.toBeNull();
    }
  });
});
