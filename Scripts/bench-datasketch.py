#!/usr/bin/env python3
"""Compares PyPI datasketch's MinHash LSH with vetter's on the same shingles and thresholds.

    swift build -c release --product vetter-store-bench
    .build/release/vetter-store-bench export 10000 --out /tmp/vetter-shingles.txt
    .build/release/vetter-store-bench lsh --in /tmp/vetter-shingles.txt
    python3 -m venv /tmp/ds-venv && /tmp/ds-venv/bin/pip install -q datasketch
    /tmp/ds-venv/bin/python Scripts/bench-datasketch.py /tmp/vetter-shingles.txt

Same procedure as `vetter-store-bench lsh`: each set is queried, then inserted; 120
permutations, threshold 0.8, candidates verified by estimated Jaccard >= 0.8. Planted
near-duplicates are the sets whose index i > 100 has i % 50 == 13 (see the bench's population).
"""
import struct
import sys
import time

from datasketch import MinHash, MinHashLSH

path = sys.argv[1] if len(sys.argv) > 1 else "/tmp/vetter-shingles.txt"
sets = []
with open(path) as f:
    for line in f:
        parts = line.split()
        sets.append((parts[0], [struct.pack("<Q", int(h, 16)) for h in parts[1:]]))

start = time.perf_counter()
lsh = MinHashLSH(threshold=0.8, num_perm=120)
hashes = []
found = []
for index, (name, shingles) in enumerate(sets):
    m = MinHash(num_perm=120)
    m.update_batch(shingles)
    for other in lsh.query(m):
        j = int(other)
        if m.jaccard(hashes[j]) >= 0.8:
            found.append((index, j))
    lsh.insert(str(index), m)
    hashes.append(m)
seconds = time.perf_counter() - start
planted = {i for i in range(101, len(sets)) if i % 50 == 13}
hit = len({i for i, _ in found} & planted)
print(f"datasketch MinHashLSH: {len(sets)} sets in {seconds:.2f} s; {len(found)} pairs >= 0.8; "
      f"planted near-duplicates found {hit}/{len(planted)}")
