#!/bin/sh
# bench-pg.sh - `make bench-pg`: powerreport against PostgreSQL, end to end
# (job window -> every output file), compared with the floor for just
# pulling the same rows: psql -c "\copy (SELECT ...) TO '/dev/null'".
#
# Fills a throwaway PostgreSQL (scripts/pg-scratch.sh) with MonSter-schema
# data made inside the server by generate_series (fast): CPU nodes
# rpc-91-N in database zen4 (6 metrics in W), GPU nodes rpg-93-N in h100
# (the same plus PowerConsumption for 4 GPUs in mW), every 5 s with jitter,
# plus 1 min beyond each end of the window.  Two sizes: 12 nodes x 6 h
# (~0.4 M rows) and 48 nodes x 24 h (~6 M rows).
#
# Every node is shared by job 4242 (64 of 256 CPUs) and another job, with
# slurm.node_jobs, cpu_load and memoryusage rows every minute: the run as
# job 4242 weighs every sample for attribution and idle energy, the run as
# job "bench" (not a Slurm id) does not (it still weighs for idle energy).
# BENCH_BEFORE=path/to/an/older/powerreport runs that binary as job 4242
# too, and the 10 % target is measured against it.
#
# Targets: powerreport within 1.5x of the psql copy (wall time), peak RSS
# under 64 MB, attribution adding at most 10 % wall time at 48 nodes x 24 h.  Exit status 1
# when a target is missed.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
TIME=/usr/bin/time
for f in "$top/powerreport" "$TIME"; do
	[ -x "$f" ] || { echo "bench-pg: $f missing: run make (and scripts/install-deps for $TIME)" >&2; exit 2; }
