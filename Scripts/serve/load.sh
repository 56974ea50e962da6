#!/usr/bin/env bash
# A load run of screenings on loopback with wrk (Debian): POST /v1/screenings with one sample
# record for DURATION seconds on CONNECTIONS connections; prints wrk's latency distribution
# (p50/p90/p99), then checks that every 201 became a stored screening.
# Usage: Scripts/serve/load.sh [DURATION] [CONNECTIONS] [BINARY]   (release build advised)
set -euo pipefail
cd "$(dirname "$0")/../.."
duration="${1:-20}"; connections="${2:-4}"; vetter="${3:-.build/release/vetter}"
mapfile -t s < <(bash Scripts/serve/start-test-server.sh 18082 "$vetter")
trap 'kill "${s[0]}" 2>/dev/null || true' EXIT
lua="$(mktemp /tmp/vetter-wrk.XXXXXX.lua)"
body="$(python3 -c 'import json,sys; print(json.dumps(json.load(open("Samples/applications/review-onboarding-changes.json"))))')"
cat > "$lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer ${s[2]}"
wrk.body = [==[$body]==]
created = 0
response = function(status, headers, body) if status ~= 201 then io.stderr:write("status " .. status .. "\n") end end
LUA
wrk -t2 -c"$connections" -d"${duration}s" --latency -s "$lua" "${s[1]}/v1/screenings"
stored="$(curl -fs "${s[1]}/metrics" | awk '/^vetter_screenings_stored /{print $2}')"
ok="$(curl -fs "${s[1]}/metrics" | awk -F' ' '/^vetter_http_requests_total\{route="\/v1\/screenings",status="201"\}/{print $2}')"
echo "201 responses: $ok; screenings stored: $stored"
[ "$ok" = "$stored" ] || { echo "LOST SCREENINGS"; exit 1; }
