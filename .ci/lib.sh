# shellcheck shell=bash
# Shared by the CI scripts: sourced (. .ci/lib.sh), not run.
if [[ ${1:-} == -h || ${1:-} == --help ]]; then
	echo "Usage: . .ci/lib.sh   (from another CI script: DOCKER, CI_WORK, fail, read_quick_start)"
	# shellcheck disable=SC2317 # reached when run rather than sourced
	return 0 2>/dev/null || exit 0
fi

# Debian's docker client: it builds with BuildKit (DOCKER_BUILDKIT=1) without the buildx
# plugin, which another client first on the PATH may lack. Asked again by .ci/run once its
# tools stage may have installed it.
docker_client() {
	if [[ -x /usr/bin/docker ]]; then echo /usr/bin/docker; else echo docker; fi
}
# shellcheck disable=SC2034 # read by .ci/run after its tools stage
DOCKER_FROM_ENV=${DOCKER:-}
DOCKER=${DOCKER:-$(docker_client)}
export DOCKER DOCKER_BUILDKIT=1
CI_WORK=${CI_WORK:-/tmp/wlr-ci}
export CI_WORK
mkdir -p "$CI_WORK"

fail() {
	echo "FAILED: $*" >&2
	exit 1
}

# The commands of README.md's "Quick start" section, one per line, in order: every line of
# its ```sh blocks that is neither empty nor a comment. CI runs exactly these, so the README
# cannot drift from what works.
quick_start_commands() {
	awk '
		/^## / { section = ($0 == "## Quick start"); next }
		section && /^```sh[[:space:]]*$/ { code = 1; next }
		section && code && /^```[[:space:]]*$/ { code = 0; next }
		section && code && NF && $1 !~ /^#/ { print }
	' "${1:-README.md}"
}

# The two Quick start commands, or a clear failure: first the demo, then the tests.
read_quick_start() {
	mapfile -t QUICK_START < <(quick_start_commands README.md)
	[[ ${#QUICK_START[@]} -eq 2 ]] \
		|| fail "README.md's Quick start must hold two commands (the demo, then the tests), found ${#QUICK_START[@]}: ${QUICK_START[*]}"
}
