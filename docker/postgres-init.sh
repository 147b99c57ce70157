#!/bin/sh
# Runs once, when the PostgreSQL container initialises its data directory.
# Creates the login the API runs as; the migrations (run by the API as the owner,
# postgres) grant the charity_ledger_app role its least privileges.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<SQL
CREATE ROLE charity_ledger_app NOLOGIN;
CREATE ROLE ledger_api LOGIN PASSWORD '${LEDGER_API_PASSWORD}' IN ROLE charity_ledger_app;
SQL
