#!/bin/sh
# run-tests.sh - run every Check test program given, show its output, and
# close with one line "N passed, N failed" summed over all of them.
passed=0; failed=0; broken=
for t in "$@"; do
	echo "== $t"
	out=$("$t" 2>&1); rc=$?
	printf '%s\n' "$out"
	line=$(printf '%s\n' "$out" | grep -E '^[0-9]+%: Checks: ' | tail -n 1)
	if [ -z "$line" ]; then
		broken="$broken $t"; failed=$((failed + 1)); continue
	fi
	n=$(echo "$line" | sed 's/.*Checks: \([0-9]*\).*/\1/')
	f=$(echo "$line" | sed 's/.*Failures: \([0-9]*\).*/\1/')
	e=$(echo "$line" | sed 's/.*Errors: \([0-9]*\).*/\1/')
	passed=$((passed + n - f - e)); failed=$((failed + f + e))
	[ $rc -eq 0 ] || [ $((f + e)) -gt 0 ] || { broken="$broken $t"; failed=$((failed + 1)); }
done
[ -n "$broken" ] && echo "test programs that crashed or printed no summary:$broken"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
