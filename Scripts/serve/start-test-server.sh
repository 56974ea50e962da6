#!/usr/bin/env bash
# Starts `vetter serve` on 127.0.0.1 over a throwaway store and prints, one per line:
#   PID, BASE_URL, RECRUITER_TOKEN, SECURITY_TOKEN, ADMIN_TOKEN, DIRECTORY
# Usage: Scripts/serve/start-test-server.sh [PORT] [BINARY]   (stop it with: kill PID)
set -euo pipefail
port="${1:-18080}"
vetter="${2:-.build/debug/vetter}"
dir="$(mktemp -d /tmp/vetter-serve.XXXXXX)"
store="$dir/store.sqlite"
export VETTER_HMAC_KEY="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
recruiter="$("$vetter" tokens create --role recruiter --label script --store "$store" 2>/dev/null)"
security="$("$vetter" tokens create --role security --label script --store "$store" 2>/dev/null)"
admin="$("$vetter" tokens create --role admin --label script --store "$store" 2>/dev/null)"
printf 'gh-script-secret' > "$dir/greenhouse.secret"
printf 'lever-script-secret' > "$dir/lever.secret"
"$vetter" serve --port "$port" --store "$store" --greenhouse-secret-file "$dir/greenhouse.secret" --lever-secret-file "$dir/lever.secret" --log-level warning \
    > "$dir/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$port/health" > /dev/null 2>&1 && break
    sleep 0.1
done
curl -fs "http://127.0.0.1:$port/health" > /dev/null
printf '%s\n' "$pid" "http://127.0.0.1:$port" "$recruiter" "$security" "$admin" "$dir"
