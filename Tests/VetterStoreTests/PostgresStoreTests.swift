import Foundation
import Testing
import VetterCore
import VetterStore
import VetterStorePostgres

/// The identity-store behaviours against PostgreSQL, when `VETTER_TEST_POSTGRES_URL` names a
/// server (`Scripts/start-postgres.sh` starts one). The tests share the database, so they run
/// one at a time and each starts from empty tables.
@Suite("Identity store (PostgreSQL)", .serialized,
       .enabled(if: ProcessInfo.processInfo.environment["VETTER_TEST_POSTGRES_URL"] != nil, "VETTER_TEST_POSTGRES_URL not set"))
struct PostgresStoreTests {
    static var url: String { ProcessInfo.processInfo.environment["VETTER_TEST_POSTGRES_URL"] ?? "" }

    func fresh(key: IdentityKey = TempStore.testKey) async throws -> PostgresIdentityStore {
        try await PostgresIdentityStore.dropEverything(url: Self.url)
        return try await PostgresIdentityStore(url: Self.url, key: key)
    }

    func screen(_ store: PostgresIdentityStore, _ app: Application, resume: String? = nil, record: Bool = true) async throws -> [ReuseMatch] {
        let document = resume.map { ResumeDocument(format: .plainText, sourceName: "inline text", text: $0) }
        return try await store.screen(IdentityRecord.make(application: app, resume: document, key: TempStore.testKey), record: record)
    }

    @Test("round trip, no raw personal data, forget removes every trace")
    func roundTripAndForget() async throws {
        let store = try await fresh()
        defer { store.close() }
        _ = try await screen(store, application("A-1", name: "Zebulon Quartermaine", emails: ["zebulon.q@example.org"], phones: ["+44 20 7946 0958"],
                                                address: PostalAddress(lines: ["221B Baker Street"], postalCode: "NW1 6XE", country: "GB")),
                             resume: "Zebulon Quartermaine led the Kestrelwood migration " + SyntheticText.resume(seed: 3))
        let matches = try await screen(store, application("A-2", name: "Kim Park", phones: ["020 7946 0958"]))
        let phone = try #require(matches.first { $0.kind == "phone" })
        #expect(phone.otherApplicationID == "A-1" && phone.differentIdentity)
        let dump = try await store.dumpAllText()
        for secret in ["Zebulon", "zebulon", "Quartermaine", "example.org", "7946", "Baker", "NW1", "Kestrelwood"] {
            #expect(!dump.contains(secret), "found \(secret) in the store")
        }
        #expect(try await store.forget(applicationID: "A-1"))
        #expect(!(try await store.dumpAllText()).contains("A-1"))
        let stats = try await store.stats()
        #expect(stats.applications == 1)
        #expect(try await screen(store, application("A-3", name: "Other", phones: ["+44 20 7946 0958"])).allSatisfy { $0.otherApplicationID != "A-1" })
    }

    @Test("wrong key and newer schema are refused")
    func refusals() async throws {
        let store = try await fresh()
        defer { store.close() }
        await #expect(throws: StoreError.wrongKey) { _ = try await PostgresIdentityStore(url: Self.url, key: TempStore.otherKey) }
        try await store.setSchemaVersionForTesting(7)
        await #expect(throws: StoreError.newerSchema(found: 7, supported: PostgresIdentityStore.schemaVersion)) { _ = try await PostgresIdentityStore(url: Self.url, key: TempStore.testKey) }
    }

