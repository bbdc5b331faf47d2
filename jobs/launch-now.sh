#!/usr/bin/env bash
# Launches a run now in the cluster, from the CronJob's own template.
set -euo pipefail

usage() {
	cat <<'EOF'
Usage: jobs/launch-now.sh [--apply] [--partitioned] [--namespace NS] [--context CTX] [--follow]
       jobs/launch-now.sh [--namespace NS] [--context CTX] [--follow | --output-only] -- COMMAND [ARGS...]

Creates a Job now from the CronJob's template (same image, configuration, Secret, security
context and exit-code policy as the nightly run) and prints its name.

A dry run unless --apply: the CronJob passes --apply, this script removes it, so the run
classifies every pointer and writes nothing; its report says what it would clear.

  --apply          clear the pointers Watcher confirms deleted, as the nightly run does
  --partitioned    launch the partitioned Indexed Job (watcher-link-reconciler-partitioned)
                   instead of the single run
  --namespace NS   the namespace the overlay deployed to (default: kubectl's current one)
  --context CTX    the kubeconfig context (default: kubectl's current one)
  --follow         stream the pods' logs until the Job ends, then print each pod's report
                   and exit with the run's exit code (0 completed, 1 resumable, 2 could not
                   start, 3 safety brake, 4 another run holds the lock)
  --output-only    wait for the Job to end, then print on standard output what its command
                   printed and nothing else (no log line, no message of this script: those
                   go to standard error), and exit with its exit code: a report fetched
                   this way is one clean document (show-reports.sh --in-cluster uses it)
  -- COMMAND ...   run this command instead of the template's (used by restore.sh and
                   show-reports.sh with --in-cluster), e.g. -- report --run 42
  -h, --help       this help

Needs kubectl (with access to the namespace) and jq.
Examples:
  jobs/launch-now.sh --namespace watcher-link-reconciler --follow
  jobs/launch-now.sh --namespace watcher-link-reconciler --apply --follow
EOF
}

apply=false
partitioned=false
follow=false
output_only=false
namespace=
context=
command_args=()
explicit_command=false

