#!/bin/sh
# bench-backfill.sh - `make bench-backfill`: reports per second of a backfill
# (powerreport --jobs-from) of 200 small jobs at -j 1 and -j 2, every output
# format, against a throwaway PostgreSQL (scripts/pg-scratch.sh) holding
# MonSter-schema data made by generate_series: 4 CPU nodes rpc-91-1..4 with
# the 6 W metrics every 5 s, and 200 ten-minute one-node jobs, one starting
# every 5 minutes.  Prints numbers; not a test.  The client CPU per report
# (workers included) does not depend on how busy the machine is; the
# reports per second do: -j 2 only helps with a core to spare.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
[ -x "$top/powerreport" ] || { echo "bench-backfill: run make first" >&2; exit 2; }
. "$top/scripts/pg-scratch.sh"
psql() { "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
pg_scratch_start
trap pg_scratch_stop EXIT INT TERM
tmp=$PG_SCRATCH/bench
mkdir "$tmp"
JOBS=${JOBS:-200}
t0=$(date -d 2026-11-20T08:00:00Z +%s)

pg_scratch_monster zen4
psql -d zen4 -v t0="$t0" -v jobs="$JOBS" <<'SQL'
INSERT INTO public.nodes (hostname) SELECT 'rpc-91-' || n FROM generate_series(1, 4) n;
INSERT INTO public.metrics_definition (metric_id, units) VALUES
	('SystemInputPower', 'W'), ('SystemOutputPower', 'W'), ('TotalCPUPower', 'W'),
	('TotalMemoryPower', 'W'), ('TotalStoragePower', 'W'), ('TotalFanPower', 'W');
CREATE TEMP TABLE ticks AS
	SELECT n, i, to_timestamp(:t0 + 5 * i) AS ts
	FROM generate_series(1, 4) n, generate_series(-12, (:jobs * 300 + 600) / 5 + 12) i;
INSERT INTO idrac.systeminputpower SELECT ts, n, NULL, NULL, 500 + 300 * sin(i / 200.0 + n) FROM ticks;
INSERT INTO idrac.systemoutputpower SELECT ts, n, NULL, NULL, 470 + 280 * sin(i / 200.0 + n) FROM ticks;
INSERT INTO idrac.totalcpupower SELECT ts, n, NULL, NULL, 200 + 150 * sin(i / 200.0 + n) FROM ticks;
INSERT INTO idrac.totalmemorypower SELECT ts, n, NULL, NULL, 40 + i % 7 FROM ticks;
INSERT INTO idrac.totalstoragepower SELECT ts, n, NULL, NULL, 12.5 FROM ticks;
INSERT INTO idrac.totalfanpower SELECT ts, n, NULL, NULL, 30 + (i / 60) % 20 FROM ticks;
INSERT INTO slurm.jobs (job_id, name, user_name, partition, nodes, node_count,
	start_time, end_time, job_state, exit_code)
SELECT 1000 + k, 'small', 'alice', 'zen4', ARRAY['rpc-91-' || (k % 4 + 1)], 1,
	:t0 + k * 300, :t0 + k * 300 + 600, '{COMPLETED}', 0
FROM generate_series(0, :jobs - 1) k;
SQL
psql -d zen4 -f "$top/tests/fixtures/indexes.sql"
psql -d zen4 -At -c "SELECT job_id FROM slurm.jobs ORDER BY job_id" >"$tmp/ids"
cat >"$tmp/config.json" <<JSON
{ "database": { "conninfo": "$(pg_scratch_conninfo)" } }
JSON

echo "$JOBS ten-minute one-node jobs (6 metrics at 5 s, every output format):"
for j in 1 2; do
	rm -rf "$tmp/out"
	mkdir "$tmp/out"
	/usr/bin/time -f '%e %U %S' -o "$tmp/time" "$top/powerreport" --jobs-from "$tmp/ids" \
	    -j "$j" --config "$tmp/config.json" --outdir "$tmp/out" >"$tmp/lines"
	ok=$(grep -c ' ok ' "$tmp/lines")
	read -r wall user sys <"$tmp/time"
	awk -v j="$j" -v w="$wall" -v u="$user" -v s="$sys" -v n="$ok" 'BEGIN {
	    printf "  -j %d: %d reports in %6.2f s = %6.1f reports/s (client CPU %.0f ms per report)\n",
	    j, n, w, n / w, 1000 * (u + s) / n }'
done