done
. "$top/scripts/pg-scratch.sh"
psql() { "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
pg_scratch_start
tmp=$PG_SCRATCH/bench
mkdir "$tmp"
trap pg_scratch_stop EXIT INT TERM
fail=0
t0=$(date -d 2026-11-20T08:00:00Z +%s)
W_METRICS="SystemInputPower SystemOutputPower TotalCPUPower TotalMemoryPower TotalStoragePower TotalFanPower"

# fill DB PREFIX NODES SAMPLES GPUS: nodes PREFIX-1..NODES, SAMPLES per
# series in the window (+12 on each side), GPUS per node (0 or 4).
fill() {
	db=$1 prefix=$2 nodes=$3 samples=$4 gpus=$5
	psql -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db"
	pg_scratch_monster "$db"
	psql -d "$db" -v prefix="$prefix" -v nodes="$nodes" -v samples="$samples" \
	    -v gpus="$gpus" -v t0="$t0" <<'SQL'
INSERT INTO public.nodes (hostname)
	SELECT :'prefix' || '-' || n FROM generate_series(1, :nodes) n;
INSERT INTO public.source (source) VALUES ('PowerMetrics');
INSERT INTO public.fqdd (fqdd) VALUES ('System.Embedded.1'), ('Video.Slot.38-1'),
	('Video.Slot.38-2'), ('Video.Slot.38-3'), ('Video.Slot.38-4');
INSERT INTO public.metrics_definition (metric_id, units) VALUES
	('SystemInputPower', 'W'), ('SystemOutputPower', 'W'), ('TotalCPUPower', 'W'),
	('TotalMemoryPower', 'W'), ('TotalStoragePower', 'W'), ('TotalFanPower', 'W'),
	('PowerConsumption', 'mW');
CREATE TEMP TABLE ticks AS
	SELECT n, i, to_timestamp(:t0 + 5 * i + ((i * 37 + n * 11) % 9 - 4) * 0.1) AS ts
	FROM generate_series(1, :nodes) n, generate_series(-12, :samples + 12) i;
INSERT INTO idrac.systeminputpower SELECT ts, n, 1, 1, round(500 + 300 * sin(i / 200.0 + n)) FROM ticks;
INSERT INTO idrac.systemoutputpower SELECT ts, n, 1, 1, round(470 + 280 * sin(i / 200.0 + n)) FROM ticks;
INSERT INTO idrac.totalcpupower SELECT ts, n, 1, 1, round(200 + 150 * sin(i / 200.0 + n)) FROM ticks;
INSERT INTO idrac.totalmemorypower SELECT ts, n, 1, 1, 40 + i % 7 FROM ticks;
INSERT INTO idrac.totalstoragepower SELECT ts, n, 1, 1, 12.5 FROM ticks;
INSERT INTO idrac.totalfanpower SELECT ts, n, 1, 1, 30 + (i / 60) % 20 FROM ticks;
INSERT INTO idrac.powerconsumption
	SELECT ts, n, 1, 1 + g, round(300000 + 100000 * sin(i / 50.0 + g)) FROM ticks,
	generate_series(1, :gpus) g;
SQL
	psql -d "$db" -f "$top/tests/fixtures/slurm_metrics.sql"
	psql -d "$db" -v nodes="$nodes" -v samples="$samples" -v t0="$t0" <<'SQL'
ALTER TABLE public.nodes ADD COLUMN cpus INT;
UPDATE public.nodes SET cpus = 256;
INSERT INTO slurm.node_jobs SELECT to_timestamp(:t0 + 60 * k), n, '{4242,9}', '{64,64}'
	FROM generate_series(1, :nodes) n, generate_series(-1, :samples / 12 + 1) k;
INSERT INTO slurm.cpu_load SELECT to_timestamp(:t0 + 60 * k), n, (k * 7 + n) % 200
	FROM generate_series(1, :nodes) n, generate_series(-1, :samples / 12 + 1) k;
INSERT INTO slurm.memoryusage SELECT to_timestamp(:t0 + 60 * k), n, 40 + k % 20
	FROM generate_series(1, :nodes) n, generate_series(-1, :samples / 12 + 1) k;
SQL
	psql -d "$db" -f "$top/tests/fixtures/indexes.sql"
}

# copy_args DB PREFIX NODES T1 METRICS...: psql arguments (one a line) copying the
# window's rows of every metric to /dev/null, one \copy per metric.
copy_args() {
	db=$1 prefix=$2 nodes=$3 t1=$4
	shift 4
	printf "%s\n" -d "$db"
	for m in "$@"; do
		lm=$(echo "$m" | tr 'A-Z' 'a-z')
		printf '%s\n' "-c" "\\copy (SELECT s.\"timestamp\", n.hostname, o.source, f.fqdd, s.value FROM idrac.$lm s JOIN public.nodes n ON n.nodeid = s.nodeid LEFT JOIN public.source o ON o.id = s.source LEFT JOIN public.fqdd f ON f.id = s.fqdd WHERE n.hostname LIKE '$prefix-%' AND s.\"timestamp\" BETWEEN to_timestamp($t0) AND to_timestamp($t1)) TO '/dev/null'"
	done
}

# best LABEL COMMAND...: measure twice (the machine may be busy), keep the
# lower wall time and the higher peak RSS
best() {
	measure "$@"
	w1=$wall r1=$rss_kb
	measure "$@"
	wall=$(awk -v a="$wall" -v b="$w1" 'BEGIN { print (a < b ? a : b) }')
	[ "$rss_kb" -ge "$r1" ] || rss_kb=$r1
}

# measure LABEL COMMAND...: one line; sets wall and rss_kb
measure() {
	label=$1
	shift
	if ! "$TIME" -f '%e %U %S %M' -o "$tmp/time" "$@" >"$tmp/out" 2>&1; then
		echo "bench-pg: $label failed:" >&2
		cat "$tmp/out" >&2
		exit 1
	fi
	read -r wall user sys rss_kb <"$tmp/time"
	awk -v l="$label" -v w="$wall" -v u="$user" -v s="$sys" -v k="$rss_kb" \
	    'BEGIN { printf "  %-34s %6.2f s wall  %6.2f s CPU (client)  peak RSS %6.1f MB\n",
	    l, w, u + s, k / 1024 }'
}

