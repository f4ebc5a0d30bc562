#!/bin/sh
# slurm-lab.sh - a throwaway one-node Slurm cluster for the end-to-end test
# (tests/test_slurm_e2e.c): Debian's munged, slurmctld and slurmd on
# loopback, every file under one lab directory, daemons stopped by the PIDs
# recorded when they were started.  Needs root.  doc/slurm.md describes the
# epilog setup this cluster exercises.
#
#   slurm-lab.sh start LAB EPILOG   write LAB/etc/slurm.conf, start the daemons,
#                                   wait for node rpc-91-1 to be idle
#   slurm-lab.sh stop LAB           cancel jobs, stop the daemons
#   slurm-lab.sh adduser LAB NAME   create user NAME, home LAB/home/NAME with runs/
#   slurm-lab.sh addgroup LAB NAME MEMBER  create group NAME with MEMBER in it
#   slurm-lab.sh deluser LAB        remove the users and groups created
#   slurm-lab.sh job LAB ID         print "STATE EXITCODE" of job ID
#   slurm-lab.sh times LAB ID       print "START END" of job ID (epoch seconds)
# Clients need SLURM_CONF=LAB/etc/slurm.conf.

NODE=rpc-91-1
PATH=/usr/sbin:/usr/bin:/sbin:/bin
export PATH

die() {
	echo "slurm-lab: $*" >&2
	exit 1
}

# Is some socket listening on TCP port $1 (IPv4 or IPv6)?
listening() {
	grep -Eq "^ *[0-9]+: [0-9A-F]+:$(printf %04X "$1") [0-9A-F]+:[0-9A-F]+ 0A " \
		/proc/net/tcp /proc/net/tcp6 2>/dev/null
}

# A TCP port nobody listens on, starting from a random point; not $1.
free_port() {
	p=$(($(od -An -N2 -tu2 /dev/urandom) % 30000 + 20000))
	while listening "$p" || [ "$p" = "${1-}" ]; do
		p=$((p + 1))
	done
	echo "$p"
}

write_conf() {
	host=$(hostname -s)
	cat >"$LAB/etc/slurm.conf" <<EOF
ClusterName=lab
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$1
SlurmdPort=$2
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$LAB/munge/run/munge.socket
CredType=cred/munge
StateSaveLocation=$LAB/state
SlurmdSpoolDir=$LAB/spool
SlurmctldPidFile=$LAB/run/slurmctld.pid
SlurmdPidFile=$LAB/run/slurmd.pid
SlurmctldLogFile=$LAB/log/slurmctld.log
SlurmdLogFile=$LAB/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MailProg=/bin/true
ReturnToService=2
SchedulerParameters=sched_interval=1
MessageTimeout=5
MinJobAge=300
EpilogSlurmctld=$EPILOG
NodeName=$NODE NodeHostname=$(hostname) NodeAddr=127.0.0.1 CPUs=1 RealMemory=500 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
}

# spawn NAME CMD...: start a daemon in its own session, record its PID.
spawn() {
	name=$1
	shift
	setsid "$@" </dev/null >"$LAB/log/$name.out" 2>&1 &
	echo $! >"$LAB/pids/$name"
}

start() {
	[ "$(id -u)" = 0 ] || die "must run as root"
	[ -x "$EPILOG" ] || die "epilog ${EPILOG:-(none)} is not executable"
	# Every parent of the spool directory needs o+x for the job user.
	chmod 755 "$LAB"
	mkdir -p "$LAB/etc" "$LAB/state" "$LAB/spool" "$LAB/log" "$LAB/run" "$LAB/pids" \
		"$LAB/munge/key" "$LAB/munge/run" "$LAB/home" || die "cannot populate $LAB"
	chmod 700 "$LAB/munge/key"
	chmod 755 "$LAB/munge/run" "$LAB/spool" "$LAB/home"
	mungekey -c -k "$LAB/munge/key/munge.key" || die "mungekey failed"
	ctld_port=$(free_port)
	write_conf "$ctld_port" "$(free_port "$ctld_port")"
	spawn munged munged -F --socket="$LAB/munge/run/munge.socket" \
		--key-file="$LAB/munge/key/munge.key" --pid-file="$LAB/munge/run/munged.pid" \
		--log-file="$LAB/log/munged.log" --seed-file="$LAB/munge/seed"
	i=0
	until [ -S "$LAB/munge/run/munge.socket" ]; do
		i=$((i + 1))
		[ $i -lt 50 ] || die "munged did not start: $(cat "$LAB/log/munged.out")"
		sleep 0.1
	done
	spawn slurmctld slurmctld -D -f "$LAB/etc/slurm.conf"
	spawn slurmd slurmd -D -f "$LAB/etc/slurm.conf" -N "$NODE"
	export SLURM_CONF="$LAB/etc/slurm.conf"
	i=0
	until [ "$(sinfo -h -n "$NODE" -o %t 2>/dev/null)" = idle ]; do
		i=$((i + 1))
		[ $i -lt 150 ] || die "node $NODE not idle after 30 s; see $LAB/log"
		sleep 0.2
	done
}

