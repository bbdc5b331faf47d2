# watcher-link-reconciler: a run-once Spring Boot batch job on a Java 17 JRE.
#
#   DOCKER_BUILDKIT=1 docker build -t watcher-link-reconciler:dev .
#   docker run --rm watcher-link-reconciler:dev --help
#
# BuildKit's built-in Dockerfile frontend is enough (RUN --mount=type=cache): no "# syntax="
# line, which would fetch a frontend image from a registry. The base images are build
# arguments: CI, which reaches no public registry, passes images it made from Debian's packages.
#
# Stage 1 builds the layered jar, stage 2 extracts it, stage 3 is the runtime image: the
# layers in dependency order (dependencies change least, the application most), then a
# class-data-sharing (CDS) archive made by a training run on the runtime JRE itself.

ARG MAVEN_IMAGE=maven:3.9.11-eclipse-temurin-17
ARG RUNTIME_IMAGE=eclipse-temurin:17.0.17_10-jre-noble

FROM ${MAVEN_IMAGE} AS build
WORKDIR /build
COPY pom.xml .
COPY src ./src
# The tests need a PostgreSQL and a child JVM; CI runs them, the image build does not.
# The context holds no .git, so the build cannot ask git which commit it builds: give it,
#   docker build --build-arg GIT_COMMIT=$(git rev-parse HEAD) .
# and reports, logs, metrics and --version name it; without it they say "commit unknown".
ARG GIT_COMMIT=
RUN case "$GIT_COMMIT" in *[!0-9a-f]*) echo "GIT_COMMIT must be a commit id (hex), was '$GIT_COMMIT'" >&2; exit 1;; esac
RUN --mount=type=cache,target=/root/.m2 mvn -B -DskipTests package ${GIT_COMMIT:+-Dbuild.commit=$GIT_COMMIT}

FROM ${RUNTIME_IMAGE} AS extract
WORKDIR /extract
COPY --from=build /build/target/watcher-link-reconciler.jar watcher-link-reconciler.jar
# Spring Boot's tools jar mode, one directory per layer. Without --launcher: each layer holds
# plain jars (lib/ plus an application jar whose manifest Class-Path names them), the layout
# that CDS can archive. With --launcher the classes would be loaded from BOOT-INF directories
# by the launcher's own class loader, which a CDS archive does not cover.
RUN java -Djarmode=tools -jar watcher-link-reconciler.jar extract --layers --destination extracted

FROM ${RUNTIME_IMAGE}
ARG GIT_COMMIT=
LABEL org.opencontainers.image.revision=$GIT_COMMIT
RUN groupadd --system --gid 10001 reconciler \
	&& useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
		--shell /usr/sbin/nologin reconciler \
	&& mkdir /reports \
	&& chown 10001:10001 /reports
WORKDIR /app
COPY --from=extract /extract/extracted/dependencies/ ./
COPY --from=extract /extract/extracted/spring-boot-loader/ ./
COPY --from=extract /extract/extracted/snapshot-dependencies/ ./
COPY --from=extract /extract/extracted/application/ ./

# CDS training run (Spring Boot reference, "Class Data Sharing"): start the application with
# -Dspring.context.exit=onRefresh and dump the classes it loaded at exit.
#
# No database is reachable while an image builds. The context makes one connection during
# refresh: Spring Batch 6's JdbcDefaultBatchConfiguration.getDatabaseType() reads the database
# product from the connection's metadata when it creates the JobRepository, and Boot 4.0 offers
# no property to name it instead (spring.batch.jdbc.platform only picks the schema script,
# which this job does not run). So the training run points at a closed port on the build
# container's own loopback, stops at that bean with "cannot start" (exit code 2), and the JVM
# still writes the archive at exit; the step fails the build if no archive comes out. Every
# setting the start checks must be given, or the run stops at that check, before the context,
# and the archive holds half the classes (16 MB instead of 33 MB, as it did without
# WATCHER_API_KEY). CI
# (.ci/image-check.sh) builds this image and counts the classes a run loads from the archive.
#
# A JRE without its default base archive cannot write a dynamic one: make it first if absent.
RUN if [ ! -f "${JAVA_HOME}/lib/server/classes.jsa" ]; then java -Xshare:dump; fi \
	&& { SPRING_DATASOURCE_URL=jdbc:postgresql://127.0.0.1:9/cds-training \
		WATCHER_BASE_URL=http://127.0.0.1:9 WATCHER_API_KEY=cds-training \
		java -XX:ArchiveClassesAtExit=application.jsa -Dspring.context.exit=onRefresh \
			-jar watcher-link-reconciler.jar reconcile || true; } \
	&& test -s application.jsa

ENV RECONCILER_REPORT_DIR=/reports
USER 10001:10001

# Exec form, so the JVM is PID 1 and receives SIGTERM itself: the job then stops at the next
# chunk boundary and exits 1 (resumable). No -XX:+ExitOnOutOfMemoryError: the JVM exits 3 on
# it, which is this job's "safety brake" code; an OOM-killed container (137) is retried instead.
# C1 only (-XX:TieredStopAtLevel=1): the job waits on Watcher, and C2's compilations cost more
# CPU than they save on a small pod. Measured on 2 cores: a 4-pointer run 4.5 s -> 3.0 s (CPU
# 8.1 s -> 4.1 s); 100 000 pointers at 0 ms latency 920 -> 927 Watcher requests/s on 16 % less CPU.
ENTRYPOINT ["java", "-XX:SharedArchiveFile=application.jsa", "-XX:TieredStopAtLevel=1", "-XX:MaxRAMPercentage=75", "-jar", "watcher-link-reconciler.jar"]
CMD ["--help"]
