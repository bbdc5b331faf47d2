#!/usr/bin/env bash
# The container image, built and run for real. The Dockerfile is built with base images made
# here from Debian's packages (.ci/images/build.sh), passed as its MAVEN_IMAGE and
# RUNTIME_IMAGE; then the image runs as Kubernetes runs it (uid 10001, read-only root
# filesystem, tmpfs /tmp, a volume for /reports) against PostgreSQL (wlr-ci/postgres) and a
# fake Watcher (WireMock standalone with Watcher's bodies, wiremock/ beside this script):
#   1. --help, and --version names the commit built (given as GIT_COMMIT: the context has no .git)
#   2. reconcile --apply as the least-privileged role of docs/least-privilege.sql: the
#      report's counts and Archiver's rows are exactly what the seeded registry makes them
#   3. SIGTERM mid-run: exit 1; the next container resumes the run and completes it, and
#      every gone pointer is cleared exactly once; the process is uid 10001 on a read-only root
#   4. the CDS archive is used (-Xshare:on, classes counted with -Xlog:class+load)
#   5. start-up: a dry run over 4 pointers with and without the CDS archive, medians of 5
set -euo pipefail
if [[ ${1:-} == -h || ${1:-} == --help ]]; then
	cat <<'EOF_USAGE'
Usage: .ci/image-check.sh

Builds the Dockerfile with the base images of .ci/images/build.sh and runs the image against
PostgreSQL and a WireMock Watcher: --help, reconcile --apply, SIGTERM and resume, uid 10001 on
a read-only root, the CDS archive, start-up times. Needs a Docker engine, jq and curl.
EOF_USAGE
	exit 0
fi
cd "$(dirname "$0")/.."
. .ci/lib.sh

image="watcher-link-reconciler:ci"
net=wlr-ci-net
here=.ci/image-check
work=$CI_WORK/image-check
job_args=(--initial-backoff=20ms --max-backoff=100ms)
mkdir -p "$work"

cleanup() {
	"$DOCKER" ps -aq --filter label=wlr-ci-image-check | xargs -r "$DOCKER" rm -f >/dev/null
	"$DOCKER" volume ls -q --filter label=wlr-ci-image-check | xargs -r "$DOCKER" volume rm >/dev/null
	"$DOCKER" network rm "$net" >/dev/null 2>&1 || true
}
trap cleanup EXIT
cleanup

ok() {
	echo "  ok: $*"
}

# expect WHAT ACTUAL EXPECTED
expect() {
	[[ $2 == "$3" ]] || fail "$1 is $2, expected $3"
	ok "$1 = $2"
}

wait_for() {
	local what=$1
	shift
	for _ in $(seq 240); do
		if "$@" >/dev/null 2>&1; then return 0; fi
		sleep 0.5
	done
	fail "$what: not within 2 minutes"
}

psql_in() {
	"$DOCKER" exec -i wlr-ci-postgres psql -v ON_ERROR_STOP=1 -q -At -U postgres "$@"
}

# new_registry DATABASE ROWS: Archiver's schema with ROWS InfoItems (see archiver.sql)
new_registry() {
	psql_in -d postgres -c "CREATE DATABASE $1"
	psql_in -d "$1" -v rows="$2" <"$here/archiver.sql"
}

