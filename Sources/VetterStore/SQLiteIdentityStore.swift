import Foundation
import GRDB
import VetterCore

/// The embedded identity store: one SQLite file (WAL, so screeners in several processes can
/// share it; a busy timeout, so concurrent writers wait rather than fail; every screening in
/// one IMMEDIATE transaction, so a killed process leaves it consistent).
///
/// Tables: `meta` (schema version, key check value, application count), `application`
/// (application id, dates, hashed name tokens, MinHash signature), `identifier` (keyed hash,
/// kind, field name), `lsh` (band bucket → application), `shingle_sketch` (a count-min sketch
/// of how many signatures chose each keyed shingle hash, to skip boilerplate; see
/// ``ShingleSketch``), `frequent_shingle` (the shingles that reached the common minimum) and
/// `identifier_count` (running totals by kind, for `store stats`).
/// Deleted content is overwritten (`secure_delete`) and the WAL truncated after a `forget`.
public final class SQLiteIdentityStore: IdentityStore, @unchecked Sendable {
    public static let schemaVersion = 8

    public let path: String
    let pool: DatabasePool
    let key: IdentityKey
    /// Shingles chosen by more than max(minimum, fraction × applications) signatures are common.
    public var commonShingleMinimum = 25
    public var commonShingleFraction = 0.002
    /// Caps on candidates and cluster size, so one huge component cannot stall a screening.
    public var maxCandidates = 400
    /// Résumés compared signature by signature per near-duplicate look-up.
    public var maxNearCandidates = 100
    /// Most recent applications read from one LSH bucket per look-up.
    public var maxPerBucket = 32
    /// Candidates sharing a single LSH band are compared only up to this many (after those
    /// sharing two or more): a pair at the 0.8 threshold shares one band or none with
    /// probability 1 − P(at least 2 of 24 bands) ≈ 0.001, while template text makes many
    /// unrelated résumés share one.
    public var maxSingleBandCandidates = 50
    public var maxClusterSize = 100
    /// Screenings recorded between two saves of the shingle sketch's blobs (see ``SketchBuffer``):
    /// saving rewrites up to 8 MiB, and a buffer made afresh reads back at most this many signatures.
    public var sketchSaveInterval = 1024
    /// The sketch buffer of the last screening transaction, kept while no other connection
    /// changes the counts (see ``SketchBuffer/reuse(_:)``).
    /// Guarded by `keptSketchLock`; used only inside write transactions.
    private var keptSketch: SketchBuffer?
    private let keptSketchLock = NSLock()
    /// Skip the look-ups of keys the store cannot hold (see ``KeyFilter``). Off, every key is
    /// looked up; the findings are the same either way.
    public var usesKeyFilter = true
    /// The filter is built (reading every identifier and bucket row once) when the
    /// applications screened through this instance reach the store's size divided by this:
    /// a batch builds it, one `vetter screen` against a large store does not.
    public var keyFilterBuildRatio = 32
    /// Guarded by `filterLock`; used only inside write transactions (which the pool runs one
    /// at a time).
    private var keyFilter: KeyFilter?
    private var screenedHere = 0
    private let filterLock = NSLock()
    /// The least capacity a filter is built with (tests make it small to see it grow).
    var keyFilterMinimumCapacity = 1 << 16
    /// Filters built, and look-ups skipped thanks to one (for tests).
    private(set) var keyFilterBuilds = 0
    private(set) var lookUpsSkipped = 0

    public init(path: String, key: IdentityKey) throws {
        self.path = path
        self.key = key
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(30)
        // Page cache and memory map: look-ups read the identifier and LSH indexes at random,
        // and once the file outgrows the map every such page is copied in by a read call (the
        // cost per look-up then grows with the store). Mapped pages are shared with the OS
        // file cache. A larger automatic checkpoint (64 MiB of WAL rather than 4 MiB) lets
        // pages rewritten by consecutive transactions (the shingle sketch, the recent tables)
        // be copied back into the database once per checkpoint rather than once per commit;
        // `journal_size_limit` shrinks the WAL back after a large merge.
        config.prepareDatabase { db in
            try db.execute(sql: """
                PRAGMA secure_delete = ON;
                PRAGMA cache_size = -65536;
                PRAGMA mmap_size = 1073741824;
                PRAGMA temp_store = MEMORY;
                PRAGMA wal_autocheckpoint = 16384;
                PRAGMA journal_size_limit = 67108864;
                """)
            // WAL with synchronous NORMAL: never corrupt; a power cut may lose the last commits.
            if !db.configuration.readonly { try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        }
        do {
            pool = try DatabasePool(path: path, configuration: config)
        } catch {
            throw StoreError.database("cannot open \(path): \(Self.describe(error))")
        }
        try Self.checkVersion(pool)
        do {
            try Self.migrator.migrate(pool)
        } catch {
            throw StoreError.database("migration failed: \(Self.describe(error))")
        }
        let check = key.checkValue
        try write { db in
            if let stored = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'key_check'") {
                guard stored == check else { throw StoreError.wrongKey }
            } else {
                try db.execute(sql: "INSERT INTO meta(key, value) VALUES ('key_check', ?)", arguments: [check])
            }
        }
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? DatabaseError { return "SQLite error \(error.resultCode.rawValue): \(error.message ?? "")" }
        return "\(error)"
    }

