# pg-scratch.sh - a throwaway PostgreSQL server for make demo-pg and
# bench/bench-pg.sh (sourced, not run).  initdb into a temporary directory
# (as "nobody" when root, since postgres refuses root), listen only on a
# Unix socket in that directory, and export PGHOST/PGPORT/PGUSER so psql and
# powerreport reach it.  pg_scratch_stop removes everything; callers trap it.
#
#   . scripts/pg-scratch.sh
#   pg_scratch_start && trap pg_scratch_stop EXIT INT TERM
#   pg_scratch_monster zen4        # database with the MonSter schema

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
pg_scratch_top=${top:?set top to the source tree before sourcing pg-scratch.sh}

pg_scratch_as() {
	if [ "$(id -u)" = 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi
}

pg_scratch_start() {
	[ -x "$PGBIN/initdb" ] || { echo "pg-scratch: no $PGBIN/initdb: install postgresql (scripts/install-deps)" >&2; return 1; }
	PG_SCRATCH=$(mktemp -d /tmp/pg-scratch.XXXXXX) || return 1
	chmod 755 "$PG_SCRATCH"
	[ "$(id -u)" = 0 ] && chown nobody "$PG_SCRATCH"
	pg_scratch_as "$PGBIN/initdb" -D "$PG_SCRATCH/data" -U postgres -E UTF8 --locale=C \
	    --auth=trust --no-sync >"$PG_SCRATCH/setup.log" 2>&1 ||
	    { cat "$PG_SCRATCH/setup.log" >&2; return 1; }
	pg_scratch_as "$PGBIN/pg_ctl" -D "$PG_SCRATCH/data" -l "$PG_SCRATCH/server.log" -w \
	    -o "-k $PG_SCRATCH -c listen_addresses= -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_wal_size=4GB" \
	    start >>"$PG_SCRATCH/setup.log" 2>&1 ||
	    { cat "$PG_SCRATCH/setup.log" "$PG_SCRATCH/server.log" >&2; return 1; }
	export PGHOST="$PG_SCRATCH" PGPORT=5432 PGUSER=postgres
}

pg_scratch_stop() {
	[ -n "${PG_SCRATCH:-}" ] || return 0
	pg_scratch_as "$PGBIN/pg_ctl" -D "$PG_SCRATCH/data" -m immediate -w stop >/dev/null 2>&1
	rm -rf "$PG_SCRATCH"
	PG_SCRATCH=
}

# pg_scratch_monster DB: create DB with the MonSter schema (no indexes yet).
pg_scratch_monster() {
	"$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE \"$1\"" &&
	    "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -d "$1" -f "$pg_scratch_top/tests/fixtures/monster.sql"
}

# pg_scratch_conninfo: the base conninfo for a powerreport config.
pg_scratch_conninfo() {
	echo "host=$PG_SCRATCH port=5432 user=postgres"
}
