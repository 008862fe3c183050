#!/usr/bin/env bash
# Command 1 of the README: installs dependencies, prepares the SQLite database with sample data,
# builds the gallery and starts it on http://localhost:3000.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

node_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
if ((node_major < 20)); then
  echo "Signet needs Node.js 20.19 or later (found: $(node --version 2>/dev/null || echo none))." >&2
  exit 1
fi
# better-sqlite3 compiles its native module when no prebuilt one can be fetched.
if ! command -v g++ >/dev/null 2>&1 || ! command -v make >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq build-essential python3 >/dev/null
fi

install_from_lockfile
npm run --silent db:migrate
npm run --silent db:seed -- --sample-packages
npx next build
echo
echo "Signet is starting on http://localhost:3000"
echo "Demo accounts: admin@signet.test / signet-admin-demo (admin), author@signet.test / signet-author-demo"
exec npx next start -p 3000
