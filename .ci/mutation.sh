#!/usr/bin/env bash
# Mutation testing of the safety core (docs/development/mutation-testing.md): PIT mutates
# the classes that decide gone/live/archived/mismatched, the brake, the compare-and-set,
# restore's decision, evidence and key redaction, and runs their fast tests against each
# mutant. The build fails below the pom's mutationThreshold. The HTML report is kept in
# $CI_ARTIFACTS/mutation-report (default target/ci-artifacts), whatever the result.
set -euo pipefail
if [[ ${1:-} == -h || ${1:-} == --help ]]; then
	cat <<'EOF_USAGE'
Usage: .ci/mutation.sh

Runs PIT over the safety core with its fast tests, fails below the mutation threshold, and
copies the HTML report to $CI_ARTIFACTS/mutation-report (default target/ci-artifacts).
EOF_USAGE
	exit 0
fi
cd "$(dirname "$0")/.."
artifacts=${CI_ARTIFACTS:-target/ci-artifacts}
mkdir -p "$artifacts"
log=$artifacts/mutation.log
status=0
./mvnw -B -Dcheckstyle.skip -Dspring-javaformat.skip test-compile org.pitest:pitest-maven:mutationCoverage \
	>"$log" 2>&1 || status=$?
# PIT's statistics, and its timings; the whole log on failure
sed -n '/^- Statistics/,/^\[INFO\] ---/p' "$log" | grep -E '^>>' || true
grep -E '^> (run mutation analysis|Total) ' "$log" || true
[[ $status -eq 0 ]] || tail -60 "$log"
rm -rf "$artifacts/mutation-report"
if [[ -d target/pit-reports ]]; then
	cp -r target/pit-reports "$artifacts/mutation-report"
	echo "mutation report: $artifacts/mutation-report/index.html (log: $log)"
fi
exit "$status"
