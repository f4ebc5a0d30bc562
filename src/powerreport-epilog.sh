#!/bin/sh
# powerreport-epilog - the Slurm EpilogSlurmctld hook of powerreport.
#
# slurmctld runs this at the end of every job, with nothing but SLURM_*
# variables, and waits for it while the job sits in COMPLETING.  So it does
# almost nothing itself: for a job whose comment holds the keyword it starts a
# detached worker (its own session, standard streams closed) and exits 0
# within a second.  The worker finds the job's time window, runs
# `powerreport --from-env --wait-for-data N` as the job's user (runuser as
# root, sudo as an unprivileged SlurmUser, else a fallback directory), under a
# hard timeout, so the generator waits for late telemetry, and writes one log
# line per job.  It never touches files inside user directories itself.
# Settings: @sysconfdir@/powerreport/epilog.conf; everything is described in
# doc/slurm.md.

PATH=/usr/sbin:/usr/bin:/sbin:/bin
export PATH
IFS=' 	
'
umask 022

SETTINGS=@sysconfdir@/powerreport/epilog.conf

# Built-in settings; the settings file overrides them (see doc/slurm.md).
cf_keyword=power_profiling
cf_powerreport=@bindir@/powerreport
cf_config=
cf_log=/var/log/powerreport/epilog.log
cf_run_as=auto
cf_run_group=
cf_fallback=
cf_settle=30
cf_wait_limit=600
cf_retry=30
cf_timeout=900
cf_scontrol=/usr/bin/scontrol
cf_slurm_conf=
settings_error=

now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# One line of text safe for the log: control characters become spaces,
# double quotes become single ones, at most 300 characters.
oneline() {
	printf '%s' "$1" | tr '\000-\037\177"' "[ *32] '" | cut -c 1-300
}

