import Foundation
import GRDB
import VetterCore

/// One indicator of a threat-intelligence feed, as stored. Feed values are public indicators
/// (published persona emails, ranges, domains), so they are kept clear; candidate identifiers
/// never enter these tables.
public struct FeedEntry: Sendable, Equatable {
    /// `email`, `domain`, `ip`, `ip-range`, `url`, `github`, `linkedin`, `account`, `phone`,
    /// `organization`, `sha256`, `sha1`, `md5`, `text`.
    public var kind: String
    /// The normalised value (an `ip-range` keeps its CIDR text).
    public var value: String
    /// For `ip` and `ip-range`: the first and last address as 16 bytes (IPv4 mapped into IPv6).
    public var rangeStart: Data?
    public var rangeEnd: Data?
    /// The object it came from: a STIX id, a MISP attribute uuid, or `FILE:LINE`.
    public var objectID: String
    /// 0–100, when the feed gives one.
    public var confidence: Int?
    /// After this moment the indicator no longer matches.
    public var validUntil: Date?
    /// The feed's own words (title, source and date), shown with a finding.
    public var description: String?

    public init(kind: String, value: String, rangeStart: Data? = nil, rangeEnd: Data? = nil, objectID: String,
                confidence: Int? = nil, validUntil: Date? = nil, description: String? = nil) {
        self.kind = kind
        self.value = value
        self.rangeStart = rangeStart
        self.rangeEnd = rangeEnd
        self.objectID = objectID
        self.confidence = confidence
        self.validUntil = validUntil
        self.description = description
    }
}

/// A feed in the store: counts, never the candidates it matched.
public struct FeedInfo: Sendable, Equatable {
    public var name: String
    public var format: String
    public var source: String
    public var importedAt: Date
    public var entries: Int
    public var expired: Int
    public var byKind: [String: Int]

    public init(name: String, format: String, source: String, importedAt: Date, entries: Int, expired: Int, byKind: [String: Int]) {
        self.name = name
        self.format = format
        self.source = source
        self.importedAt = importedAt
        self.entries = entries
        self.expired = expired
        self.byKind = byKind
    }
}

/// A feed entry found for a look-up.
public struct FeedHit: Sendable, Equatable {
    public var feed: String
    public var entry: FeedEntry

    public init(feed: String, entry: FeedEntry) {
        self.feed = feed
        self.entry = entry
    }
}

