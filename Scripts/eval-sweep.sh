#!/usr/bin/env bash
# The evaluation at several shares of interviews with a recorded location check (catalog A6,
# `observations.location_check`): the same seeded population at each share, everything else equal
# (the checks are drawn from a random stream of their own). Prints one Markdown table.
#   bash Scripts/eval-sweep.sh                       # 2,000 applicants, seeds 8 and 21
#   SIZE=10000 bash Scripts/eval-sweep.sh 8          # other sizes and seeds
#   RATES="0 0.5" bash Scripts/eval-sweep.sh 8
# Not a test: it prints numbers; nothing asserts on them. Docs/evaluation.md explains the columns.
set -euo pipefail
cd "$(dirname "$0")/.."
seeds=("$@")
[ ${#seeds[@]} -eq 0 ] && seeds=(8 21)
size=${SIZE:-2000}
rates=(${RATES:-0 0.25 0.5 1})
swift build -c release --product vetter >/dev/null 2>&1
bin=.build/release/vetter
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "| seed | location checks | recall at review | legitimate at review | precision at 2% fakes | off-hours recall | highest situation ratio | groups above 1.25× beyond chance |"
echo "|---|---|---|---|---|---|---|---|"
for seed in "${seeds[@]}"; do
  for rate in "${rates[@]}"; do
    "$bin" eval generate "$work/pop" --size "$size" --seed "$seed" --location-checks "$rate" >/dev/null
    "$bin" eval run "$work/pop" --swaps 0 --format json --json-out "$work/result.json" >/dev/null
    python3 - "$work/result.json" "$seed" "$rate" <<'PY'
import json, sys
e, seed, rate = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
pct = lambda r: f"{100 * r:.1f}%"
count = lambda r: f"{pct(r['rate'])} ({r['count']}/{r['of']})"
off = next((g["rate"] for g in e["recallByArchetype"] if g["group"] == "off-hours"), None)
situations = [g for g in e["fprBySituation"] if g.get("ratio") is not None]
top = max(situations, key=lambda g: g["ratio"], default=None)
top = f"{top['group']} {top['ratio']:.2f}×" if top else "undefined (no false positive)"
beyond = e["aboveBeyondChance"]
print(f"| {seed} | {rate} | {count(e['recallReview'])} | {count(e['fprReview'])} | {pct(e['precisionReviewAt2Percent'])} | "
      f"{count(off) if off else '–'} | {top} | "
      f"{', '.join(beyond) or 'none'} |")
PY
  done
done
