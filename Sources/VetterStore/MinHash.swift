import Foundation

/// Word shingles of résumé text, hashed with a key-derived seed (so stored values cannot be
/// checked against guessed phrases without the organisation key).
public enum Shingles {
    /// The words of a text, as slices of it (for quoting), letters and digits only.
    public static func words(_ text: String) -> [Substring] {
        // ASCII text (most résumés) is split on its bytes: for ASCII, `Character.isLetter` and
        // `isNumber` are exactly A-Z, a-z and 0-9, so the words are the same, found faster.
        let utf8 = text.utf8
        if utf8.allSatisfy({ $0 < 0x80 }) {
            var out: [Substring] = []
            var start: String.Index?
            var index = utf8.startIndex
            while index != utf8.endIndex {
                let byte = utf8[index]
                let wordByte = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a)
                if wordByte {
                    if start == nil { start = index }
                } else if let first = start {
                    out.append(text[first..<index])
                    start = nil
                }
                index = utf8.index(after: index)
            }
            if let first = start { out.append(text[first..<utf8.endIndex]) }
            return out
        }
        return text.split(whereSeparator: { !($0.isLetter || $0.isNumber) })
    }

    /// Keyed 64-bit hashes of every run of ``IdentityRecord/shingleWords`` words, with the index
    /// of the run's first word (the first occurrence).
    public static func hashes(_ words: [Substring], key: IdentityKey) -> [UInt64: Int] {
        hashes(words, seed: key.shingleSeed)
    }

    public static func hashes(_ words: [Substring], seed: UInt64, size: Int = IdentityRecord.shingleWords) -> [UInt64: Int] {
        guard words.count >= size else { return [:] }
        let wordHashes = words.map { word -> UInt64 in
            var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ seed
            // ASCII fast path: `lowercased()` of ASCII maps A-Z to a-z and nothing else.
            var ascii = true
            for byte in word.utf8 {
                guard byte < 0x80 else { ascii = false; break }
                let lower = byte >= 0x41 && byte <= 0x5a ? byte | 0x20 : byte
                h = (h ^ UInt64(lower)) &* 0x0000_0100_0000_01b3
            }
            if !ascii {
                h = 0xcbf2_9ce4_8422_2325 ^ seed
                for scalar in word.lowercased().unicodeScalars {
                    h = (h ^ UInt64(scalar.value)) &* 0x0000_0100_0000_01b3
                }
            }
            return MinHash.mix(h)
        }
        var out: [UInt64: Int] = [:]
        out.reserveCapacity(words.count)
        for start in 0...(words.count - size) {
            var h = seed
            for offset in 0..<size { h = MinHash.mix(h &+ wordHashes[start + offset] &* UInt64(offset + 1)) }
            if out[h] == nil { out[h] = start }
        }
        return out
    }
}

/// MinHash over shingle hashes with LSH banding.
///
/// A signature keeps, for each of ``functions`` hash functions, the *shingle* that gave the
/// minimum (its keyed hash, not text). Keeping the shingle rather than the minimum value lets
/// the store count how many résumés chose each shingle (its document frequency) and skip
/// shingles that have become common (template boilerplate, stock skills lists): the minimum
/// is then taken over the rarer shingles only, so boilerplate cannot make two résumés look
/// alike. A comparison skips the positions where either side chose a shingle that is now common.
public enum MinHash {
    public static let functions = 120
    public static let bands = 24
    public static let rows = 5
    /// Jaccard similarity from which two résumés are near-duplicates.
    public static let threshold = 0.8

    static let seeds: [UInt64] = {
        var state: UInt64 = 0x9e37_79b9_7f4a_7c15
        return (0..<functions).map { _ in
            state = state &+ 0x9e37_79b9_7f4a_7c15
            return mix(state)
        }
    }()

    /// The splitmix64 finaliser.
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    @inline(__always)
    static func value(_ shingle: UInt64, _ function: Int) -> UInt64 { mix(shingle ^ seeds[function]) }

    /// The signature: for each function, the shingle with the least value among shingles not
    /// judged common by `common` (asked only about the shingles that would be chosen). Nil for
    /// a text too short to shingle. Returns the shingles excluded as common too.
    public static func signature(_ shingles: [UInt64], common: (Set<UInt64>) throws -> Set<UInt64>) rethrows -> (signature: [UInt64], excluded: Set<UInt64>)? {
        guard !shingles.isEmpty else { return nil }
        var excluded: Set<UInt64> = []
        var asked: Set<UInt64> = []
        var best = [UInt64](repeating: .max, count: functions)
        var chosen = [UInt64](repeating: 0, count: functions)
        pick(shingles, functions: Array(0..<functions), best: &best, chosen: &chosen)
        for round in 0..<8 {
            if round > 0 {
                // Only the functions whose chosen shingle is now excluded change: the others'
                // minimum is still in the smaller pool.
                let pool = shingles.filter { !excluded.contains($0) }
                if pool.isEmpty { return (pick(shingles), excluded) }  // all boilerplate: compare it as it is
                let redo = (0..<functions).filter { excluded.contains(chosen[$0]) }
                for f in redo { best[f] = .max }
                pick(pool, functions: redo, best: &best, chosen: &chosen)
            }
            let fresh = Set(chosen).subtracting(asked)
            if fresh.isEmpty { break }
            asked.formUnion(fresh)
            let newlyCommon = try common(fresh)
            if newlyCommon.isEmpty { break }
            excluded.formUnion(newlyCommon)
        }
        return (chosen, excluded)
    }

