import Foundation
import PostgresNIO
import VetterStore

/// Threat-intelligence feeds on PostgreSQL: the same tables as the SQLite store (prefixed
/// `vetter_`), created by schema v2 (`PostgresIdentityStore.migrate`).
extension PostgresIdentityStore: ThreatFeedStore {
    static let feedTables = [
        "CREATE TABLE vetter_feed(id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL UNIQUE, format TEXT NOT NULL, source TEXT NOT NULL, imported_at DOUBLE PRECISION NOT NULL, entries INTEGER NOT NULL DEFAULT 0)",
        "CREATE TABLE vetter_feed_entry(feed BIGINT NOT NULL REFERENCES vetter_feed(id) ON DELETE CASCADE, kind TEXT NOT NULL, value TEXT NOT NULL, range_start BYTEA, range_end BYTEA, object_id TEXT NOT NULL, confidence INTEGER, valid_until DOUBLE PRECISION, description TEXT)",
        "CREATE INDEX vetter_feed_entry_value ON vetter_feed_entry(kind, value)",
        "CREATE INDEX vetter_feed_entry_range ON vetter_feed_entry(range_start) WHERE range_start IS NOT NULL",
        "CREATE INDEX vetter_feed_entry_feed ON vetter_feed_entry(feed)",
    ]

    @discardableResult
    public func replaceFeed(name: String, format: String, source: String, importedAt: Date, entries: [FeedEntry]) async throws -> Int {
        try await transaction { c in
            try await c.query("DELETE FROM vetter_feed WHERE name = \(name)", logger: self.logger)
            var feedID: Int64 = 0
            for try await id in try await c.query("""
                INSERT INTO vetter_feed(name, format, source, imported_at, entries)
                VALUES (\(name), \(format), \(source), \(importedAt.timeIntervalSince1970), \(entries.count)) RETURNING id
                """, logger: self.logger).decode(Int64.self) {
                feedID = id
            }
            // Several rows per statement (PostgreSQL takes at most 65,535 parameters).
            for start in stride(from: 0, to: entries.count, by: 500) {
                let chunk = entries[start..<min(entries.count, start + 500)]
                var bindings = PostgresBindings(capacity: chunk.count * 9)
                var rows: [String] = []
                for entry in chunk {
                    let base = bindings.count
                    rows.append("(" + (1...9).map { "$\(base + $0)" }.joined(separator: ", ") + ")")
                    bindings.append(feedID)
                    bindings.append(entry.kind)
                    bindings.append(entry.value)
                    try bindings.append(entry.rangeStart)
                    try bindings.append(entry.rangeEnd)
                    bindings.append(entry.objectID)
                    bindings.append(entry.confidence.map(Int32.init))
                    bindings.append(entry.validUntil?.timeIntervalSince1970)
                    bindings.append(entry.description)
                }
                try await c.query(PostgresQuery(unsafeSQL: """
                    INSERT INTO vetter_feed_entry(feed, kind, value, range_start, range_end, object_id, confidence, valid_until, description)
                    VALUES \(rows.joined(separator: ", "))
                    """, binds: bindings), logger: self.logger)
            }
            return entries.count
        }
    }

    public func feeds(asOf: Date) async throws -> [FeedInfo] {
        try await transaction { c in
            var feeds: [(Int64, FeedInfo)] = []
            for try await (id, name, format, source, imported, entries) in try await c.query(
                "SELECT id, name, format, source, imported_at, entries FROM vetter_feed ORDER BY name", logger: self.logger)
                .decode((Int64, String, String, String, Double, Int32).self) {
                feeds.append((id, FeedInfo(name: name, format: format, source: source, importedAt: Date(timeIntervalSince1970: imported),
                                           entries: Int(entries), expired: 0, byKind: [:])))
            }
            for index in feeds.indices {
                let id = feeds[index].0
                for try await (kind, n) in try await c.query(
                    "SELECT kind, count(*) FROM vetter_feed_entry WHERE feed = \(id) GROUP BY kind", logger: self.logger).decode((String, Int64).self) {
                    feeds[index].1.byKind[kind] = Int(n)
                }
                for try await n in try await c.query("""
                    SELECT count(*) FROM vetter_feed_entry WHERE feed = \(id) AND valid_until IS NOT NULL AND valid_until < \(asOf.timeIntervalSince1970)
                    """, logger: self.logger).decode(Int64.self) {
                    feeds[index].1.expired = Int(n)
                }
            }
            return feeds.map(\.1)
        }
    }

    public func removeFeed(name: String) async throws -> Bool {
        try await transaction { c in
            var removed = false
            for try await _ in try await c.query("DELETE FROM vetter_feed WHERE name = \(name) RETURNING id", logger: self.logger).decode(Int64.self) {
                removed = true
            }
            return removed
        }
    }

    static let hitColumns = "f.name, e.kind, e.value, e.range_start, e.range_end, e.object_id, e.confidence, e.valid_until, e.description"

    func hits(_ c: PostgresConnection, _ query: PostgresQuery) async throws -> [FeedHit] {
        var out: [FeedHit] = []
        for try await (feed, kind, value, start, end, object, confidence, validUntil, description) in try await c.query(query, logger: logger)
            .decode((String, String, String, Data?, Data?, String, Int32?, Double?, String?).self) {
            out.append(FeedHit(feed: feed, entry: FeedEntry(
                kind: kind, value: value, rangeStart: start, rangeEnd: end, objectID: object, confidence: confidence.map(Int.init),
                validUntil: validUntil.map { Date(timeIntervalSince1970: $0) }, description: description)))
        }
        return out
    }

    public func lookupFeeds(kinds: [String], values: [String], asOf: Date) async throws -> [FeedHit] {
        guard !kinds.isEmpty, !values.isEmpty else { return [] }
        return try await client.withConnection { c in
            try await self.hits(c, """
                SELECT \(unescaped: Self.hitColumns) FROM vetter_feed_entry e JOIN vetter_feed f ON f.id = e.feed
                WHERE e.kind = ANY(\(kinds)) AND e.value = ANY(\(values)) AND (e.valid_until IS NULL OR e.valid_until >= \(asOf.timeIntervalSince1970))
                """)
        }
    }

    public func lookupFeedRanges(address: Data, asOf: Date) async throws -> [FeedHit] {
        try await client.withConnection { c in
            try await self.hits(c, """
                SELECT \(unescaped: Self.hitColumns) FROM vetter_feed_entry e JOIN vetter_feed f ON f.id = e.feed
                WHERE e.kind = 'ip-range' AND e.range_start IS NOT NULL AND e.range_start <= \(address) AND e.range_end >= \(address)
                  AND (e.valid_until IS NULL OR e.valid_until >= \(asOf.timeIntervalSince1970))
                """)
        }
    }

    public func feedEntries(kind: String, asOf: Date, limit: Int) async throws -> [FeedHit] {
        try await client.withConnection { c in
            try await self.hits(c, """
                SELECT \(unescaped: Self.hitColumns) FROM vetter_feed_entry e JOIN vetter_feed f ON f.id = e.feed
                WHERE e.kind = \(kind) AND (e.valid_until IS NULL OR e.valid_until >= \(asOf.timeIntervalSince1970)) LIMIT \(limit)
                """)
        }
    }
}
