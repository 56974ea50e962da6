#!/usr/bin/env bash
# Lookups per second through VetterNetwork's Swift wrapper against libmaxminddb called from C, on
# the same database and addresses. Not a test: timing varies by machine. Target: Swift within 1.3x of C.
# Usage: Scripts/bench-mmdb.sh [DB] [COUNT] [PASSES]   (default DB: Data/geoip/GeoLite2-City.mmdb)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
db="${1:-$root/Data/geoip/GeoLite2-City.mmdb}"
count="${2:-200000}"
passes="${3:-5}"
[ -s "$db" ] || { echo "bench-mmdb: no database at $db (run Scripts/fetch-ip-data.sh or pass one)" >&2; exit 1; }
out="$root/.build/bench-mmdb"
mkdir -p "$out"
# Deterministic pseudo-random IPv4 addresses (LCG), a tenth IPv6 from 2001:db8::/32 and 2a00::/12.
awk -v n="$count" 'BEGIN { s = 12345; for (i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648; a = int(s / 8388608) % 224; if (a == 0 || a == 10 || a == 127) a = 8
    s = (s * 1103515245 + 12345) % 2147483648; b = int(s / 8388608)
    s = (s * 1103515245 + 12345) % 2147483648; c = int(s / 8388608)
    s = (s * 1103515245 + 12345) % 2147483648; d = int(s / 8388608)
    if (i % 10 == 9) printf "2a0%x:%x%02x::%x\n", a % 16, b, c, d; else printf "%d.%d.%d.%d\n", a, b, c, d } }' > "$out/addresses.txt"
cc -O2 -o "$out/bench-c" "$root/Benchmarks/mmdb/bench.c" $(pkg-config --cflags --libs libmaxminddb)
swiftc -O -wmo -parse-as-library -module-name MMDBBench -I "$root/Sources/CMaxMindDB" $(pkg-config --cflags-only-I libmaxminddb | sed 's/-I/-Xcc -I/g') \
    "$root/Sources/VetterNetwork/MaxMindDatabase.swift" "$root/Sources/VetterNetwork/IPAddress.swift" \
    "$root/Benchmarks/mmdb/main.swift" -o "$out/bench-swift" -lmaxminddb 2>&1 | grep -v "warning:" || true
echo "database: $db; $count addresses x $passes passes"
"$out/bench-c" "$db" "$out/addresses.txt" 1 >/dev/null    # warm the page cache
"$out/bench-swift" "$db" "$out/addresses.txt" 1 >/dev/null
# Three rounds, interleaved, best of each (the machine is shared).
best() { sort -t= -k6 -n | tail -1; }
cs=""; cp=""; sw=""
for round in 1 2 3; do
    cs+="$("$out/bench-c" "$db" "$out/addresses.txt" "$passes" string)"$'\n'
    cp+="$("$out/bench-c" "$db" "$out/addresses.txt" "$passes" sockaddr)"$'\n'
    sw+="$("$out/bench-swift" "$db" "$out/addresses.txt" "$passes")"$'\n'
done
rate() { sed 's/.*lookups_per_second=\([0-9]*\).*/\1/'; }
c1=$(echo -n "$cs" | rate | sort -n | tail -1); c2=$(echo -n "$cp" | rate | sort -n | tail -1); s=$(echo -n "$sw" | rate | sort -n | tail -1)
echo -n "$cs$cp$sw"
echo "best lookups/s: C MMDB_lookup_string $c1, C inet_pton+MMDB_lookup_sockaddr $c2, Swift wrapper $s"
awk -v a="$c1" -v b="$c2" -v s="$s" 'BEGIN { c = (a > b ? a : b); printf "fastest C / Swift: %.2fx (target <= 1.30x)\n", c / s }'
