#!/usr/bin/env bash
# The whole test suite: type check, unit + integration (real PostgreSQL), then Playwright e2e in Debian's Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Debian's Chromium for the end-to-end tests…"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

# Next.js would otherwise try to send build telemetry: the suite makes no outside calls.
export NEXT_TELEMETRY_DISABLED=1
mkdir -p test-results
npx tsc --noEmit
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json
npx next build
# No prompt text or server code in a browser chunk.
npx tsx --conditions=react-server scripts/check-client-bundle.ts
npx playwright test
node scripts/test-summary.mjs
