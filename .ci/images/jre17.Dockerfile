# The runtime image's stand-in: Debian's Java 17 JRE (CI passes it as RUNTIME_IMAGE).
FROM wlr-ci/bookworm
RUN apt-get update -q \
	&& DEBIAN_FRONTEND=noninteractive apt-get install -y -q openjdk-17-jre-headless \
	&& rm -rf /var/lib/apt/lists/*
ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64
