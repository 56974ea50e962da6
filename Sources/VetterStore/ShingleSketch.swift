import Foundation
import GRDB

/// How many stored MinHash signatures chose each keyed shingle, as a count-min sketch (schema v2).
///
/// The exact per-shingle table of v1 grew by about one row per signature position (10 million
/// rows at 100,000 applications) and every screening updated 120 random rows of it. The sketch
/// has a fixed size: ``depth`` rows of ``width`` 32-bit counters, stored as blobs of
/// ``countersPerBlob`` counters in `shingle_sketch(slot, counts)` (a blob that is all zeros is
/// not stored, so a small store stays small). A shingle adds one to one counter per row; its
/// estimate is the least of its counters. The estimate is never below the true count, and
/// exceeds it only through collisions: with 120 counts per application spread over 2^20
/// counters per row, the expected excess is 0.000 114 × applications against a common limit of
/// 0.002 × applications, so a rare shingle is judged common only when it collides in both rows
/// with shingles that are themselves near the limit. Increments and decrements are exact
/// inverses (no saturation), so `forget` removes a signature's contribution exactly.
///
/// `frequent_shingle` lists the shingles whose estimate reached the store's common minimum
/// (a few, since only boilerplate gets there): it is what `store stats` counts.
enum ShingleSketch {
    static let depth = 2
    static let width = 1 << 20
    static let countersPerBlob = 256
    static let salts: [UInt64] = [0x243f_6a88_85a3_08d3, 0x1319_8a2e_0370_7344]

    /// The global counter index of a shingle in each row.
    @inline(__always)
    static func counters(_ shingle: UInt64) -> (Int, Int) {
        (Int(MinHash.mix(shingle ^ salts[0]) & UInt64(width - 1)),
         width + Int(MinHash.mix(shingle ^ salts[1]) & UInt64(width - 1)))
    }

    static func decode(_ data: Data) -> [UInt32] {
        var out = [UInt32](repeating: 0, count: countersPerBlob)
        guard data.count == countersPerBlob * 4 else { return out }
        out.withUnsafeMutableBytes { target in data.withUnsafeBytes { target.copyMemory(from: $0) } }
        if UInt32(littleEndian: 1) != 1 { out = out.map { UInt32(littleEndian: $0) } }
        return out
    }

    static func encode(_ counts: [UInt32]) -> Data {
        let values = UInt32(littleEndian: 1) == 1 ? counts : counts.map { $0.littleEndian }
        return values.withUnsafeBytes { Data($0) }
    }
}

/// A write-back view of the sketch: blobs are read once, changed in memory and written back by
/// ``flush(save:)``. Reads see every change made before.
///
/// Saving is deferred (schema v7): the stored blobs count the signatures of the applications up
/// to `meta.sketch_through` (an application row id); the signatures of the later applications
/// are counted from their rows when a buffer is made, and added to each blob as it is loaded. So
/// every buffer sees the same counts, whether or not the blobs have been saved since, and a
/// screening that records an application writes its row but not the 8 MiB of blobs: those are
/// saved once ``unsaved`` reaches the store's interval (and always when a signature is removed,
/// as the later rows can add but not subtract). A store keeps its buffer between transactions
/// while `meta.sketch_generation` (raised by every flush, in the same transaction) shows that no
/// other connection has changed the counts, so a batch reads each blob once, not once per group.
final class SketchBuffer {
    private(set) var db: Database
    let frequentMinimum: Int
    // The arrays below are used by one transaction at a time, never with overlapping accesses:
    // their dynamic exclusivity checks (`swift_beginAccess` on every counter read) are off.
    /// Per blob slot: where its counters start in `counters`, or -1 when not loaded yet.
    @exclusivity(unchecked) private var offsets = [Int32](repeating: -1, count: ShingleSketch.depth * ShingleSketch.width / ShingleSketch.countersPerBlob)
    @exclusivity(unchecked) private var counters: [UInt32] = []
    @exclusivity(unchecked) private var dirty: [Bool] = []
    @exclusivity(unchecked) private var loadedSlots: [Int] = []
    @exclusivity(unchecked) private var raised: [UInt64] = []
    @exclusivity(unchecked) private var lowered: [UInt64] = []
    /// Counter indexes of the signatures not in the stored blobs, grouped by blob slot: slot `s`'s
    /// are `pendingIndices[pendingStart[s]..<pendingStart[s + 1]]`, added when its blob is loaded.
    /// Both empty when there are none.
    @exclusivity(unchecked) private var pendingIndices: [Int32] = []
    @exclusivity(unchecked) private var pendingStart: [Int32] = []
    /// Applications whose signatures are counted here but not in the stored blobs.
    private(set) var unsaved = 0
    /// Set when the stored blobs must be brought up to date at the next flush (a signature removed).
    var mustSave = false
    /// The `meta.sketch_generation` these counts agree with.
    private(set) var generation: Int64 = 0

