#!/usr/bin/env bash
# Resumes the job's schedules that jobs/pause.sh suspended.
set -euo pipefail

usage() {
	cat <<'EOF_USAGE'
Usage: jobs/resume.sh [--namespace NS] [--context CTX] [--cronjob NAME]

Resumes the job's CronJobs that jobs/pause.sh suspended (those with the annotation
watcher-link-reconciler/paused), and only those: the partitioned run's template, suspended
by design, stays suspended. The next run starts at the next schedule; to run now, use
jobs/launch-now.sh.

  --namespace NS   the namespace the overlay deployed to (default: kubectl's current one)
  --context CTX    the kubeconfig context (default: kubectl's current one)
  --cronjob NAME   resume this CronJob only (default: every CronJob labelled
                   app.kubernetes.io/name=watcher-link-reconciler)
  -h, --help       this help

Needs kubectl and jq.
Example:
  jobs/resume.sh --namespace watcher-link-reconciler
EOF_USAGE
}

# shellcheck source=jobs/cronjobs.sh
. "$(dirname "$0")/cronjobs.sh"
cronjobs_parse resume "$@"

resumed=0
while IFS=$'\t' read -r name paused; do
	if [[ $paused != true ]]; then
		echo "resume: cronjob/$name was not paused by jobs/pause.sh: left as it is"
		continue
	fi
	"${kube[@]}" patch cronjob "$name" --type merge \
		-p '{"metadata": {"annotations": {"watcher-link-reconciler/paused": null}}, "spec": {"suspend": false}}' >/dev/null
	echo "resume: cronjob/$name resumed"
	resumed=$((resumed + 1))
done < <(cronjobs_list '[.metadata.annotations["watcher-link-reconciler/paused"] != null]')

echo "resume: $resumed CronJob(s) resumed"
if [[ $resumed -eq 0 ]]; then
	echo "resume: nothing was paused by jobs/pause.sh; a CronJob suspended otherwise is resumed with" \
		"kubectl patch cronjob NAME --type merge -p '{\"spec\": {\"suspend\": false}}'" >&2
fi