while [[ $# -gt 0 ]]; do
	case $1 in
		-h | --help)
			usage
			exit 0
			;;
		--apply) apply=true ;;
		--partitioned) partitioned=true ;;
		--follow) follow=true ;;
		--output-only) output_only=true ;;
		--namespace | -n)
			[[ $# -ge 2 ]] || { echo "launch-now: $1 needs a value" >&2; exit 2; }
			namespace=$2
			shift
			;;
		--namespace=*) namespace=${1#*=} ;;
		--context)
			[[ $# -ge 2 ]] || { echo "launch-now: $1 needs a value" >&2; exit 2; }
			context=$2
			shift
			;;
		--context=*) context=${1#*=} ;;
		--)
			shift
			command_args=("$@")
			explicit_command=true
			break
			;;
		*)
			echo "launch-now: unknown argument '$1' (see --help)" >&2
			exit 2
			;;
	esac
	shift
done

if [[ $follow == true && $output_only == true ]]; then
	echo "launch-now: --follow and --output-only do not go together: --output-only prints the output alone" >&2
	exit 2
fi
if [[ $explicit_command == true ]]; then
	if [[ ${#command_args[@]} -eq 0 ]]; then
		echo "launch-now: nothing after --: give a command, e.g. -- report" >&2
		exit 2
	fi
	if [[ $apply == true ]]; then
		echo "launch-now: with -- COMMAND, put --apply in the command itself" >&2
		exit 2
	fi
fi

for tool in kubectl jq; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "launch-now: $tool is required (apt-get install jq; kubectl from your cluster provider)" >&2
		exit 2
	fi
done

kube=(kubectl)
[[ -n $context ]] && kube+=(--context "$context")
[[ -n $namespace ]] && kube+=(--namespace "$namespace")

cronjob=watcher-link-reconciler
[[ $partitioned == true ]] && cronjob=watcher-link-reconciler-partitioned
if [[ $explicit_command == true ]]; then
	suffix=${command_args[0]}
elif [[ $apply == true ]]; then
	suffix=apply
else
	suffix=dry-run
fi
# a Job name is a label value too: at most 63 characters
job="$cronjob-$suffix-$(date -u +%Y%m%d%H%M%S)"
job=${job:0:63}
job=${job%-}

# `kubectl create job --from` copies the template but cannot change the container's
# arguments: render it, rewrite the arguments with jq, then create it.
args_json=$(printf '%s\n' "${command_args[@]+"${command_args[@]}"}" | jq -R . | jq -s 'map(select(. != ""))')
manifest=$("${kube[@]}" create job "$job" --from="cronjob/$cronjob" --dry-run=client -o json)
# With --output-only every log line is one JSON document (Spring Boot's structured console
# format, whatever the ConfigMap says), so that what the command printed can be told from
# them line by line.
manifest=$(jq \
	--argjson apply "$apply" \
	--argjson explicit "$explicit_command" \
	--argjson structured "$output_only" \
	--argjson command "$args_json" '
	.metadata.annotations["watcher-link-reconciler/launched-by"] = "jobs/launch-now.sh"
	| .spec.template.spec.containers |= map(
		if .name == "reconciler" then
			.args = (if $explicit then $command
				else ((.args // []) | map(select(. != "--apply"))) + (if $apply then ["--apply"] else [] end)
				end)
			| if $structured then
				.env = ((.env // []) | map(select(.name != "LOGGING_STRUCTURED_FORMAT_CONSOLE"))
					+ [{name: "LOGGING_STRUCTURED_FORMAT_CONSOLE", value: "ecs"}])
			else . end
		else . end)' <<<"$manifest")

if ! jq -e '.spec.template.spec.containers | any(.name == "reconciler")' <<<"$manifest" >/dev/null; then
	echo "launch-now: the CronJob $cronjob has no container named 'reconciler'" >&2
	exit 2
fi
# this script's own messages: on standard error when standard output carries the command's
say() {
	if [[ $output_only == true ]]; then echo "$@" >&2; else echo "$@"; fi
}

say "launch-now: creating Job $job from cronjob/$cronjob with args: $(jq -c '.spec.template.spec.containers[] | select(.name == "reconciler") | .args' <<<"$manifest")"
"${kube[@]}" create -f - <<<"$manifest" >/dev/null
say "job.batch/$job created"

if [[ $follow == false && $output_only == false ]]; then
	echo "Follow it:   ${kube[*]} logs -f job/$job"
	echo "Its status:  ${kube[*]} get job $job"
	exit 0
fi

job_state() {
	# complete, failed or running
	"${kube[@]}" get job "$job" -o json | jq -r '
		[.status.conditions[]? | select(.status == "True") | .type] as $types
		| if ($types | index("Complete")) then "complete"
		elif ($types | index("Failed")) then "failed"
		else "running" end'
}

pods_json() {
	"${kube[@]}" get pods -l "job-name=$job" -o json
}

# What the command printed: every line of the log but the structured log lines (a JSON
# object with an @timestamp), in order and unchanged.
command_output() {
	jq -R -r '. as $line | (try fromjson catch null) as $json
		| if ($json | type) == "object" and ($json | has("@timestamp")) then empty else $line end'
}

if [[ $output_only == true ]]; then
	deadline=$((SECONDS + 900))
	while [[ $(job_state) == running ]]; do
		if ((SECONDS > deadline)); then
			echo "launch-now: job $job did not end within 15 minutes; see: ${kube[*]} describe job $job" >&2
			exit 1
		fi
		sleep 2
	done
	# the last pod: the one whose end ended the Job
	pod=$(pods_json | jq -r '.items | sort_by(.metadata.creationTimestamp) | last | .metadata.name // empty')
	if [[ -z $pod ]]; then
		echo "launch-now: job $job ended without a pod; see: ${kube[*]} describe job $job" >&2
		exit 1
	fi
	code=$("${kube[@]}" get pod "$pod" -o json | jq -r '[.status.containerStatuses[]? | select(.name == "reconciler") | .state.terminated.exitCode // empty][0] // 1')
	output=$("${kube[@]}" logs "pod/$pod" -c reconciler | command_output)
	if [[ $code -ne 0 ]]; then
		echo "launch-now: job $job: pod $pod exited $code:" >&2
		[[ -z $output ]] || printf '%s\n' "$output" >&2
		exit "$code"
	fi
	if [[ -z $output ]]; then
		echo "launch-now: job $job completed, but its command printed nothing besides log lines" >&2
		exit 1
	fi
	printf '%s\n' "$output"
	say "launch-now: job $job complete (pod $pod)"
	exit 0
fi

# Stream each pod's log as it starts (retries and partitions included) until the Job ends.
followed=" "
deadline=$((SECONDS + 600))
while true; do
	state=$(job_state)
	mapfile -t started < <(pods_json | jq -r '.items[] | select(.status.phase != "Pending") | .metadata.name')
	new=()
	for pod in "${started[@]}"; do
		[[ $followed == *" $pod "* ]] && continue
		new+=("$pod")
		followed+="$pod "
	done
	if [[ ${#new[@]} -gt 0 ]]; then
		prefix=false
		[[ ${#new[@]} -gt 1 ]] && prefix=true
		for pod in "${new[@]}"; do
			"${kube[@]}" logs -f "pod/$pod" -c reconciler --prefix="$prefix" 2>&1 &
		done
		wait
		deadline=$((SECONDS + 600))
		continue
	fi
	[[ $state != running ]] && break
	if ((SECONDS > deadline)); then
		echo "launch-now: no pod of $job started within 10 minutes; see: ${kube[*]} describe job $job" >&2
		exit 1
	fi
	sleep 3
done

# The report: the run's summary, from its log. Under structured logs it is one JSON line of
# its own (the event with the summary.* fields), whose message is the summary; on a plain
# console, what the command printed after the run, from "Run <id> (...)" on, without any
# JSON log lines around it. For another command (-- COMMAND), all it printed besides the
# JSON log lines.
start_pattern='^Run [0-9]+ [(]'
[[ $explicit_command == true ]] && start_pattern='.'
echo
echo "==== report(s) of job $job"
mapfile -t pods < <(pods_json | jq -r '.items | sort_by(.metadata.creationTimestamp) | .[].metadata.name')
for pod in "${pods[@]}"; do
	index=$("${kube[@]}" get pod "$pod" -o jsonpath="{.metadata.annotations['batch\.kubernetes\.io/job-completion-index']}" 2>/dev/null || true)
	code=$("${kube[@]}" get pod "$pod" -o json | jq -r '[.status.containerStatuses[]? | select(.name == "reconciler") | .state.terminated.exitCode // empty][0] // "?"')
	echo "---- pod $pod${index:+ (partition $index)}: exit code $code"
	"${kube[@]}" logs "pod/$pod" -c reconciler 2>/dev/null \
		| jq -Rrn --arg start "$start_pattern" '
			foreach inputs as $line (false; . or ($line | test($start));
				if ($line | startswith("{")) then
					(($line | fromjson?) // {}) as $event
					| if ($event | type) == "object" and (($event.summary | type) == "object" or has("summary.status")?)
						then $event.message else empty end
				elif . then $line
				else empty end)' \
		|| true
done

state=$(job_state)
reason=$("${kube[@]}" get job "$job" -o json | jq -r '[.status.conditions[]? | select(.status == "True" and (.type == "Failed" or .type == "Complete")) | (.reason // .type) + (if .message then ": " + .message else "" end)][0] // ""')
echo "==== job $job: $state${reason:+ ($reason)}"
if [[ $state == complete ]]; then
	exit 0
fi
# the exit code of the last pod that ended, so that a caller sees 2, 3 or 4 as such
last=$(pods_json | jq -r '[.items[] | .status.containerStatuses[]? | select(.name == "reconciler") | .state.terminated | select(. != null)] | sort_by(.finishedAt) | last | .exitCode // 1')
exit "$last"
