# PostgreSQL from Debian's package, started the way the official postgres image is (the
# POSTGRES_USER, POSTGRES_PASSWORD and POSTGRES_DB variables, "postgres -c ..." as the
# command), so that Testcontainers' PostgreSQLContainer can take it as a substitute.
# Debian 13's package is PostgreSQL 17, the major version the tests run on elsewhere.
FROM wlr-ci/trixie
RUN mkdir -p /etc/postgresql-common/createcluster.d \
	&& echo 'create_main_cluster = false' >/etc/postgresql-common/createcluster.d/no-main-cluster.conf \
	&& apt-get update -q \
	&& DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql \
	&& rm -rf /var/lib/apt/lists/* \
	&& mkdir -p /var/lib/postgresql/data /var/run/postgresql \
	&& chown -R postgres:postgres /var/lib/postgresql /var/run/postgresql
COPY postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
ENV PGDATA=/var/lib/postgresql/data
USER postgres
EXPOSE 5432
STOPSIGNAL SIGINT
ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]
CMD ["postgres"]
