#!/usr/bin/env bash
# Command 2 of the README: installs what the tests need and runs every test.
#   1. Vitest: every unit test (lib/, scripts/) and every test under test/, databases on SQLite;
#   2. Vitest: the database tests again on a PostgreSQL server started here, in a temp dir;
#   3. tsc --noEmit over the whole project, the import checks (.dependency-cruiser.cjs: no
#      import cycles, pure libraries free of web and database code, no test code in lib/ or app/)
#      ESLint with Next.js's rules (eslint.config.mjs) and Prettier's check (.prettierrc.json);
#   4. next build, then Playwright in headless Chromium against `next start` on a fresh SQLite db;
#   5. Vitest: two `next start` servers sharing the PostgreSQL server and Azurite (test/scaleout).
# Ends with one line, "tests: N passed, N failed, N skipped", and a non-zero exit on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

log() { printf '\n== %s\n' "$*"; }

install_system_packages() {
  local missing=()
  command -v chromium >/dev/null 2>&1 || [[ -x /usr/bin/chromium ]] || missing+=(chromium)
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
  command -v g++ >/dev/null 2>&1 || missing+=(build-essential python3)
  if ((${#missing[@]} > 0)); then
    log "Installing ${missing[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

install_node_modules() {
  if [[ ! -d node_modules ]]; then
    log "npm install"
    install_from_lockfile
  else
    log "Generating Prisma clients"
    npm run --silent db:generate
  fi
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

install_system_packages || { echo "tests: 0 passed, 1 failed, 0 skipped"; exit 1; }
install_node_modules || { echo "tests: 0 passed, 1 failed, 0 skipped"; exit 1; }

reports="$(mktemp -d /tmp/signet-test-reports.XXXXXX)"
pg_dir="$(mktemp -d /tmp/signet-pg.XXXXXX)"
chmod 755 "$pg_dir"   # the server runs as the postgres user, who must reach its folder
e2e_dir="$(mktemp -d /tmp/signet-e2e.XXXXXX)"
cleanup() {
  bash scripts/test/postgres-server.sh stop "$pg_dir/server" >/dev/null 2>&1
  rm -rf "$pg_dir" "$e2e_dir" "$reports"
}
trap cleanup EXIT

log "Vitest: unit tests and database tests on SQLite"
env -u TEST_POSTGRES_URL -u TEST_DB_DIALECTS npx vitest run \
  --reporter=default --reporter=json --outputFile.json="$reports/vitest-sqlite.json"

log "Vitest: database, API, upload pipeline, package page, search, blob storage, job queue and hostile-corpus tests on PostgreSQL"
if pg_url="$(bash scripts/test/postgres-server.sh start "$pg_dir/server")"; then
  TEST_POSTGRES_URL="$pg_url" TEST_DB_DIALECTS=postgresql npx vitest run test/db test/api test/uploads lib/packages lib/search test/packages test/search test/storage/azure-gallery.test.ts test/jobs test/hostile/hostile-corpus.test.ts \
    --reporter=default --reporter=json --outputFile.json="$reports/vitest-postgres.json"
else
  echo "Could not start PostgreSQL; see $pg_dir/server/*.log" >&2
  cat "$pg_dir"/server/*.log >&2 2>/dev/null
fi

log "TypeScript (tsc --noEmit)"
typecheck_status=failed
if npx tsc --noEmit; then typecheck_status=ok; fi

log "Import checks (dependency-cruiser)"
imports_status=failed
if npm run --silent check:imports; then imports_status=ok; fi

log "Lint (ESLint with Next.js's rules)"
lint_status=failed
if npm run --silent lint; then lint_status=ok; fi

log "Format (Prettier: npm run format fixes what this finds)"
format_status=failed
if npm run --silent format:check; then format_status=ok; fi

log "next build"
build_status=failed
if npx next build; then build_status=ok; fi

log "Playwright (headless Chromium)"
if [[ "$build_status" == ok ]]; then
  E2E_PORT="$(free_port)" E2E_DATA_DIR="$e2e_dir/data" PLAYWRIGHT_JSON_OUTPUT_NAME="$reports/playwright.json" \
    npx playwright test --reporter=list,json
else
  echo "Skipped: the build failed." >&2
fi

log "Vitest: two app instances (next start) sharing PostgreSQL and Azure Blob Storage (Azurite)"
if [[ "$build_status" == ok && -n "${pg_url:-}" ]]; then
  TEST_POSTGRES_URL="$pg_url" npx vitest run --config vitest.scaleout.config.ts \
    --reporter=default --reporter=json --outputFile.json="$reports/vitest-scaleout.json"
else
  echo "Skipped: it needs the build and the PostgreSQL server." >&2
fi

log "Summary"
npx tsx scripts/test/summarise.ts \
  "vitest (sqlite)=vitest:$reports/vitest-sqlite.json" \
  "vitest (postgresql)=vitest:$reports/vitest-postgres.json" \
  "typecheck=step:$typecheck_status" \
  "import checks=step:$imports_status" \
  "lint=step:$lint_status" \
  "format=step:$format_status" \
  "next build=step:$build_status" \
  "playwright=playwright:$reports/playwright.json" \
  "vitest (two instances)=vitest:$reports/vitest-scaleout.json"