    static func checkVersion(_ pool: DatabasePool) throws {
        let (found, superseded): (Int?, Bool) = try pool.read { db in
            let version = try db.tableExists("meta")
                ? try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'schema_version'").flatMap { Int($0) }
                : nil
            return (version, try migrator.hasBeenSuperseded(db))
        }
        if let found, found > schemaVersion { throw StoreError.newerSchema(found: found, supported: schemaVersion) }
        if superseded { throw StoreError.newerSchema(found: (found ?? schemaVersion) + 1, supported: schemaVersion) }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
                INSERT INTO meta(key, value) VALUES ('schema_version', '1'), ('applications', '0');
                CREATE TABLE application(
                    id INTEGER PRIMARY KEY,
                    external_id TEXT NOT NULL UNIQUE,
                    received_at DOUBLE,
                    recorded_at DOUBLE NOT NULL,
                    name_tokens BLOB,
                    has_onboarding INTEGER NOT NULL DEFAULT 0,
                    signature BLOB
                );
                CREATE TABLE identifier(
                    hash BLOB NOT NULL,
                    app INTEGER NOT NULL REFERENCES application(id) ON DELETE CASCADE,
                    kind TEXT NOT NULL,
                    field TEXT NOT NULL,
                    PRIMARY KEY(hash, app, field)
                ) WITHOUT ROWID;
                CREATE INDEX identifier_app ON identifier(app);
                CREATE TABLE lsh(
                    bucket INTEGER NOT NULL,
                    app INTEGER NOT NULL REFERENCES application(id) ON DELETE CASCADE,
                    PRIMARY KEY(bucket, app)
                ) WITHOUT ROWID;
                CREATE INDEX lsh_app ON lsh(app);
                CREATE TABLE shingle_df(hash INTEGER PRIMARY KEY, df INTEGER NOT NULL);
                """)
        }
        // `vetter serve`: screenings (reports sealed with a key derived from the organisation
        // key), API tokens (hashed), decisions and an append-only audit log. See ReviewRecords.swift.
        migrator.registerMigration("v2") { db in try ReviewRecords.migrateV2(db) }
        // v3: the per-shingle counts become a fixed-size count-min sketch (written once per
        // transaction instead of 120 random upserts per screening), and the `lsh_app` index goes
        // (a forgotten application's buckets are recomputed from its signature).
        migrator.registerMigration("v3") { db in
            try db.execute(sql: """
                CREATE TABLE shingle_sketch(slot INTEGER PRIMARY KEY, counts BLOB NOT NULL);
                CREATE TABLE frequent_shingle(hash INTEGER PRIMARY KEY);
                DROP INDEX lsh_app;
                """)
            let sketch = try SketchBuffer(db, frequentMinimum: 25)
            let rows = try Row.fetchCursor(db, sql: "SELECT hash, df FROM shingle_df")
            while let row = try rows.next() {
                let hash: Int64 = row["hash"]
                let df: Int = row["df"]
                if df > 0 { try sketch.add(UInt64(bitPattern: hash), df) }
            }
            try sketch.flush()
            try db.execute(sql: """
                DROP TABLE shingle_df;
                UPDATE meta SET value = '3' WHERE key = 'schema_version';
                """)
        }
        // v4: threat-intelligence feeds (see FeedStore.swift).
        registerFeedMigration(&migrator)
        // v5: new identifiers and LSH buckets go to small `*_recent` tables, merged into the main
        // ones in key order once they hold a sixth of the store (see `mergeRecentIfDue`).
        migrator.registerMigration("v5-recent") { db in
            try db.execute(sql: """
                CREATE TABLE identifier_recent(
                    hash BLOB NOT NULL,
                    app INTEGER NOT NULL,
                    kind TEXT NOT NULL,
                    field TEXT NOT NULL,
                    PRIMARY KEY(hash, app, field)
                ) WITHOUT ROWID;
                CREATE INDEX identifier_recent_app ON identifier_recent(app);
                CREATE TABLE lsh_recent(bucket INTEGER NOT NULL, app INTEGER NOT NULL, PRIMARY KEY(bucket, app)) WITHOUT ROWID;
                INSERT OR IGNORE INTO meta(key, value) VALUES ('recent_applications', '0');
                UPDATE meta SET value = '5' WHERE key = 'schema_version';
                """)
        }
        // v6: an index for counting expired feed entries (see FeedStore.swift).
        registerFeedExpiryMigration(&migrator)
        // v7: the shingle sketch's blobs are saved every `sketchSaveInterval` screenings, not in
        // every transaction; `sketch_through` is the last application they count (all of them,
        // in a store made before), and `sketch_generation` changes with every change to the
        // counts (see SketchBuffer).
        migrator.registerMigration("v7-sketch-deferred") { db in
            try db.execute(sql: """
                INSERT OR REPLACE INTO meta(key, value) VALUES ('sketch_through', (SELECT CAST(coalesce(max(id), 0) AS TEXT) FROM application));
                INSERT OR REPLACE INTO meta(key, value) VALUES ('sketch_generation', '0');
                UPDATE meta SET value = '7' WHERE key = 'schema_version';
                """)
        }
        // v8: running counts of identifiers by kind and of résumé signatures, so that `store
        // stats` reads a few rows instead of the whole store (23 s on 1,000,000 applications).
        // The migration counts once.
        migrator.registerMigration("v8-counts") { db in
            try db.execute(sql: """
                CREATE TABLE identifier_count(kind TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
                INSERT INTO identifier_count(kind, n)
                    SELECT kind, count(*) FROM (SELECT kind FROM identifier UNION ALL SELECT kind FROM identifier_recent) GROUP BY kind;
                INSERT OR REPLACE INTO meta(key, value)
                    VALUES ('resume_signatures', (SELECT CAST(count(*) AS TEXT) FROM application WHERE signature IS NOT NULL));
                UPDATE meta SET value = '8' WHERE key = 'schema_version';
                """)
        }
        return migrator
    }

    /// One IMMEDIATE transaction: rolled back on any error, so a failure or a kill mid-way
    /// leaves nothing half-written.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try pool.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                return result!
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.database(Self.describe(error))
        }
    }

    // MARK: - Screening

    struct StoredApplication {
        var rowID: Int64
        var externalID: String
        var receivedAt: Date?
        var nameTokens: [NameTokenHash]
        var hasOnboarding: Bool
    }

    static func application(_ row: Row) -> StoredApplication {
        StoredApplication(
            rowID: row["id"],
            externalID: row["external_id"],
            receivedAt: (row["received_at"] as Double?).map { Date(timeIntervalSince1970: $0) },
            nameTokens: NameTokenCoding.decode(row["name_tokens"] as Data? ?? Data()),
            hasOnboarding: row["has_onboarding"] as Bool? ?? false
        )
    }

    public func screen(_ record: IdentityRecord, record shouldRecord: Bool) async throws -> [ReuseMatch] {
        try screenSync(record, record: shouldRecord)
    }

    public func screenSync(_ record: IdentityRecord, record shouldRecord: Bool) throws -> [ReuseMatch] {
        try screenBatch([record], record: shouldRecord)[0]
    }

    public func screen(batch records: [IdentityRecord], record shouldRecord: Bool) async throws -> [[ReuseMatch]] {
        try screenBatch(records, record: shouldRecord)
    }

    /// Screens several records in order in one transaction (each sees the ones before it):
    /// the fast path for batches and bulk loads.
    public func screenBatch(_ records: [IdentityRecord], record shouldRecord: Bool = true) throws -> [[ReuseMatch]] {
        // The kept buffer is taken out for the transaction and put back only once it has
        // committed: after a rollback its counts would be ahead of the store's.
        let kept = keptSketchLock.withLock {
            defer { keptSketch = nil }
            return keptSketch
        }
        var used: SketchBuffer?
        let results = try write { db in
            let sketch = try kept.flatMap { try $0.reuse(db) ? $0 : nil } ?? SketchBuffer(db, frequentMinimum: commonShingleMinimum)
            used = sketch
            let counts = RunningCounts()
            let filter = try self.filter(db, screening: records.count)
            let results = try records.map { record in
                let (matches, signature) = try self.matches(db, record, sketch: sketch, filter: filter)
                if shouldRecord { try self.insert(db, record, signature: signature, sketch: sketch, counts: counts, filter: filter) }
                return matches
            }
            try counts.write(db)
            try sketch.flush(save: sketch.unsaved >= sketchSaveInterval)
            if shouldRecord { try mergeRecentIfDue(db) }
            // Should this transaction roll back, the row at `through` is not there (or holds
            // another application's `recorded_at`), and the next one rebuilds the filter.
            if shouldRecord, let filter { filter.through = try KeyFilter.head(db) }
            return results
        }
        keptSketchLock.withLock { keptSketch = used }
        return results
    }

    /// The key filter for a write transaction: brought up to date with what other connections
    /// recorded, built or rebuilt when due, nil while it is not worth building.
    func filter(_ db: Database, screening records: Int) throws -> KeyFilter? {
        guard usesKeyFilter else { return nil }
        return try filterLock.withLock {
            screenedHere += records
            if let kept = keyFilter, try kept.catchUp(db) { return kept }
            let rebuild = keyFilter != nil
            keyFilter = nil
            let applications = try Int.fetchOne(db.cachedStatement(sql: "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'applications'")) ?? 0
            guard rebuild || screenedHere * keyFilterBuildRatio >= applications else { return nil }
            keyFilter = try KeyFilter.build(db, minimumCapacity: keyFilterMinimumCapacity)
            keyFilterBuilds += 1
            return keyFilter
        }
    }

    func commonLimit(_ db: Database) throws -> Int {
        let count = try Int.fetchOne(db.cachedStatement(sql: "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'applications'")) ?? 0
        return max(commonShingleMinimum, Int(Double(count) * commonShingleFraction))
    }

    func signature(_ db: Database, _ record: IdentityRecord, sketch: SketchBuffer) throws -> (signature: [UInt64], excluded: Set<UInt64>)? {
        let limit = try commonLimit(db)
        let common: (Set<UInt64>) throws -> Set<UInt64> = { shingles in try shingles.filter { try sketch.estimate($0) >= limit } }
        if let ranking = record.ranking { return try MinHash.signature(ranking: ranking, common: common) }
        return try MinHash.signature(Array(record.shingles.keys), common: common)
    }

    func matches(_ db: Database, _ record: IdentityRecord, sketch: SketchBuffer, filter: KeyFilter? = nil)
        throws -> ([ReuseMatch], (signature: [UInt64], excluded: Set<UInt64>)?) {
        var matches: [ReuseMatch] = []
        var seen: Set<String> = []
        var direct: [Int64: StoredApplication] = [:]
        for identifier in record.identifiers {
            if let filter, !filter.mayContain(KeyFilter.key(identifier: identifier.hash)) {
                lookUpsSkipped += 1
                continue
            }
            let rows = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT a.id, a.external_id, a.received_at, a.name_tokens, a.has_onboarding, i.field
                FROM (SELECT app, field FROM identifier WHERE hash = ?1
                      UNION ALL SELECT app, field FROM identifier_recent WHERE hash = ?1) i
                JOIN application a ON a.id = i.app
                WHERE a.external_id != ?2
                LIMIT ?3
                """), arguments: [identifier.hash, record.applicationID, maxCandidates])
            for row in rows {
                let other = Self.application(row)
                let otherField: String = row["field"]
                let dedupe = "\(identifier.kind)|\(identifier.field)|\(other.externalID)|\(otherField)"
                guard seen.insert(dedupe).inserted else { continue }
                if IdentityRecord.joinsCluster(kind: identifier.kind, field: identifier.field, otherField: otherField) { direct[other.rowID] = other }
                matches.append(ReuseMatch(
                    kind: identifier.kind, field: identifier.field, otherApplicationID: other.externalID,
                    otherReceivedAt: other.receivedAt,
                    differentIdentity: !NameHashing.isConsistent(record.nameTokens, other.nameTokens),
                    otherField: otherField
                ))
            }
        }
        let computed = try self.signature(db, record, sketch: sketch)
        if let (signature, excluded) = computed {
            for (other, similarity, shared) in try nearDuplicates(db, signature: signature, excluded: excluded,
                                                                  excludingID: record.applicationID, filter: filter) {
                direct[other.rowID] = other
                matches.append(ReuseMatch(
                    kind: "resume-near-duplicate", field: "resume.text", otherApplicationID: other.externalID,
                    otherReceivedAt: other.receivedAt,
                    differentIdentity: !NameHashing.isConsistent(record.nameTokens, other.nameTokens),
                    similarity: (similarity * 100).rounded() / 100, otherField: "resume.text",
                    sharedPassages: MinHash.passages(shared: shared, starts: record.shingles, words: record.words)
                ))
            }
        }
        // The cluster: applications reachable through shared identifiers from the direct matches.
        if !direct.isEmpty {
            let members = try cluster(db, from: direct, excluding: record.applicationID)
            for (member, via) in members.sorted(by: { $0.key.externalID < $1.key.externalID }) {
                matches.append(ReuseMatch(
                    kind: "cluster", field: "via " + via, otherApplicationID: member.externalID,
                    otherReceivedAt: member.receivedAt,
                    differentIdentity: !NameHashing.isConsistent(record.nameTokens, member.nameTokens)
                ))
            }
        }
        return (matches, computed)
    }

    struct MemberKey: Hashable {
        var rowID: Int64
        var externalID: String
        var receivedAt: Date?
        var nameTokens: [NameTokenHash]
    }

    /// Breadth-first over strong shared identifiers, starting from the direct matches. The
    /// application under review (`excluding`, when it is already recorded) is never its own member.
    func cluster(_ db: Database, from direct: [Int64: StoredApplication], excluding: String) throws -> [MemberKey: String] {
        var out: [MemberKey: String] = [:]
        var visited = Set(direct.keys)
        var frontier = Array(direct.values)
        for app in frontier {
            out[MemberKey(rowID: app.rowID, externalID: app.externalID, receivedAt: app.receivedAt, nameTokens: app.nameTokens)] = "direct match"
        }
        var depth = 0
        while !frontier.isEmpty, depth < 3, out.count < maxClusterSize {
            depth += 1
            var next: [StoredApplication] = []
            for app in frontier {
                for (other, kinds) in try neighbours(db, of: app.rowID) where !visited.contains(other.rowID) {
                    visited.insert(other.rowID)
                    if other.externalID == excluding { continue }
                    next.append(other)
                    out[MemberKey(rowID: other.rowID, externalID: other.externalID, receivedAt: other.receivedAt, nameTokens: other.nameTokens)] =
                        "\(kinds.sorted().joined(separator: ", ")) shared with \(app.externalID)"
                    if out.count >= maxClusterSize { return out }
                }
            }
            frontier = next
        }
        return out
    }

    func neighbours(_ db: Database, of rowID: Int64) throws -> [(StoredApplication, Set<String>)] {
        let kinds = IdentityRecord.clusterKinds.map { "'\($0)'" }.joined(separator: ",")
        let joins = IdentityRecord.clusterCondition(kind: "m.kind", mine: "m.field", theirs: "i.field")
        let rows = try Row.fetchAll(db.cachedStatement(sql: """
            WITH mine AS (
                SELECT hash, kind, field FROM identifier WHERE app = ?1 AND kind IN (\(kinds))
                UNION ALL SELECT hash, kind, field FROM identifier_recent WHERE app = ?1 AND kind IN (\(kinds))
            ), others AS (
                SELECT i.app, m.kind FROM mine m JOIN identifier i ON i.hash = m.hash WHERE i.app != ?1 AND \(joins)
                UNION ALL SELECT i.app, m.kind FROM mine m JOIN identifier_recent i ON i.hash = m.hash WHERE i.app != ?1 AND \(joins)
            )
            SELECT a.id, a.external_id, a.received_at, a.name_tokens, a.has_onboarding, o.kind
            FROM others o JOIN application a ON a.id = o.app
            LIMIT ?2
            """), arguments: [rowID, maxCandidates])
        var byID: [Int64: (StoredApplication, Set<String>)] = [:]
        for row in rows {
            let app = Self.application(row)
            byID[app.rowID, default: (app, [])].1.insert(row["kind"])
        }
        return Array(byID.values)
    }

    /// Candidates are the applications in the record's LSH buckets, at most `maxPerBucket`
    /// of the most recent from each bucket (a bucket made popular by template text would
    /// otherwise make every look-up read a list that grows with the store), ranked by how many
    /// buckets they share; the best `maxNearCandidates` (of which at most `maxSingleBandCandidates`
    /// share a single bucket) are compared signature by signature.
    func nearDuplicates(_ db: Database, signature: [UInt64], excluded: Set<UInt64>, excludingID: String, filter: KeyFilter? = nil)
        throws -> [(StoredApplication, Double, Set<UInt64>)] {
        guard MinHash.comparable(signature, common: excluded) else { return [] }
        var buckets = MinHash.buckets(signature)
        // A bucket no application is in adds no candidate.
        if let filter {
            buckets.removeAll { !filter.mayContain(KeyFilter.key(bucket: $0)) }
            if buckets.isEmpty { lookUpsSkipped += 1 }
        }
        if buckets.isEmpty { return [] }
        let perBucket = buckets.count + 1, candidates = buckets.count + 2, excluding = buckets.count + 3, singles = buckets.count + 4
        let arms = (1...buckets.count).flatMap { i in
            ["SELECT app FROM (SELECT app FROM lsh WHERE bucket = ?\(i) ORDER BY app DESC LIMIT ?\(perBucket))",
             "SELECT app FROM (SELECT app FROM lsh_recent WHERE bucket = ?\(i) ORDER BY app DESC LIMIT ?\(perBucket))"]
        }.joined(separator: "\n UNION ALL ")
        let rows = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT a.id, a.external_id, a.received_at, a.name_tokens, a.has_onboarding, a.signature
            FROM (SELECT app, hits, ROW_NUMBER() OVER (ORDER BY hits DESC, app DESC) AS rank
                  FROM (SELECT app, COUNT(*) AS hits FROM (\(arms)) GROUP BY app)) c
            JOIN application a ON a.id = c.app
            WHERE c.rank <= ?\(candidates) AND (c.hits >= 2 OR c.rank <= ?\(singles)) AND a.external_id != ?\(excluding)
            """), arguments: StatementArguments(buckets.map { $0 as any DatabaseValueConvertible }
                                                + [maxPerBucket, maxNearCandidates, excludingID, maxSingleBandCandidates]) ?? [])
        var out: [(StoredApplication, Double, Set<UInt64>)] = []
        for row in rows {
            guard let data = row["signature"] as Data?, let other = MinHash.decode(data),
                  let (similarity, shared) = MinHash.compare(signature, other, common: excluded, atLeast: MinHash.threshold) else { continue }
            out.append((Self.application(row), similarity, shared))
        }
        return out.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0.rowID < $1.0.rowID }
    }

    func insert(_ db: Database, _ record: IdentityRecord, signature: (signature: [UInt64], excluded: Set<UInt64>)?? = nil,
                sketch shared: SketchBuffer? = nil, counts sharedCounts: RunningCounts? = nil, filter: KeyFilter? = nil) throws {
        let sketch = try shared ?? SketchBuffer(db, frequentMinimum: commonShingleMinimum)
        _ = try remove(db, externalID: record.applicationID, sketch: sketch)
        let sig = try signature ?? self.signature(db, record, sketch: sketch)
        try db.cachedStatement(sql: """
            INSERT INTO application(external_id, received_at, recorded_at, name_tokens, has_onboarding, signature)
            VALUES (?, ?, ?, ?, ?, ?)
            """).execute(arguments: [record.applicationID, record.receivedAt?.timeIntervalSince1970, Date().timeIntervalSince1970,
                             NameTokenCoding.encode(record.nameTokens), record.hasOnboarding, sig.map { MinHash.encode($0.signature) }])
        let rowID = db.lastInsertedRowID
        let identifierInsert = try db.cachedStatement(sql: "INSERT OR IGNORE INTO identifier_recent(hash, app, kind, field) VALUES (?, ?, ?, ?)")
        let counts = sharedCounts ?? RunningCounts()
        for identifier in record.identifiers {
            try identifierInsert.execute(arguments: [identifier.hash, rowID, identifier.kind, identifier.field])
            if db.changesCount > 0 { counts.identifiers[identifier.kind, default: 0] += 1 }
            filter?.insert(KeyFilter.key(identifier: identifier.hash))
        }
        if sig != nil { counts.signatures += 1 }
        if sharedCounts == nil { try counts.write(db) }
        if let sig {
            let bucketInsert = try db.cachedStatement(sql: "INSERT OR IGNORE INTO lsh_recent(bucket, app) VALUES (?, ?)")
            for bucket in Set(MinHash.buckets(sig.signature)) {
                try bucketInsert.execute(arguments: [bucket, rowID])
                filter?.insert(KeyFilter.key(bucket: bucket))
            }
            try sketch.count(signature: sig.signature)
        }
        try db.cachedStatement(sql: "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key IN ('applications', 'recent_applications')").execute()
        if shared == nil { try sketch.flush() }
    }

    /// Changes to the running counts, gathered over a transaction's screenings and written once.
    final class RunningCounts {
        var identifiers: [String: Int] = [:]
        var signatures = 0

        func write(_ db: Database) throws {
            try SQLiteIdentityStore.count(db, identifiers: identifiers, signatures: signatures)
            identifiers = [:]
            signatures = 0
        }
    }

    /// Moves the running counts `store stats` reads (schema v8): identifiers by kind, and résumé
    /// signatures (applications whose `signature` is not null).
    static func count(_ db: Database, identifiers kinds: [String: Int], signatures: Int) throws {
        let upsert = try db.cachedStatement(sql: """
            INSERT INTO identifier_count(kind, n) VALUES (?, ?) ON CONFLICT(kind) DO UPDATE SET n = n + excluded.n
            """)
        for (kind, n) in kinds where n != 0 { try upsert.execute(arguments: [kind, n]) }
        if signatures != 0 {
            try db.cachedStatement(sql: "UPDATE meta SET value = CAST(value AS INTEGER) + ? WHERE key = 'resume_signatures'")
                .execute(arguments: [signatures])
        }
    }

    /// New rows go to `identifier_recent` and `lsh_recent`, small enough to stay in the page
    /// cache, so each screening's random inserts touch few pages. Once the recent tables hold
    /// a sixth of the store (at least 2,000 applications) they are merged into the main tables
    /// in key order, in the same transaction: each main-table page is then written about once
    /// per merge, and as merges come at geometrically growing sizes the total writing stays
    /// proportional to the number of applications (inserting straight into the main indexes
    /// dirties a share of their pages that grows with the store, on every commit).
    func mergeRecentIfDue(_ db: Database) throws {
        let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'applications') AS applications,
                   (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'recent_applications') AS recent
            """))
        let applications = row?["applications"] as Int? ?? 0, recent = row?["recent"] as Int? ?? 0
        guard recent >= max(Self.recentMergeMinimum, applications / 6) else { return }
        try mergeRecent(db)
    }

    static let recentMergeMinimum = 2000

    func mergeRecent(_ db: Database) throws {
        try db.execute(sql: """
            INSERT OR IGNORE INTO identifier(hash, app, kind, field)
                SELECT hash, app, kind, field FROM identifier_recent ORDER BY hash, app, field;
            INSERT OR IGNORE INTO lsh(bucket, app) SELECT bucket, app FROM lsh_recent ORDER BY bucket, app;
            DELETE FROM identifier_recent;
            DELETE FROM lsh_recent;
            UPDATE meta SET value = '0' WHERE key = 'recent_applications';
            """)
    }

    /// Records applications without looking them up, for building large stores quickly (the
    /// benchmarks' 1,000,000-application store): identifier and LSH rows are sorted by key before
    /// they are inserted, so the indexes grow in order. The signatures are taken as given (with
    /// their counts added to the sketch). Application ids must be new to the store.
    /// Screenings use ``screenBatch(_:record:)``.
    public func bulkRecord(_ records: [(record: IdentityRecord, signature: [UInt64]?)]) throws {
        try write { db in
            let sketch = try SketchBuffer(db, frequentMinimum: commonShingleMinimum)
            var identifiers: [(Data, Int64, String, String)] = []
            var buckets: [(Int64, Int64)] = []
            let insert = try db.cachedStatement(sql: """
                INSERT INTO application(external_id, received_at, recorded_at, name_tokens, has_onboarding, signature)
                VALUES (?, ?, ?, ?, ?, ?)
                """)
            let now = Date().timeIntervalSince1970
            for (record, signature) in records {
                try insert.execute(arguments: [record.applicationID, record.receivedAt?.timeIntervalSince1970, now,
                                               NameTokenCoding.encode(record.nameTokens), record.hasOnboarding, signature.map(MinHash.encode)])
                let rowID = db.lastInsertedRowID
                for identifier in record.identifiers { identifiers.append((identifier.hash, rowID, identifier.kind, identifier.field)) }
                if let signature {
                    for bucket in Set(MinHash.buckets(signature)) { buckets.append((bucket, rowID)) }
                    try sketch.count(signature: signature)
                }
            }
            identifiers.sort { $0.0.lexicographicallyPrecedes($1.0) || ($0.0 == $1.0 && ($0.1, $0.3) < ($1.1, $1.3)) }
            let identifierInsert = try db.cachedStatement(sql: "INSERT OR IGNORE INTO identifier(hash, app, kind, field) VALUES (?, ?, ?, ?)")
            var kinds: [String: Int] = [:]
            for (hash, app, kind, field) in identifiers {
                try identifierInsert.execute(arguments: [hash, app, kind, field])
                if db.changesCount > 0 { kinds[kind, default: 0] += 1 }
            }
            try Self.count(db, identifiers: kinds, signatures: records.filter { $0.signature != nil }.count)
            buckets.sort { $0 < $1 }
            let bucketInsert = try db.cachedStatement(sql: "INSERT OR IGNORE INTO lsh(bucket, app) VALUES (?, ?)")
            for (bucket, app) in buckets { try bucketInsert.execute(arguments: [bucket, app]) }
            try db.execute(sql: "UPDATE meta SET value = CAST(value AS INTEGER) + ? WHERE key = 'applications'", arguments: [records.count])
            try sketch.flush()
        }
    }

    /// Deletes an application, its identifiers and buckets, and its signature's contribution
    /// to the shingle counts.
    func remove(_ db: Database, externalID: String, sketch shared: SketchBuffer? = nil) throws -> Bool {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT id, signature FROM application WHERE external_id = ?"),
                                         arguments: [externalID]) else {
            return false
        }
        let rowID: Int64 = row["id"]
        if let data = row["signature"] as Data? {
            // A signature that cannot be decoded gave no buckets and no counts when it was stored.
            if let signature = MinHash.decode(data) {
                let sketch = try shared ?? SketchBuffer(db, frequentMinimum: commonShingleMinimum)
                try sketch.uncount(signature: signature)
                if shared == nil { try sketch.flush() }
                let bucketDelete = try db.cachedStatement(sql: "DELETE FROM lsh WHERE bucket = ? AND app = ?")
                let recentDelete = try db.cachedStatement(sql: "DELETE FROM lsh_recent WHERE bucket = ? AND app = ?")
                for bucket in Set(MinHash.buckets(signature)) {
                    try bucketDelete.execute(arguments: [bucket, rowID])
                    try recentDelete.execute(arguments: [bucket, rowID])
                }
            }
        }
        var kinds: [String: Int] = [:]
        for row in try Row.fetchAll(db.cachedStatement(sql: """
            SELECT kind, count(*) AS n FROM (SELECT kind FROM identifier WHERE app = ?1 UNION ALL SELECT kind FROM identifier_recent WHERE app = ?1)
            GROUP BY kind
            """), arguments: [rowID]) {
            kinds[row["kind"]] = -(row["n"] as Int)
        }
        try Self.count(db, identifiers: kinds, signatures: row["signature"] == nil ? 0 : -1)
        try db.execute(sql: "DELETE FROM identifier WHERE app = ?", arguments: [rowID])
        try db.execute(sql: "DELETE FROM identifier_recent WHERE app = ?", arguments: [rowID])
        try db.execute(sql: "DELETE FROM application WHERE id = ?", arguments: [rowID])
        try db.execute(sql: "UPDATE meta SET value = CAST(value AS INTEGER) - 1 WHERE key = 'applications'")
        return true
    }

    // MARK: - Commands

    public func forget(applicationID: String) async throws -> Bool {
        try forgetSync(applicationID: applicationID)
    }

    public func forgetSync(applicationID: String) throws -> Bool {
        let removed = try write { db in
            // Reports of the application's screenings go too; decisions and the audit log keep the id only.
            let screenings = try ReviewRecords.removeScreenings(db, applicationID: applicationID)
            return try remove(db, externalID: applicationID) || screenings
        }
        // Copy the overwritten pages into the main file and empty the WAL, so no old page
        // holding the application survives in the log.
        _ = try? pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        return removed
    }

    public func stats() async throws -> StoreStats { try statsSync() }

    /// The number of applications recorded, from the running count every screening updates
    /// (``statsSync()`` counts rows and identifier kinds, which reads the whole store).
    public func applicationCount() throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'applications'") ?? 0 }
    }

    /// How many recorded signatures the shingle sketch's stored blobs do not count yet (fewer
    /// than ``sketchSaveInterval``): what a screening reads back when it makes its sketch buffer.
    public func unsavedSketchSignatures() throws -> Int {
        try pool.read { db in try SketchBuffer.unsavedCount(db) }
    }

    public func statsSync() throws -> StoreStats {
        let frequentMinimum = commonShingleMinimum
        return try pool.read { db in
            let applications = try Int.fetchOne(db, sql: "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'applications'") ?? 0
            let limit = max(commonShingleMinimum, Int(Double(applications) * commonShingleFraction))
            let sketch = try SketchBuffer(db, frequentMinimum: frequentMinimum)
            var common = 0
            for hash in try Int64.fetchAll(db, sql: "SELECT hash FROM frequent_shingle") where try sketch.estimate(UInt64(bitPattern: hash)) >= limit {
                common += 1
            }
            var kinds: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT kind, n FROM identifier_count WHERE n > 0") {
                kinds[row["kind"]] = row["n"]
            }
            let attributes = try? FileManager.default.attributesOfItem(atPath: path)
            return StoreStats(
                schemaVersion: Int(try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'schema_version'") ?? "") ?? 0,
                applications: applications,
                identifiersByKind: kinds,
                resumeSignatures: try Int.fetchOne(db, sql: "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'resume_signatures'") ?? 0,
                commonShingles: common,
                location: path,
                bytes: (attributes?[.size] as? NSNumber)?.int64Value
            )
        }
    }

    /// The counts ``statsSync()`` reads from running totals, counted from the rows instead
    /// (reads the whole store): what the totals must always equal.
    func countedByScanning() throws -> (applications: Int, identifiersByKind: [String: Int], resumeSignatures: Int) {
        try pool.read { db in
            var kinds: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT kind, count(*) AS n FROM (SELECT kind FROM identifier UNION ALL SELECT kind FROM identifier_recent) GROUP BY kind") {
                kinds[row["kind"]] = row["n"]
            }
            return (try Int.fetchOne(db, sql: "SELECT count(*) FROM application") ?? 0, kinds,
                    try Int.fetchOne(db, sql: "SELECT count(*) FROM application WHERE signature IS NOT NULL") ?? 0)
        }
    }

    public func links(applicationID: String) async throws -> LinkReport? { try linksSync(applicationID: applicationID) }

    public func linksSync(applicationID: String) throws -> LinkReport? {
        try pool.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM application WHERE external_id = ?", arguments: [applicationID]) else {
                return nil
            }
            let root = Self.application(row)
            var visited: Set<Int64> = [root.rowID]
            var frontier = [root]
            var linked: [LinkedApplication] = []
            var truncated = false
            var distance = 0
            outer: while !frontier.isEmpty, distance < 4 {
                distance += 1
                var next: [StoredApplication] = []
                for app in frontier {
                    var found: [(StoredApplication, [String])] = try neighbours(db, of: app.rowID).map { ($0.0, $0.1.sorted()) }
                    if let data = try Data.fetchOne(db, sql: "SELECT signature FROM application WHERE id = ?", arguments: [app.rowID]),
                       let signature = MinHash.decode(data) {
                        for (other, similarity, _) in try nearDuplicates(db, signature: signature, excluded: [], excludingID: app.externalID) {
                            if let index = found.firstIndex(where: { $0.0.rowID == other.rowID }) {
                                found[index].1.append(String(format: "resume-near-duplicate (%.2f)", similarity))
                            } else {
                                found.append((other, [String(format: "resume-near-duplicate (%.2f)", similarity)]))
                            }
                        }
                    }
                    for (other, via) in found where !visited.contains(other.rowID) {
                        visited.insert(other.rowID)
                        next.append(other)
                        linked.append(LinkedApplication(
                            applicationID: other.externalID, receivedAt: other.receivedAt, distance: distance, via: via,
                            reachedFrom: app.externalID,
                            differentIdentity: !NameHashing.isConsistent(root.nameTokens, other.nameTokens)))
                        if linked.count >= maxClusterSize { truncated = true; break outer }
                    }
                }
                frontier = next
            }
            return LinkReport(applicationID: root.externalID, receivedAt: root.receivedAt, linked: linked, truncated: truncated)
        }
    }
}

/// Hashed name tokens as a blob: per token, a flags byte then 16-byte full, prefix and initial hashes.
public enum NameTokenCoding {
    public static func encode(_ tokens: [NameTokenHash]) -> Data? {
        guard !tokens.isEmpty else { return nil }
        var data = Data()
        for token in tokens {
            data.append((token.isInitial ? 1 : 0) | (token.prefix != nil ? 2 : 0))
            data.append(token.full.prefix(16))
            data.append(token.prefix?.prefix(16) ?? Data(count: 16))
            data.append(token.initial.prefix(16))
        }
        return data
    }

    public static func decode(_ data: Data) -> [NameTokenHash] {
        let bytes = [UInt8](data)
        var out: [NameTokenHash] = []
        var i = 0
        while i + 49 <= bytes.count {
            let flags = bytes[i]
            out.append(NameTokenHash(
                full: Data(bytes[(i + 1)..<(i + 17)]),
                prefix: flags & 2 != 0 ? Data(bytes[(i + 17)..<(i + 33)]) : nil,
                initial: Data(bytes[(i + 33)..<(i + 49)]),
                isInitial: flags & 1 != 0))
            i += 49
        }
        return out
    }
}
