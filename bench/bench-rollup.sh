#!/bin/sh
# bench-rollup.sh - `make bench-rollup`: energies computed by the database
# (pg_energy.c) at the scale of a month: 48 nodes (40 CPU in database zen4,
# 8 GPU with 4 GPUs each in h100), one sample a minute for 30 days, and
# 1,000 jobs of 1 to 8 nodes and 10 min to 12 h in slurm.jobs; times
# `powerreport summary` over the month (two statements per database) and
# reports the energy rows returned.  Prints numbers; not a test.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
[ -x "$top/powerreport" ] || { echo "bench-rollup: run make first" >&2; exit 2; }
. "$top/scripts/pg-scratch.sh"
psql() { "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
pg_scratch_start
tmp=$PG_SCRATCH/bench
mkdir "$tmp"
trap pg_scratch_stop EXIT INT TERM
t0=$(date -d 2026-11-01T00:00:00Z +%s)

# fill DB PREFIX NODES GPUS: a month at 60 s of input power (and GPUs).
fill() {
	pg_scratch_monster "$1"
	psql -d "$1" -v prefix="$2" -v nodes="$3" -v gpus="$4" -v t0="$t0" <<'SQL'
INSERT INTO public.nodes (hostname) SELECT :'prefix' || '-' || n FROM generate_series(1, :nodes) n;
INSERT INTO public.fqdd (fqdd) VALUES ('System.Embedded.1'), ('Video.Slot.38-1'),
	('Video.Slot.38-2'), ('Video.Slot.38-3'), ('Video.Slot.38-4');
INSERT INTO public.metrics_definition (metric_id, units) VALUES
	('SystemInputPower', 'W'), ('PowerConsumption', 'mW');
INSERT INTO idrac.systeminputpower
	SELECT to_timestamp(:t0 + 60 * i), n, 1, 1, round(500 + 300 * sin(i / 200.0 + n))
	FROM generate_series(1, :nodes) n, generate_series(-10, 30 * 1440 + 10) i;
INSERT INTO idrac.powerconsumption
	SELECT to_timestamp(:t0 + 60 * i), n, 1, 1 + g, round(300000 + 100000 * sin(i / 50.0 + g))
	FROM generate_series(1, :nodes) n, generate_series(1, :gpus) g,
	generate_series(-10, 30 * 1440 + 10) i;
SQL
	psql -d "$1" -f "$top/tests/fixtures/indexes.sql"
}

fill zen4 rpc-91 40 0
fill h100 rpg-93 8 4
# 1,000 jobs: 875 on CPU nodes, 125 on GPU nodes, deterministic
psql -d zen4 -v t0="$t0" <<'SQL'
INSERT INTO slurm.jobs (job_id, user_name, name, partition, nodes, start_time, end_time, job_state)
SELECT 100000 + j, 'user' || (j % 17), 'job' || (j % 23), p,
	(SELECT array_agg(p2 || '-' || (1 + (j * 7 + k) % m)) FROM generate_series(0, n - 1) k),
	s, s + d, '{COMPLETED}'
FROM (SELECT j, CASE WHEN j % 8 = 0 THEN 'rpg-93' ELSE 'rpc-91' END AS p2,
	CASE WHEN j % 8 = 0 THEN 'h100' ELSE 'zen4' END AS p,
	CASE WHEN j % 8 = 0 THEN 8 ELSE 40 END AS m,
	1 + (j * 13) % 8 AS n, :t0 + (j * 2591) % (29 * 86400) AS s,
	600 + (j * 7919) % (12 * 3600 - 600) AS d
	FROM generate_series(1, 1000) j) x;
SQL
cat >"$tmp/config.json" <<JSON
{ "database": { "conninfo": "$(pg_scratch_conninfo)" },
  "rules": [ { "match": "rpc*", "database": "zen4", "metrics": ["SystemInputPower"] },
             { "match": "rpg*", "database": "h100", "metrics": ["SystemInputPower", "PowerConsumption"] } ] }
JSON
windows=$(psql -At -d zen4 -c "SELECT sum(cardinality(nodes)) FROM slurm.jobs")
echo "48 nodes x 30 days at 60 s; 1,000 jobs ($windows node windows)"
start=$(date +%s.%N)
"$top/powerreport" summary --since 2026-11-01 --until 2026-12-02 --config "$tmp/config.json" \
    --outdir "$tmp" -v 2>"$tmp/log" >/dev/null
end=$(date +%s.%N)
grep "summary:" "$tmp/log" | tail -1 | sed 's/^powerreport: /  /'
awk -v a="$start" -v b="$end" 'BEGIN { printf "  wall time %.2f s\n", b - a }'