    /// A buffer over the stored blobs plus the signatures of the applications after
    /// `meta.sketch_through` (none when the key is absent, as before v7).
    init(_ db: Database, frequentMinimum: Int) throws {
        self.db = db
        self.frequentMinimum = frequentMinimum
        generation = try Self.generation(db)
        guard let through = try Self.savedThrough(db) else { return }
        // Up to the save interval's signatures are read back here, in every process that screens
        // (a `vetter screen` run among them): they are decoded in place and their counter indexes
        // grouped by slot with a counting sort, without a dictionary or a set per signature.
        var all: [Int32] = []
        all.reserveCapacity(256 * 2 * MinHash.functions)
        // Each distinct shingle of a signature counts once: a 256-slot open-addressing table
        // (shingles are hashes already), whose slots are free unless stamped with this signature.
        var seenKey = [UInt64](repeating: 0, count: 256)
        var seenStamp = [Int](repeating: -1, count: 256)
        var signatures = 0
        let rows = try Row.fetchCursor(db.cachedStatement(sql: "SELECT signature FROM application WHERE id > ? AND signature IS NOT NULL"),
                                       arguments: [through])
        try seenKey.withUnsafeMutableBufferPointer { seenKey in
            try seenStamp.withUnsafeMutableBufferPointer { seenStamp in
                while let row = try rows.next() {
                    // A signature that cannot be decoded gave no counts when it was stored.
                    try row.withUnsafeData(atIndex: 0) { data in
                        guard let data, data.count == MinHash.functions * 8 else { return }
                        data.withUnsafeBytes { raw in
                            for i in 0..<MinHash.functions {
                                let shingle = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self))
                                var slot = Int(truncatingIfNeeded: shingle) & 255
                                while seenStamp[slot] == signatures, seenKey[slot] != shingle { slot = (slot + 1) & 255 }
                                if seenStamp[slot] == signatures { continue }  // seen in this signature
                                seenStamp[slot] = signatures
                                seenKey[slot] = shingle
                                let (a, b) = ShingleSketch.counters(shingle)
                                all.append(Int32(truncatingIfNeeded: a))
                                all.append(Int32(truncatingIfNeeded: b))
                            }
                        }
                        signatures += 1
                    }
                }
            }
        }
        unsaved = signatures
        guard !all.isEmpty else { return }
        // A counting sort by slot.
        let n = ShingleSketch.countersPerBlob, slots = offsets.count
        var start = [Int32](repeating: 0, count: slots + 1)
        var grouped = [Int32](repeating: 0, count: all.count)
        all.withUnsafeBufferPointer { all in
            start.withUnsafeMutableBufferPointer { start in
                for index in all { start[Int(index) / n + 1] += 1 }
                for slot in 0..<slots { start[slot + 1] += start[slot] }
                var cursor = Array(start)
                grouped.withUnsafeMutableBufferPointer { grouped in
                    cursor.withUnsafeMutableBufferPointer { cursor in
                        for index in all {
                            let slot = Int(index) / n
                            grouped[Int(cursor[slot])] = index
                            cursor[slot] += 1
                        }
                    }
                }
            }
        }
        pendingIndices = grouped
        pendingStart = start
    }

    /// The slots whose pending counts have not been added yet (their blobs not loaded).
    private var slotsWithPending: [Int] {
        guard !pendingStart.isEmpty else { return [] }
        return (0..<offsets.count).filter { pendingStart[$0] < pendingStart[$0 + 1] && offsets[$0] < 0 }
    }

    /// `meta.sketch_through`: the last application the stored blobs count (nil before v7, when
    /// they counted every one).
    static func savedThrough(_ db: Database) throws -> Int64? {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'sketch_through'"))
    }

    /// How many stored signatures the stored blobs do not count yet (what a new buffer reads back).
    static func unsavedCount(_ db: Database) throws -> Int {
        guard let through = try savedThrough(db) else { return 0 }
        return try Int.fetchOne(db, sql: "SELECT count(*) FROM application WHERE id > ? AND signature IS NOT NULL", arguments: [through]) ?? 0
    }

    static func generation(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'sketch_generation'")) ?? 0
    }

    /// Reuses this buffer in a new transaction on `db`, if no other connection has changed the
    /// counts since its last flush.
    func reuse(_ db: Database) throws -> Bool {
        guard try Self.generation(db) == generation, raised.isEmpty, lowered.isEmpty, !mustSave else { return false }
        self.db = db
        return true
    }

    /// The position of a global counter in `counters`, loading its blob on first use.
    @inline(__always)
    private func position(_ index: Int) throws -> Int {
        let slot = index / ShingleSketch.countersPerBlob
        var base = Int(offsets[slot])
        if base < 0 { base = try load(slot) }
        return base + index % ShingleSketch.countersPerBlob
    }

    private func load(_ slot: Int) throws -> Int {
        let base = counters.count
        let data = try Data.fetchOne(db.cachedStatement(sql: "SELECT counts FROM shingle_sketch WHERE slot = ?"), arguments: [slot])
        counters += data.map(ShingleSketch.decode) ?? [UInt32](repeating: 0, count: ShingleSketch.countersPerBlob)
        offsets[slot] = Int32(base)
        var changed = false
        if !pendingStart.isEmpty, pendingStart[slot] < pendingStart[slot + 1] {
            for k in Int(pendingStart[slot])..<Int(pendingStart[slot + 1]) {
                counters[base + Int(pendingIndices[k]) % ShingleSketch.countersPerBlob] &+= 1
            }
            changed = true
        }
        dirty.append(changed)
        loadedSlots.append(slot)
        return base
    }

    private func change(_ index: Int, by delta: Int) throws {
        let at = try position(index)
        counters[at] = UInt32(clamping: max(0, Int(counters[at]) + delta))
        dirty[at / ShingleSketch.countersPerBlob] = true
    }

    /// The estimated number of stored signatures that chose the shingle (never too low).
    func estimate(_ shingle: UInt64) throws -> Int {
        let (a, b) = ShingleSketch.counters(shingle)
        let first = try position(a), second = try position(b)
        return Int(min(counters[first], counters[second]))
    }

    func add(_ shingle: UInt64, _ delta: Int) throws {
        let (a, b) = ShingleSketch.counters(shingle)
        try change(a, by: delta)
        try change(b, by: delta)
        if delta > 0 { raised.append(shingle) } else { lowered.append(shingle) }
    }

    /// Every non-zero blob of counters by slot, as this buffer sees them (stored blobs with the
    /// later signatures added): for checks and tests; it loads the whole sketch.
    func allBlobs() throws -> [Int: [UInt32]] {
        let n = ShingleSketch.countersPerBlob
        var slots = Set(try Int.fetchAll(db, sql: "SELECT slot FROM shingle_sketch"))
        slots.formUnion(slotsWithPending)
        slots.formUnion(loadedSlots)
        var out: [Int: [UInt32]] = [:]
        for slot in slots {
            let base = try position(slot * n)
            let blob = Array(counters[base..<(base + n)])
            if blob.contains(where: { $0 != 0 }) { out[slot] = blob }
        }
        return out
    }

    /// Counts a recorded application's signature (its distinct shingles).
    func count(signature: [UInt64]) throws {
        for shingle in Set(signature) { try add(shingle, 1) }
        unsaved += 1
    }

    /// Removes a signature's counts; the stored blobs are then saved at the next flush.
    func uncount(signature: [UInt64]) throws {
        for shingle in Set(signature) { try add(shingle, -1) }
        mustSave = true
    }

    /// Updates `frequent_shingle` and, when the counts changed, raises `meta.sketch_generation`.
    /// With `save` (or once a signature was removed) it also writes the changed blobs (deleting
    /// those back at zero) and moves `meta.sketch_through` to the last application, so that the
    /// stored blobs count every stored signature.
    func flush(save requested: Bool = true) throws {
        let mark = try db.cachedStatement(sql: "INSERT OR IGNORE INTO frequent_shingle(hash) VALUES (?)")
        for shingle in Set(raised) where try estimate(shingle) >= frequentMinimum {
            try mark.execute(arguments: [Int64(bitPattern: shingle)])
        }
        let unmark = try db.cachedStatement(sql: "DELETE FROM frequent_shingle WHERE hash = ?")
        for shingle in Set(lowered) where try estimate(shingle) < frequentMinimum {
            try unmark.execute(arguments: [Int64(bitPattern: shingle)])
        }
        let changed = !raised.isEmpty || !lowered.isEmpty
        raised.removeAll()
        lowered.removeAll()
        let save = requested || mustSave
        if save {
            // Blobs with counts of later signatures that were never read are loaded (and counted) first.
            for slot in slotsWithPending { _ = try load(slot) }
            pendingIndices = []
            pendingStart = []
            let upsert = try db.cachedStatement(sql: "INSERT OR REPLACE INTO shingle_sketch(slot, counts) VALUES (?, ?)")
            let delete = try db.cachedStatement(sql: "DELETE FROM shingle_sketch WHERE slot = ?")
            let n = ShingleSketch.countersPerBlob
            for (position, slot) in loadedSlots.enumerated().sorted(by: { $0.element < $1.element }) where dirty[position] {
                let blob = counters[(position * n)..<((position + 1) * n)]
                if blob.allSatisfy({ $0 == 0 }) {
                    try delete.execute(arguments: [slot])
                } else {
                    try upsert.execute(arguments: [slot, ShingleSketch.encode(Array(blob))])
                }
                dirty[position] = false
            }
            let last = try Int64.fetchOne(db, sql: "SELECT max(id) FROM application") ?? 0
            try db.execute(sql: "INSERT OR REPLACE INTO meta(key, value) VALUES ('sketch_through', ?)", arguments: [String(last)])
            unsaved = 0
            mustSave = false
        }
        guard changed || save else { return }
        generation += 1
        try db.execute(sql: "INSERT OR REPLACE INTO meta(key, value) VALUES ('sketch_generation', ?)", arguments: [String(generation)])
    }
}