# Stop a recorded daemon: TERM, then KILL after 10 s.
stop_one() {
	f=$LAB/pids/$1
	[ -f "$f" ] || return 0
	pid=$(cat "$f")
	kill "$pid" 2>/dev/null
	i=0
	while kill -0 "$pid" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -ge 100 ]; then
			kill -9 "$pid" 2>/dev/null
			break
		fi
		sleep 0.1
	done
	rm -f "$f"
}

stop() {
	if [ -f "$LAB/pids/slurmctld" ]; then
		SLURM_CONF="$LAB/etc/slurm.conf" scancel --quiet --partition=debug 2>/dev/null
	fi
	stop_one slurmd
	stop_one slurmctld
	stop_one munged
}

adduser() {
	name=$1
	useradd -M -d "$LAB/home/$name" -s /bin/sh "$name" || die "useradd $name failed"
	echo "$name" >>"$LAB/users"
	install -d -o "$name" -g "$(id -gn "$name")" -m 755 "$LAB/home/$name" "$LAB/home/$name/runs"
}

addgroup() {
	groupadd "$1" || die "groupadd $1 failed"
	echo "$1" >>"$LAB/groups"
	usermod -a -G "$1" "$2" || die "cannot add $2 to group $1"
}

deluser() {
	if [ -f "$LAB/users" ]; then
		while read -r name; do
			userdel "$name" || echo "slurm-lab: userdel $name failed" >&2
		done <"$LAB/users"
		rm -f "$LAB/users"
	fi
	if [ -f "$LAB/groups" ]; then
		while read -r name; do
			groupdel "$name" || echo "slurm-lab: groupdel $name failed" >&2
		done <"$LAB/groups"
		rm -f "$LAB/groups"
	fi
}

# The job's fields from squeue, which prints no user text among them (the
# job name and comment may hold anything, even "StartTime=1" or globs).
job() {
	what=$2
	set -f
	rec=$(SLURM_CONF="$LAB/etc/slurm.conf" SLURM_TIME_FORMAT=%s squeue -h -t all -j "$1" \
		-O State:20,exit_code:20,StartTime:20,EndTime:20 2>/dev/null)
	set -- $rec
	[ $# = 4 ] || set -- UNKNOWN - - -
	# exit_code is a raw wait status; print it as scontrol does (exit:signal)
	code=-
	case $2 in *[!0-9]* | '') ;; *) code=$(($2 >> 8 & 255)):$(($2 & 127)) ;; esac
	case $what in
	state) echo "$1 $code" ;;
	times) echo "$3 $4" ;;
	esac
}

[ $# -ge 2 ] || die "usage: slurm-lab.sh start|stop|adduser|addgroup|deluser|job|times LAB [ARG]..."
cmd=$1
LAB=$2
EPILOG=${3-}
case $cmd in
start) start ;;
stop) stop ;;
adduser) [ -n "${3-}" ] || die "adduser needs a name"; adduser "$3" ;;
addgroup) [ -n "${4-}" ] || die "addgroup needs a name and a member"; addgroup "$3" "$4" ;;
deluser) deluser ;;
job) [ -n "${3-}" ] || die "job needs a job id"; job "$3" state ;;
times) [ -n "${3-}" ] || die "times needs a job id"; job "$3" times ;;
*) die "unknown command $cmd" ;;
esac
