#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server for the tests, as the `postgres` OS user, in a temporary
# directory on a free port. Usage: postgres-server.sh start <dir>  -> prints the server URL
#                                  postgres-server.sh stop <dir>
set -euo pipefail

action="${1:?usage: postgres-server.sh start|stop <dir>}"
dir="${2:?usage: postgres-server.sh start|stop <dir>}"

# Debian's postgresql package puts the server binaries in a versioned folder, not on PATH.
bin_dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
if [[ -z "$bin_dir" ]]; then
  echo "PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install postgresql)" >&2
  exit 1
fi

as_postgres() {
  if [[ "$(id -un)" == "postgres" ]]; then "$@"; else runuser -u postgres -- "$@"; fi
}

case "$action" in
  start)
    port="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
    mkdir -p "$dir"
    chmod 755 "$dir"
    chown postgres: "$dir" 2>/dev/null || true
    as_postgres "$bin_dir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 >"$dir/initdb.log" 2>&1
    as_postgres "$bin_dir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
    echo "postgresql://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    if [[ -f "$dir/data/postmaster.pid" ]]; then
      as_postgres "$bin_dir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "unknown action: $action" >&2
    exit 2
    ;;
esac
