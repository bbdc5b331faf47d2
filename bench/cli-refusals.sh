#!/usr/bin/env bash
# How long a refused command line takes beside --version (issue 20). Not part of `mvn verify`.
set -euo pipefail

usage() {
	cat <<'EOF_USAGE'
Usage: bench/cli-refusals.sh [--jar JAR] [--baseline JAR] [--runs N] [--database URL]

Times, with hyperfine, the wall time of the application's jar answering --version and refusing
command lines that need no database: each is told before Spring starts, so each should take about
as long as --version. With --database, also `report` and `report --format json` against that
database (SPRING_DATASOURCE_USERNAME and _PASSWORD are taken from the environment), and
`report` with SPRING_DATASOURCE_URL unset. With --baseline, the same command lines against another
build's jar (main's, say), side by side. Prints hyperfine's table (mean, min, max) and a Markdown
table of medians, with the load average: the machine may be shared, so compare runs made under
similar load.

  --jar JAR        the jar to time [target/watcher-link-reconciler.jar]
  --baseline JAR   another build's jar, timed the same way
  --runs N         runs per command line [10]
  --database URL   a PostgreSQL JDBC URL for the report's command lines
  -h, --help       this help

Needs hyperfine and jq (apt-get install hyperfine jq).
EOF_USAGE
}

jar=target/watcher-link-reconciler.jar
baseline=
runs=10
database=
while [[ $# -gt 0 ]]; do
	case $1 in
		--jar) jar=$2; shift ;;
		--baseline) baseline=$2; shift ;;
		--runs) runs=$2; shift ;;
		--database) database=$2; shift ;;
		-h | --help) usage; exit 0 ;;
		*) echo "cli-refusals: unknown argument '$1' (see --help)" >&2; exit 2 ;;
	esac
	shift
done
for tool in hyperfine jq; do
	command -v "$tool" >/dev/null 2>&1 || { echo "cli-refusals: $tool is required (apt-get install $tool)" >&2; exit 2; }
done
[[ -f $jar ]] || { echo "cli-refusals: no jar at $jar: build it with mvn -B -DskipTests package" >&2; exit 2; }

# each refused before any database is asked: no SPRING_DATASOURCE_URL is needed
command_lines=(
	"--version"
	"report --format pdf"
	"restore"
	"reconcile --aply"
	"reconcile --chunk-size=abc"
	"report"
)
# the database each command line is given: none for a refusal
databases=("" "" "" "" "" "")
if [[ -n $database ]]; then
	command_lines+=("report" "report --format json")
	databases+=("$database" "$database")
fi

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
# one hyperfine per command line, the jar and the baseline side by side: a load that drifts
# during the benchmark weighs on both alike
for i in "${!command_lines[@]}"; do
	commands=("java -jar $jar ${command_lines[$i]}")
	[[ -n $baseline ]] && commands+=("java -jar $baseline ${command_lines[$i]}")
	# the refusals exit 2 by design
	if [[ -n ${databases[$i]} ]]; then
		env SPRING_DATASOURCE_URL="${databases[$i]}" hyperfine -N --warmup 1 --runs "$runs" \
			--export-json "$results/$i.json" "${commands[@]}"
	else
		env -u SPRING_DATASOURCE_URL hyperfine -N -i --warmup 1 --runs "$runs" --export-json "$results/$i.json" \
			"${commands[@]}"
	fi
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"

echo
echo "| command line | median s ($jar) |${baseline:+ median s ($baseline) |}"
echo "|---|---|${baseline:+---|}"
for i in "${!command_lines[@]}"; do
	where=
	if [[ -n ${databases[$i]} ]]; then
		where=" against the database"
	elif [[ ${command_lines[$i]} == report ]]; then
		where=" with SPRING_DATASOURCE_URL unset"
	fi
	row="| \`${command_lines[$i]}\`$where | $(jq -r '.results[0].median | . * 100 | round / 100' "$results/$i.json") |"
	if [[ -n $baseline ]]; then
		row+=" $(jq -r '.results[1].median | . * 100 | round / 100' "$results/$i.json") |"
	fi
	echo "$row"
done
