#!/usr/bin/env bash
# Moves the nightly run to another time in the cluster: both reconcile CronJobs at once.
set -euo pipefail

usage() {
	cat <<'EOF_USAGE'
Usage: jobs/reschedule.sh [--namespace NS] [--context CTX] [--time-zone TZ] "MIN HOUR DOM MON DOW"

Sets the schedule of both reconcile CronJobs, the single run's and the partitioned run's, so
that the night keeps its time whichever of them runs it. The schedule is a cron expression
of five fields, in the CronJobs' time zone (Etc/UTC unless --time-zone). A run under way is
not affected.

This changes the cluster only: applying the overlay again puts back the schedule it states.
To keep the new time, change it where the overlay states it: k8s/base/cronjob.yaml
(production), or the schedule patch of k8s/overlays/staging/kustomization.yaml.

  --namespace NS   the namespace the overlay deployed to (default: kubectl's current one)
  --context CTX    the kubeconfig context (default: kubectl's current one)
  --time-zone TZ   also set the time zone (spec.timeZone), e.g. Europe/Paris
  -h, --help       this help

Needs kubectl and jq.
Examples:
  jobs/reschedule.sh --namespace watcher-link-reconciler "0 3 * * *"
  jobs/reschedule.sh --namespace watcher-link-reconciler --time-zone Europe/Paris "30 1 * * 1-5"
EOF_USAGE
}

schedule=
time_zone=
args=()
while [[ $# -gt 0 ]]; do
	case $1 in
		--time-zone)
			[[ $# -ge 2 ]] || { echo "reschedule: $1 needs a value" >&2; exit 2; }
			time_zone=$2
			shift
			;;
		--time-zone=*) time_zone=${1#*=} ;;
		-h | --help | --namespace | -n | --context | --namespace=* | --context=*)
			args+=("$1")
			if [[ $1 == --namespace || $1 == -n || $1 == --context ]]; then
				[[ $# -ge 2 ]] || { echo "reschedule: $1 needs a value" >&2; exit 2; }
				args+=("$2")
				shift
			fi
			;;
		-*)
			echo "reschedule: unknown argument '$1' (see --help)" >&2
			exit 2
			;;
		*)
			[[ -z $schedule ]] || { echo "reschedule: one schedule, quoted: \"0 3 * * *\"" >&2; exit 2; }
			schedule=$1
			;;
	esac
	shift
done

# shellcheck source=jobs/cronjobs.sh
. "$(dirname "$0")/cronjobs.sh"
cronjobs_parse reschedule "${args[@]+"${args[@]}"}"

read -r -a fields <<<"$schedule"
if [[ ${#fields[@]} -ne 5 || $schedule == *[!0-9A-Za-z\ \*,/-]* ]]; then
	echo "reschedule: '$schedule' is not a cron schedule of five fields (minute hour day-of-month month day-of-week), e.g. \"0 3 * * *\"" >&2
	exit 2
fi

patch=$(jq -cn --arg schedule "${fields[*]}" --arg zone "$time_zone" \
	'{spec: ({schedule: $schedule} + (if $zone == "" then {} else {timeZone: $zone} end))}')
for name in watcher-link-reconciler watcher-link-reconciler-partitioned; do
	"${kube[@]}" patch cronjob "$name" --type merge -p "$patch" >/dev/null
	echo "reschedule: cronjob/$name runs at \"${fields[*]}\"${time_zone:+ ($time_zone)}"
done
echo "reschedule: to keep it when the overlay is applied again, write it where the overlay states it (see --help)"
