#!/usr/bin/env bash
# A one-node Slurm cluster on localhost, private to one folder, for secsim's Slurm
# tests and for trying `secsim slurm` by hand (docs/cluster.md).
#
#   .ci/slurm-localhost.sh start [DIR]   configure and start munged, slurmctld, slurmd;
#                                        wait until the node is idle; print the
#                                        `export SLURM_CONF=…` line to use
#   .ci/slurm-localhost.sh stop DIR      stop the daemons this script started, by pid
#   .ci/slurm-localhost.sh status DIR    sinfo and the recorded pids
#
# DIR (default: a new temporary folder) holds slurm.conf, state, spool, logs and the
# recorded pids; nothing under /etc/slurm is read or written. Needs root and Debian's
# slurm-wlm and munge packages (`make deps`). Follows the verified recipe of the
# project's notes (slurm-localhost.md): daemons in the foreground as background
# jobs so that $! is each daemon's own pid, munged through setpriv (not runuser),
# no cgroups, scheduler delays off. A munged already answering on this machine is
# used as it is and left running.
set -euo pipefail

die() {
  echo "slurm-localhost: $*" >&2
  exit 1
}

# The pid recorded for NAME in DIR if that process is still alive (not a zombie)
# and still the program we started.
live_pid() {
  local dir=$1 name=$2 pid state comm
  [ -f "$dir/pids/$name" ] || return 1
  pid=$(cat "$dir/pids/$name")
  [ -n "$pid" ] && [ -d "/proc/$pid" ] || return 1
  state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || echo Z)
  [ "$state" != Z ] || return 1
  comm=$(cat "/proc/$pid/comm" 2>/dev/null || true)
  [ "$comm" = "$name" ] || return 1
  echo "$pid"
}

stop_one() {
  local dir=$1 name=$2 pid i
  if pid=$(live_pid "$dir" "$name"); then
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 50); do
      live_pid "$dir" "$name" >/dev/null || break
      sleep 0.1
    done
    if live_pid "$dir" "$name" >/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
    echo "stopped $name (pid $pid)"
  fi
  rm -f "$dir/pids/$name"
}

stop() {
  local dir=${1:?usage: $0 stop DIR}
  [ -d "$dir/pids" ] || die "$dir has no recorded pids (not started by this script?)"
  stop_one "$dir" slurmd
  stop_one "$dir" slurmctld
  stop_one "$dir" munged
}

munge_works() { munge -n 2>/dev/null | unmunge >/dev/null 2>&1; }

start() {
  [ "$(id -u)" = 0 ] || die "needs root (munged runs as user munge, slurmd as root)"
  local cmd
  for cmd in munged munge unmunge slurmctld slurmd sinfo setpriv; do
    command -v "$cmd" >/dev/null 2>&1 || die "$cmd not found: install Debian's slurm-wlm and munge (make deps)"
  done
  # The daemons must not inherit the caller's other descriptors: a process runner that
  # watches a socket or pipe to see this script end (Foundation's Process does), or make's
  # jobserver, would otherwise wait for as long as munged runs.
  local fd
  for fd in $(ls /proc/$$/fd); do
    if [ "$fd" -gt 2 ]; then { eval "exec $fd>&-"; } 2>/dev/null || true; fi
  done
  local dir=${1:-}
  if [ -z "$dir" ]; then dir=$(mktemp -d /tmp/secsim-slurm.XXXXXX); fi
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  mkdir -p "$dir/state" "$dir/spool" "$dir/log" "$dir/run" "$dir/pids"
  local conf="$dir/slurm.conf"

  # The node as slurmd sees it; memory a little below the real figure (too much drains the node).
  local hw cpus sockets cores threads mem
  hw=$(slurmd -C | head -1)
  field() { echo "$hw" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
  cpus=$(field CPUs)
  sockets=$(field SocketsPerBoard)
  cores=$(field CoresPerSocket)
  threads=$(field ThreadsPerCore)
  mem=$(field RealMemory)
  [ -n "$cpus" ] && [ -n "$sockets" ] && [ -n "$cores" ] && [ -n "$threads" ] && [ -n "$mem" ] ||
    die "could not read the node's hardware from 'slurmd -C': $hw"
  mem=$((mem * 9 / 10))

  cat >"$conf" <<EOF
# One-node Slurm for localhost, written by .ci/slurm-localhost.sh.
ClusterName=secsimlocal
SlurmctldHost=localhost
SlurmUser=root
AuthType=auth/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$dir/log/jobcomp.txt
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MailProg=/usr/bin/true
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
ReturnToService=2
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus Sockets=$sockets CoresPerSocket=$cores ThreadsPerCore=$threads RealMemory=$mem State=UNKNOWN
PartitionName=local Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF

  if munge_works; then
    echo "munged already running on this machine: using it (not stopped by '$0 stop')"
  else
    [ -r /etc/munge/munge.key ] || die "/etc/munge/munge.key is missing (reinstall the munge package)"
    mkdir -p /run/munge /var/lib/munge /var/log/munge
    chown munge:munge /run/munge /var/lib/munge /var/log/munge
    chmod 0755 /run/munge
    setpriv --reuid=munge --regid=munge --init-groups munged --foreground >"$dir/log/munged.out" 2>&1 </dev/null &
    echo $! >"$dir/pids/munged"
    local i
    for i in $(seq 1 100); do
      munge_works && break
      sleep 0.1
    done
    munge_works || {
      cat "$dir/log/munged.out" >&2
      stop "$dir"
      die "munged did not start"
    }
  fi

  slurmctld -D -i -f "$conf" >"$dir/log/slurmctld.out" 2>&1 </dev/null &
  echo $! >"$dir/pids/slurmctld"
  slurmd -D -N localhost -f "$conf" >"$dir/log/slurmd.out" 2>&1 </dev/null &
  echo $! >"$dir/pids/slurmd"

  local state=""
  for i in $(seq 1 300); do
    state=$(SLURM_CONF="$conf" sinfo -h -n localhost -o %t 2>/dev/null || true)
    [ "$state" = idle ] && break
    sleep 0.1
  done
  if [ "$state" != idle ]; then
    echo "slurm-localhost: the node is not idle after 30 s (state '${state}'); logs:" >&2
    tail -n 20 "$dir/log/slurmctld.log" "$dir/log/slurmd.log" "$dir/log/slurmctld.out" "$dir/log/slurmd.out" >&2 2>/dev/null || true
    stop "$dir" >&2
    exit 1
  fi
  echo "Slurm on localhost is up in $dir (node idle; pids in $dir/pids). Stop it with: $0 stop $dir"
  echo "export SLURM_CONF=$conf"
}

status() {
  local dir=${1:?usage: $0 status DIR} name pid
  SLURM_CONF="$dir/slurm.conf" sinfo || true
  for name in munged slurmctld slurmd; do
    if pid=$(live_pid "$dir" "$name"); then echo "$name: pid $pid"; else echo "$name: not running (from this folder)"; fi
  done
}

case "${1:-}" in
start) start "${2:-}" ;;
stop) stop "${2:-}" ;;
status) status "${2:-}" ;;
*)
  echo "usage: $0 start [DIR] | stop DIR | status DIR" >&2
  exit 64
  ;;
esac