    /// The same signature as ``signature(_:common:)``, from a precomputed ``MinHashRanking``:
    /// excluding a common shingle moves a function to the next shingle of its ranked list
    /// instead of scanning the whole résumé again. Only when a function's whole list is
    /// excluded is the pool scanned, as before.
    public static func signature(ranking: MinHashRanking, common: (Set<UInt64>) throws -> Set<UInt64>) rethrows -> (signature: [UInt64], excluded: Set<UInt64>)? {
        guard !ranking.pool.isEmpty else { return nil }
        let depth = MinHashRanking.depth
        var excluded: Set<UInt64> = []
        var asked: Set<UInt64> = []
        var position = [Int](repeating: 0, count: functions)
        var chosen = (0..<functions).map { ranking.ranked[$0 * depth] }
        var pool: [UInt64]?
        for round in 0..<8 {
            if round > 0 {
                for f in 0..<functions where excluded.contains(chosen[f]) {
                    var p = position[f] + 1
                    while p < ranking.count, excluded.contains(ranking.ranked[f * depth + p]) { p += 1 }
                    position[f] = p
                    if p < ranking.count {
                        chosen[f] = ranking.ranked[f * depth + p]
                        continue
                    }
                    // The ranked list is used up: scan the rest of the pool for this function.
                    if pool == nil { pool = ranking.pool.filter { !excluded.contains($0) } }
                    if pool!.isEmpty { return (pick(ranking.pool), excluded) }  // all boilerplate
                    var best = [UInt64](repeating: .max, count: functions)
                    pick(pool!, functions: [f], best: &best, chosen: &chosen)
                }
                pool = nil
            }
            let fresh = Set(chosen).subtracting(asked)
            if fresh.isEmpty { break }
            asked.formUnion(fresh)
            let newlyCommon = try common(fresh)
            if newlyCommon.isEmpty { break }
            excluded.formUnion(newlyCommon)
        }
        return (chosen, excluded)
    }

    static func pick(_ pool: [UInt64]) -> [UInt64] {
        var best = [UInt64](repeating: .max, count: functions)
        var chosen = [UInt64](repeating: 0, count: functions)
        pick(pool, functions: Array(0..<functions), best: &best, chosen: &chosen)
        return chosen
    }

    /// For each listed function, the shingle of `pool` with the least value (first on a tie).
    static func pick(_ pool: [UInt64], functions list: [Int], best: inout [UInt64], chosen: inout [UInt64]) {
        if list.isEmpty { return }
        if list.count == functions {
            seeds.withUnsafeBufferPointer { seed in
                best.withUnsafeMutableBufferPointer { best in
                    chosen.withUnsafeMutableBufferPointer { chosen in
                        for shingle in pool {
                            for f in 0..<functions {
                                let v = mix(shingle ^ seed[f])
                                if v < best[f] { best[f] = v; chosen[f] = shingle }
                            }
                        }
                    }
                }
            }
            return
        }
        for f in list {
            let seed = seeds[f]
            var least = best[f], which = chosen[f]
            for shingle in pool {
                let v = mix(shingle ^ seed)
                if v < least { least = v; which = shingle }
            }
            best[f] = least
            chosen[f] = which
        }
    }

    /// LSH bucket keys, one per band, each mixed with its band number.
    public static func buckets(_ signature: [UInt64]) -> [Int64] {
        (0..<bands).map { band in
            var h = mix(UInt64(band) &+ 0x5bd1_e995)
            for row in 0..<rows {
                let f = band * rows + row
                h = mix(h ^ value(signature[f], f))
            }
            return Int64(bitPattern: h)
        }
    }

    /// The fewest positions free of common shingles on which ``compare(_:_:common:atLeast:)``
    /// judges a pair (a quarter of them).
    static let minimumCompared = functions / 4

    /// Whether a signature can be similar to any other at all: ``compare(_:_:common:atLeast:)``
    /// skips every position holding a shingle of `common` and judges only pairs with at least
    /// ``minimumCompared`` positions left, so a signature with fewer usable positions (a résumé
    /// of template text only, every shingle common) matches nothing, and its look-up can be
    /// skipped.
    public static func comparable(_ signature: [UInt64], common: Set<UInt64>) -> Bool {
        guard signature.count == functions else { return false }
        if common.isEmpty { return true }
        var usable = 0
        for value in signature where !common.contains(value) {
            usable += 1
            if usable >= minimumCompared { return true }
        }
        return false
    }

