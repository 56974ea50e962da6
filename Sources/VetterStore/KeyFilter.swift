import Foundation
import GRDB

/// A Bloom filter over the keys a screening looks up: identifier hashes and LSH bucket keys.
///
/// Most look-ups find nothing (an email, a phone or a résumé band seen for the first time), yet
/// each costs two index searches (main and recent table) whose price grows with the store. A key
/// the filter has never seen cannot be in the store, so its look-up is skipped; a key it may
/// have seen is looked up as before. The filter only ever holds more than the store (rows that
/// were deleted or rolled back leave their bits), never less, so the findings are the same
/// with or without it.
///
/// The layout is a split-block Bloom filter (the one Apache Parquet specifies): a key selects
/// one 256-bit block and sets one bit in each of its eight 32-bit words, so a check reads one
/// cache line.
///
/// Other connections (another process sharing the file) add rows too. The filter knows the
/// last application whose keys it holds (`through`: its row id and `recorded_at`); before each
/// screening transaction ``SQLiteIdentityStore`` adds the keys of every later application
/// (their identifier rows by the `app` indexes, their buckets from their stored signatures).
/// Row ids only grow, except that SQLite gives the largest id again after that row is deleted;
/// the `recorded_at` check notices that (the row at `through` is gone or was written again)
/// and the filter is then built afresh from the tables.
final class KeyFilter {
    @exclusivity(unchecked) private var words: [UInt32]
    private let blockCount: UInt64
    /// Keys added (each addition counted, repeats too); past ``capacity`` the filter is rebuilt larger.
    private(set) var count = 0
    let capacity: Int
    /// The last application whose keys are in the filter: row id and `recorded_at`.
    var through: (id: Int64, recordedAt: Double)?

    /// Eight bits per key at `capacity`.
    init(capacity: Int) {
        let blocks = max(1, (capacity + 31) / 32)
        self.capacity = blocks * 32
        blockCount = UInt64(blocks)
        words = [UInt32](repeating: 0, count: blocks * 8)
    }

    private static let salts: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) =
        (0x47b6_137b, 0x4497_4d91, 0x8824_ad5b, 0xa2b7_289d, 0x7054_95c7, 0x2df1_424b, 0x9efc_4947, 0x5c6b_fb31)

    @inline(__always)
    private static func salt(_ i: Int) -> UInt32 {
        switch i {
        case 0: salts.0
        case 1: salts.1
        case 2: salts.2
        case 3: salts.3
        case 4: salts.4
        case 5: salts.5
        case 6: salts.6
        default: salts.7
        }
    }

    /// Keys are mixed (`MinHash.mix`, splitmix64's finaliser) with the kind of key folded in.
    static func key(bucket: Int64) -> UInt64 { MinHash.mix(UInt64(bitPattern: bucket) ^ 0x6c73_685f_6275_636b) }

    /// An identifier's keyed hash is uniformly random already; its first eight bytes suffice.
    static func key(identifier hash: Data) -> UInt64 { hash.withUnsafeBytes { key(identifier: $0) } }

    static func key(identifier raw: UnsafeRawBufferPointer) -> UInt64 {
        var value: UInt64 = 0
        for i in 0..<min(8, raw.count) { value = value << 8 | UInt64(raw[i]) }
        return MinHash.mix(value ^ 0x6964_656e_7469_6679)
    }

    @inline(__always)
    private func block(_ key: UInt64) -> Int {
        Int(((key >> 32) &* blockCount) >> 32) * 8
    }

    func insert(_ key: UInt64) {
        let base = block(key), low = UInt32(truncatingIfNeeded: key)
        words.withUnsafeMutableBufferPointer { words in
            for i in 0..<8 { words[base + i] |= 1 << ((low &* Self.salt(i)) >> 27) }
        }
        count += 1
    }

    func mayContain(_ key: UInt64) -> Bool {
        let base = block(key), low = UInt32(truncatingIfNeeded: key)
        return words.withUnsafeBufferPointer { words in
            for i in 0..<8 where words[base + i] & (1 << ((low &* Self.salt(i)) >> 27)) == 0 { return false }
            return true
        }
    }

    var isFull: Bool { count > capacity }

    // MARK: - From the store's tables

    /// The last application row: its id and `recorded_at` (nil in an empty store).
    static func head(_ db: Database) throws -> (id: Int64, recordedAt: Double)? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT id, recorded_at FROM application ORDER BY id DESC LIMIT 1")) else {
            return nil
        }
        return (row[0], row[1])
    }

    /// Every identifier and bucket key in the store, in a filter with room for twice as many.
    static func build(_ db: Database, minimumCapacity: Int = 1 << 16) throws -> KeyFilter {
        // From the running counts (schema v8), not a count of the rows: at most `bands` buckets
        // per signature, and every identifier row.
        let keys = try Int.fetchOne(db, sql: """
            SELECT (SELECT coalesce(sum(n), 0) FROM identifier_count)
                 + (SELECT coalesce(CAST(value AS INTEGER), 0) FROM meta WHERE key = 'resume_signatures') * ?
            """, arguments: [MinHash.bands]) ?? 0
        let filter = KeyFilter(capacity: max(minimumCapacity, 2 * keys))
        for table in ["lsh", "lsh_recent"] {
            let buckets = try Int64.fetchCursor(db, sql: "SELECT bucket FROM \(table)")
            while let bucket = try buckets.next() { filter.insert(key(bucket: bucket)) }
        }
        try filter.insertIdentifiers(Row.fetchCursor(db, sql: "SELECT hash FROM identifier UNION ALL SELECT hash FROM identifier_recent"))
        filter.through = try head(db)
        return filter
    }

    /// Brings the filter up to the store's last application, or says it must be rebuilt: when
    /// the row it last saw is gone or was written again (its id may be given out again), or
    /// when the keys added make it too full.
    func catchUp(_ db: Database) throws -> Bool {
        guard let head = try Self.head(db) else { return true }
        let after: Int64
        if let through {
            let recorded = try Double.fetchOne(db.cachedStatement(sql: "SELECT recorded_at FROM application WHERE id = ?"),
                                               arguments: [through.id])
            guard recorded == through.recordedAt else { return false }
            after = through.id
        } else {
            after = 0
        }
        if head.id > after {
            let signatures = try Row.fetchCursor(db.cachedStatement(sql: "SELECT signature FROM application WHERE id > ? AND signature IS NOT NULL"),
                                                 arguments: [after])
            while let row = try signatures.next() {
                // A signature that cannot be decoded gave no buckets when it was stored.
                guard let data = row[0] as Data?, let signature = MinHash.decode(data) else { continue }
                for bucket in MinHash.buckets(signature) { insert(Self.key(bucket: bucket)) }
            }
            try insertIdentifiers(Row.fetchCursor(db.cachedStatement(sql: """
                SELECT hash FROM identifier WHERE app > ?1 UNION ALL SELECT hash FROM identifier_recent WHERE app > ?1
                """), arguments: [after]))
        }
        through = head
        return !isFull
    }

    /// Adds the identifier hashes of `rows` (one `hash` column), read in place.
    private func insertIdentifiers(_ rows: RowCursor) throws {
        while let row = try rows.next() {
            try row.withUnsafeData(atIndex: 0) { data in
                guard let data else { return }
                data.withUnsafeBytes { insert(Self.key(identifier: $0)) }
            }
        }
    }
}
