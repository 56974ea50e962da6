#!/usr/bin/env bash
# Installs what is missing, builds everything and runs the whole test suite.
# This is the README's test command and what CI runs (.ci/run).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash Scripts/setup.sh
swift build --build-tests
# The identity-store suite also runs against a real PostgreSQL server on loopback.
export VETTER_TEST_POSTGRES_URL="${VETTER_TEST_POSTGRES_URL:-$(bash Scripts/start-postgres.sh)}"
swift test --skip-build