# log_line FIELDS...: append one time-stamped line to the log file, or to
# syslog when the file cannot be written.
log_line() {
	line="$(date -u +%Y-%m-%dT%H:%M:%SZ) powerreport-epilog $*"
	dir=${cf_log%/*}
	[ -d "$dir" ] || mkdir -p "$dir" 2>/dev/null
	if [ ! -L "$cf_log" ] && printf '%s\n' "$line" >>"$cf_log" 2>/dev/null; then
		return 0
	fi
	logger -t powerreport-epilog -- "$* (log file $cf_log not writable)" 2>/dev/null
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
	POWERREPORT | POWERREPORT_CONFIG | LOG_FILE | FALLBACK_DIR | SCONTROL | SLURM_CONF)
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
		SCONTROL) cf_scontrol=$val ;;
		SLURM_CONF) cf_slurm_conf=$val ;;
		esac ;;
	RUN_AS)
		case $val in
		auto | runuser | sudo | fallback) cf_run_as=$val ;;
		*) bad_setting "RUN_AS must be auto, runuser, sudo or fallback" ;;
		esac ;;
	RUN_GROUP)
		case $val in
		-* | *[!A-Za-z0-9_.-]*) bad_setting "RUN_GROUP must be a group name" ;;
		*) cf_run_group=$val ;;
		esac ;;
	SETTLE_DELAY | WAIT_LIMIT | RETRY_INTERVAL | TIMEOUT)
		is_uint "$val" || bad_setting "$key must be a number of seconds"
		case $key in
		SETTLE_DELAY) cf_settle=$val ;;
		WAIT_LIMIT) cf_wait_limit=$val ;;
		RETRY_INTERVAL) cf_retry=$val ;;
		TIMEOUT) [ "$val" != 0 ] || bad_setting "TIMEOUT must be at least 1"
			cf_timeout=$val ;;
		esac ;;
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

# The job's start and end (epoch seconds) when slurmctld did not give them
# (Slurm 22.05 never does): start from the job record, which
# slurmctld keeps for MinJobAge after the end; end from the record too, else
# the time the epilog ran (a few ms after the job ended).  Without either the
# generator looks the job up in the telemetry database (slurm.jobs).
find_window() {
	window='env'
	[ -n "${SLURM_JOB_START_TIME-}" ] && [ -n "${SLURM_JOB_END_TIME-}" ] && return 0
	start='' end=''
	if [ -n "$cf_scontrol" ] && [ -x "$cf_scontrol" ]; then
		rec=$(if [ -n "$cf_slurm_conf" ]; then export SLURM_CONF="$cf_slurm_conf"; fi
			SLURM_TIME_FORMAT=%s timeout 20 "$cf_scontrol" -o show job "$SLURM_JOB_ID" 2>/dev/null)
		for f in $rec; do
			case $f in
			StartTime=*) start=${f#StartTime=} ;;
			EndTime=*) end=${f#EndTime=} ;;
			esac
		done
	fi
	is_uint "$start" || start=
	is_uint "$end" && [ -n "$start" ] && [ "$end" -gt "$start" ] || end=
	if [ -z "${SLURM_JOB_START_TIME-}" ] && [ -n "$start" ]; then
		SLURM_JOB_START_TIME=$start; export SLURM_JOB_START_TIME; window=scontrol
	fi
	if [ -z "${SLURM_JOB_END_TIME-}" ]; then
		if [ -n "$end" ]; then
			SLURM_JOB_END_TIME=$end
		elif [ -n "${SLURM_JOB_START_TIME-}" ]; then
			SLURM_JOB_END_TIME=$PR_EPILOG_TIME; window=$window+epilog
		fi
		[ -z "${SLURM_JOB_END_TIME-}" ] || export SLURM_JOB_END_TIME
	fi
	[ -n "${SLURM_JOB_START_TIME-}" ] || window=database
}

# Decide how to run the generator as the job user: sets run_as, or reason
# when it cannot.
choose_run_as() {
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
	return 0
}

# The fallback location FALLBACK_DIR/USER: made by us (root or SlurmUser),
# group-readable by the job's group when we may give it that group.
fallback_outdir() {
	top=$cf_fallback
	if [ -L "$top" ] || [ ! -d "$top" ] || [ "$(stat -c %u "$top")" != "$(id -u)" ] ||
	    [ $((0$(stat -c %a "$top") & 002)) != 0 ]; then
		reason="FALLBACK_DIR $top must be a directory owned by $(id -un) and not writable by others"
		return 1
	fi
	outdir=$top/$user
	if [ ! -e "$outdir" ]; then
		mkdir -m 750 "$outdir" 2>/dev/null && chgrp "$SLURM_JOB_GID" "$outdir" 2>/dev/null
	fi
	if [ -L "$outdir" ] || [ ! -d "$outdir" ] || [ "$(stat -c %u "$outdir")" != "$(id -u)" ]; then
		reason="cannot use $outdir: not a directory of $(id -un)"
		return 1
	fi
	return 0
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

# Run the generator once per attempt, as the job user, under the hard
# timeout, letting it wait for late telemetry; retry while there is no
# telemetry yet (exit 5), the source is unreachable (6) or the database does
# not know the job yet (8), until WAIT_LIMIT seconds after the job ended.
# Sets rc and attempts.
run_generator() {
	set -- "$cf_powerreport" --from-env
	[ -z "$cf_config" ] || set -- "$@" --config "$cf_config"
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
		set -- timeout -k 10 "$cf_timeout" "$@" --outdir "$outdir" ;;
	esac
	attempts=0
	[ "$cf_settle" = 0 ] || sleep "$cf_settle"
	while :; do
		attempts=$((attempts + 1))
		budget=$(wait_budget)
		(cd / && exec "$@" --wait-for-data "$budget") </dev/null >"$tmp/out" 2>"$tmp/err"
		rc=$?
		case $rc in 5 | 6 | 8) ;; *) return 0 ;; esac
		[ $(($(date +%s) + cf_retry - PR_EPILOG_TIME)) -le "$cf_wait_limit" ] || return 0
		sleep "$cf_retry"
	done
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
	job=$SLURM_JOB_ID user=${SLURM_JOB_USER-} reason='' rc='' report='' run_as=none window=none attempts=0
	finish() {
		dur=$(($(now_ms) - t0))
		log_line "job=$job${SLURM_ARRAY_JOB_ID:+ array=${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID-}}" \
			"user=$user outcome=$1 exit=${rc:--}" \
			"duration=$((dur / 1000)).$((dur % 1000 / 100))s attempts=$attempts runas=$run_as" \
			"window=$window${report:+ report=\"$(oneline "$report")\"}${reason:+ reason=\"$(oneline "$reason")\"}"
		[ -z "${tmp-}" ] || rm -rf "$tmp"
		exit 0
	}
	case $user in
	'' | -* | */* | *[!A-Za-z0-9._@$-]*) reason="job user '$user' is not a plain user name"; finish skipped ;;
	esac
	id -u "$user" >/dev/null 2>&1 || { reason="user $user unknown on this host"; finish skipped; }
	find_window
	choose_run_as || finish skipped
	if [ "$run_as" = fallback ]; then
		fallback_outdir || finish skipped
	fi
	if [ ! -x "$cf_powerreport" ]; then
		reason="generator $cf_powerreport not found or not executable"; finish skipped
	fi
	tmp=$(mktemp -d /tmp/powerreport-epilog.XXXXXX) || { reason="mktemp failed"; finish failed; }
	run_generator
	if [ "$rc" = 0 ]; then
		report=$(tail -n 1 "$tmp/out")
		case $report in /*) ;; *) report='' ;; esac
	else
		reason=$(grep -v '^[[:space:]]*$' "$tmp/err" | tail -n 1)
	fi
	[ "$rc" != 124 ] && [ "$rc" != 137 ] || reason="killed after TIMEOUT=$cf_timeout s${reason:+: $reason}"
	finish "$(outcome_of "$rc")"
}

epilog() {
	load_settings
	comment_has_keyword || exit 0
	if [ -n "$settings_error" ]; then
		log_line "job=${SLURM_JOB_ID-?} outcome=settings-error reason=\"$(oneline "$settings_error")\""
		exit 0
	fi
	case ${SLURM_JOB_ID-} in
	'' | *[!0-9]*) log_line "job=? outcome=skipped reason=\"SLURM_JOB_ID missing\""; exit 0 ;;
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