    @Test("two screeners writing at once lose nothing; near-duplicates and clusters are found")
    func concurrentAndNearDuplicates() async throws {
        let first = try await fresh()
        let second = try await PostgresIdentityStore(url: Self.url, key: TempStore.testKey)
        defer { first.close(); second.close() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (writer, store) in [(0, first), (1, second)] {
                group.addTask {
                    for i in 0..<40 {
                        _ = try await store.screen(IdentityRecord.make(
                            application: application("W\(writer)-\(i)", name: "Person \(writer) \(i)", phones: ["+1 512 555 0100"]),
                            resume: nil, key: TempStore.testKey), record: true)
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await first.stats().applications == 80)
        #expect(try await first.stats().identifiersByKind["phone"] == 160)
        let original = SyntheticText.resume(seed: 1)
        _ = try await screen(first, application("R-1", name: "Jane Smith"), resume: original)
        let copy = try await screen(first, application("R-2", name: "Lee Wong"), resume: SyntheticText.edited(original, fraction: 0.015, seed: 9))
        #expect(copy.contains { $0.kind == "resume-near-duplicate" && $0.otherApplicationID == "R-1" && $0.differentIdentity })
        #expect(try await screen(first, application("R-3", name: "Ann Lee"), resume: SyntheticText.resume(seed: 77), record: false)
            .filter { $0.kind == "resume-near-duplicate" }.isEmpty)
        let links = try #require(try await first.links(applicationID: "R-1"))
        #expect(links.linked.map(\.applicationID) == ["R-2"])
    }

    @Test("threat-intelligence feeds live in the PostgreSQL store as in SQLite: the same answers from both")
    func feedsMatchSQLite() async throws {
        let postgres = try await fresh()
        defer { postgres.close() }
        let sqlite = try TempStore().store
        func v4(_ text: String) -> Data { Data(repeating: 0, count: 10) + Data([0xff, 0xff]) + Data(text.split(separator: ".").map { UInt8($0)! }) }
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let entries = [
            FeedEntry(kind: "email", value: "persona@example.net", objectID: "indicator--1", confidence: 80, description: "a published persona"),
            FeedEntry(kind: "ip-range", value: "203.0.113.0/24", rangeStart: v4("203.0.113.0"), rangeEnd: v4("203.0.113.255"), objectID: "indicator--2"),
            FeedEntry(kind: "domain", value: "expired.example", objectID: "indicator--3", validUntil: now.addingTimeInterval(-60)),
            FeedEntry(kind: "organization", value: "acme front", objectID: "indicator--4"),
        ] + (0..<1200).map { FeedEntry(kind: "email", value: "bulk\($0)@example.org", objectID: "bulk--\($0)") }
        for store in [postgres as any ThreatFeedStore, sqlite] {
            #expect(try await store.replaceFeed(name: "test", format: "stix", source: "t.json", importedAt: now, entries: entries) == entries.count)
            // Replacing keeps one feed of the name.
            #expect(try await store.replaceFeed(name: "test", format: "stix", source: "t.json", importedAt: now, entries: entries) == entries.count)
        }
        for store in [postgres as any ThreatFeedStore, sqlite] {
            let info = try #require(try await store.feeds(asOf: now).first)
            #expect(info.entries == entries.count && info.expired == 1 && info.byKind["email"] == 1201)
            #expect(try await store.feedSummary(asOf: now) == FeedSummary(feeds: 1, currentEntries: entries.count - 1))
            let email = try await store.lookupFeeds(kinds: ["email"], values: ["persona@example.net", "nobody@example.com"], asOf: now)
            #expect(email.map(\.entry) == [entries[0]])
            #expect(try await store.lookupFeeds(kinds: ["domain"], values: ["expired.example"], asOf: now).isEmpty)
            #expect(try await store.lookupFeedRanges(address: v4("203.0.113.77"), asOf: now).map(\.entry.objectID) == ["indicator--2"])
            #expect(try await store.lookupFeedRanges(address: v4("203.0.114.1"), asOf: now).isEmpty)
            #expect(try await store.feedEntries(kind: "organization", asOf: now, limit: 10).map(\.entry.value) == ["acme front"])
            #expect(try await store.removeFeed(name: "test"))
            #expect(!(try await store.removeFeed(name: "test")))
            #expect(try await store.feeds(asOf: now).isEmpty)
            #expect(try await store.feedSummary(asOf: now) == FeedSummary(feeds: 0, currentEntries: 0))
        }
    }
}
