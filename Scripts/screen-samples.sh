#!/usr/bin/env bash
# Installs what is missing, builds `vetter`, screens every sample application and prints one
# line per sample, then the full report of one of them. The README's first command.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash Scripts/setup.sh
bash Scripts/fetch-ip-data.sh   # default IP database (GeoLite2-City 2018, CC BY-SA 3.0) into Data/geoip/
swift build --product vetter
vetter=".build/debug/vetter"
for f in Samples/applications/*.json; do
    summary=$("$vetter" screen "$f" --format json | python3 -c 'import json,sys; r=json.load(sys.stdin); print("%-9s %5g  %s" % (r["band"], r["score"], " ".join(x["id"] for x in r["findings"])))')
    printf '%-48s %s\n' "$(basename "$f")" "$summary"
done
echo
"$vetter" screen Samples/applications/escalate-persona.json
