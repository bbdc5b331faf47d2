#!/usr/bin/env bash
# Puts back the pointers one run cleared (from its audit), locally or in the cluster.
set -euo pipefail

usage() {
	cat <<'EOF_USAGE'
Usage: jobs/restore.sh --run ID [--apply] [--in-cluster [--namespace NS] [--context CTX]]

Re-links the pointers that run ID cleared, from the job's audit, with a compare-and-set:
only while the clear is still the last thing that happened to the row (the pointer empty,
not cleared again by a later run, the row unchanged since). The others are listed as left
alone or superseded, never written. A dry run unless --apply: it lists what it would put back.

  --run ID         the run whose clears to undo (the runId of its report)
  --apply          write
  --in-cluster     run it as a Job in the cluster, from the CronJob's template (its
                   configuration and Secret), and follow it; otherwise run the jar here
                   with this shell's environment (see jobs/run-local.sh --help)
  --namespace NS   with --in-cluster: the namespace
  --context CTX    with --in-cluster: the kubeconfig context
  -h, --help       this help

Examples:
  jobs/restore.sh --run 42                       # what would be put back
  jobs/restore.sh --run 42 --apply --in-cluster --namespace watcher-link-reconciler
EOF_USAGE
}

run=
apply=false
in_cluster=false
cluster_opts=()

while [[ $# -gt 0 ]]; do
	case $1 in
		-h | --help)
			usage
			exit 0
			;;
		--run)
			[[ $# -ge 2 ]] || { echo "restore: --run needs a run id" >&2; exit 2; }
			run=$2
			shift
			;;
		--run=*) run=${1#*=} ;;
		--apply) apply=true ;;
		--in-cluster) in_cluster=true ;;
		--namespace | -n | --context)
			[[ $# -ge 2 ]] || { echo "restore: $1 needs a value" >&2; exit 2; }
			cluster_opts+=("$1" "$2")
			shift
			;;
		--namespace=* | --context=*) cluster_opts+=("$1") ;;
		*)
			echo "restore: unknown argument '$1' (see --help)" >&2
			exit 2
			;;
	esac
	shift
done

if [[ ! $run =~ ^[0-9]+$ ]]; then
	echo "restore: --run ID is required, a run id as in the report (runId), e.g. --run 42" >&2
	exit 2
fi
if [[ ${#cluster_opts[@]} -gt 0 && $in_cluster == false ]]; then
	echo "restore: --namespace and --context go with --in-cluster" >&2
	exit 2
fi

command=(restore --run "$run")
[[ $apply == true ]] && command+=(--apply)

here=$(dirname "$0")
if [[ $in_cluster == true ]]; then
	exec "$here/launch-now.sh" "${cluster_opts[@]+"${cluster_opts[@]}"}" --follow -- "${command[@]}"
fi
exec "$here/run-local.sh" "${command[@]}"
