import Foundation

/// Where threat-intelligence feeds live: the same store as the identity checks (`--store`),
/// SQLite (``SQLiteIdentityStore``) or PostgreSQL (`PostgresIdentityStore`).
public protocol ThreatFeedStore: Sendable {
    /// Stores a feed, replacing one of the same name, in one transaction. `entries` is the
    /// whole parsed feed: a store that can stream (SQLite) has its own streaming import.
    @discardableResult
    func replaceFeed(name: String, format: String, source: String, importedAt: Date, entries: [FeedEntry]) async throws -> Int
    func feeds(asOf: Date) async throws -> [FeedInfo]
    /// How many feeds and unexpired entries there are: what every screening reports, so it
    /// should not cost a pass over the entries.
    func feedSummary(asOf: Date) async throws -> FeedSummary
    /// False when there was no feed of that name.
    func removeFeed(name: String) async throws -> Bool
    /// Unexpired entries of these kinds whose value is one of `values`.
    func lookupFeeds(kinds: [String], values: [String], asOf: Date) async throws -> [FeedHit]
    /// Unexpired `ip-range` entries containing the address (16 bytes, IPv4 mapped).
    func lookupFeedRanges(address: Data, asOf: Date) async throws -> [FeedHit]
    /// Every unexpired entry of one kind (organisation names, for fuzzy matching). Bounded.
    func feedEntries(kind: String, asOf: Date, limit: Int) async throws -> [FeedHit]
}

public struct FeedSummary: Sendable, Equatable {
    public var feeds: Int
    public var currentEntries: Int
    public init(feeds: Int, currentEntries: Int) {
        self.feeds = feeds
        self.currentEntries = currentEntries
    }
}

extension ThreatFeedStore {
    /// From ``feeds(asOf:)``: a store without a cheaper way counts every feed's entries.
    public func feedSummary(asOf: Date) async throws -> FeedSummary {
        let feeds = try await feeds(asOf: asOf)
        return FeedSummary(feeds: feeds.count, currentEntries: feeds.reduce(0) { $0 + $1.entries - $1.expired })
    }
}

extension SQLiteIdentityStore: ThreatFeedStore {
    @discardableResult
    public func replaceFeed(name: String, format: String, source: String, importedAt: Date, entries: [FeedEntry]) throws -> Int {
        try importFeed(name: name, format: format, source: source, importedAt: importedAt) { add in
            for entry in entries { try add(entry) }
        }
    }
}
