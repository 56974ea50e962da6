#!/usr/bin/env bash
# Starts vetter serve on loopback, seeds it with sample applications, and runs the review queue
# flow in headless Chromium (screenshots to Docs/screenshots/). Needs `apt-get install chromium`
# and `pip install playwright` (in VETTER_VENV, default /tmp/serve-venv).
set -euo pipefail
cd "$(dirname "$0")/../.."
venv="${VETTER_VENV:-/tmp/serve-venv}"
mapfile -t s < <(bash Scripts/serve/start-test-server.sh 18083 "${1:-.build/debug/vetter}")
trap 'kill "${s[0]}" 2>/dev/null || true' EXIT
mkdir -p Docs/screenshots
"$venv/bin/python" Scripts/serve/browser-flow.py "${s[1]}" "${s[2]}" "${s[3]}" Docs/screenshots
