#!/bin/sh
# powerreport-epilog - the Slurm EpilogSlurmctld hook of powerreport.
#
# slurmctld runs this at the end of every job, with nothing but SLURM_*
# variables, and waits for it while the job sits in COMPLETING.  So it does
# almost nothing itself: for a job whose comment holds the keyword it starts a
# detached worker (its own session, standard streams closed) and exits 0
# within a second.  The worker finds the job's time window (from fields of
# squeue that no user text can forge, checked against the job's submit time
# and MAX_WINDOW), runs
# `powerreport --from-env --wait-for-data N` as the job's user (runuser as
# root, sudo as an unprivileged SlurmUser, else a fallback directory), under a
# hard timeout, so the generator waits for late telemetry, and writes one log
# line per job, every value escaped.  It never touches files inside user
# directories itself, never runs the generator as root, and never splits,
# globs or parses user text (job name, comment, paths): globbing is off.
# Settings: @sysconfdir@/powerreport/epilog.conf; everything is described in
# doc/slurm.md.

PATH=/usr/sbin:/usr/bin:/sbin:/bin
export PATH
IFS=' 	
'
set -f
umask 022

SETTINGS=@sysconfdir@/powerreport/epilog.conf

# Built-in settings; the settings file overrides them (see doc/slurm.md).
cf_keyword=power_profiling
cf_powerreport=@bindir@/powerreport
cf_config=
cf_log=/var/log/powerreport/epilog.log
cf_log_mode=0640
cf_log_group=adm
cf_umask=027
cf_fallback_group=
cf_run_as=auto
cf_run_group=
cf_fallback=
cf_settle=30
cf_wait_limit=600
cf_retry=30
cf_timeout=900
cf_squeue=/usr/bin/squeue
cf_slurm_conf=
cf_max_window=2592000
settings_error=

now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# One value safe for the log, at most 300 characters: backslash, double
# quote and every control character escaped (\\, \", \n, \x1b), so no
# value can end its field or forge a line.
esc() {
	printf '%s' "$1" | LC_ALL=C awk '
	BEGIN {
		for (i = 1; i < 32; i++) e[sprintf("%c", i)] = sprintf("\\x%02x", i)
		e["\t"] = "\\t"; e["\r"] = "\\r"; e["\177"] = "\\x7f"
		e["\\"] = "\\\\"; e["\""] = "\\\""
	}
	{
		out = out (NR > 1 ? "\\n" : "")
		for (i = 1; i <= length($0); i++) {
			c = substr($0, i, 1)
			out = out ((c in e) ? e[c] : c)
		}
	}
	END { printf "%s", substr(out, 1, 300) }'
}

