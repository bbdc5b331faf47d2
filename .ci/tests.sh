#!/usr/bin/env bash
# The README's test command (the Quick start's second), run here with what CI adds:
#   -Dreconciler.test.tools=required   a test needing Chromium or jq fails if it is missing,
#                                       so nothing is skipped here
#   -Dreconciler.test.postgres=testcontainers, with the PostgreSQL image made from Debian's
#                                       package (.ci/images/build.sh): the database tests run
#                                       in a container, where the Quick start ran them on
#                                       embedded PostgreSQL
set -euo pipefail
if [[ ${1:-} == -h || ${1:-} == --help ]]; then
	cat <<'EOF_USAGE'
Usage: .ci/tests.sh

Runs README.md's test command with every tool-dependent test required and PostgreSQL in
Testcontainers (image wlr-ci/postgres), then prints the counts: tests run, skipped (must be 0),
and those that ran against the Testcontainers PostgreSQL.
EOF_USAGE
	exit 0
fi
cd "$(dirname "$0")/.."
. .ci/lib.sh
read_quick_start

# Ryuk's image is on a public registry: without it, TestPostgres's shutdown hook stops the
# container. The start-up checks pull an image too. CI itself runs in a container, where
# Testcontainers would start one more to find its gateway: the engine's ports are on localhost.
export TESTCONTAINERS_RYUK_DISABLED=true TESTCONTAINERS_CHECKS_DISABLE=true TESTCONTAINERS_HOST_OVERRIDE=localhost
command="${QUICK_START[1]} -Dreconciler.test.tools=required -Dreconciler.test.postgres=testcontainers \
-Dreconciler.test.postgres.image=wlr-ci/postgres"
echo "\$ $command"
# the counts below read Surefire's reports: none may be left from an earlier build
rm -rf target/surefire-reports
status=0
bash -c "$command" || status=$?
# what the tests' shutdown hook left; it may be removing them still, which is no failure
"$DOCKER" ps -aq --filter label=org.testcontainers=true | xargs -r "$DOCKER" rm -f >/dev/null 2>&1 || true
[[ $status -eq 0 ]] || fail "the test command exited $status"

reports=(target/surefire-reports/TEST-*.xml)
total=0 skipped=0 database=0 database_classes=0
for report in "${reports[@]}"; do
	header=$(grep -m1 '<testsuite ' "$report")
	tests=$(sed -n 's/.* tests="\([0-9]*\)".*/\1/p' <<<"$header")
	total=$((total + tests))
	skipped=$((skipped + $(sed -n 's/.* skipped="\([0-9]*\)".*/\1/p' <<<"$header")))
	class=$(sed -n 's/.* name="\([^"$]*\).*/\1/p' <<<"$header")
	# a database test gets its database from TestPostgres, directly or through ArchiverTestBed
	if grep -qE '\b(TestPostgres|ArchiverTestBed)\b' "src/test/java/${class//.//}.java"; then
		database=$((database + tests))
		database_classes=$((database_classes + 1))
	fi
done
[[ $skipped -eq 0 ]] || fail "$skipped test(s) skipped in CI"
grep -hq 'Test PostgreSQL (testcontainers) ready' target/surefire-reports/*-output.txt \
	|| fail "no test started the Testcontainers PostgreSQL"
echo "tests: $total run in ${#reports[@]} classes, 0 skipped; the $database tests of the $database_classes database test"\
	"classes ran against PostgreSQL in Testcontainers:"
grep -h 'Test PostgreSQL' target/surefire-reports/*-output.txt | sed 's/^.* -- /  /' | sort -u
