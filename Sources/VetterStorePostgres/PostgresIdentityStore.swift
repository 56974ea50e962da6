import Foundation
import PostgresNIO
import VetterCore
import VetterStore

/// The identity store on PostgreSQL (`--store postgres://USER:PASSWORD@HOST:PORT/DATABASE`), so
/// that several screeners on several machines share one store. Same tables, same keyed hashes
/// and the same algorithms as ``SQLiteIdentityStore``. Every screening runs in one transaction
/// that first takes a transaction-scoped advisory lock, so concurrent screeners serialise their
/// look-up-then-record steps (nothing is lost and batch members find each other), and a killed
/// screener's transaction is rolled back by the server.
public final class PostgresIdentityStore: IdentityStore, @unchecked Sendable {
    public static let schemaVersion = 3
    static let lockID: Int64 = 0x5665_7474_6572  // "Vetter"

    let client: PostgresClient
    let runner: Task<Void, Never>
    let key: IdentityKey
    // Internal (not private): the feed tables' extension in PostgresFeedStore.swift uses them.
    let logger: Logger = {
        var logger = Logger(label: "vetter.identity-store")
        logger.logLevel = .critical
        return logger
    }()
    public let location: String
    public var commonShingleMinimum = 25
    public var commonShingleFraction = 0.002
    public var maxCandidates = 400
    /// Near-duplicate candidates: see `SQLiteIdentityStore`.
    public var maxNearCandidates = 100
    public var maxPerBucket = 32
    public var maxSingleBandCandidates = 50
    public var maxClusterSize = 100

    /// Connects, creates or checks the schema and checks the key.
    public convenience init(url: String, key: IdentityKey) async throws {
        try await self.init(url: url, key: key, migrating: true)
    }

    /// For tests: drops every table of the store at `url`, whatever its version or key.
    public static func dropEverything(url: String) async throws {
        let store = try await PostgresIdentityStore(url: url, key: IdentityKey(material: "drop-drop-drop-drop-drop"), migrating: false)
        defer { store.close() }
        try await store.dropEverything()
    }

    init(url: String, key: IdentityKey, migrating: Bool) async throws {
        guard let components = URLComponents(string: url), ["postgres", "postgresql"].contains(components.scheme ?? ""),
              let host = components.host, let user = components.user else {
            throw StoreError.unsupportedLocation("a postgres:// URL with a user and a host")
        }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        var configuration = PostgresClient.Configuration(
            host: host, port: components.port ?? 5432, username: user, password: components.password,
            database: database.isEmpty ? nil : database, tls: .disable)
        configuration.options.maximumConnections = 8
        var background = Logger(label: "vetter.identity-store")
        background.logLevel = .critical
        let client = PostgresClient(configuration: configuration, backgroundLogger: background)
        self.client = client
        self.runner = Task { await client.run() }
        self.key = key
        var redacted = components
        redacted.password = redacted.password == nil ? nil : "***"
        self.location = redacted.string ?? "postgres"
        do {
            if migrating { try await migrate() }
        } catch {
            runner.cancel()
            throw Self.wrap(error)
        }
    }

    deinit { runner.cancel() }

    /// Stops the connection pool.
    public func close() { runner.cancel() }

    static func wrap(_ error: any Error) -> any Error {
        if error is StoreError { return error }
        if let error = error as? PostgresTransactionError {
            if let inner = error.closureError { return wrap(inner) }
            if let inner = error.beginError ?? error.commitError ?? error.rollbackError { return wrap(inner) }
        }
        if let error = error as? PSQLError {
            return StoreError.database("PostgreSQL error \(error.serverInfo?[.sqlState] ?? "?"): \(error.serverInfo?[.message] ?? "\(error.code)")")
        }
        return StoreError.database("\(error)")
    }

