#!/usr/bin/env bash
# CI's base images, made from Debian's packages only: no public container registry is
# reachable from CI. A minimal Debian 12 and 13 are debootstrapped and imported, and every
# other image is derived from one of them with apt-get. Each is built once per CI run and then
# reused by every stage.
#
#   wlr-ci/bookworm   Debian 12 minbase + ca-certificates, trusting what this machine trusts
#   wlr-ci/jre17      + openjdk-17-jre-headless   the Dockerfile's RUNTIME_IMAGE; WireMock runs on it
#   wlr-ci/jdk17      + openjdk-17-jdk-headless
#   wlr-ci/maven      jdk17 + maven                the Dockerfile's MAVEN_IMAGE
#   wlr-ci/newcomer   jdk17 + git, run as an ordinary user: a newcomer's bare machine
#   wlr-ci/trixie     Debian 13 minbase, the same way
#   wlr-ci/postgres   trixie + postgresql (Debian's, 17: the major version of the tests'
#                     embedded server and of postgres:17), started like the official image
set -euo pipefail
if [[ ${1:-} == -h || ${1:-} == --help ]]; then
	cat <<'EOF_USAGE'
Usage: .ci/images/build.sh [IMAGE...]

Builds CI's base images from Debian's packages, each IMAGE after the ones it names before it.
Default: all, the Debian 12 chain (bookworm jre17 jdk17 maven newcomer) beside the Debian 13
one (trixie postgres). Needs root, debootstrap and a Docker engine.
EOF_USAGE
	exit 0
fi
self=$(realpath "$0")
cd "$(dirname "$self")"

docker=${DOCKER:-/usr/bin/docker}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
security_mirror=${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}

bootstrap() {
	local suite=$1 root
	root=$(mktemp -d /tmp/wlr-ci-rootfs.XXXXXX)
	# shellcheck disable=SC2064 # the path is fixed now
	trap "rm -rf '$root'" RETURN
	echo "debootstrap --variant=minbase $suite ($mirror)"
	debootstrap --variant=minbase --include=ca-certificates "$suite" "$root" "$mirror" >"$root.log" 2>&1 || {
		tail -20 "$root.log" >&2
		return 1
	}
	rm -f "$root.log"
	cat >"$root/etc/apt/sources.list" <<-SOURCES
		deb $mirror $suite main
		deb $mirror $suite-updates main
		deb $security_mirror $suite-security main
	SOURCES
	# what Debian's own container images set: no services started by package scripts, no
	# recommended packages, no package cache left in a layer
	printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
	chmod 755 "$root/usr/sbin/policy-rc.d"
	echo 'APT::Install-Recommends "false";' >"$root/etc/apt/apt.conf.d/90no-recommends"
	echo 'DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb || true"; };' >"$root/etc/apt/apt.conf.d/90clean"
	# Trust the certificate authorities this machine added to Debian's (a TLS-inspecting
	# proxy's, for example): containers reach Maven Central over https as the host does.
	# In the Debian place for them, so that every later trust store (Java's cacerts, made
	# when a JDK is installed) includes them too.
	if compgen -G '/usr/local/share/ca-certificates/*' >/dev/null; then
		cp -rL /usr/local/share/ca-certificates/. "$root/usr/local/share/ca-certificates/"
		chroot "$root" update-ca-certificates >/dev/null 2>&1
	fi
	rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin
	tar -C "$root" -c . | "$docker" import --change 'CMD ["bash"]' - "wlr-ci/$suite" >/dev/null
}

derive() {
	local name=$1
	echo "docker build wlr-ci/$name"
	"$docker" build -q -t "wlr-ci/$name" -f "$name.Dockerfile" . >/dev/null
}

if [[ $# -eq 0 ]]; then
	# the two Debian releases' chains side by side: most of the time goes to downloads
	trixie_log=$(mktemp /tmp/wlr-ci-images.XXXXXX)
	"$self" trixie postgres >"$trixie_log" 2>&1 &
	trixie=$!
	status=0
	"$self" bookworm jre17 jdk17 maven newcomer || status=$?
	wait "$trixie" || status=$?
	cat "$trixie_log"
	rm -f "$trixie_log"
	exit "$status"
fi
for image in "$@"; do
	started=$SECONDS
	case $image in
		bookworm | trixie) bootstrap "$image" ;;
		*) derive "$image" ;;
	esac
	echo "  wlr-ci/$image: $("$docker" image inspect -f '{{.Size}}' "wlr-ci/$image" | numfmt --to=iec) in $((SECONDS - started)) s"
done