extension SQLiteIdentityStore {
    static func registerFeedMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v4-feeds") { db in
            try db.execute(sql: """
                CREATE TABLE feed(
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE,
                    format TEXT NOT NULL,
                    source TEXT NOT NULL,
                    imported_at DOUBLE NOT NULL,
                    entries INTEGER NOT NULL DEFAULT 0
                );
                CREATE TABLE feed_entry(
                    feed INTEGER NOT NULL REFERENCES feed(id) ON DELETE CASCADE,
                    kind TEXT NOT NULL,
                    value TEXT NOT NULL,
                    range_start BLOB,
                    range_end BLOB,
                    object_id TEXT NOT NULL,
                    confidence INTEGER,
                    valid_until DOUBLE,
                    description TEXT
                );
                CREATE INDEX feed_entry_value ON feed_entry(kind, value);
                CREATE INDEX feed_entry_range ON feed_entry(range_start) WHERE range_start IS NOT NULL;
                CREATE INDEX feed_entry_feed ON feed_entry(feed);
                UPDATE meta SET value = '4' WHERE key = 'schema_version';
                """)
        }
    }

    /// v6: expired entries counted on an index, not by reading every entry (each screening
    /// reports how many entries are current).
    static func registerFeedExpiryMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v6-feed-expiry") { db in
            try db.execute(sql: """
                CREATE INDEX feed_entry_expiry ON feed_entry(valid_until) WHERE valid_until IS NOT NULL;
                UPDATE meta SET value = '6' WHERE key = 'schema_version';
                """)
        }
    }

    /// Imports a feed in one transaction, replacing a feed of the same name. `produce` calls
    /// its argument once per entry (so a parser can stream); any error thrown rolls the whole
    /// import back: a failed import changes nothing. Returns the number of entries stored.
    @discardableResult
    public func importFeed(name: String, format: String, source: String, importedAt: Date = Date(),
                           _ produce: (_ add: (FeedEntry) throws -> Void) throws -> Void) throws -> Int {
        try write { db in
            try db.execute(sql: "DELETE FROM feed WHERE name = ?", arguments: [name])
            try db.execute(sql: "INSERT INTO feed(name, format, source, imported_at) VALUES (?, ?, ?, ?)",
                           arguments: [name, format, source, importedAt.timeIntervalSince1970])
            let feedID = db.lastInsertedRowID
            let statement = try db.makeStatement(sql: """
                INSERT INTO feed_entry(feed, kind, value, range_start, range_end, object_id, confidence, valid_until, description)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            var count = 0
            try produce { entry in
                try statement.execute(arguments: [feedID, entry.kind, entry.value, entry.rangeStart, entry.rangeEnd, entry.objectID,
                                                  entry.confidence, entry.validUntil?.timeIntervalSince1970, entry.description])
                count += 1
            }
            try db.execute(sql: "UPDATE feed SET entries = ? WHERE id = ?", arguments: [count, feedID])
            return count
        }
    }

    public func feeds(asOf: Date = Date()) throws -> [FeedInfo] {
        try pool.read { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT id, name, format, source, imported_at, entries FROM feed ORDER BY name")).map { row in
                let id: Int64 = row["id"]
                var kinds: [String: Int] = [:]
                for kindRow in try Row.fetchAll(db.cachedStatement(sql: "SELECT kind, COUNT(*) AS n FROM feed_entry WHERE feed = ? GROUP BY kind"), arguments: [id]) {
                    kinds[kindRow["kind"]] = kindRow["n"]
                }
                let expired = try Int.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM feed_entry WHERE feed = ? AND valid_until IS NOT NULL AND valid_until < ?"),
                                               arguments: [id, asOf.timeIntervalSince1970]) ?? 0
                return FeedInfo(name: row["name"], format: row["format"], source: row["source"],
                                importedAt: Date(timeIntervalSince1970: row["imported_at"]), entries: row["entries"],
                                expired: expired, byKind: kinds)
            }
        }
    }

    /// The feed count and entry totals from `feed`, less the expired entries, counted on the
    /// `feed_entry_expiry` index (schema v6): no pass over the entries.
    public func feedSummary(asOf: Date) throws -> FeedSummary {
        try pool.read { db in
            let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) AS feeds, COALESCE(SUM(entries), 0) AS entries FROM feed"))
            let feeds = row?["feeds"] as Int? ?? 0, entries = row?["entries"] as Int? ?? 0
            guard feeds > 0 else { return FeedSummary(feeds: 0, currentEntries: 0) }
            let expired = try Int.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM feed_entry WHERE valid_until IS NOT NULL AND valid_until < ?"),
                                           arguments: [asOf.timeIntervalSince1970]) ?? 0
            return FeedSummary(feeds: feeds, currentEntries: entries - expired)
        }
    }

    /// Removes a feed and its entries. False when there was none of that name.
    public func removeFeed(name: String) throws -> Bool {
        try write { db in
            try db.execute(sql: "DELETE FROM feed WHERE name = ?", arguments: [name])
            return db.changesCount > 0
        }
    }

    static func hit(_ row: Row) -> FeedHit {
        FeedHit(feed: row["name"], entry: FeedEntry(
            kind: row["kind"], value: row["value"], rangeStart: row["range_start"], rangeEnd: row["range_end"],
            objectID: row["object_id"], confidence: row["confidence"],
            validUntil: (row["valid_until"] as Double?).map { Date(timeIntervalSince1970: $0) }, description: row["description"]))
    }

    static let hitColumns = "f.name, e.kind, e.value, e.range_start, e.range_end, e.object_id, e.confidence, e.valid_until, e.description"

    /// Unexpired entries of these kinds whose value is one of `values`.
    public func lookupFeeds(kinds: [String], values: [String], asOf: Date) throws -> [FeedHit] {
        guard !kinds.isEmpty, !values.isEmpty else { return [] }
        return try pool.read { db in
            var out: [FeedHit] = []
            let kindMarks = kinds.map { _ in "?" }.joined(separator: ",")
            for chunk in stride(from: 0, to: values.count, by: 300) {
                let part = Array(values[chunk..<min(values.count, chunk + 300)])
                let marks = part.map { _ in "?" }.joined(separator: ",")
                var values: [any DatabaseValueConvertible] = kinds
                values += part
                values.append(asOf.timeIntervalSince1970)
                let arguments = StatementArguments(values) ?? []
                out += try Row.fetchAll(db, sql: """
                    SELECT \(Self.hitColumns) FROM feed_entry e JOIN feed f ON f.id = e.feed
                    WHERE e.kind IN (\(kindMarks)) AND e.value IN (\(marks)) AND (e.valid_until IS NULL OR e.valid_until >= ?)
                    """, arguments: arguments).map(Self.hit)
            }
            return out
        }
    }

    /// Unexpired `ip-range` entries containing the address (16 bytes, IPv4 mapped).
    public func lookupFeedRanges(address: Data, asOf: Date) throws -> [FeedHit] {
        try pool.read { db in
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT \(Self.hitColumns) FROM feed_entry e JOIN feed f ON f.id = e.feed
                WHERE e.kind = 'ip-range' AND e.range_start IS NOT NULL AND e.range_start <= ? AND e.range_end >= ?
                  AND (e.valid_until IS NULL OR e.valid_until >= ?)
                """), arguments: [address, address, asOf.timeIntervalSince1970]).map(Self.hit)
        }
    }

    /// Every unexpired entry of one kind (organisation names, for fuzzy matching). Bounded.
    public func feedEntries(kind: String, asOf: Date, limit: Int = 100_000) throws -> [FeedHit] {
        try pool.read { db in
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT \(Self.hitColumns) FROM feed_entry e JOIN feed f ON f.id = e.feed
                WHERE e.kind = ? AND (e.valid_until IS NULL OR e.valid_until >= ?) LIMIT ?
                """), arguments: [kind, asOf.timeIntervalSince1970, limit]).map(Self.hit)
        }
    }
}

extension SQLiteIdentityStore {
    public func setFeedFormat(name: String, format: String) throws {
        try write { db in try db.execute(sql: "UPDATE feed SET format = ? WHERE name = ?", arguments: [format, name]) }
    }
}
