#!/usr/bin/env bash
# The official postgres image's start, in short: on an empty data directory, initdb with
# POSTGRES_USER / POSTGRES_PASSWORD, create POSTGRES_DB on a server listening only on its
# socket, stop it, then run the command (postgres -c ...) listening on every address.
# Like the official image it logs "ready to accept connections" twice, which is what
# Testcontainers waits for.
set -euo pipefail
bin=$(echo /usr/lib/postgresql/*/bin)
export PATH=$bin:$PATH

if [[ ${1:-postgres} == postgres && ! -s $PGDATA/PG_VERSION ]]; then
	: "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD must be set}"
	user=${POSTGRES_USER:-postgres}
	database=${POSTGRES_DB:-$user}
	initdb --username="$user" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") --auth-local=trust \
		--auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >/dev/null
	{
		echo "listen_addresses = '*'"
	} >>"$PGDATA/postgresql.conf"
	echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
	pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start
	if [[ $database != postgres ]]; then
		psql -v ON_ERROR_STOP=1 --username="$user" --dbname=postgres -q \
			-c "CREATE DATABASE \"$database\" OWNER \"$user\""
	fi
	pg_ctl -D "$PGDATA" -m fast -w stop
fi
if [[ ${1:-postgres} == postgres ]]; then
	shift || true
	exec postgres "$@"
fi
exec "$@"
