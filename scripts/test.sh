#!/usr/bin/env bash
# Sets up and runs every test: installs the Debian and Python packages (scripts/setup.sh), starts a
# throwaway PostgreSQL cluster on 127.0.0.1 so that the registry tests run on PostgreSQL as well as
# on SQLite, runs `swift test` (arguments are passed on, e.g. --filter Import), and stops the cluster.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
OCOPTRACE_TEST_POSTGRES=$(bash scripts/postgres-cluster.sh start)
export OCOPTRACE_TEST_POSTGRES
trap 'bash scripts/postgres-cluster.sh stop' EXIT
swift test "$@"
