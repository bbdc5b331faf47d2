FROM wlr-ci/jre17
RUN apt-get update -q \
	&& DEBIAN_FRONTEND=noninteractive apt-get install -y -q openjdk-17-jdk-headless \
	&& rm -rf /var/lib/apt/lists/*
