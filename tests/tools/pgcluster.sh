# pgcluster.sh -- a throwaway PostgreSQL cluster for tests, sourced by
# scripts (sh).  pg_start makes one with initdb in a temporary directory,
# listening only on a Unix socket there (no TCP port), run by an
# unprivileged user: as root, `nobody` through runuser (PostgreSQL refuses
# to run as root); else the caller.  One cluster per script, reused
# across its cases.
#
#   . tests/tools/pgcluster.sh
#   pg_start || exit 77     # 77 only when PostgreSQL is not installed
#   url=$(pg_newdb name)    # a fresh database, its postgresql:// URL
#   pg_restart / pg_stopdb / pg_startdb   the server, data kept
#   pg_stop                 # stops it and removes the directory
#
# Sets PGT (the directory) and PGBIN.

pg_bindir() {
    for d in /usr/lib/postgresql/*/bin; do
        [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
    done
    return 1
}

pg_as() { # command... (as the cluster's owner)
    if [ "$(id -u)" = 0 ]; then
        runuser -u nobody -- "$@"
    else
        "$@"
    fi
}

pg_start() {
    PGBIN=$(pg_bindir) || { echo "PostgreSQL is not installed (make deps)"; return 77; }
    PGT=$(mktemp -d /tmp/ng-pg-XXXXXX) || return 1
    chmod 755 "$PGT"
    [ "$(id -u)" = 0 ] && chown nobody "$PGT"
    pg_as "$PGBIN/initdb" -D "$PGT/data" -A trust -U newsgate -E UTF8 \
        --no-sync > "$PGT/initdb.log" 2>&1 || { cat "$PGT/initdb.log"; return 1; }
    pg_startdb
}

pg_startdb() {
    pg_as "$PGBIN/pg_ctl" -D "$PGT/data" -l "$PGT/server.log" -w -t 60 \
        -o "-c listen_addresses='' -c unix_socket_directories=$PGT -c fsync=off -c max_connections=60 -c shared_buffers=16MB" \
        start > /dev/null || { tail -20 "$PGT/server.log"; return 1; }
}

pg_stopdb() {
    pg_as "$PGBIN/pg_ctl" -D "$PGT/data" -m fast -w stop > /dev/null
}

pg_restart() {
    pg_stopdb && pg_startdb
}

pg_newdb() { # name -> URL
    pg_as "$PGBIN/createdb" -h "$PGT" -U newsgate "$1" || return 1
    echo "postgresql:///$1?host=$PGT&user=newsgate"
}

pg_stop() {
    [ -n "${PGT:-}" ] || return 0
    pg_stopdb 2>/dev/null
    rm -rf "$PGT"
    PGT=
}
