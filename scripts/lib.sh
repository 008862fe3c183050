# Shared by scripts/setup.sh and scripts/test-all.sh (sourced, not run).

# Installs exactly the versions in package-lock.json with `npm ci`, which never writes the
# lockfile; postinstall then generates the Prisma clients and builds the verify command's bundle.
# The lockfile keeps every platform's optional native packages (@next/swc-darwin-*,
# @tailwindcss/oxide-win32-*...) with their versions and integrity: npm ci skips the ones for
# other platforms without downloading them, and a plain `npm install` finds nothing to add.
# Dropping those entries from the lockfile makes every `npm install` write them back
# (test/setup/lockfile.test.ts keeps them in).
install_from_lockfile() {
  npm ci --no-fund --no-audit
}
