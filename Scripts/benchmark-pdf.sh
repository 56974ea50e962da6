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
pdftotext_stdout() { pdftotext -q "$1" -; }   # a shell function, so no extra process per file
t_pdftotext=$(time_it pdftotext_stdout)
t_vetter=$(time_it "$vetter" parse --format json)
# The same extraction with one vetter process for all files: what a batch or a server pays, without
# the ~0.1 s start-up of a Swift program that loads Foundation's ICU data and the document libraries.
start=$(date +%s.%N); for _ in $(seq "$rounds"); do "$vetter" parse --format json "${pdfs[@]}" >/dev/null 2>&1 || true; done; end=$(date +%s.%N)
t_vetter_one=$(echo "$end - $start" | bc)
start=$(date +%s.%N); for _ in $(seq "$rounds"); do "$vetter" --version >/dev/null; done; end=$(date +%s.%N)
t_start=$(echo "($end - $start) / $rounds" | bc -l)
total=$((pages * rounds))
printf 'files: %d  pages: %d  rounds: %d\n' "${#pdfs[@]}" "$pages" "$rounds"
printf 'pdftotext: %.2f s  %.1f pages/s\n' "$t_pdftotext" "$(echo "$total / $t_pdftotext" | bc -l)"
printf 'vetter parse (text + fields + metadata): %.2f s  %.1f pages/s\n' "$t_vetter" "$(echo "$total / $t_vetter" | bc -l)"
printf 'vetter parse, one process for all files: %.2f s  %.1f pages/s\n' "$t_vetter_one" "$(echo "$total / $t_vetter_one" | bc -l)"
printf 'vetter start-up alone (--version): %.3f s per process\n' "$t_start"
printf 'ratio vetter/pdftotext, a process per file: %.2f\n' "$(echo "$t_vetter / $t_pdftotext" | bc -l)"
printf 'ratio vetter/pdftotext, one vetter process (pdftotext still a process per file): %.2f (target <= 1.2)\n' "$(echo "$t_vetter_one / $t_pdftotext" | bc -l)"
# CPU time (user + system), which a loaded machine disturbs less than wall time: pdftotext with a
# process per file (as in the ratio above) against one vetter process for all files.
cpu() { /usr/bin/time -f '%U %S' "$@" 2>&1 >/dev/null | tail -1 | awk '{print $1 + $2}'; }
list=$(printf '%q ' "${pdfs[@]}")
c_pdftotext=$(cpu bash -c "for _ in \$(seq $rounds); do for f in $list; do pdftotext -q \"\$f\" - ; done; done")
c_vetter=$(cpu bash -c "for _ in \$(seq $rounds); do '$vetter' parse --format json $list; done")
printf 'CPU: pdftotext %.2f s, vetter one process %.2f s: ratio %.2f (target <= 1.2)\n' "$c_pdftotext" "$c_vetter" "$(echo "$c_vetter / $c_pdftotext" | bc -l)"
