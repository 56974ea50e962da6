#!/usr/bin/env bash
# Benchmarks (not tests), issue 8. Usage: Scripts/bench.sh [runs]   (default 20)
#  1. end-to-end `vetter screen` latency per sample application (median wall time over runs, peak RSS
#     from /usr/bin/time -v), without and with a fresh identity store;
#  2. `vetter eval` throughput on a generated population of 500 applicants (screenings per second,
#     peak RSS), no name swaps;
#  3. PDF parsing against pdftotext: Scripts/benchmark-pdf.sh;
#  4. PyPI pyresparser on the same corpus résumés, speed and field accuracy (Scripts/bench-pyresparser.sh),
#     when a Python 3.8 is available (see Docs/evaluation.md, 'Peers').
# Release build. Needs /usr/bin/time (Debian package `time`) and poppler-utils.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-20}"
cd "$root"
swift build -c release --product vetter >/dev/null
vetter="$root/.build/release/vetter"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT

# median of numbers on stdin
median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
# run "$@" $runs times; print "median_ms peak_kb"
measure() {
  local times=() peak=0
  for _ in $(seq "$runs"); do
    /usr/bin/time -v -o "$work/t" "$@" >/dev/null 2>&1 || true
    times+=("$(awk -F': ' '/Elapsed \(wall clock\)/ {split($2,a,":"); print (a[1]*60+a[2])*1000}' "$work/t")")
    kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/t"); [ "$kb" -gt "$peak" ] && peak=$kb
  done
  printf '%s %s\n' "$(printf '%s\n' "${times[@]}" | median)" "$peak"
}

echo "## screen latency (release, $runs runs each; median ms, peak RSS MiB)"
printf '| sample | no store | with store |\n|---|---|---|\n'
for f in Samples/applications/*.json; do
  read -r m1 p1 < <(measure "$vetter" screen "$f")
  rm -f "$work/s.sqlite" "$work/s.sqlite.key"
  read -r m2 p2 < <(measure "$vetter" screen "$f" --store "$work/s.sqlite" --no-record)
  printf '| %s | %.0f ms, %.1f MiB | %.0f ms, %.1f MiB |\n' "$(basename "$f")" "$m1" "$(echo "$p1/1024" | bc -l)" "$m2" "$(echo "$p2/1024" | bc -l)"
done

echo; echo "## eval throughput (500 applicants, no swaps)"
"$vetter" eval generate "$work/pop" --size 500 --seed 8 >/dev/null
/usr/bin/time -v -o "$work/t" "$vetter" eval "$work/pop" --swaps 0 >/dev/null
secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {split($2,a,":"); print a[1]*60+a[2]}' "$work/t")
kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/t")
printf '500 screenings in %.1f s: %.1f per second, peak %.1f MiB\n' "$secs" "$(echo "500/$secs" | bc -l)" "$(echo "$kb/1024" | bc -l)"

echo; echo "## PDF parsing vs pdftotext"
bash Scripts/benchmark-pdf.sh 3 || echo "(benchmark-pdf.sh failed: see its message)"

echo; echo "## pyresparser (PyPI) on the same corpus résumés: Scripts/bench-pyresparser.sh"
if command -v python3.8 >/dev/null || [ -x "${PYTHON38:-$HOME/.pyenv/versions/3.8.18/bin/python}" ]; then
  VETTER_BIN="$vetter" bash Scripts/bench-pyresparser.sh || echo "(bench-pyresparser.sh failed: see its message)"
else
  echo "No Python 3.8 here: pyresparser 1.0.6 needs spaCy 2, whose wheels stop at Python 3.8 (see Docs/evaluation.md, 'Peers')."
fi
