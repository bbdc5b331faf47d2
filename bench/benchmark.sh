#!/usr/bin/env bash
# Throughput and start-up benchmark of the reconcile job (issue 6). Not part of `mvn verify`.
set -euo pipefail

usage() {
	cat <<'EOF_USAGE'
Usage: bench/benchmark.sh [--build-dir DIR] [--no-build] [benchmark options]

Builds the application's jar and the benchmark (bench/pom.xml, a Maven project of its own),
then runs the job (reconcile --apply) as a child process against a PostgreSQL 17 of its own
(embedded) and a fake Watcher (WireMock standalone, a separate JVM, Watcher's real bodies, a
fixed latency per request), and prints per case the job's figures beside its limits: Little's
law (concurrency / latency), the fake Watcher's own capacity measured alone with wrk, and the
job's request-rate cap. Medians of the repeats.

With no options it runs the quick mode: 10 000 pointers at 0 and 20 ms, once each (a few
minutes). The full matrix of issue 6:

  bench/benchmark.sh --sizes 10000,100000,1000000 --latencies 0,5,20 --repeats 3 --startup

Script options:
  --capacity             instead: the job against a fake Watcher whose latency grows with its load
                         (CapacityBenchmark: the defaults and a sweep of fixed concurrencies beside a
                         sequential loop; its options: --size N [12000], --service-ms S [20],
                         --workers W [0 = ample capacity], --max-queue Q [64],
                         --slow-after-seconds T [0], --slow-factor F [5], --fixed LIST,
                         --loop N [500], --job-arg ARG, --jvm-opts "OPTS")
  --schema-growth        instead: the growth of the job's schema per run, table by table, and how
                         long prune takes to remove 30 such runs (SchemaGrowthBenchmark; its
                         options: --size N [100000], --copies N [30], --jvm-opts, --pg-fast)
  --build-dir DIR        Maven's build directory, passed as -Dbuild.dir (default /tmp/build-bench,
                         or $BENCH_BUILD_DIR); never ./target, which other builds may be using
  --no-build             reuse the jar, the benchmark's classes and classpath already in the build
                         directory
  -h, --help             this help

Benchmark options (passed to io.cannobserv.reconciler.bench.ThroughputBenchmark):
  --sizes LIST           pointers per case [10000]; 0 = none (with --startup: start-up only)
  --latencies LIST       fake Watcher latency per request, ms [0,20]
  --repeats N            runs per case; the table shows medians [1]
  --startup              also measure start-up: 4 pointers, plain jar / CDS archive, eager / lazy,
                         beside a plain JDBC loop doing the same work (bench/.../PlainJdbcLoop)
  --startup-only         only the start-up measurement
  --startup-repeats N    runs per start-up variant [5]
  --startup-baseline JAR another build's jar (main's, say): one more plain-jar start-up variant,
                         before and after side by side
  --concurrency N        the job's --concurrency and wrk's connections [8]
  --strategies LIST      the job's --strategy per run, side by side per case: per-item,snapshot
                         [per-item]
  --job-arg ARG          an extra job option, repeatable: --job-arg=--chunk-size=500. The job runs
                         without its rate cap (which would bound the 0 and 5 ms cases at 1000/s)
                         unless one is given: --job-arg=--max-requests-per-second=1000
  --jvm-opts "OPTS"      the job's JVM options [-Xmx384m -XX:TieredStopAtLevel=1: the image's, in a
                         512Mi pod at MaxRAMPercentage=75]
  --wrk-seconds N        how long wrk measures the fake Watcher alone, 0 = skip [10]
  --max-run-minutes M    skip a case estimated (from a smaller size) to run longer [30]; 0 = never
  --run-timeout-minutes M  kill a run that takes longer [240]
  --pg-fast              PostgreSQL with fsync off (default: durable commits, as in production)

Installs what is missing, from Debian's packages (apt-get update first): wrk, and GNU time for
the peak RSS. Each invocation's runs, logs, reports and results.md (the tables, in Markdown)
go to DIR/bench/<yyyyMMdd-HHmmss>/.
The machine is shared: the load average is printed with the results; compare runs made
under similar load.

Environment:
  BENCH_BUILD_DIR        default for --build-dir
  MVN_ARGS               extra Maven arguments, e.g. MVN_ARGS=-o to build offline
EOF_USAGE
}

build_dir=${BENCH_BUILD_DIR:-/tmp/build-bench}
build=true
bench_args=()
main_class=io.cannobserv.reconciler.bench.ThroughputBenchmark

while [[ $# -gt 0 ]]; do
	case $1 in
		-h | --help)
			usage
			exit 0
			;;
		--build-dir)
			[[ $# -ge 2 ]] || { echo "benchmark: --build-dir needs a value" >&2; exit 2; }
			build_dir=$2
			shift
			;;
		--build-dir=*) build_dir=${1#*=} ;;
		--no-build) build=false ;;
		--schema-growth) main_class=io.cannobserv.reconciler.bench.SchemaGrowthBenchmark ;;
		--capacity) main_class=io.cannobserv.reconciler.bench.CapacityBenchmark ;;
		*) bench_args+=("$1") ;;
	esac
	shift
done

cd "$(dirname "$0")/.."
build_dir=$(realpath -m "$build_dir")
if [[ $build_dir == "$(pwd)/target" || $build_dir == "$(pwd)/target/"* ]]; then
	echo "benchmark: refusing to build into ./target, which other builds of this checkout use" >&2
	exit 2
fi

install_missing() {
	local packages=()
	command -v wrk >/dev/null 2>&1 || packages+=(wrk)
	[[ -x /usr/bin/time ]] || packages+=(time)
	[[ ${#packages[@]} -eq 0 ]] && return 0
	local sudo=()
	if [[ $(id -u) -ne 0 ]]; then
		if command -v sudo >/dev/null 2>&1; then
			sudo=(sudo)
		else
			echo "benchmark: ${packages[*]} missing and not root: the table will lack what they measure" >&2
			return 0
		fi
	fi
	echo "benchmark: installing ${packages[*]} (Debian packages)"
	"${sudo[@]}" apt-get update -q
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${packages[@]}"
}

install_missing

read -r -a mvn_args <<<"${MVN_ARGS:-}"
bench_classes=$build_dir/benchmark/classes
classpath_file=$build_dir/bench-classpath.txt
if [[ $build == true ]]; then
	echo "benchmark: building into $build_dir (the application's jar, then bench/pom.xml)"
	./mvnw -B -q "${mvn_args[@]}" -Dbuild.dir="$build_dir" -Dmaven.test.skip=true package
	./mvnw -B -q "${mvn_args[@]}" -f bench/pom.xml -Dbuild.dir="$build_dir/benchmark" compile \
		dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$classpath_file"
fi

jar=$build_dir/watcher-link-reconciler.jar
for needed in "$jar" "$classpath_file" "$bench_classes"; do
	[[ -e $needed ]] || { echo "benchmark: $needed is missing: run without --no-build" >&2; exit 2; }
done
dependencies=$(<"$classpath_file")
wiremock_jar=$(tr ':' '\n' <"$classpath_file" | grep -m1 '/wiremock-standalone-[^/]*\.jar$' || true)
wiremock_args=()
[[ -n $wiremock_jar ]] && wiremock_args=(--wiremock-jar "$wiremock_jar")

echo "benchmark: load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
exec java -cp "$bench_classes:$dependencies" \
	"$main_class" \
	--jar "$jar" --work-dir "$build_dir/bench" "${wiremock_args[@]}" "${bench_args[@]}"
