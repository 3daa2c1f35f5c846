#!/usr/bin/env bash
# The demo admin page: installs what building needs, builds the package when
# pkg/dist is missing or older than its sources, then runs the demo server.
#
#   bash www/demo.sh [--port 8080]     # arguments go to www/server.mjs
#
# Without USPEEDO_PUBLIC_KEY / USPEEDO_PRIVATE_KEY the page talks to an
# embedded mock uSpeedo API; with both set (and USPEEDO_ALLOW_TEMPLATES, the
# templates it may send) it sends real SMS. Open the URL it prints: it carries
# this run's token.
set -euo pipefail
cd "$(dirname "$0")/.."

bash .ci/setup

# Rebuild when any source is newer than the last build. The build swaps in
# pkg/dist as a whole, so the time of one of its files dates all of them.
stamp=pkg/dist/browser.mjs
if [ ! -f "$stamp" ] ||
  [ -n "$(find src pkg/src pkg/build pkg/types Cargo.toml Cargo.lock -newer "$stamp" -type f -print -quit 2>/dev/null)" ]; then
  echo "== demo: building the package (about a minute)"
  node pkg/build/build.mjs
fi

exec node www/server.mjs "$@"
