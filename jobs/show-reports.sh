#!/usr/bin/env bash
# Shows run reports: the recent runs, one line each, or one run, in text, JSON, Markdown or HTML.
set -euo pipefail

usage() {
	cat <<'EOF_USAGE'
Usage: jobs/show-reports.sh [--run ID] [--format text|json|markdown|html] [--output FILE]
                            [--in-cluster [--namespace NS] [--context CTX]]

Prints reports read from the job's own tables (every run's counts, clears and skipped
pointers are kept there): the recent runs, one line each, or run ID's whole report. Reads only.

  --run ID         the run to show (default: none, the list of recent runs)
  --format F       text (default), json, markdown or html
  --output FILE    write the report to FILE instead of printing it (not with --in-cluster)
  --in-cluster     run the report command as a Job in the cluster, from the CronJob's
                   template, wait for it, and print the report alone (the Job's messages
                   go to standard error): --format html > run.html is one HTML document
  --namespace NS   with --in-cluster: the namespace
  --context CTX    with --in-cluster: the kubeconfig context
  -h, --help       this help

Locally it runs the jar with this shell's environment (see jobs/run-local.sh --help). A
run's JSON report file also lies in RECONCILER_REPORT_DIR (./reports locally; in the cluster
an emptyDir, gone with the pod).

Examples:
  jobs/show-reports.sh
  jobs/show-reports.sh --run 42 --format markdown --output run-42.md
  jobs/show-reports.sh --in-cluster --namespace watcher-link-reconciler --format json
  jobs/show-reports.sh --in-cluster --namespace watcher-link-reconciler --run 42 --format html > run-42.html
EOF_USAGE
}

command=(report)
in_cluster=false
output=
cluster_opts=()

while [[ $# -gt 0 ]]; do
	case $1 in
		-h | --help)
			usage
			exit 0
			;;
		--run | --format | --output)
			[[ $# -ge 2 ]] || { echo "show-reports: $1 needs a value" >&2; exit 2; }
			[[ $1 == --output ]] && output=$2
			command+=("$1" "$2")
			shift
			;;
		--run=* | --format=*) command+=("$1") ;;
		--output=*)
			output=${1#*=}
			command+=("$1")
			;;
		--in-cluster) in_cluster=true ;;
		--namespace | -n | --context)
			[[ $# -ge 2 ]] || { echo "show-reports: $1 needs a value" >&2; exit 2; }
			cluster_opts+=("$1" "$2")
			shift
			;;
		--namespace=* | --context=*) cluster_opts+=("$1") ;;
		*)
			echo "show-reports: unknown argument '$1' (see --help)" >&2
			exit 2
			;;
	esac
	shift
done

if [[ ${#cluster_opts[@]} -gt 0 && $in_cluster == false ]]; then
	echo "show-reports: --namespace and --context go with --in-cluster" >&2
	exit 2
fi

here=$(dirname "$0")
if [[ $in_cluster == true ]]; then
	if [[ -n $output ]]; then
		echo "show-reports: --output writes inside the pod; with --in-cluster, redirect the output instead" >&2
		exit 2
	fi
	# the report alone on standard output: one clean document, e.g. > run-42.html
	exec "$here/launch-now.sh" "${cluster_opts[@]+"${cluster_opts[@]}"}" --output-only -- "${command[@]}"
fi
exec "$here/run-local.sh" "${command[@]}"
