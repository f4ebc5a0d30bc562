#!/bin/sh
# bench-csv.sh - `make bench`: speed and memory of a re-render from a large
# raw_power.csv.  Generates 24 nodes x 12 h at 5 s (about 1.5 M samples) and
# times the raw CSV reader+writer alone (build/bench-rawcsv), the pipeline up
# to raw_power.csv (powerreport --from-csv --formats csv: parse, integrate,
# CSV write: the per-sample work) and the whole report (adds charts, HTML and
# PDF, a cost that does not grow with the samples); then 24 h of the same
# nodes to show peak memory stays flat, and 48 nodes for information.
#
# Targets: >= 1 M samples/s through parse + integrate + CSV write, >= 3 M
# rows/s for the raw CSV writer alone (float4 readings), peak RSS
# < 50 MB, and the 24-hour RSS within 10 % (or 5 MB) of the 12-hour one.
# Rates are computed from CPU time (user+sys; the program is single-threaded)
# so a busy machine does not skew them; wall time is shown too.  Exit status
# 1 when a target is missed.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
B=$top/build
TIME=/usr/bin/time
for f in "$B/gen-telemetry" "$B/bench-rawcsv" "$top/powerreport" "$TIME"; do
	[ -x "$f" ] || { echo "bench-csv: $f missing: run make (and scripts/install-deps for $TIME)" >&2; exit 2; }
done
tmp=$(mktemp -d /tmp/bench-csv.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0

# measure LABEL ROWS COMMAND... : one line of numbers; sets rate and rss_kb
measure() {
	label=$1 rows=$2
	shift 2
	if ! "$TIME" -f '%e %U %S %M' -o "$tmp/time" "$@" >"$tmp/out" 2>&1; then
		echo "bench-csv: $label failed:" >&2
		cat "$tmp/out" >&2
		exit 1
	fi
	read -r wall user sys rss_kb <"$tmp/time"
	rate=$(awk -v n="$rows" -v u="$user" -v s="$sys" 'BEGIN { printf "%.0f", n / (u + s + 1e-9) }')
	awk -v l="$label" -v n="$rows" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rate" -v k="$rss_kb" \
	    'BEGIN { printf "  %-28s %9d rows  %6.2f s wall  %6.2f s CPU  %9d rows/s  peak RSS %6.1f MB\n",
	    l, n, w, u + s, r, k / 1024 }'
}

# round NCPU NGPU HOURS: generate, then time reader+writer, the pipeline up
# to raw_power.csv (--formats csv: parse, integrate, CSV write) and the whole
# report; sets rate (of the csv run) and rss_kb (of the whole report)
round() {
	csv=$tmp/raw_power.csv
	"$B/gen-telemetry" --cpu "$1" --gpu "$2" --start 2026-11-20T08:00:00-06:00 \
	    --duration $(($3 * 3600)) --zone America/Chicago -o "$csv"
	rows=$(($(wc -l <"$csv") - 1))
	echo "$(($1 + $2)) nodes ($1 CPU + $2 GPU) x $3 h at 5 s: $(du -m "$csv" | cut -f1) MB"
	measure "reader+writer (bench-rawcsv)" "$rows" "$B/bench-rawcsv" "$csv" "$tmp/copy.csv"
	rm -f "$tmp/copy.csv"
	mkdir "$tmp/csv$1" "$tmp/all$1"
	measure "powerreport --formats csv" "$rows" "$top/powerreport" --from-csv "$csv" \
	    --outdir "$tmp/csv$1" --formats csv --quiet
	csv_rate=$rate
	measure "powerreport (whole report)" "$rows" "$top/powerreport" --from-csv "$csv" \
	    --outdir "$tmp/all$1" --quiet
	rate=$csv_rate
	rm -rf "$csv" "$tmp/csv$1" "$tmp/all$1"
}

# The same nodes for twice as long (twice the samples): memory must not
# change.  Twice the nodes: memory grows with nodes (per-node tables, heat
# rows, series), shown for information.
round 16 8 12
rate24=$rate rss24=$rss_kb
round 16 8 24
rate48=$rate rss48=$rss_kb
round 32 16 12
writer=$("$B/bench-rawcsv" --writer 3000000)
echo "$writer"
wrate=$(echo "$writer" | sed 's/.*readings: \([0-9]*\) rows.*/\1/')

verdict() { # verdict OK TEXT
	if [ "$1" = 1 ]; then echo "  ok    $2"; else echo "  MISSED $2"; fail=1; fi
}
echo "targets:"
verdict "$(awk -v a="$rate24" -v b="$rate48" 'BEGIN { print (a >= 1e6 && b >= 1e6) }')" \
    ">= 1 M samples/s through parse + integrate + CSV write ($rate24 and $rate48 /s)"
verdict "$(awk -v a="$wrate" 'BEGIN { print (a >= 3e6) }')" \
    ">= 3 M rows/s writing raw_power.csv alone ($wrate /s)"
verdict "$(awk -v a="$rss24" -v b="$rss48" 'BEGIN { print (a < 50 * 1024 && b < 50 * 1024) }')" \
    "peak RSS < 50 MB ($((rss24 / 1024)) and $((rss48 / 1024)) MB)"
verdict "$(awk -v a="$rss24" -v b="$rss48" 'BEGIN { print (b <= a * 1.1 || b - a <= 5120) }')" \
    "peak RSS flat when the samples double, 12 h -> 24 h ($((rss24 / 1024)) -> $((rss48 / 1024)) MB)"
exit $fail
