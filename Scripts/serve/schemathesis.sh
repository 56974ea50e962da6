#!/usr/bin/env bash
# Runs schemathesis (PyPI) against Config/openapi.yaml and a live `vetter serve` on loopback,
# with a security token; fails on any 5xx or response that does not match the document.
# Usage: Scripts/serve/schemathesis.sh [MAX_EXAMPLES]   (needs `swift build` first)
set -euo pipefail
cd "$(dirname "$0")/../.."
venv="${VETTER_VENV:-/tmp/serve-venv}"
[ -x "$venv/bin/schemathesis" ] || { python3 -m venv "$venv"; "$venv/bin/pip" install -q schemathesis; }
mapfile -t s < <(bash Scripts/serve/start-test-server.sh 18081)
trap 'kill "${s[0]}" 2>/dev/null || true' EXIT
"$venv/bin/schemathesis" run Config/openapi.yaml --url "${s[1]}" \
    --header "Authorization: Bearer ${s[4]}" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --max-examples "${1:-50}" --workers 1