    func transaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await client.withTransaction(logger: logger) { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(\(Self.lockID))", logger: logger)
                return try await body(connection)
            }
        } catch {
            throw Self.wrap(error)
        }
    }

    func migrate() async throws {
        let check = key.checkValue
        try await transaction { c in
            try await c.query("CREATE TABLE IF NOT EXISTS vetter_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)", logger: self.logger)
            var version: Int?
            for try await value in try await c.query("SELECT value FROM vetter_meta WHERE key = 'schema_version'", logger: self.logger).decode(String.self) {
                version = Int(value)
            }
            if let version, version > Self.schemaVersion { throw StoreError.newerSchema(found: version, supported: Self.schemaVersion) }
            if version == nil {
                // v1
                for statement in [
                    "CREATE TABLE vetter_application(id BIGSERIAL PRIMARY KEY, external_id TEXT NOT NULL UNIQUE, received_at DOUBLE PRECISION, recorded_at DOUBLE PRECISION NOT NULL, name_tokens BYTEA, has_onboarding BOOLEAN NOT NULL DEFAULT FALSE, signature BYTEA)",
                    "CREATE TABLE vetter_identifier(hash BYTEA NOT NULL, app BIGINT NOT NULL REFERENCES vetter_application(id) ON DELETE CASCADE, kind TEXT NOT NULL, field TEXT NOT NULL, PRIMARY KEY(hash, app, field))",
                    "CREATE INDEX vetter_identifier_app ON vetter_identifier(app)",
                    "CREATE TABLE vetter_lsh(bucket BIGINT NOT NULL, app BIGINT NOT NULL REFERENCES vetter_application(id) ON DELETE CASCADE, PRIMARY KEY(bucket, app))",
                    "CREATE INDEX vetter_lsh_app ON vetter_lsh(app)",
                    "CREATE TABLE vetter_shingle_df(hash BIGINT PRIMARY KEY, df INTEGER NOT NULL)",
                    "INSERT INTO vetter_meta(key, value) VALUES ('schema_version', '1'), ('applications', '0')",
                ] {
                    try await c.query(PostgresQuery(unsafeSQL: statement), logger: self.logger)
                }
            }
            if (version ?? 1) < 2 {
                // v2: threat-intelligence feeds.
                for statement in Self.feedTables + ["UPDATE vetter_meta SET value = '2' WHERE key = 'schema_version'"] {
                    try await c.query(PostgresQuery(unsafeSQL: statement), logger: self.logger)
                }
            }
            if (version ?? 1) < 3 {
                // v3: the review records of `vetter serve` (PostgresReviewStore.swift).
                for statement in Self.reviewTables + ["UPDATE vetter_meta SET value = '3' WHERE key = 'schema_version'"] {
                    try await c.query(PostgresQuery(unsafeSQL: statement), logger: self.logger)
                }
            }
            var stored: String?
            for try await value in try await c.query("SELECT value FROM vetter_meta WHERE key = 'key_check'", logger: self.logger).decode(String.self) {
                stored = value
            }
            if let stored {
                guard stored == check else { throw StoreError.wrongKey }
            } else {
                try await c.query("INSERT INTO vetter_meta(key, value) VALUES ('key_check', \(check))", logger: self.logger)
            }
        }
    }

    // MARK: - Screening

    struct Stored: Sendable {
        var rowID: Int64
        var externalID: String
        var receivedAt: Date?
        var nameTokens: [NameTokenHash]
    }

    static func stored(_ id: Int64, _ external: String, _ received: Double?, _ names: Data?) -> Stored {
        Stored(rowID: id, externalID: external, receivedAt: received.map { Date(timeIntervalSince1970: $0) },
               nameTokens: NameTokenCoding.decode(names ?? Data()))
    }

    public func screen(_ record: IdentityRecord, record shouldRecord: Bool) async throws -> [ReuseMatch] {
        try await transaction { c in
            let (matches, signature) = try await self.matches(c, record)
            if shouldRecord { try await self.insert(c, record, signature: signature) }
            return matches
        }
    }

    func commonShingles(_ c: PostgresConnection, _ shingles: Set<UInt64>) async throws -> Set<UInt64> {
        guard !shingles.isEmpty else { return [] }
        let limit = try await commonLimit(c)
        let list = shingles.map { Int64(bitPattern: $0) }
        var out: Set<UInt64> = []
        for try await hash in try await c.query("SELECT hash FROM vetter_shingle_df WHERE df >= \(limit) AND hash = ANY(\(list))", logger: logger).decode(Int64.self) {
            out.insert(UInt64(bitPattern: hash))
        }
        return out
    }

    func commonLimit(_ c: PostgresConnection) async throws -> Int {
        var count = 0
        for try await value in try await c.query("SELECT value FROM vetter_meta WHERE key = 'applications'", logger: logger).decode(String.self) {
            count = Int(value) ?? 0
        }
        return max(commonShingleMinimum, Int(Double(count) * commonShingleFraction))
    }

    func signature(_ c: PostgresConnection, _ record: IdentityRecord) async throws -> (signature: [UInt64], excluded: Set<UInt64>)? {
        let shingles = Array(record.shingles.keys)
        guard !shingles.isEmpty else { return nil }
        // MinHash.signature asks synchronously; resolve the common set round by round here.
        var known: Set<UInt64> = []
        var asked: Set<UInt64> = []
        for _ in 0..<8 {
            guard let (signature, _) = MinHash.signature(shingles, common: { $0.intersection(known) }) else { return nil }
            let fresh = Set(signature).subtracting(asked)
            if fresh.isEmpty { break }
            asked.formUnion(fresh)
            let common = try await commonShingles(c, fresh)
            if common.isEmpty { break }
            known.formUnion(common)
        }
        return MinHash.signature(shingles, common: { $0.intersection(known) })
    }

    func matches(_ c: PostgresConnection, _ record: IdentityRecord) async throws -> ([ReuseMatch], (signature: [UInt64], excluded: Set<UInt64>)?) {
        var matches: [ReuseMatch] = []
        var seen: Set<String> = []
        var direct: [Int64: Stored] = [:]
        for identifier in record.identifiers {
            let rows = try await c.query("""
                SELECT a.id, a.external_id, a.received_at, a.name_tokens, i.field
                FROM vetter_identifier i JOIN vetter_application a ON a.id = i.app
                WHERE i.hash = \(identifier.hash) AND a.external_id <> \(record.applicationID)
                LIMIT \(maxCandidates)
                """, logger: logger)
            for try await (id, external, received, names, field) in rows.decode((Int64, String, Double?, Data?, String).self) {
                let other = Self.stored(id, external, received, names)
                guard seen.insert("\(identifier.kind)|\(identifier.field)|\(external)|\(field)").inserted else { continue }
                if IdentityRecord.joinsCluster(kind: identifier.kind, field: identifier.field, otherField: field) { direct[id] = other }
                matches.append(ReuseMatch(
                    kind: identifier.kind, field: identifier.field, otherApplicationID: external, otherReceivedAt: other.receivedAt,
                    differentIdentity: !NameHashing.isConsistent(record.nameTokens, other.nameTokens), otherField: field))
            }
        }
        let computed = try await signature(c, record)
        if let (signature, excluded) = computed {
            for (other, similarity, shared) in try await nearDuplicates(c, signature: signature, excluded: excluded, excludingID: record.applicationID) {
                direct[other.rowID] = other
                matches.append(ReuseMatch(
                    kind: "resume-near-duplicate", field: "resume.text", otherApplicationID: other.externalID,
                    otherReceivedAt: other.receivedAt,
                    differentIdentity: !NameHashing.isConsistent(record.nameTokens, other.nameTokens),
                    similarity: (similarity * 100).rounded() / 100, otherField: "resume.text",
                    sharedPassages: MinHash.passages(shared: shared, starts: record.shingles, words: record.words)))
            }
        }
        if !direct.isEmpty {
            var visited = Set(direct.keys)
            var members: [(Stored, String)] = direct.values.map { ($0, "direct match") }
            var frontier = Array(direct.values)
            var depth = 0
            while !frontier.isEmpty, depth < 3, members.count < maxClusterSize {
                depth += 1
                var next: [Stored] = []
                for app in frontier {
                    for (other, kinds) in try await neighbours(c, of: app.rowID) where !visited.contains(other.rowID) {
                        visited.insert(other.rowID)
                        // The application under review, when already recorded, is never its own member.
                        if other.externalID == record.applicationID { continue }
                        next.append(other)
                        members.append((other, "\(kinds.sorted().joined(separator: ", ")) shared with \(app.externalID)"))
                    }
                }
                frontier = next
            }
            for (member, via) in members.prefix(maxClusterSize).sorted(by: { $0.0.externalID < $1.0.externalID }) {
                matches.append(ReuseMatch(
                    kind: "cluster", field: "via " + via, otherApplicationID: member.externalID, otherReceivedAt: member.receivedAt,
                    differentIdentity: !NameHashing.isConsistent(record.nameTokens, member.nameTokens)))
            }
        }
        return (matches, computed)
    }

    func neighbours(_ c: PostgresConnection, of rowID: Int64) async throws -> [(Stored, Set<String>)] {
        let kinds = Array(IdentityRecord.clusterKinds)
        let joins = IdentityRecord.clusterCondition(kind: "i1.kind", mine: "i1.field", theirs: "i2.field")
        let rows = try await c.query("""
            SELECT a.id, a.external_id, a.received_at, a.name_tokens, i1.kind
            FROM vetter_identifier i1
            JOIN vetter_identifier i2 ON i2.hash = i1.hash AND i2.app <> i1.app
            JOIN vetter_application a ON a.id = i2.app
            WHERE i1.app = \(rowID) AND i1.kind = ANY(\(kinds)) AND \(unescaped: joins)
            LIMIT \(maxCandidates)
            """, logger: logger)
        var byID: [Int64: (Stored, Set<String>)] = [:]
        for try await (id, external, received, names, kind) in rows.decode((Int64, String, Double?, Data?, String).self) {
            byID[id, default: (Self.stored(id, external, received, names), [])].1.insert(kind)
        }
        return Array(byID.values)
    }

    func nearDuplicates(_ c: PostgresConnection, signature: [UInt64], excluded: Set<UInt64>, excludingID: String) async throws
        -> [(Stored, Double, Set<UInt64>)] {
        guard MinHash.comparable(signature, common: excluded) else { return [] }
        let buckets = MinHash.buckets(signature)
        // As in the SQLite store: the most recent `maxPerBucket` of each bucket, ranked by
        // buckets shared; at most `maxSingleBandCandidates` sharing only one.
        let rows = try await c.query("""
            SELECT a.id, a.external_id, a.received_at, a.name_tokens, a.signature
            FROM (SELECT app, hits, ROW_NUMBER() OVER (ORDER BY hits DESC, app DESC) AS rank
                  FROM (SELECT l.app, COUNT(*) AS hits
                        FROM unnest(\(buckets)::BIGINT[]) AS b(bucket)
                        CROSS JOIN LATERAL (SELECT app FROM vetter_lsh WHERE bucket = b.bucket ORDER BY app DESC LIMIT \(maxPerBucket)) l
                        GROUP BY l.app) counted) c
            JOIN vetter_application a ON a.id = c.app
            WHERE c.rank <= \(maxNearCandidates) AND (c.hits >= 2 OR c.rank <= \(maxSingleBandCandidates)) AND a.external_id <> \(excludingID)
            """, logger: logger)
        var out: [(Stored, Double, Set<UInt64>)] = []
        for try await (id, external, received, names, data) in rows.decode((Int64, String, Double?, Data?, Data?).self) {
            guard let data, let other = MinHash.decode(data),
                  let (similarity, shared) = MinHash.compare(signature, other, common: excluded, atLeast: MinHash.threshold) else { continue }
            out.append((Self.stored(id, external, received, names), similarity, shared))
        }
        return out.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0.rowID < $1.0.rowID }
    }

    func insert(_ c: PostgresConnection, _ record: IdentityRecord, signature sig: (signature: [UInt64], excluded: Set<UInt64>)?) async throws {
        _ = try await remove(c, externalID: record.applicationID)
        let names = NameTokenCoding.encode(record.nameTokens)
        let signature = sig.map { MinHash.encode($0.signature) }
        let received = record.receivedAt?.timeIntervalSince1970
        let now = Date().timeIntervalSince1970
        var rowID: Int64 = 0
        for try await id in try await c.query("""
            INSERT INTO vetter_application(external_id, received_at, recorded_at, name_tokens, has_onboarding, signature)
            VALUES (\(record.applicationID), \(received), \(now), \(names), \(record.hasOnboarding), \(signature)) RETURNING id
            """, logger: logger).decode(Int64.self) {
            rowID = id
        }
        for identifier in record.identifiers {
            try await c.query("""
                INSERT INTO vetter_identifier(hash, app, kind, field) VALUES (\(identifier.hash), \(rowID), \(identifier.kind), \(identifier.field))
                ON CONFLICT DO NOTHING
                """, logger: logger)
        }
        if let sig {
            let buckets = Array(Set(MinHash.buckets(sig.signature)))
            try await c.query("INSERT INTO vetter_lsh(bucket, app) SELECT unnest(\(buckets)::BIGINT[]), \(rowID) ON CONFLICT DO NOTHING", logger: logger)
            let shingles = Set(sig.signature).map { Int64(bitPattern: $0) }
            try await c.query("""
                INSERT INTO vetter_shingle_df(hash, df) SELECT unnest(\(shingles)::BIGINT[]), 1
                ON CONFLICT(hash) DO UPDATE SET df = vetter_shingle_df.df + 1
                """, logger: logger)
        }
        try await c.query("UPDATE vetter_meta SET value = (value::BIGINT + 1)::TEXT WHERE key = 'applications'", logger: logger)
    }

    func remove(_ c: PostgresConnection, externalID: String) async throws -> Bool {
        var found: (Int64, Data?)?
        for try await (id, data) in try await c.query("SELECT id, signature FROM vetter_application WHERE external_id = \(externalID)", logger: logger)
            .decode((Int64, Data?).self) {
            found = (id, data)
        }
        guard let (rowID, data) = found else { return false }
        if let data, let signature = MinHash.decode(data) {
            let shingles = Set(signature).map { Int64(bitPattern: $0) }
            try await c.query("UPDATE vetter_shingle_df SET df = df - 1 WHERE hash = ANY(\(shingles))", logger: logger)
            try await c.query("DELETE FROM vetter_shingle_df WHERE df <= 0", logger: logger)
        }
        try await c.query("DELETE FROM vetter_identifier WHERE app = \(rowID)", logger: logger)
        try await c.query("DELETE FROM vetter_lsh WHERE app = \(rowID)", logger: logger)
        try await c.query("DELETE FROM vetter_application WHERE id = \(rowID)", logger: logger)
        try await c.query("UPDATE vetter_meta SET value = (value::BIGINT - 1)::TEXT WHERE key = 'applications'", logger: logger)
        return true
    }

    // MARK: - Commands

    public func forget(applicationID: String) async throws -> Bool {
        try await transaction { c in
            // Reports of the application's screenings go too; decisions and the audit log keep the id only.
            let screenings = try await self.removeScreenings(c, applicationID: applicationID)
            return try await self.remove(c, externalID: applicationID) || screenings
        }
    }

    public func stats() async throws -> StoreStats {
        try await transaction { c in
            var kinds: [String: Int] = [:]
            for try await (kind, n) in try await c.query("SELECT kind, count(*) FROM vetter_identifier GROUP BY kind", logger: self.logger).decode((String, Int64).self) {
                kinds[kind] = Int(n)
            }
            var applications = 0, signatures = 0, common = 0, version = 0
            for try await n in try await c.query("SELECT count(*) FROM vetter_application", logger: self.logger).decode(Int64.self) { applications = Int(n) }
            for try await n in try await c.query("SELECT count(*) FROM vetter_application WHERE signature IS NOT NULL", logger: self.logger).decode(Int64.self) { signatures = Int(n) }
            let limit = max(self.commonShingleMinimum, Int(Double(applications) * self.commonShingleFraction))
            for try await n in try await c.query("SELECT count(*) FROM vetter_shingle_df WHERE df >= \(limit)", logger: self.logger).decode(Int64.self) { common = Int(n) }
            for try await v in try await c.query("SELECT value FROM vetter_meta WHERE key = 'schema_version'", logger: self.logger).decode(String.self) { version = Int(v) ?? 0 }
            return StoreStats(schemaVersion: version, applications: applications, identifiersByKind: kinds, resumeSignatures: signatures,
                              commonShingles: common, location: self.location, bytes: nil)
        }
    }

    public func links(applicationID: String) async throws -> LinkReport? {
        try await transaction { c in
            var rootRow: (Stored, Data?)?
            for try await (id, external, received, names, data) in try await c.query(
                "SELECT id, external_id, received_at, name_tokens, signature FROM vetter_application WHERE external_id = \(applicationID)",
                logger: self.logger).decode((Int64, String, Double?, Data?, Data?).self) {
                rootRow = (Self.stored(id, external, received, names), data)
            }
            guard let (root, _) = rootRow else { return nil }
            var visited: Set<Int64> = [root.rowID]
            var frontier = [root]
            var linked: [LinkedApplication] = []
            var distance = 0
            var truncated = false
            outer: while !frontier.isEmpty, distance < 4 {
                distance += 1
                var next: [Stored] = []
                for app in frontier {
                    var found: [(Stored, [String])] = try await self.neighbours(c, of: app.rowID).map { ($0.0, $0.1.sorted()) }
                    var signatureData: Data?
                    for try await data in try await c.query("SELECT signature FROM vetter_application WHERE id = \(app.rowID)", logger: self.logger).decode(Data?.self) {
                        signatureData = data
                    }
                    if let signatureData, let signature = MinHash.decode(signatureData) {
                        for (other, similarity, _) in try await self.nearDuplicates(c, signature: signature, excluded: [], excludingID: app.externalID) {
                            let label = String(format: "resume-near-duplicate (%.2f)", similarity)
                            if let index = found.firstIndex(where: { $0.0.rowID == other.rowID }) { found[index].1.append(label) } else { found.append((other, [label])) }
                        }
                    }
                    for (other, via) in found where !visited.contains(other.rowID) {
                        visited.insert(other.rowID)
                        next.append(other)
                        linked.append(LinkedApplication(
                            applicationID: other.externalID, receivedAt: other.receivedAt, distance: distance, via: via, reachedFrom: app.externalID,
                            differentIdentity: !NameHashing.isConsistent(root.nameTokens, other.nameTokens)))
                        if linked.count >= self.maxClusterSize { truncated = true; break outer }
                    }
                }
                frontier = next
            }
            return LinkReport(applicationID: root.externalID, receivedAt: root.receivedAt, linked: linked, truncated: truncated)
        }
    }

    /// For tests: every stored value as text, to check that no raw personal data is kept.
    public func dumpAllText() async throws -> String {
        try await transaction { c in
            var out = ""
            for table in ["vetter_meta", "vetter_application", "vetter_identifier", "vetter_lsh", "vetter_shingle_df", "vetter_feed", "vetter_feed_entry",
                          "vetter_screening", "vetter_api_token", "vetter_decision", "vetter_audit_log"] {
                for try await line in try await c.query(PostgresQuery(unsafeSQL: "SELECT t::TEXT FROM \(table) t"), logger: self.logger).decode(String.self) {
                    out += line + "\n"
                }
            }
            return out
        }
    }

    /// For tests: sets the stored schema version.
    public func setSchemaVersionForTesting(_ version: Int) async throws {
        _ = try await transaction { c in
            try await c.query("UPDATE vetter_meta SET value = \(String(version)) WHERE key = 'schema_version'", logger: self.logger)
        }
    }

    /// For tests: drops every table of the store.
    public func dropEverything() async throws {
        _ = try await transaction { c in
            try await c.query("""
                DROP TABLE IF EXISTS vetter_screening, vetter_api_token, vetter_decision, vetter_audit_log,
                    vetter_feed_entry, vetter_feed, vetter_lsh, vetter_identifier, vetter_shingle_df, vetter_application, vetter_meta
                """, logger: self.logger)
            try await c.query("DROP FUNCTION IF EXISTS vetter_audit_log_refuse()", logger: self.logger)
        }
    }
}
