#!/usr/bin/env bash
# Pauses the job's schedules in the cluster: suspends its active CronJobs, marking each so
# that jobs/resume.sh resumes exactly those.
set -euo pipefail

usage() {
	cat <<'EOF_USAGE'
Usage: jobs/pause.sh [--namespace NS] [--context CTX] [--cronjob NAME]

Suspends the job's CronJobs that are active (spec.suspend: true), so that no run starts at
their schedule until jobs/resume.sh. Each one it suspends gets the annotation
watcher-link-reconciler/paused, which resume.sh looks for: a CronJob that was suspended
already (the partitioned run's template, unless it is the nightly run) stays suspended after
a resume.

A run already under way goes on: pausing only keeps new ones from starting. To stop it as
well, delete its Job (its pod stops at the next chunk boundary; the next run resumes it):
  kubectl delete job JOB

  --namespace NS   the namespace the overlay deployed to (default: kubectl's current one)
  --context CTX    the kubeconfig context (default: kubectl's current one)
  --cronjob NAME   pause this CronJob only (default: every CronJob labelled
                   app.kubernetes.io/name=watcher-link-reconciler)
  -h, --help       this help

A pause lasts until jobs/resume.sh, or until the overlay is applied again where it sets
spec.suspend itself (k8s/overlays/production-partitioned). Needs kubectl and jq.
Examples:
  jobs/pause.sh --namespace watcher-link-reconciler
  jobs/resume.sh --namespace watcher-link-reconciler
EOF_USAGE
}

# shellcheck source=jobs/cronjobs.sh
. "$(dirname "$0")/cronjobs.sh"
cronjobs_parse pause "$@"

paused=0
while IFS=$'\t' read -r name suspended; do
	if [[ $suspended == true ]]; then
		echo "pause: cronjob/$name is suspended already: left as it is (resume.sh will not resume it)"
		continue
	fi
	patch=$(jq -cn --arg at "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
		'{metadata: {annotations: {"watcher-link-reconciler/paused": ("by jobs/pause.sh at " + $at)}}, spec: {suspend: true}}')
	"${kube[@]}" patch cronjob "$name" --type merge -p "$patch" >/dev/null
	echo "pause: cronjob/$name suspended"
	paused=$((paused + 1))
done < <(cronjobs_list '[.spec.suspend == true]')

echo "pause: $paused CronJob(s) suspended. Runs under way go on: ${kube[*]} get jobs -l app.kubernetes.io/name=watcher-link-reconciler"
