#!/usr/bin/env bash
# What pause.sh, resume.sh and reschedule.sh share: their options and the CronJobs they act on.
# Sourced by them (. jobs/cronjobs.sh), not run.
set -euo pipefail

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
	cat <<'EOF_USAGE'
Usage: . jobs/cronjobs.sh   (sourced by jobs/pause.sh, jobs/resume.sh and jobs/reschedule.sh)

Parses their common options (--namespace, --context, --cronjob, --help) and lists the job's
CronJobs (those labelled app.kubernetes.io/name=watcher-link-reconciler). Run one of them
with --help instead.
EOF_USAGE
	exit 0
fi

# cronjobs_parse SCRIPT ARGS...: sets kube (the kubectl command with its context and namespace)
# and cronjob (one CronJob's name, or empty for all of the job's); exits 2 on a bad argument
cronjobs_parse() {
	local script=$1 namespace='' context=''
	shift
	cronjob=
	while [[ $# -gt 0 ]]; do
		case $1 in
			-h | --help)
				usage
				exit 0
				;;
			--namespace | -n | --context | --cronjob)
				[[ $# -ge 2 ]] || { echo "$script: $1 needs a value" >&2; exit 2; }
				case $1 in
					--context) context=$2 ;;
					--cronjob) cronjob=$2 ;;
					*) namespace=$2 ;;
				esac
				shift
				;;
			--namespace=*) namespace=${1#*=} ;;
			--context=*) context=${1#*=} ;;
			--cronjob=*) cronjob=${1#*=} ;;
			*)
				echo "$script: unknown argument '$1' (see --help)" >&2
				exit 2
				;;
		esac
		shift
	done
	for tool in kubectl jq; do
		if ! command -v "$tool" >/dev/null 2>&1; then
			echo "$script: $tool is required (apt-get install jq; kubectl from your cluster provider)" >&2
			exit 2
		fi
	done
	kube=(kubectl)
	[[ -n $context ]] && kube+=(--context "$context")
	[[ -n $namespace ]] && kube+=(--namespace "$namespace")
	return 0
}

# cronjobs_list JQ_ARRAY: one line per CronJob acted on, its name, a tab, then the values of
# JQ_ARRAY (a jq array expression on the CronJob) joined by tabs
cronjobs_list() {
	local json
	if [[ -n $cronjob ]]; then
		json=$("${kube[@]}" get cronjob "$cronjob" -o json)
	else
		json=$("${kube[@]}" get cronjobs -l app.kubernetes.io/name=watcher-link-reconciler -o json)
	fi
	jq -r "(if has(\"items\") then .items[] else . end) | [.metadata.name] + $1 | @tsv" <<<"$json"
}
