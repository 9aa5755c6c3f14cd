// No cross-site writes. A page on another site, or on another port of this host (same site, so the session cookie
// goes along), can make a signed-in browser send a form or a no-cors fetch; only the Origin header tells. A request
// that changes something must name the studio's own origin, or (without an Origin) be marked same-origin by the
// browser's Sec-Fetch-Site. Scripts calling the API send `Origin: <the studio's URL>` (README, People and trust).

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The studio's own origin: STUDIO_PUBLIC_URL's when set, else the scheme and Host the request came in on. */
export function ownOrigin(request: Request): string {
  const configured = process.env.STUDIO_PUBLIC_URL?.trim();
  if (configured) return new URL(configured).origin;
  const url = new URL(request.url);
  const host = request.headers.get("host") ?? url.host;
  return new URL(`${url.protocol}//${host}`).origin;
}

/** Why this request must be refused as cross-site (a sentence for the 403), or null when it may go on. */
export function crossSiteRefusal(request: Request): string | null {
  if (SAFE_METHODS.has(request.method)) return null;
  const expected = ownOrigin(request);
  const origin = request.headers.get("origin");
  if (origin === null) {
    if (request.headers.get("sec-fetch-site") === "same-origin") return null;
    return `a request that changes something must come from the studio's own pages: it has no Origin header (scripts send "Origin: ${expected}")`;
  }
  if (origin !== expected) return `a request from ${origin} cannot change anything here: only ${expected} may`;
  return null;
}
