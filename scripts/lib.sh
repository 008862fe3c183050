# Shared by scripts/setup.sh and scripts/test-all.sh (sourced, not run).

# Installs exactly the versions in package-lock.json; postinstall then generates the Prisma
# clients and builds the verify command's bundle. Not `npm ci`: the lockfile lists the other platforms' optional native packages
# (@next/swc-darwin-*, @tailwindcss/oxide-win32-*...) only by name, because the registry this
# project is built against serves just the Linux ones, and `npm ci` refuses such a lockfile
# where `npm install` skips the optional packages it cannot fetch.
install_from_lockfile() {
  npm install --no-fund --no-audit
  if ! git diff --quiet -- package-lock.json 2>/dev/null; then
    echo "warning: npm install changed package-lock.json; commit the change or restore it." >&2
  fi
}
