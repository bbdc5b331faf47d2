#!/usr/bin/env bash
# Runs the job on this machine, against the database and Watcher named in the environment.
set -euo pipefail

usage() {
	cat <<'EOF_USAGE'
Usage: jobs/run-local.sh [--build] [COMMAND] [ARGS...]

Runs target/watcher-link-reconciler.jar with this shell's environment, building it first
(mvn -B -DskipTests package) if it is missing or --build is given. COMMAND is reconcile
(the default), restore or report; the arguments go to the job as they are. Without --apply,
every command is a dry run.

  --build      rebuild the jar first
  -h, --help   this help (the job's own: jobs/run-local.sh help)

Environment (the same variables as in the cluster):
  SPRING_DATASOURCE_URL, SPRING_DATASOURCE_USERNAME, SPRING_DATASOURCE_PASSWORD
  WATCHER_BASE_URL, WATCHER_API_KEY
  RECONCILER_*   any option, e.g. RECONCILER_CHUNK_SIZE, RECONCILER_REPORT_DIR (default ./reports)
  JAVA_OPTS      extra JVM options, e.g. -Xmx256m

Examples:
  export SPRING_DATASOURCE_URL=jdbc:postgresql://localhost:5432/archiver
  export SPRING_DATASOURCE_USERNAME=reconciler_job SPRING_DATASOURCE_PASSWORD=...
  export WATCHER_BASE_URL=http://localhost:8000 WATCHER_API_KEY=...
  jobs/run-local.sh                      # dry run: classify every pointer, write nothing
  jobs/run-local.sh --apply              # clear what Watcher confirms deleted
  jobs/run-local.sh report --format markdown

Exit codes: 0 completed, 1 failed (run again to resume), 2 could not start, 3 safety brake,
4 another run holds the lock.
EOF_USAGE
}

build=false
case "${1:-}" in
	-h | --help)
		usage
		exit 0
		;;
	--build)
		build=true
		shift
		;;
esac

root=$(cd "$(dirname "$0")/.." && pwd)
jar="$root/target/watcher-link-reconciler.jar"

if [[ $build == true || ! -f $jar ]]; then
	echo "run-local: building $jar" >&2
	(cd "$root" && mvn -B -q -DskipTests package) >&2
fi

args=("$@")
case "${1:-}" in
	reconcile | restore | report | help) ;;
	*) args=(reconcile "$@") ;;
esac

read -r -a java_opts <<<"${JAVA_OPTS:-}"
exec java "${java_opts[@]+"${java_opts[@]}"}" -jar "$jar" "${args[@]}"
