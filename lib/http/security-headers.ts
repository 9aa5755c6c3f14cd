// The headers every response carries so that the studio cannot be framed, sniffed or scripted by anything it did
// not send itself. next.config.ts sets the fixed ones on every route; proxy.ts sets the Content-Security-Policy,
// which carries a fresh nonce per request.
//
// Why a nonce rather than a static policy with 'unsafe-inline' for scripts: Next's App Router hydrates through
// inline scripts, and a static policy could only allow them by allowing every inline script, including one an
// attacker managed to inject. A nonce costs static rendering (each response is unique), and the studio renders
// every page per request anyway (the root layout is force-dynamic: it shows who is signed in), so it costs nothing
// here. Next reads the nonce from the request's CSP header and puts it on its own scripts; 'strict-dynamic' lets
// those load the page's chunks. Styles keep 'unsafe-inline': React's style attributes (charts, progress bars)
// cannot carry a nonce, and styles cannot run code.

/** Where browsers send violation reports (app/api/csp-report/route.ts). */
export const CSP_REPORT_PATH = "/api/csp-report";

export function contentSecurityPolicy(nonce: string, development = process.env.NODE_ENV === "development"): string {
  return [
    "default-src 'self'",
    // React's dev build evaluates code for its debugging aids; production never does.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    `report-uri ${CSP_REPORT_PATH}`,
  ].join("; ");
}

/** The nonce a policy allows scripts by (a server component reads it from the request's header), or undefined. */
export function nonceOf(policy: string | null): string | undefined {
  return policy ? /'nonce-([^']+)'/.exec(policy)?.[1] : undefined;
}

/** A fresh, unguessable nonce for one response. */
export function newNonce(): string {
  return btoa(crypto.randomUUID());
}

/** The fixed headers (next.config.ts `headers()`), on pages, API responses and static files alike. */
export const FIXED_SECURITY_HEADERS = [
  // Old browsers that ignore CSP's frame-ancestors.
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  // Links out of the studio tell the other site nothing (sample ids and filters live in the URL).
  { key: "Referrer-Policy", value: "same-origin" },
];
