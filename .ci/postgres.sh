#!/usr/bin/env bash
# A throwaway PostgreSQL server for the shared-store variant of the test suite.
#
# Sourced by .ci/run:      source .ci/postgres.sh && ci_postgres_start   (then ci_postgres_stop in the EXIT trap)
# Or run by hand:          eval "$(.ci/postgres.sh start)"  ...  .ci/postgres.sh stop
#
# ci_postgres_start installs PostgreSQL from the distribution's packages when it is missing, makes a
# cluster in a temporary folder owned by the `postgres` account (initdb refuses to run as root), starts
# it on 127.0.0.1:${NEWSDESK_CI_PG_PORT:-5433} with pg_ctl (no fsync, no autovacuum: a throwaway
# server), creates the role newsdesk/newsdesk with CREATEDB (and pg_signal_backend, which the test
# fixtures' DROP DATABASE ... WITH (FORCE) needs), waits until it answers, and exports NEWSDESK_TEST_POSTGRES_URL. When that variable already
# names a server that answers, nothing is started and the server is used as it is.

ci_postgres_url() {
    echo "postgresql+psycopg://newsdesk:newsdesk@127.0.0.1:${NEWSDESK_CI_PG_PORT:-5433}/postgres"
}

ci_postgres_bin() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -n "$dir" ] && [ -x "$dir/initdb" ] && echo "$dir"
}

ci_postgres_as() {
    # Run a command as the postgres account when we are root, as ourselves otherwise.
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

ci_postgres_answers() {
    # $1: a SQLAlchemy URL; true when the server answers as that role.
    local bin=$1 url=$2
    local plain=${url/postgresql+psycopg:/postgresql:}
    "$bin/psql" "$plain" -Atqc "SELECT 1" >/dev/null 2>&1
}

ci_postgres_start() {
    local port=${NEWSDESK_CI_PG_PORT:-5433} bin
    bin=$(ci_postgres_bin) || true
    if [ -z "$bin" ]; then
        echo "ci: installing postgresql" >&2
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
        bin=$(ci_postgres_bin) || { echo "ci: postgresql did not install" >&2; return 1; }
    fi
    if [ -n "${NEWSDESK_TEST_POSTGRES_URL:-}" ] && ci_postgres_answers "$bin" "$NEWSDESK_TEST_POSTGRES_URL"; then
        echo "ci: using the PostgreSQL server already at NEWSDESK_TEST_POSTGRES_URL" >&2
        return 0
    fi
    if ci_postgres_answers "$bin" "$(ci_postgres_url)"; then
        echo "ci: using the PostgreSQL server already running on port $port" >&2
        export NEWSDESK_TEST_POSTGRES_URL
        NEWSDESK_TEST_POSTGRES_URL=$(ci_postgres_url)
        return 0
    fi
    NEWSDESK_CI_PGROOT=$(mktemp -d /tmp/newsdesk-pg.XXXXXX)
    export NEWSDESK_CI_PGROOT NEWSDESK_CI_PGBIN=$bin
    [ "$(id -u)" -eq 0 ] && chown postgres: "$NEWSDESK_CI_PGROOT"
    chmod 700 "$NEWSDESK_CI_PGROOT"
    local data=$NEWSDESK_CI_PGROOT/data
    ci_postgres_as "$bin/initdb" -D "$data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
        --encoding=UTF8 --locale=C.UTF-8 >"$NEWSDESK_CI_PGROOT/initdb.log" 2>&1 \
        || { cat "$NEWSDESK_CI_PGROOT/initdb.log" >&2; return 1; }
    ci_postgres_as "$bin/pg_ctl" -D "$data" -l "$NEWSDESK_CI_PGROOT/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $NEWSDESK_CI_PGROOT -c fsync=off -c autovacuum=off -c max_connections=200" start >/dev/null \
        || { cat "$NEWSDESK_CI_PGROOT/server.log" >&2; return 1; }
    local tries=0
    until ci_postgres_as "$bin/pg_isready" -q -h "$NEWSDESK_CI_PGROOT" -p "$port"; do
        tries=$((tries + 1))
        [ "$tries" -ge 60 ] && { echo "ci: PostgreSQL did not become ready" >&2; cat "$NEWSDESK_CI_PGROOT/server.log" >&2; return 1; }
        sleep 0.5
    done
    ci_postgres_as "$bin/psql" -h "$NEWSDESK_CI_PGROOT" -p "$port" -U postgres -d postgres -Atqc \
        "CREATE ROLE newsdesk LOGIN PASSWORD 'newsdesk' CREATEDB; GRANT pg_signal_backend TO newsdesk" >/dev/null
    export NEWSDESK_TEST_POSTGRES_URL
    NEWSDESK_TEST_POSTGRES_URL=$(ci_postgres_url)
    ci_postgres_answers "$bin" "$NEWSDESK_TEST_POSTGRES_URL" || { echo "ci: cannot sign in to PostgreSQL as newsdesk" >&2; return 1; }
    echo "ci: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($NEWSDESK_CI_PGROOT)" >&2
}

ci_postgres_stop() {
    # Stops only the server ci_postgres_start made, and removes its folder.
    [ -n "${NEWSDESK_CI_PGROOT:-}" ] && [ -d "$NEWSDESK_CI_PGROOT/data" ] || return 0
    ci_postgres_as "$NEWSDESK_CI_PGBIN/pg_ctl" -D "$NEWSDESK_CI_PGROOT/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$NEWSDESK_CI_PGROOT"
    unset NEWSDESK_CI_PGROOT
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    set -euo pipefail
    case "${1:-}" in
        start)
            ci_postgres_start
            printf 'export NEWSDESK_TEST_POSTGRES_URL=%q\n' "$NEWSDESK_TEST_POSTGRES_URL"
            printf 'export NEWSDESK_CI_PGROOT=%q NEWSDESK_CI_PGBIN=%q\n' "${NEWSDESK_CI_PGROOT:-}" "${NEWSDESK_CI_PGBIN:-}"
            ;;
        stop) ci_postgres_stop ;;
        *) echo "usage: $0 start|stop   (or source it and call ci_postgres_start / ci_postgres_stop)" >&2; exit 2 ;;
    esac
fi
