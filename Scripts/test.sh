#!/usr/bin/env bash
# Installs what is missing, builds everything and runs the whole test suite.
# This is the README's test command and what CI runs (.ci/run).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash Scripts/setup.sh
swift build --build-tests
swift test --skip-build
