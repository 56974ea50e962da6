#!/usr/bin/env bash
# Benchmark `vetter batch` (release build): applications per second and peak memory for
# synthetic JSON Lines batches with text résumés, with and without an identity store.
#   bash Scripts/bench-batch.sh              # 10,000 and 100,000 records
#   bash Scripts/bench-batch.sh 2000         # other sizes
#   WORDS=260 bash Scripts/bench-batch.sh    # résumés with 260 more words of the person's own (below)
# Not a test: it prints numbers; nothing asserts on them.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(10000 100000)
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian package: time)" >&2; exit 1; }
swift build -c release --product vetter >/dev/null
bin=.build/release/vetter
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# By default each résumé is ten lines of the same few employers, titles and years: every shingle of it
# soon becomes common, so the near-duplicate look-up is skipped (it could match nothing). WORDS=N adds
# N words of the person's own under "Projects" (drawn from a Zipf-distributed 5,000-word vocabulary,
# as in vetter-store-bench), so the look-up does its full work, as it does for real résumés.
generate() {  # N FILE: synthetic records, each with an inline text résumé; 1 in 50 reuses the phone of an earlier
  # applicant (a pair under two names); submission IPs are random /64s of the IPv6 documentation prefix 2001:db8::/32
  # (applicants on many networks, as in a real export; a shared /24 for all would make every record match every other)
  python3 - "$1" "$2" "${WORDS:-0}" <<'PY'
import bisect, itertools, json, random, sys
n, path, extra = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
rng = random.Random(7)
vocabulary = [a + b + c for a in ["ka", "lo", "mi", "ter", "van", "dor", "el", "shu", "ri", "po", "nex", "tal", "gra", "bel", "sim", "qua", "zen", "fo"]
              for b in ["ka", "lo", "mi", "ter", "van", "dor", "el", "shu", "ri", "po", "nex", "tal", "gra", "bel", "sim", "qua", "zen", "fo"]
              for c in ["", "n", "s", "r", "l"]][:5000]
cumulative = list(itertools.accumulate(1 / (k + 1) for k in range(len(vocabulary))))
def own_words(count):
    return " ".join(vocabulary[min(bisect.bisect_left(cumulative, rng.random() * cumulative[-1]), len(vocabulary) - 1)] for _ in range(count))
employers = ["Northwind", "Contoso", "Fabrikam", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay"]
phones = []
syllables = ["ka", "lo", "mi", "ter", "van", "dor", "el", "shu", "ri", "po", "nex", "tal", "gra", "bel", "sim", "qua", "zen", "fo"]
def word():
    return "".join(rng.choice(syllables) for _ in range(3)).capitalize()
with open(path, "w") as f:
    for i in range(n):
        phone = f"+1 503 {rng.randrange(200, 1000)} {rng.randrange(10000):04d}"
        if i % 50 == 0 and i > 0:
            phone = phones[rng.randrange(len(phones))]
        phones.append(phone)
        jobs = "\n".join(f"{rng.choice(employers)} - Software Engineer - {2010 + k * 3}-{2012 + k * 3}" for k in range(4))
        name = f"{word()} {word()}"
        resume = f"{name}\nSoftware engineer\n\nExperience\n{jobs}\n\nSkills\nSwift, Go, SQL, {rng.choice(['Kubernetes', 'React', 'Rust'])}\n"
        if extra:
            resume += "\nProjects\n" + "\n".join(own_words(extra // 4) for _ in range(4)) + "\n"
        record = {"schema": "vetter.application/v1", "id": f"bench-{i}", "received_at": "2026-10-01T10:00:00Z",
                  "candidate": {"name": name, "emails": [f"c{i}@example.com"], "phones": [phone],
                                "address": {"city": "Portland", "region": "OR", "country": "US"}, "claimed_timezone": "America/Los_Angeles"},
                  "resume": {"text": resume},
                  "events": [{"type": "application_submitted", "at": "2026-10-01T17:00:00Z", "ip": f"2001:db8:{rng.randrange(65536):x}:{rng.randrange(65536):x}::1", "browser_timezone": "America/Los_Angeles"}]}
        f.write(json.dumps(record) + "\n")
PY
}

run() {  # LABEL N ARGS...   ("no-store" still checks reuse within the batch, in a temporary store)
  local label=$1 n=$2; shift 2
  rm -f "$work/out.jsonl" "$work"/store.sqlite*
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -v "$bin" batch "$work/in-$n.jsonl" --output "$work/out.jsonl" --quiet "$@" 2>"$work/time.txt" || true
  end=$(date +%s.%N)
  local lines rss
  lines=$(wc -l <"$work/out.jsonl")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
  printf '%-10s %8d records  %8d lines  %7.1f s  %8.1f applications/s  peak RSS %6.1f MiB\n' \
    "$label" "$n" "$lines" "$(echo "$end - $start" | bc)" "$(echo "$lines / ($end - $start)" | bc -l)" "$(echo "$rss / 1024" | bc -l)"
}

echo "cores: $(nproc)   $(swift --version 2>/dev/null | head -1)   résumé words added: ${WORDS:-0}"
for n in "${sizes[@]}"; do
  generate "$n" "$work/in-$n.jsonl"
  run "no-store" "$n"
  VETTER_HMAC_KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n') run "sqlite" "$n" --store "$work/store.sqlite"
done