# Create the log file with LOG_MODE and LOG_GROUP when it does not exist
# yet (an existing file keeps what the admin gave it).
make_log() {
	dir=${cf_log%/*}
	[ -d "$dir" ] || mkdir -p -m 750 "$dir" 2>/dev/null
	[ ! -e "$cf_log" ] && [ ! -L "$cf_log" ] || return 0
	(umask 077 && : >>"$cf_log") 2>/dev/null || return 0
	[ -z "$cf_log_group" ] || chgrp "$cf_log_group" "$cf_log" 2>/dev/null
	chmod "$cf_log_mode" "$cf_log" 2>/dev/null
}

# log_line FIELDS...: append one time-stamped line to the log file, else to
# syslog, else to stderr (slurmctld's log while the epilog runs).
log_line() {
	line="$(date -u +%Y-%m-%dT%H:%M:%SZ) powerreport-epilog $*"
	make_log
	if [ ! -L "$cf_log" ] && printf '%s\n' "$line" >>"$cf_log" 2>/dev/null; then
		return 0
	fi
	logger -t powerreport-epilog -- "$* (log file $cf_log not writable)" 2>/dev/null ||
		printf '%s (log file %s not writable, no syslog)\n' "$line" "$cf_log" >&2
	return 0
}

bad_setting() {
	[ -n "$settings_error" ] || settings_error="$SETTINGS: $1"
}

is_uint() {
	case $1 in '' | *[!0-9]*) return 1 ;; esac
	return 0
}

# Set one KEY=VALUE from the settings file, checking the value.
set_setting() {
	key=$1 val=$2
	case $key in
	MONSTER_POWER_COMMENT_KEYWORD)
		case $val in
		'' | *[!A-Za-z0-9_.-]*) bad_setting "$key must be letters, digits, '_', '.', '-'" ;;
		*) cf_keyword=$val ;;
		esac ;;
	POWERREPORT | POWERREPORT_CONFIG | LOG_FILE | FALLBACK_DIR | SQUEUE | SLURM_CONF)
		case $val in
		/*) ;;
		'') [ "$key" = POWERREPORT ] || [ "$key" = LOG_FILE ] &&
			bad_setting "$key must not be empty" ;;
		*) bad_setting "$key must be an absolute path" ;;
		esac
		case $key in
		POWERREPORT) cf_powerreport=$val ;;
		POWERREPORT_CONFIG) cf_config=$val ;;
		LOG_FILE) cf_log=$val ;;
		FALLBACK_DIR) cf_fallback=$val ;;
		SQUEUE) cf_squeue=$val ;;
		SLURM_CONF) cf_slurm_conf=$val ;;
		esac ;;
	RUN_AS)
		case $val in
		auto | runuser | sudo | fallback) cf_run_as=$val ;;
		*) bad_setting "RUN_AS must be auto, runuser, sudo or fallback" ;;
		esac ;;
	RUN_GROUP | FALLBACK_GROUP | LOG_GROUP)
		case $val in
		-* | *[!A-Za-z0-9_.-]*) bad_setting "$key must be a group name" ;;
		esac
		case $key in
		RUN_GROUP) cf_run_group=$val ;;
		FALLBACK_GROUP) cf_fallback_group=$val ;;
		LOG_GROUP) cf_log_group=$val ;;
		esac ;;
	UMASK | LOG_MODE)
		case $val in
		0[0-7][0-7][0-7]) ;;
		*) bad_setting "$key must be four octal digits such as 0027" ;;
		esac
		case $key in
		UMASK) cf_umask=$val ;;
		LOG_MODE) cf_log_mode=$val ;;
		esac ;;
	SETTLE_DELAY | WAIT_LIMIT | RETRY_INTERVAL | TIMEOUT | MAX_WINDOW)
		is_uint "$val" || bad_setting "$key must be a number of seconds"
		case $key in
		SETTLE_DELAY) cf_settle=$val ;;
		WAIT_LIMIT) cf_wait_limit=$val ;;
		RETRY_INTERVAL) cf_retry=$val ;;
		TIMEOUT) [ "$val" != 0 ] || bad_setting "TIMEOUT must be at least 1"
			cf_timeout=$val ;;
		MAX_WINDOW) [ "$val" != 0 ] || bad_setting "MAX_WINDOW must be at least 1"
			cf_max_window=$val ;;
		esac ;;
	SCONTROL) bad_setting "SCONTROL is gone: scontrol prints user text among its fields; set SQUEUE instead" ;;
	*) bad_setting "unknown setting $key" ;;
	esac
}

# Read the settings file as data (it is never sourced), after checking that
# only root or the account running us can change it.
load_settings() {
	[ -e "$SETTINGS" ] || [ -L "$SETTINGS" ] || return 0
	if [ -L "$SETTINGS" ] || [ ! -f "$SETTINGS" ]; then
		bad_setting "not a regular file"; return 0
	fi
	for f in "$SETTINGS" "${SETTINGS%/*}"; do
		what='file'
		[ "$f" = "$SETTINGS" ] || what="its directory $f"
		owner=$(stat -c %u "$f") mode=$(stat -c %a "$f")
		if [ "$owner" != 0 ] && [ "$owner" != "$(id -u)" ]; then
			bad_setting "$what belongs to uid $owner, not root"; return 0
		fi
		if [ $((0$mode & 022)) != 0 ]; then
			bad_setting "$what is writable by group or others (mode $mode): chmod go-w"
			return 0
		fi
	done
	n=0
	while IFS= read -r raw || [ -n "$raw" ]; do
		n=$((n + 1))
		line=${raw#"${raw%%[![:space:]]*}"}
		line=${line%"${line##*[![:space:]]}"}
		case $line in '' | '#'*) continue ;; esac
		key=${line%%=*} val=${line#*=}
		case $key in
		"$line" | '' | *[!A-Z_]*)
			bad_setting "line $n: expected KEY=VALUE"; continue ;;
		esac
		case $val in
		\"*\") val=${val#\"} val=${val%\"} ;;
		\'*\') val=${val#\'} val=${val%\'} ;;
		esac
		set_setting "$key" "$val"
	done <"$SETTINGS"
}

# Does SLURM_JOB_COMMENT hold the keyword as a word of its own?
comment_has_keyword() {
	words=$(printf '%s' "${SLURM_JOB_COMMENT-}" | tr -c 'A-Za-z0-9_.-' ' ')
	case " $words " in *" $cf_keyword "*) return 0 ;; esac
	return 1
}

# The job record slurmctld holds (for MinJobAge after the end), from squeue
# fields that hold no user text (scontrol prints the job name and comment
# among its fields, where "StartTime=1" can be forged): sets rec_submit,
# rec_start, rec_end (epoch seconds), rec_state and rec_status (raw wait
# status), or returns 1.  slurmctld keeps the job COMPLETING until the
# epilog has returned, so wait up to 5 s for its final state.
job_record() {
	rec_state=COMPLETING tries=0 rec_id=$SLURM_JOB_ID
	[ -n "$cf_squeue" ] && [ -x "$cf_squeue" ] || return 1
	# An array's own id names all its tasks: ask for ARRAYID_TASK.
	if is_uint "${SLURM_ARRAY_JOB_ID-}" && is_uint "${SLURM_ARRAY_TASK_ID-}"; then
		rec_id=${SLURM_ARRAY_JOB_ID}_$SLURM_ARRAY_TASK_ID
	fi
	while [ "$rec_state" = COMPLETING ] && [ "$tries" -lt 10 ]; do
		[ "$tries" = 0 ] || sleep 0.5
		tries=$((tries + 1))
		rec=$(if [ -n "$cf_slurm_conf" ]; then export SLURM_CONF="$cf_slurm_conf"; fi
			SLURM_TIME_FORMAT=%s timeout 20 "$cf_squeue" -h -t all -j "$rec_id" \
			-O SubmitTime:20,StartTime:20,EndTime:20,State:20,exit_code:20 2>/dev/null)
		# globbing is off and these fields are numbers and state names
		set -- $rec
		[ $# = 5 ] || return 1
		rec_submit=$1 rec_start=$2 rec_end=$3 rec_state=$4 rec_status=$5
	done
	return 0
}

# Is start..end a plausible window for this job?  Numbers, start <= end,
# not before the job was submitted, not after now, at most MAX_WINDOW
# seconds.  Sets reason when not.
window_ok() {
	if ! is_uint "$1" || ! is_uint "$2" || [ "$1" -gt "$2" ]; then
		reason="job window '$1'..'$2' is not two times in order"
	elif is_uint "$rec_submit" && [ "$1" -lt "$rec_submit" ]; then
		reason="job window starts at $1, before the job was submitted ($rec_submit)"
	elif [ "$2" -gt $(($(date +%s) + 60)) ]; then
		reason="job window ends at $2, in the future"
	elif [ $(($2 - $1)) -gt "$cf_max_window" ]; then
		reason="job window of $(($2 - $1)) s is longer than MAX_WINDOW=$cf_max_window s"
	else
		return 0
	fi
	return 1
}

# The job's start and end (epoch seconds): from slurmctld when it gives
# them (newer Slurm), else (22.05) from the job record, the end being the
# time the epilog ran when the record has none yet.  Without either the
# generator looks the job up in the telemetry database (slurm.jobs).  Also
# passes the record's final state and exit status to the generator.
find_window() {
	window=env
	rec_submit='' rec_start='' rec_end='' rec_state='' rec_status=''
	if job_record; then
		if is_uint "$rec_status"; then
			SLURM_JOB_EXIT_CODE2=$(((rec_status >> 8) & 255)):$((rec_status & 127))
			export SLURM_JOB_EXIT_CODE2
		fi
		case $rec_state in
		[A-Z]*[A-Z]) [ "$rec_state" = COMPLETING ] ||
			{ SLURM_JOB_STATE=$rec_state; export SLURM_JOB_STATE; } ;;
		esac
	fi
	if [ -z "${SLURM_JOB_START_TIME-}" ] || [ -z "${SLURM_JOB_END_TIME-}" ]; then
		is_uint "$rec_start" || { window=database; return 0; }
		is_uint "$rec_end" && [ "$rec_end" -gt "$rec_start" ] ||
			rec_end=$PR_EPILOG_TIME window=squeue+epilog
		[ "$window" != env ] || window=squeue
		SLURM_JOB_START_TIME=$rec_start SLURM_JOB_END_TIME=$rec_end
		export SLURM_JOB_START_TIME SLURM_JOB_END_TIME
	fi
	window_ok "$SLURM_JOB_START_TIME" "$SLURM_JOB_END_TIME"
}

# Decide how to run the generator as the job user: sets run_as, or reason
# when it cannot.  Never as root: a root job gets no report, and the
# fallback way is refused while we are root ourselves.
choose_run_as() {
	if [ "$(id -u "$user")" = 0 ] || [ "${SLURM_JOB_UID-}" = 0 ]; then
		reason="job of $user (uid 0): the generator never runs as root, no report"
		return 1
	fi
	run_as=$cf_run_as
	if [ "$run_as" = auto ]; then
		if [ "$(id -u)" = 0 ]; then
			run_as=runuser
		elif sudo -n -l -u "$user" "$cf_powerreport" >/dev/null 2>&1; then
			run_as=sudo
		else
			run_as=fallback
		fi
	fi
	if [ "$run_as" = fallback ] && [ -z "$cf_fallback" ]; then
		reason="cannot run as $user: not root, no sudo rule for $cf_powerreport, no FALLBACK_DIR (see doc/slurm.md)"
		return 1
	fi
	if [ "$run_as" = fallback ] && [ "$(id -u)" = 0 ]; then
		reason="RUN_AS=fallback while SlurmUser is root would run the generator as root: use runuser"
		return 1
	fi
	return 0
}

# The fallback location FALLBACK_DIR/USER for the account $1 that will
# write into it (SlurmUser, or the job user when we are root and give it to
# them): made by us, for that account alone (0700), or readable by
# FALLBACK_GROUP (0750) when one is set.
fallback_outdir() {
	top=$cf_fallback owner=$1
	if [ -L "$top" ] || [ ! -d "$top" ] || [ "$(stat -c %u "$top")" != "$(id -u)" ] ||
	    [ $((0$(stat -c %a "$top") & 022)) != 0 ]; then
		reason="FALLBACK_DIR $top must be a directory owned by $(id -un) and not writable by others"
		return 1
	fi
	outdir=$top/$user
	if [ ! -e "$outdir" ] && mkdir -m 700 "$outdir" 2>/dev/null; then
		[ "$owner" = "$(id -un)" ] || chown "$owner" "$outdir" ||
			{ reason="cannot give $outdir to $owner"; return 1; }
		if [ -n "$cf_fallback_group" ]; then
			chgrp "$cf_fallback_group" "$outdir" && chmod 750 "$outdir" ||
				{ reason="cannot give $outdir to FALLBACK_GROUP $cf_fallback_group"; return 1; }
		fi
	fi
	if [ -L "$outdir" ] || [ ! -d "$outdir" ] || [ "$(stat -c %U "$outdir")" != "$owner" ]; then
		reason="cannot use $outdir: not a directory of $owner"
		return 1
	fi
	return 0
}

# The job's output directory vanished or is not writable (exit 7): write
# the report into FALLBACK_DIR/USER instead, as the job user when we are
# root, else as SlurmUser, and say so in the reason.
to_fallback() {
	failure_cause
	lost=$reason owner=$(id -un)
	[ "$run_as" != runuser ] || owner=$user
	if ! fallback_outdir "$owner"; then
		reason="$lost; no fallback: $reason"
		return 0
	fi
	[ "$run_as" = runuser ] || run_as=fallback
	cf_settle=0 tries_before=$attempts
	run_generator
	attempts=$((attempts + tries_before))
	if [ "$rc" = 0 ]; then
		reason="written to FALLBACK_DIR instead: $lost"
	else
		failure_cause
	fi
}

# Seconds the generator may wait for telemetry to reach the job end on this
# attempt (--wait-for-data): what is left of WAIT_LIMIT since the job ended,
# at most 3/4 of TIMEOUT so that the hard timeout never ends a run that is
# still waiting, and at most the day the generator accepts.
wait_budget() {
	left=$((cf_wait_limit - ($(date +%s) - PR_EPILOG_TIME)))
	[ "$left" -gt 0 ] || left=0
	[ "$left" -le $((cf_timeout * 3 / 4)) ] || left=$((cf_timeout * 3 / 4))
	[ "$left" -le 86400 ] || left=86400
	echo "$left"
}

# Did the database refuse us for good (credentials, a missing role or
# database, a permission)?  Trying again would not help.
lasting_failure() {
	grep -Eqi 'authentication failed|no password supplied|password file|does not exist|permission denied|pg_hba\.conf|not permitted to log in' \
		"$tmp/err"
}

# Run the generator once per attempt, as the job user with UMASK, under
# the hard timeout, letting it wait for late telemetry; retry while there
# is no telemetry yet (exit 5), the source is unreachable (6, but not when
# it refused us for good) or the database does not know the job yet (8),
# until WAIT_LIMIT seconds after the job ended.  Sets rc and attempts.
run_generator() {
	set -- "$cf_powerreport" --from-env
	[ -z "$cf_config" ] || set -- "$@" --config "$cf_config"
	[ -z "$outdir" ] || set -- "$@" --outdir "$outdir"
	case $run_as in
	runuser)
		set -- -- timeout -k 10 "$cf_timeout" "$@"
		if [ -n "$cf_run_group" ]; then
			# primary group RUN_GROUP, and the user's own groups kept
			for g in $(id -Gn "$user"); do set -- -G "$g" "$@"; done
			set -- -g "$cf_run_group" "$@"
		fi
		set -- runuser -u "$user" "$@" ;;
	sudo)
		keep=$(env | sed -n 's/^\(SLURM_[A-Za-z0-9_]*\)=.*/\1/p' | tr '\n' ,)
		set -- --preserve-env="${keep%,}" -- "$@"
		[ -z "$cf_run_group" ] || set -- -g "$cf_run_group" "$@"
		set -- timeout -k 10 "$cf_timeout" sudo -n -u "$user" "$@" ;;
	fallback)
		set -- timeout -k 10 "$cf_timeout" "$@" ;;
	esac
	attempts=0
	umask "$cf_umask"
	[ "$cf_settle" = 0 ] || sleep "$cf_settle"
	while :; do
		attempts=$((attempts + 1))
		budget=$(wait_budget)
		(cd / && exec "$@" --wait-for-data "$budget") </dev/null >"$tmp/out" 2>"$tmp/err"
		rc=$?
		case $rc in 5 | 8) ;; 6) ! lasting_failure || return 0 ;; *) return 0 ;; esac
		[ $(($(date +%s) + cf_retry - PR_EPILOG_TIME)) -le "$cf_wait_limit" ] || return 0
		sleep "$cf_retry"
	done
}