# round NCPU NGPU HOURS
round() {
	ncpu=$1 ngpu=$2 hours=$3
	samples=$((hours * 720))
	t1=$((t0 + hours * 3600))
	fill zen4 rpc-91 "$ncpu" "$samples" 0
	fill h100 rpg-93 "$ngpu" "$samples" 4
	rows=$(( $(psql -At -d zen4 -c "SELECT count(*) FROM idrac.systeminputpower
	    WHERE \"timestamp\" BETWEEN to_timestamp($t0) AND to_timestamp($t1)") * (6 * ncpu + 10 * ngpu) / ncpu ))
	echo "$((ncpu + ngpu)) nodes ($ncpu CPU + $ngpu GPU) x $hours h at 5 s: about $rows rows in the window"
	cat >"$tmp/copy.sh" <<SH
set -e
IFS='
'
"$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 \$(cat "$tmp/zen4.args")
"$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 \$(cat "$tmp/h100.args")
SH
	copy_args zen4 rpc-91 "$ncpu" "$t1" $W_METRICS >"$tmp/zen4.args"
	copy_args h100 rpg-93 "$ngpu" "$t1" $W_METRICS PowerConsumption >"$tmp/h100.args"
	measure "psql \\copy (same rows) /dev/null" sh "$tmp/copy.sh"
	copy_wall=$wall
	cat >"$tmp/config.json" <<JSON
{ "database": { "conninfo": "$(pg_scratch_conninfo)" } }
JSON
	rm -rf "$tmp/report"
	mkdir "$tmp/report"
	best "powerreport (all outputs)" "$top/powerreport" --start "$t0" --end "$t1" \
	    --nodelist "rpc-91-[1-$ncpu],rpg-93-[1-$ngpu]" --job-id bench --outdir "$tmp/report" \
	    --config "$tmp/config.json" --quiet
	csv_rows=$(($(wc -l <"$tmp/report/power_bench/raw_power.csv") - 1))
	ratio=$(awk -v a="$wall" -v b="$copy_wall" 'BEGIN { printf "%.2f", a / (b > 0 ? b : 1e-9) }')
	echo "  raw_power.csv rows: $csv_rows; powerreport / psql copy = ${ratio}x"
	verdict "$(awk -v r="$ratio" 'BEGIN { print (r <= 1.5) }')" "within 1.5x of the psql copy (${ratio}x)"
	verdict "$(awk -v k="$rss_kb" 'BEGIN { print (k < 64 * 1024) }')" "peak RSS under 64 MB ($((rss_kb / 1024)) MB)"
	plain_wall=$wall
	plain_rss=$rss_kb
	if [ -n "${BENCH_BEFORE:-}" ]; then
		best "before: $BENCH_BEFORE" "$BENCH_BEFORE" --start "$t0" --end "$t1" \
		    --nodelist "rpc-91-[1-$ncpu],rpg-93-[1-$ngpu]" --job-id 4242 \
		    --outdir "$tmp/report" --config "$tmp/config.json" --quiet
		plain_wall=$wall
		plain_rss=$rss_kb
	fi
	best "powerreport as job 4242 (shared)" "$top/powerreport" --start "$t0" --end "$t1" \
	    --nodelist "rpc-91-[1-$ncpu],rpg-93-[1-$ngpu]" --job-id 4242 --outdir "$tmp/report" \
	    --config "$tmp/config.json" --quiet
	echo "  nodes shared in its summary.json: $(grep -c '"shared":[[:space:]]*true' "$tmp/report/power_4242/summary.json")"
	ratio=$(awk -v a="$wall" -v b="$plain_wall" 'BEGIN { printf "%.2f", a / (b > 0 ? b : 1e-9) }')
	# the target is the large round's; the small one shows the fixed cost
	# (a connection and five statements per database)
	if [ "$hours" -ge 24 ]; then
		verdict "$(awk -v r="$ratio" 'BEGIN { print (r <= 1.10) }')" "attribution adds at most 10 % (${ratio}x)"
	else
		echo "  attribution: ${ratio}x"
	fi
	verdict "$(awk -v k="$rss_kb" -v p="$plain_rss" 'BEGIN { print (k < p * 1.1 + 4096) }')" \
	    "memory flat ($((plain_rss / 1024)) -> $((rss_kb / 1024)) MB)"
	energies_only "$ncpu" "$ngpu" "$t1" "$wall"
}

# energies_only NCPU NGPU T1 REPORT_WALL: the same job's energies computed by
# the databases (pg_energy.c through `powerreport summary`), against the
# end-to-end time of its report.
energies_only() {
	psql -d zen4 -c "DELETE FROM slurm.jobs" -c "INSERT INTO slurm.jobs (job_id, user_name,
	    name, nodes, start_time, end_time, job_state) SELECT 1, 'bench', 'bench',
	    array_agg(h), $t0, $3, '{COMPLETED}' FROM (SELECT 'rpc-91-' || n AS h
	    FROM generate_series(1, $1) n UNION ALL SELECT 'rpg-93-' || n
	    FROM generate_series(1, $2) n) s"
	rm -rf "$tmp/sum"
	mkdir "$tmp/sum"
	measure "powerreport summary (energies only)" "$top/powerreport" summary --since "$t0" \
	    --until "$(($3 + 1))" --config "$tmp/config.json" --outdir "$tmp/sum" --quiet
	half=$(awk -v a="$wall" -v b="$4" 'BEGIN { printf "%.2f", a / (b > 0 ? b : 1e-9) }')
	verdict "$(awk -v r="$half" 'BEGIN { print (r <= 0.5) }')" "energies only within half of the report's time (${half}x)"
}

verdict() { # verdict OK TEXT
	if [ "$1" = 1 ]; then echo "  ok     $2"; else echo "  MISSED $2"; fail=1; fi
}

round 8 4 6
round 32 16 24
exit $fail
