# shellcheck shell=bash
# Shared by start-local-cluster, stop-local-cluster and submit: where things are, how to find the
# cluster's processes and how to read the master's JSON. Sourced, not run.

REPGAP_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
REPGAP_APP_JAR="$REPGAP_HOME/jobs/target/repgap.jar"
REPGAP_SPARK_LIB="$REPGAP_HOME/jobs/target/lib"
# The default cluster directory: PIDs, logs, worker work dirs, cluster.env.
REPGAP_CLUSTER_DEFAULT_DIR="${REPGAP_CLUSTER_DIR:-$REPGAP_HOME/cluster/local-cluster}"
# shellcheck source=../../bin/jvm-flags.sh
source "$REPGAP_HOME/bin/jvm-flags.sh"

die() {
  echo "$(basename "$0"): error: $*" >&2
  exit 2
}

need_build() {
  [[ -f "$REPGAP_APP_JAR" && -d "$REPGAP_SPARK_LIB" ]] \
    || die "$REPGAP_APP_JAR or $REPGAP_SPARK_LIB is missing; build first: (cd $REPGAP_HOME && mvn -q -DskipTests package)"
}

# Every JVM of a cluster carries -Drepgap.cluster.dir=DIR, so a PID read from a file is only ever
# signalled while it is still that cluster's process (PIDs are reused).
cluster_marker() {
  echo "-Drepgap.cluster.dir=$1"
}

# True if PID is alive and is a JVM of the cluster in DIR.
is_cluster_process() {
  local pid="$1" dir="$2"
  [[ -r "/proc/$pid/cmdline" ]] && tr '\0' '\n' < "/proc/$pid/cmdline" | grep -qxF -- "$(cluster_marker "$dir")"
}

# PID and all its descendants (executors and drivers are children of a worker).
process_tree() {
  local pid="$1" child
  echo "$pid"
  for child in $(cat /proc/"$pid"/task/*/children 2>/dev/null); do
    process_tree "$child"
  done
}

# GET http://127.0.0.1:PORT/PATH; curl when installed, else bash's /dev/tcp (a fresh machine may lack curl).
http_get() {
  local port="$1" path="$2"
  if command -v curl > /dev/null; then
    curl -sf --max-time 5 "http://127.0.0.1:$port$path"
  else
    local reply
    exec 3<> "/dev/tcp/127.0.0.1/$port" || return 1
    printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$path" >&3
    reply="$(timeout 5 cat <&3)" || true
    exec 3>&-
    [[ "$reply" == "HTTP/1."?" 200"* ]] || return 1
    printf '%s\n' "${reply#*$'\r\n\r\n'}"
  fi
}

# The number in the master's /json/ field "aliveworkers" (pretty-printed: "aliveworkers" : 2).
alive_workers() {
  http_get "$1" /json/ | sed -n 's/^ *"aliveworkers" *: *\([0-9]*\).*/\1/p'
}
