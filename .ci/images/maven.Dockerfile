# The Maven image's stand-in (CI passes it as MAVEN_IMAGE): Debian's JDK 17 and Maven, as root.
FROM wlr-ci/jdk17
RUN apt-get update -q \
	&& DEBIAN_FRONTEND=noninteractive apt-get install -y -q maven \
	&& rm -rf /var/lib/apt/lists/*
