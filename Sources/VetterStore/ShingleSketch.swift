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

/// A write-back view of the sketch for one transaction: blobs are read once, changed in memory
/// and written back by ``flush()`` before the transaction commits, so a batch of screenings
/// rewrites each touched blob once. Reads see the changes made earlier in the transaction.
final class SketchBuffer {
    let db: Database
    let frequentMinimum: Int
    /// Per blob slot: where its counters start in `counters`, or -1 when not loaded yet.
    private var offsets = [Int32](repeating: -1, count: ShingleSketch.depth * ShingleSketch.width / ShingleSketch.countersPerBlob)
    private var counters: [UInt32] = []
    private var dirty: [Bool] = []
    private var loadedSlots: [Int] = []
    private var raised: [UInt64] = []
    private var lowered: [UInt64] = []

    init(_ db: Database, frequentMinimum: Int) {
        self.db = db
        self.frequentMinimum = frequentMinimum
    }

    /// The position of a global counter in `counters`, loading its blob on first use.
    @inline(__always)
    private func position(_ index: Int) throws -> Int {
        let slot = index / ShingleSketch.countersPerBlob
        var base = Int(offsets[slot])
        if base < 0 {
            base = counters.count
            let data = try Data.fetchOne(db.cachedStatement(sql: "SELECT counts FROM shingle_sketch WHERE slot = ?"), arguments: [slot])
            counters += data.map(ShingleSketch.decode) ?? [UInt32](repeating: 0, count: ShingleSketch.countersPerBlob)
            offsets[slot] = Int32(base)
            dirty.append(false)
            loadedSlots.append(slot)
        }
        return base + index % ShingleSketch.countersPerBlob
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

    /// Writes the changed blobs (deleting those back at zero) and updates `frequent_shingle`.
    func flush() throws {
        let upsert = try db.cachedStatement(sql: "INSERT OR REPLACE INTO shingle_sketch(slot, counts) VALUES (?, ?)")
        let delete = try db.cachedStatement(sql: "DELETE FROM shingle_sketch WHERE slot = ?")
        let n = ShingleSketch.countersPerBlob
        for (position, slot) in loadedSlots.enumerated().sorted(by: { $0.element < $1.element }) where dirty[position] {
            let blob = Array(counters[(position * n)..<((position + 1) * n)])
            if blob.allSatisfy({ $0 == 0 }) {
                try delete.execute(arguments: [slot])
            } else {
                try upsert.execute(arguments: [slot, ShingleSketch.encode(blob)])
            }
            dirty[position] = false
        }
        let mark = try db.cachedStatement(sql: "INSERT OR IGNORE INTO frequent_shingle(hash) VALUES (?)")
        for shingle in Set(raised) where try estimate(shingle) >= frequentMinimum {
            try mark.execute(arguments: [Int64(bitPattern: shingle)])
        }
        let unmark = try db.cachedStatement(sql: "DELETE FROM frequent_shingle WHERE hash = ?")
        for shingle in Set(lowered) where try estimate(shingle) < frequentMinimum {
            try unmark.execute(arguments: [Int64(bitPattern: shingle)])
        }
        raised.removeAll()
        lowered.removeAll()
    }
}