# job NAME DATABASE VOLUME ARGS...: start the image detached, as Kubernetes runs it
job() {
	local name=$1 database=$2 volume=$3
	shift 3
	local options=(-d --label wlr-ci-image-check --name "$name" --network "$net"
		--read-only --tmpfs /tmp -v "$volume:/reports"
		-e "SPRING_DATASOURCE_URL=jdbc:postgresql://postgres:5432/$database"
		-e "SPRING_DATASOURCE_USERNAME=${DB_USER:-postgres}" -e "SPRING_DATASOURCE_PASSWORD=${DB_PASSWORD:-ci-postgres}"
		-e WATCHER_BASE_URL=http://watcher:8000 -e WATCHER_API_KEY=ci-api-key)
	[[ -z ${JOB_JAVA_OPTIONS:-} ]] || options+=(-e "JAVA_TOOL_OPTIONS=$JOB_JAVA_OPTIONS")
	"$DOCKER" run "${options[@]}" "$image" "$@" >/dev/null
}

# finish NAME: wait for the container, keep its log, print its exit code
finish() {
	local code
	code=$("$DOCKER" wait "$1")
	"$DOCKER" logs "$1" >"$work/$1.log" 2>&1
	echo "$code"
}

# report VOLUME FILE: a report file from a volume, read as another container would
report() {
	"$DOCKER" run --rm -v "$1:/reports:ro" wlr-ci/bookworm cat "/reports/$2"
}

# expect_counts WHAT JSON key=value...
expect_counts() {
	local what=$1 json=$2
	shift 2
	local pair key actual
	for pair in "$@"; do
		key=${pair%%=*}
		actual=$(jq -r ".counts.$key" <<<"$json")
		[[ $actual == "${pair#*=}" ]] || fail "$what: counts.$key is $actual, expected ${pair#*=}"
	done
	ok "$what: $(jq -c '.counts' <<<"$json")"
}

# --- build --------------------------------------------------------------------------------
commit=$(git rev-parse HEAD)
echo "docker build --build-arg MAVEN_IMAGE=wlr-ci/maven --build-arg RUNTIME_IMAGE=wlr-ci/jre17 --build-arg GIT_COMMIT=$commit -t $image ."
started=$SECONDS
"$DOCKER" build --progress=plain --build-arg MAVEN_IMAGE=wlr-ci/maven --build-arg RUNTIME_IMAGE=wlr-ci/jre17 \
	--build-arg GIT_COMMIT="$commit" -t "$image" . >"$work/build.log" 2>&1 || {
	tail -40 "$work/build.log"
	fail "docker build (log: $work/build.log)"
}
ok "built in $((SECONDS - started)) s, $("$DOCKER" image inspect -f '{{.Size}}' "$image" | numfmt --to=iec)"

# --- PostgreSQL and the fake Watcher ------------------------------------------------------
"$DOCKER" network create --label wlr-ci-image-check "$net" >/dev/null
"$DOCKER" run -d --label wlr-ci-image-check --name wlr-ci-postgres --network "$net" --network-alias postgres \
	-e POSTGRES_PASSWORD=ci-postgres wlr-ci/postgres postgres -c fsync=off >/dev/null
wiremock_version=$(sed -n 's:.*<wiremock.version>\(.*\)</wiremock.version>.*:\1:p' pom.xml)
wiremock_jar=$work/wiremock-standalone-$wiremock_version.jar
[[ -f $wiremock_jar ]] || ./mvnw -B -q dependency:copy -Dartifact="org.wiremock:wiremock-standalone:$wiremock_version" \
	-DoutputDirectory="$work"
"$DOCKER" run -d --label wlr-ci-image-check --name wlr-ci-watcher --network "$net" --network-alias watcher \
	-p 127.0.0.1::8000 -v "$wiremock_jar:/opt/wiremock.jar:ro" -v "$PWD/$here/wiremock:/opt/watcher:ro" \
	wlr-ci/jre17 java -Xmx256m -jar /opt/wiremock.jar --port 8000 --root-dir /opt/watcher \
	--no-request-journal --disable-request-logging --disable-banner --async-response-enabled=true >/dev/null
wait_for PostgreSQL "$DOCKER" exec wlr-ci-postgres pg_isready -q -h 127.0.0.1
watcher=http://$("$DOCKER" port wlr-ci-watcher 8000 | sed -n 1p)
wait_for WireMock curl -fsS "$watcher/health"
curl -fsS -H 'X-API-Key: ci-api-key' "$watcher/api/v1/watched-items/01WV0000000000000000000001" | grep -q '"is_active":true' \
	|| fail "the fake Watcher does not answer a live item"
ok "PostgreSQL $(psql_in -d postgres -c 'SHOW server_version'), WireMock $wiremock_version as Watcher"

# --- 1. --help ----------------------------------------------------------------------------
echo "1. --help"
help=$("$DOCKER" run --rm --read-only --tmpfs /tmp "$image" --help)
grep -q '^Usage: java -jar watcher-link-reconciler.jar COMMAND' <<<"$help" || fail "--help printed no usage"
ok "--help exits 0 and prints the usage ($(wc -l <<<"$help") lines)"
version=$("$DOCKER" run --rm --read-only --tmpfs /tmp "$image" --version)
[[ $version == "watcher-link-reconciler "*", commit ${commit:0:7}" ]] \
	|| fail "--version printed '$version', not the commit built (${commit:0:7})"
ok "--version names the commit built: $version"
expect "the image's user" "$("$DOCKER" image inspect -f '{{.Config.User}}' "$image")" 10001:10001

# --- 2. reconcile --apply as the least-privileged role -----------------------------------
echo "2. reconcile --apply, 1000 InfoItems, as the role of docs/least-privilege.sql"
new_registry apply 1000
psql_in -d apply <docs/least-privilege.sql
psql_in -d apply -c "ALTER ROLE reconciler_job PASSWORD 'ci-job'"
"$DOCKER" volume create --label wlr-ci-image-check wlr-ci-reports-apply >/dev/null
DB_USER=reconciler_job DB_PASSWORD=ci-job job wlr-ci-apply apply wlr-ci-reports-apply reconcile --apply "${job_args[@]}"
expect "exit code" "$(finish wlr-ci-apply)" 0
json=$(report wlr-ci-reports-apply run-1.json)
expect "report status" "$(jq -r .status <<<"$json")" COMPLETED
# per 100 rows: 80 live, 10 gone, 5 archived, 2 unconfirmed 404s, 1 transient, 1 malformed, 1 without a pointer
expect_counts "report" "$json" read=990 live=800 gone=100 cleared=100 archived=50 notFoundUnconfirmed=20 \
	transient=10 malformed=10 mismatched=0 changedConcurrently=0 wouldClear=0
expect "pointers left by kind (~ = none)" "$(psql_in -d apply -c "
	SELECT string_agg(k || '=' || n, ' ' ORDER BY k) FROM (
		SELECT coalesce(substr(watcher_item_id, 4, 1), '~') AS k, count(*) AS n
		FROM information.info_items WHERE watcher_item_id IS NULL OR watcher_item_id LIKE '01W%'
		GROUP BY 1) s")" "A=50 N=20 T=10 V=800 ~=110"
expect "audited clears" "$(psql_in -d apply -c 'SELECT count(*) FROM watcher_link_reconciler.pointer_clear')" 100
expect "rows updated (updated_at moved)" "$(psql_in -d apply -c \
	"SELECT count(*) FROM information.info_items WHERE updated_at > TIMESTAMPTZ '2026-01-01 00:00:00+00'")" 100
expect "watch_status rows left" "$(psql_in -d apply -c 'SELECT count(*) FROM information.watch_status')" 890
expect "report file owner" "$("$DOCKER" run --rm -v wlr-ci-reports-apply:/reports:ro wlr-ci/bookworm \
	stat -c %u /reports/run-1.json)" 10001

# --- 3. SIGTERM mid-run, then resume ------------------------------------------------------
echo "3. SIGTERM mid-run, then the next container resumes (8000 InfoItems, 20 ms per lookup)"
new_registry resume 8000
"$DOCKER" volume create --label wlr-ci-image-check wlr-ci-reports-resume >/dev/null
# per-item: a SIGTERM must find the run mid-way, and 8000 lookups at 20 ms last long enough
# (with the default, auto, 7920 pointers would take a snapshot; this fake serves no list)
resume_args=("${job_args[@]}" --strategy=per-item)
job wlr-ci-stopped resume wlr-ci-reports-resume reconcile --apply "${resume_args[@]}"
wait_for "a committed chunk" bash -c "'$DOCKER' logs wlr-ci-stopped 2>&1 | grep -q 'checked=[0-9]'"
expect "uid of the running job" "$("$DOCKER" exec wlr-ci-stopped id -u)" 10001
expect "read-only root filesystem" "$("$DOCKER" inspect -f '{{.HostConfig.ReadonlyRootfs}}' wlr-ci-stopped)" true
if "$DOCKER" exec wlr-ci-stopped touch /app/probe 2>/dev/null; then fail "/app is writable"; fi
"$DOCKER" exec wlr-ci-stopped touch /tmp/probe || fail "/tmp (tmpfs) is not writable"
ok "/app refuses a write, /tmp takes one"
"$DOCKER" stop --time 60 wlr-ci-stopped >/dev/null
expect "exit code after SIGTERM" "$(finish wlr-ci-stopped)" 1
stopped=$(report wlr-ci-reports-resume run-1.json)
cleared_before=$(psql_in -d resume -c 'SELECT count(*) FROM watcher_link_reconciler.pointer_clear')
[[ $cleared_before -gt 0 && $cleared_before -lt 800 ]] || fail "$cleared_before of 800 cleared when stopped: not mid-run"
ok "stopped mid-run: $(jq -r .status <<<"$stopped"), $cleared_before of 800 gone pointers cleared, $(jq -r .counts.read <<<"$stopped") of 7920 read"
grep -m1 -iE 'stop' "$work/wlr-ci-stopped.log" | cut -c1-200 | sed 's/^/       log: /' || true
job wlr-ci-resumed resume wlr-ci-reports-resume reconcile --apply "${resume_args[@]}"
expect "exit code of the next container" "$(finish wlr-ci-resumed)" 0
json=$(report wlr-ci-reports-resume run-1.json)
expect "resumed run" "$(jq -r '"\(.runId) \(.status) executions=\(.executions)"' <<<"$json")" "1 COMPLETED executions=2"
expect_counts "report after resume" "$json" read=7920 live=6400 gone=800 cleared=800 archived=400 \
	notFoundUnconfirmed=160 transient=80 malformed=80 changedConcurrently=0
expect "clears audited (rows, distinct InfoItems)" "$(psql_in -d resume -c \
	'SELECT count(*) || $$ $$ || count(DISTINCT info_item_id) FROM watcher_link_reconciler.pointer_clear')" "800 800"
expect "gone pointers left" "$(psql_in -d resume -c \
	"SELECT count(*) FROM information.info_items WHERE watcher_item_id LIKE '01WG%'")" 0

# --- 4. the CDS archive is used ------------------------------------------------------------
echo "4. the CDS archive (-Xshare:on -Xlog:class+load), a dry run over 4 InfoItems"
new_registry startup 4
"$DOCKER" volume create --label wlr-ci-image-check wlr-ci-reports-startup >/dev/null
JOB_JAVA_OPTIONS="-Xshare:on -Xlog:class+load=info" job wlr-ci-cds startup wlr-ci-reports-startup reconcile
expect "exit code with -Xshare:on" "$(finish wlr-ci-cds)" 0
loaded=$(grep -c '\[class,load\]' "$work/wlr-ci-cds.log")
from_archive=$(grep -c 'source: shared objects file (top)' "$work/wlr-ci-cds.log" || true)
from_jdk=$(grep -c 'source: shared objects file$' "$work/wlr-ci-cds.log" || true)
# a training run that reaches the JobRepository archives some 5 000 classes; one stopped by a
# missing setting before the context (as it was without WATCHER_API_KEY) some 2 300
[[ $from_archive -gt 4000 ]] || fail "only $from_archive classes came from application.jsa: did the Dockerfile's \
training run stop before the context (a setting missing)?"
ok "$loaded classes loaded: $from_archive from application.jsa, $from_jdk from the JDK's base archive"

# --- 5. start-up -------------------------------------------------------------------------
echo "5. start-up: a dry run over 4 InfoItems, 5 of each variant interleaved (load average $(cut -d' ' -f1-3 /proc/loadavg))"
# timed_run DOCKER-RUN-ARGS...: "WALL UPTIME", docker run to exit and the JVM's own uptime at
# exit (-Xlog:gc+heap+exit prints it as the decoration of its lines)
timed_run() {
	local started=$EPOCHREALTIME output
	output=$("$DOCKER" run --rm --network "$net" --read-only --tmpfs /tmp -v wlr-ci-reports-startup:/reports \
		-e SPRING_DATASOURCE_URL=jdbc:postgresql://postgres:5432/startup -e SPRING_DATASOURCE_USERNAME=postgres \
		-e SPRING_DATASOURCE_PASSWORD=ci-postgres -e WATCHER_BASE_URL=http://watcher:8000 -e WATCHER_API_KEY=ci-api-key \
		-e JAVA_TOOL_OPTIONS=-Xlog:gc+heap+exit "$@" 2>&1) || fail "start-up run exited non-zero: $*"
	awk -v end="$EPOCHREALTIME" -v start="$started" 'BEGIN { printf "%.3f ", end - start }'
	sed -n 's/^\[\([0-9.]*\)s\].*gc,heap,exit.*/\1/p' <<<"$output" | sed -n 1p
}
cds=() no_cds=() empty=()
for _ in 1 2 3 4 5; do
	cds+=("$(timed_run "$image" reconcile)")
	no_cds+=("$(timed_run --entrypoint java "$image" -XX:TieredStopAtLevel=1 -XX:MaxRAMPercentage=75 \
		-jar watcher-link-reconciler.jar reconcile)")
	empty+=("$(timed_run --entrypoint /bin/true "$image")")
done
# stats COLUMN "WALL UPTIME"...: median, min and max of one column
stats() {
	local column=$1
	shift
	printf '%s\n' "$@" | awk -v c="$column" '{ print $c }' | sort -n \
		| awk '{ v[NR] = $1 } END { printf "median %.2f s (min %.2f, max %.2f)", v[int((NR + 1) / 2)], v[1], v[NR] }'
}
echo "  image as shipped, CDS archive:    docker run $(stats 1 "${cds[@]}"), JVM $(stats 2 "${cds[@]}")"
echo "  without -XX:SharedArchiveFile:    docker run $(stats 1 "${no_cds[@]}"), JVM $(stats 2 "${no_cds[@]}")"
echo "  an empty container, for scale:    docker run $(stats 1 "${empty[@]}")"
echo "image checks passed"
