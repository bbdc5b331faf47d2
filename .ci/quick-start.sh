#!/usr/bin/env bash
# A newcomer's first minutes. On a bare machine (the wlr-ci/newcomer image: Debian 12, a JDK 17
# and git; no Maven, no curl, no Chromium, no Docker; an ordinary user with an empty ~/.m2),
# clone the repository and run README.md's Quick start commands, read from the README itself.
# Both must exit 0, and the demo must end with its run's report.
set -euo pipefail
if [[ ${1:-} == -h || ${1:-} == --help ]]; then
	cat <<'EOF_USAGE'
Usage: .ci/quick-start.sh

Runs README.md's Quick start commands, read from the README, in a container of the
wlr-ci/newcomer image (.ci/images/build.sh) on a fresh clone of HEAD, as an ordinary user with
an empty ~/.m2. Fails unless both exit 0 and the demo prints its completed run's report.
The full log goes to $CI_WORK/quick-start.log (default /tmp/wlr-ci).
EOF_USAGE
	exit 0
fi
cd "$(dirname "$0")/.."
. .ci/lib.sh
read_quick_start

# A bundle of the commit under test: a clone of it is a clone of the repository, whatever kind
# of checkout (a worktree, a shallow clone) CI runs in.
bundle=$CI_WORK/repository.bundle
rm -f "$bundle"
git bundle create "$bundle" HEAD 2>/dev/null
chmod 644 "$bundle"
log=$CI_WORK/quick-start.log
container=wlr-ci-quick-start
"$DOCKER" rm -f "$container" >/dev/null 2>&1 || true
trap '"$DOCKER" rm -f "$container" >/dev/null 2>&1 || true' EXIT

# Inside the container, as the newcomer: clone, then each command with its exit code.
# shellcheck disable=SC2016 # expanded inside the container
newcomer_script='
	set -u
	echo "machine: $(. /etc/os-release; echo "$PRETTY_NAME"), $(java -version 2>&1 | head -1), user $(id -un)"
	echo "not installed: $(for tool in mvn curl wget unzip chromium jq docker; do command -v $tool >/dev/null || printf "%s " $tool; done)"
	echo "~/.m2: $(ls -A ~/.m2 2>/dev/null | wc -l) entries"
	git -c advice.detachedHead=false clone --quiet /repository.bundle watcher-link-reconciler || exit 1
	cd watcher-link-reconciler
	echo "cloned $(git log -1 --format="%h %s")"
	status=0
	for command in "$@"; do
		echo "==> \$ $command"
		bash -c "$command"
		code=$?
		echo "<== exit code $code: $command"
		[ $code -eq 0 ] || status=1
	done
	# why a test was skipped is in its Surefire report: one line per reason
	grep -ho "<skipped message=\"[^\"]*\"" target/surefire-reports/TEST-*.xml 2>/dev/null \
		| sed "s/<skipped message=\"\(.*\)\"/\1/" | sort | uniq -c | sed "s/^ *\([0-9]*\) /skipped (\1 tests): /"
	exit $status
'

echo "image: wlr-ci/newcomer; commands from README.md's Quick start:"
printf '  $ %s\n' "${QUICK_START[@]}"
status=0
# Maven's download lines (thousands, on an empty ~/.m2) go to the log only.
timeout 2400 "$DOCKER" run --name "$container" -v "$bundle:/repository.bundle:ro" wlr-ci/newcomer \
	bash -c "$newcomer_script" newcomer "${QUICK_START[@]}" 2>&1 \
	| tee "$log" | grep --line-buffered -vE '^(\[INFO\] )?(Download(ing|ed) from|Progress)' || status=$?

echo
echo "Quick start on a bare machine (full log: $log):"
grep -E '^<== exit code' "$log" | sed 's/^<== /  /'
mapfile -t codes < <(sed -n 's/^<== exit code \([0-9]*\):.*/\1/p' "$log")
[[ ${#codes[@]} -eq ${#QUICK_START[@]} ]] || fail "only ${#codes[@]} of ${#QUICK_START[@]} commands ran"
for code in "${codes[@]}"; do
	[[ $code -eq 0 ]] || fail "a Quick start command exited $code"
done
[[ $status -eq 0 ]] || fail "the container exited $status"
grep -qE '^Run [0-9]+ \(apply\): COMPLETED, exit code 0' "$log" \
	|| fail "the demo printed no completed run's report"
grep -E '^Run [0-9]+ \(apply\)|^  checked ' "$log" | sed 's/^/  demo: /'
grep -E 'Tests run: [0-9]+, Failures: [0-9]+, Errors: [0-9]+, Skipped: [0-9]+$' "$log" | tail -1 | sed 's/^/  tests: /'
grep -E '^skipped \(' "$log" | sed 's/^/  /' || true
