#!/usr/bin/env bash
# Imports generated ~100 MB feeds (a defanged plain list and a STIX 2.1 bundle) into a scratch
# store and reports time and peak memory. Not part of the test suite.
#   swift build -c release --product vetter && bash Scripts/bench-feed-import.sh [MB]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
mb="${1:-100}"
bin="${VETTER_BIN:-$here/.build/release/vetter}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 - "$work" "$mb" <<'PY'
import sys, json, uuid
work, mb = sys.argv[1], int(sys.argv[2])
target = mb * 1024 * 1024
with open(f"{work}/list.txt", "w") as f:
    n = 0; size = 0
    while size < target:
        line = f"persona{n}@example[.]com\n" if n % 2 else f"10[.]{(n >> 16) & 255}[.]{(n >> 8) & 255}[.]{n & 255}\n"
        f.write(line); size += len(line); n += 1
print(f"list.txt: {n} lines")
with open(f"{work}/bundle.json", "w") as f:
    f.write('{"type": "bundle", "id": "bundle--%s", "objects": [' % uuid.uuid4())
    n = 0; size = 0
    while size < target:
        o = {"type": "indicator", "spec_version": "2.1", "id": f"indicator--{uuid.uuid4()}", "created": "2025-01-01T00:00:00.000Z",
             "modified": "2025-01-01T00:00:00.000Z", "valid_from": "2025-01-01T00:00:00Z", "pattern_type": "stix", "confidence": 50,
             "name": "generated", "pattern": f"[email-addr:value = 'persona{n}@example.com'] OR [domain-name:value = 'd{n}.example.net']"}
        s = ("," if n else "") + json.dumps(o)
        f.write(s); size += len(s); n += 1
    f.write("]}")
print(f"bundle.json: {n} indicators")
PY
ls -l "$work"; echo "bench-key-0123456789abcdef" > "$work/key"
for feed in ${FEEDS:-list.txt bundle.json}; do
    echo "== $feed"
    /usr/bin/time -f "wall %e s, peak RSS %M KB" "$bin" feeds import "$work/$feed" --store "$work/s.sqlite" --key-file "$work/key"
done
"$bin" feeds list --store "$work/s.sqlite" --key-file "$work/key"
ls -l "$work/s.sqlite"
