#!/usr/bin/env bash
# Checks the alert rules and the dashboard, and makes sure the Pushgateway and the Prometheus
# the tests start are installed (mvn verify runs PushgatewayIntegrationTests and
# DashboardQueriesIntegrationTests against them).
set -euo pipefail

usage() {
	cat <<'EOF_USAGE'
Usage: .ci/check-monitoring.sh [--help]

Checks k8s/monitoring/ without a cluster:
  1. promtool check rules   k8s/monitoring/alerts.rules.yaml (syntax, PromQL, unknown fields)
  2. promtool test rules    k8s/monitoring/alerts.test.yaml (each alert firing and not firing)
  3. the dashboard is JSON with panels (jq)
  4. a Pushgateway and a Prometheus binary are there for the tests that push to and query
     real ones

Installs what is missing from Debian: prometheus (promtool), prometheus-pushgateway, jq.
Debian's packages would start the services where systemd runs; the tests start their own
Pushgateway and Prometheus on free ports and never use running ones.

That the rules and the dashboard name only metrics the job pushes, and that the
PrometheusRule holds the same groups as alerts.rules.yaml, is checked by mvn verify
(MonitoringFilesIntegrationTests, DeploymentManifestTests).

Exit status: 0 when everything passed, 1 otherwise.
EOF_USAGE
}

case "${1:-}" in
	-h | --help)
		usage
		exit 0
		;;
	"") ;;
	*)
		echo "check-monitoring: unknown argument '$1' (see --help)" >&2
		exit 2
		;;
esac

cd "$(dirname "$0")/.."
readonly DIR=k8s/monitoring

passed=0
failed=0

check() {
	# check NAME COMMAND...: runs the command, counts it as passed or failed
	local name=$1
	shift
	if "$@"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAILED: $name" >&2
	fi
}

missing=()
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
command -v prometheus-pushgateway >/dev/null 2>&1 || command -v pushgateway >/dev/null 2>&1 \
	|| missing+=(prometheus-pushgateway)
command -v jq >/dev/null 2>&1 || missing+=(jq)
if [[ ${#missing[@]} -gt 0 ]]; then
	if [[ $(id -u) -ne 0 ]]; then
		echo "check-monitoring: ${missing[*]} missing, and installing needs root: apt-get install ${missing[*]}" >&2
		exit 1
	fi
	apt-get update -q
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
echo "promtool: $(promtool --version 2>&1 | head -1)"

echo "== promtool check rules"
check "promtool check rules" promtool check rules "$DIR/alerts.rules.yaml"

echo "== promtool test rules"
check "promtool test rules" promtool test rules "$DIR/alerts.test.yaml"

echo "== dashboard"
check "dashboard.json" jq -e '(.panels | length > 0) and (.uid | length > 0)' "$DIR/dashboard.json"

echo "== Pushgateway and Prometheus for the tests"
gateway=$(command -v prometheus-pushgateway || command -v pushgateway)
check "Pushgateway" "$gateway" --version
check "Prometheus" prometheus --version

echo
echo "check-monitoring: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
