#!/usr/bin/env bash
# Benchmark (not a test): time Vetter's PDF extraction (`vetter parse`, release build) against
# poppler's own `pdftotext` over the corpus PDFs, and report pages per second for both.
# Usage: Scripts/benchmark-pdf.sh [rounds]   (needs poppler-utils; reads ../shared/corpus in place)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
corpus="$root/../shared/corpus/resumes"
rounds="${1:-5}"
command -v pdftotext >/dev/null || { echo "benchmark: pdftotext (poppler-utils) is needed" >&2; exit 1; }
(cd "$root" && swift build -c release --product vetter >/dev/null)
vetter="$root/.build/release/vetter"
mapfile -t pdfs < <(find "$corpus" -name '*.pdf' | sort)
pages=0
for f in "${pdfs[@]}"; do p=$(pdfinfo "$f" 2>/dev/null | awk '/^Pages:/ {print $2}'); pages=$((pages + ${p:-0})); done
time_it() { local start end; start=$(date +%s.%N); for _ in $(seq "$rounds"); do for f in "${pdfs[@]}"; do "$@" "$f" >/dev/null 2>&1 || true; done; done; end=$(date +%s.%N); echo "$end - $start" | bc; }
t_pdftotext=$(time_it bash -c 'pdftotext -q "$0" -')
t_vetter=$(time_it "$vetter" parse --format json)
total=$((pages * rounds))
printf 'files: %d  pages: %d  rounds: %d\n' "${#pdfs[@]}" "$pages" "$rounds"
printf 'pdftotext: %.2f s  %.1f pages/s\n' "$t_pdftotext" "$(echo "$total / $t_pdftotext" | bc -l)"
printf 'vetter parse (text + fields + metadata): %.2f s  %.1f pages/s\n' "$t_vetter" "$(echo "$total / $t_vetter" | bc -l)"
printf 'ratio vetter/pdftotext: %.2f (target <= 1.2)\n' "$(echo "$t_vetter / $t_pdftotext" | bc -l)"
