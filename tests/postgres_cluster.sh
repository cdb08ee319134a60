#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL cluster of its own, with DATABASE_URL pointing at it:
#
#   tests/postgres_cluster.sh .venv/bin/python -m pytest
#
# The cluster lives in a temporary folder, belongs to an unprivileged user (initdb refuses root: as root the
# cluster is run by `nobody`), listens only on a Unix socket in that folder (no TCP port), collates in a
# linguistic locale (en_US.UTF-8 when the system has it, else ICU's en-US) so no test can lean on C ordering,
# and is stopped and removed when the command ends, whatever happens.
set -euo pipefail

PG_BIN=${PG_BIN:-}
if [ -z "$PG_BIN" ]; then
    for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        [ -x "$candidate/initdb" ] && PG_BIN=$candidate && break
    done
fi
if [ -z "$PG_BIN" ] && command -v initdb >/dev/null; then
    PG_BIN=$(dirname "$(command -v initdb)")
fi
if [ -z "$PG_BIN" ]; then
    echo "postgres_cluster.sh: no PostgreSQL server found (install Debian's postgresql package)" >&2
    exit 2
fi

folder=$(mktemp -d "${TMPDIR:-/tmp}/newsreader-pg.XXXXXX")
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
    owner=${PG_OWNER:-nobody}
    chown "$owner" "$folder"
    as_owner=(runuser -u "$owner" --)
fi

stop() {
    status=$?
    trap - EXIT INT TERM
    if [ -f "$folder/data/postmaster.pid" ]; then
        "${as_owner[@]}" "$PG_BIN/pg_ctl" stop -D "$folder/data" -m fast -w >/dev/null 2>&1 || true
    fi
    rm -rf "$folder"
    exit "$status"
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if locale -a 2>/dev/null | grep -qix 'en_US.utf-\?8'; then
    locale_args=(--locale=en_US.UTF-8)
else
    locale_args=(--locale=C.UTF-8 --locale-provider=icu --icu-locale=en-US)
fi
"${as_owner[@]}" "$PG_BIN/initdb" -D "$folder/data" -U newsreader --auth=trust --encoding=UTF8 \
    "${locale_args[@]}" >"$folder/initdb.log" 2>&1 || { cat "$folder/initdb.log" >&2; exit 1; }
"${as_owner[@]}" "$PG_BIN/pg_ctl" start -D "$folder/data" -w -l "$folder/server.log" \
    -o "-c listen_addresses='' -k $folder -c max_connections=200 -c fsync=off -c full_page_writes=off" \
    >/dev/null || { cat "$folder/server.log" >&2; exit 1; }
"${as_owner[@]}" "$PG_BIN/createdb" -h "$folder" -U newsreader newsreader

socket=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$folder")
export DATABASE_URL="postgres://newsreader@$socket/newsreader"
"$@"
