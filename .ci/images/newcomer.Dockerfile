# A newcomer's machine: a JDK 17 and git, nothing else (no Maven, no curl, no Chromium, no
# Docker), and an ordinary user with an empty home, so an empty ~/.m2.
FROM wlr-ci/jdk17
RUN apt-get update -q \
	&& DEBIAN_FRONTEND=noninteractive apt-get install -y -q git \
	&& rm -rf /var/lib/apt/lists/* \
	&& useradd --create-home --uid 1000 --shell /bin/bash newcomer
USER newcomer
WORKDIR /home/newcomer