    /// Estimated Jaccard similarity and the shingles both chose, skipping positions where
    /// either side chose a shingle in `common`. Nil when too few positions remain to judge, or
    /// when the similarity is below `atLeast`.
    public static func compare(_ a: [UInt64], _ b: [UInt64], common: Set<UInt64>, atLeast minimum: Double = 0)
        -> (similarity: Double, shared: Set<UInt64>)? {
        guard a.count == functions, b.count == functions else { return nil }
        // Positions where both chose the same shingle; a common shingle in one of them is
        // skipped below. A similarity of `minimum` over at least a quarter of the positions
        // needs that many equal positions, so most candidates from a shared band stop here,
        // before any set look-up.
        var equal = 0
        for f in 0..<functions where a[f] == b[f] { equal += 1 }
        if minimum > 0, Double(equal) < minimum * Double(minimumCompared) { return nil }
        var compared = 0
        equal = 0
        var shared: Set<UInt64> = []
        if common.isEmpty {
            compared = functions
            for f in 0..<functions where a[f] == b[f] { equal += 1; shared.insert(a[f]) }
        } else {
            for f in 0..<functions where !common.contains(a[f]) && !common.contains(b[f]) {
                compared += 1
                if a[f] == b[f] { equal += 1; shared.insert(a[f]) }
            }
        }
        guard compared >= minimumCompared else { return nil }
        let similarity = Double(equal) / Double(compared)
        if similarity < minimum { return nil }
        return (similarity, shared)
    }

    public static func encode(_ signature: [UInt64]) -> Data {
        // Little-endian bytes: the array's own on a little-endian machine.
        if UInt64(littleEndian: 1) == 1 { return signature.withUnsafeBytes { Data($0) } }
        return signature.map(\.littleEndian).withUnsafeBytes { Data($0) }
    }

    public static func decode(_ data: Data) -> [UInt64]? {
        guard data.count == functions * 8 else { return nil }
        return data.withUnsafeBytes { raw in
            (0..<functions).map { i in UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)) }
        }
    }

    /// Passages of the current text made of the given shingles, longest first.
    public static func passages(shared: Set<UInt64>, starts: [UInt64: Int], words: [Substring], limit: Int = 3, maxCharacters: Int = 240) -> [String] {
        var covered = [Bool](repeating: false, count: words.count)
        for shingle in shared {
            guard let start = starts[shingle] else { continue }
            for i in start..<min(words.count, start + IdentityRecord.shingleWords) { covered[i] = true }
        }
        var runs: [Range<Int>] = []
        var i = 0
        while i < words.count {
            if covered[i] {
                var j = i
                while j < words.count, covered[j] { j += 1 }
                runs.append(i..<j)
                i = j
            } else {
                i += 1
            }
        }
        return runs.sorted { $0.count > $1.count }.prefix(limit).map { run in
            let text = words[run].joined(separator: " ")
            return text.count > maxCharacters ? String(text.prefix(maxCharacters)) + "…" : text
        }
    }
}

/// For each MinHash function, the ``depth`` shingles with the least values, least first (the
/// first of each list is the plain MinHash signature). Computed with the record, off the store's
/// critical path: the store then only walks these lists when it excludes common shingles.
public struct MinHashRanking: Sendable {
    public static let depth = 8
    /// Every shingle of the résumé, in the record's order.
    public let pool: [UInt64]
    /// `functions × depth` shingles; function `f`'s list starts at `f * depth`.
    let ranked: [UInt64]
    /// How many entries every function's list holds (fewer than `depth` for a short résumé).
    var count: Int { min(Self.depth, pool.count) }

    public init(_ pool: [UInt64]) {
        self.pool = pool
        let depth = Self.depth, functions = MinHash.functions
        var values = [UInt64](repeating: .max, count: functions * depth)
        var ranked = [UInt64](repeating: 0, count: functions * depth)
        MinHash.seeds.withUnsafeBufferPointer { seed in
            values.withUnsafeMutableBufferPointer { values in
                ranked.withUnsafeMutableBufferPointer { ranked in
                    for shingle in pool {
                        for f in 0..<functions {
                            let v = MinHash.mix(shingle ^ seed[f])
                            let base = f * depth
                            // Strictly less: on a tie the earlier shingle stays first, as in `pick`.
                            guard v < values[base + depth - 1] else { continue }
                            var i = depth - 1
                            while i > 0, v < values[base + i - 1] {
                                values[base + i] = values[base + i - 1]
                                ranked[base + i] = ranked[base + i - 1]
                                i -= 1
                            }
                            values[base + i] = v
                            ranked[base + i] = shingle
                        }
                    }
                }
            }
        }
        self.ranked = ranked
    }
}