# Why the generator failed: its last line (the generator's own message),
# after the first warning libpq printed before it (e.g. that it ignored a
# password file readable by others).
failure_cause() {
	last=$(grep -v '^[[:space:]]*$' "$tmp/err" | tail -n 1)
	warning=$(grep -m 1 '^WARNING:' "$tmp/err")
	reason=${warning:+$warning; }$last
}

outcome_of() {
	case $1 in
	0) echo ok ;; 2) echo usage-error ;; 3) echo config-error ;; 4) echo bad-data ;;
	5) echo no-telemetry ;; 6) echo source-unreachable ;; 7) echo output-not-writable ;;
	8) echo job-not-found ;; 9) echo interrupted ;; 124 | 137) echo timeout ;;
	*) echo failed ;;
	esac
}

worker() {
	# Closing stdout tells the epilog that we are in our own session.
	exec >/dev/null 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&-
	trap '' HUP
	t0=$(now_ms)
	load_settings
	[ -z "$settings_error" ] || exit 0
	job=$SLURM_JOB_ID user=${SLURM_JOB_USER-} reason='' rc='' report='' run_as=none window=none
	attempts=0 outdir=
	finish() {
		dur=$(($(now_ms) - t0))
		log_line "job=$job${SLURM_ARRAY_JOB_ID:+ array=$(esc "${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID-}")}" \
			"user=$(esc "$user") outcome=$1 exit=${rc:--}" \
			"duration=$((dur / 1000)).$((dur % 1000 / 100))s attempts=$attempts runas=$run_as" \
			"window=$window${report:+ report=\"$(esc "$report")\"}${reason:+ reason=\"$(esc "$reason")\"}"
		[ -z "${tmp-}" ] || rm -rf "$tmp"
		exit 0
	}
	case $user in
	'' | -* | */* | *[!A-Za-z0-9._@$-]*) reason="job user '$user' is not a plain user name"; finish skipped ;;
	esac
	id -u "$user" >/dev/null 2>&1 || { reason="user $user unknown on this host"; finish skipped; }
	find_window || finish skipped
	choose_run_as || finish skipped
	if [ "$run_as" = fallback ]; then
		fallback_outdir "$(id -un)" || finish skipped
	fi
	if [ ! -x "$cf_powerreport" ]; then
		reason="generator $cf_powerreport not found or not executable"; finish skipped
	fi
	tmp=$(mktemp -d /tmp/powerreport-epilog.XXXXXX) || { reason="mktemp failed"; finish failed; }
	run_generator
	if [ "$rc" = 7 ] && [ "$run_as" != fallback ] && [ -n "$cf_fallback" ]; then
		to_fallback
	elif [ "$rc" != 0 ]; then
		failure_cause
	fi
	if [ "$rc" = 0 ]; then
		report=$(tail -n 1 "$tmp/out")
		case $report in /*) ;; *) report='' ;; esac
	fi
	[ "$rc" != 124 ] && [ "$rc" != 137 ] || reason="killed after TIMEOUT=$cf_timeout s${reason:+: $reason}"
	finish "$(outcome_of "$rc")"
}

epilog() {
	load_settings
	comment_has_keyword || exit 0
	if [ -n "$settings_error" ]; then
		log_line "job=$(esc "${SLURM_JOB_ID-?}") user=$(esc "${SLURM_JOB_USER-?}")" \
			"outcome=settings-error reason=\"$(esc "$settings_error")\""
		exit 0
	fi
	case ${SLURM_JOB_ID-} in
	'' | *[!0-9]*) log_line "job=? user=$(esc "${SLURM_JOB_USER-?}") outcome=skipped" \
		"reason=\"SLURM_JOB_ID missing or not a number\""; exit 0 ;;
	esac
	PR_EPILOG_TIME=$(date +%s)
	export PR_EPILOG_TIME
	# slurmctld kills the epilog's process group the moment it exits, so
	# wait (a few ms) until the worker has its own session: the command
	# substitution ends when the worker closes its stdout.
	: "$(setsid -f /bin/sh "$0" --worker </dev/null 2>/dev/null)"
	exit 0
}

if [ "${1-}" = --worker ]; then
	worker
fi
epilog
