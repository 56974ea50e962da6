import Foundation
import GRDB
import Testing
import VetterCore
@testable import VetterStore
import VetterStorePostgres
import VetterTesting

/// The review records of `vetter serve` (screenings, tokens, decisions, the audit log): the same
/// checks run on SQLite and, when `VETTER_TEST_POSTGRES_URL` is set, on PostgreSQL.
struct ReviewSubject: Sendable {
    let store: any ReviewStore
    /// Everything the store holds, as bytes (the SQLite file and its WAL) or text (PostgreSQL).
    let raw: @Sendable () async throws -> Data
    /// Runs one SQL statement against the audit log's table (named `{audit}` in the text).
    let execute: @Sendable (String) async throws -> Void
}

enum ReviewChecks {
    /// Reports of sample applications, as `vetter screen` makes them (fixed clock).
    static func report(_ sample: String) async throws -> Report {
        let data = try Data(contentsOf: Fixtures.samples.appendingPathComponent("applications/\(sample).json"))
        let application = try #require(ApplicationDecoder().decode(data).application)
        return try await Fixtures.screener().screen(application).report
    }

    static func screenings(_ s: ReviewSubject) async throws {
        let review = try await report("review-onboarding-changes")
        let escalate = try await report("escalate-rented-identity")
        let clear = try await report("clear-google-voice")
        #expect(review.band == .review && escalate.band == .escalate && clear.band == .clear)
        let received = Date(timeIntervalSince1970: 1_762_000_000)
        try await s.store.saveScreening(id: "scr_1", report: review, receivedAt: received, source: "api", actor: "tok_a")
        try await s.store.saveScreening(id: "scr_2", report: escalate, receivedAt: nil, source: "greenhouse", actor: "webhook:greenhouse")
        try await Task.sleep(for: .milliseconds(20))
        let mark = Date()
        try await Task.sleep(for: .milliseconds(20))
        // The same application screened again: the queue keeps the latest.
        try await s.store.saveScreening(id: "scr_3", report: review, receivedAt: received, source: "api", actor: "tok_a")
        try await s.store.saveScreening(id: "scr_4", report: clear, receivedAt: nil, source: "lever", actor: "webhook:lever")
        #expect(try await s.store.screeningCount() == 4)

        let (stored, opened) = try #require(try await s.store.screening(id: "scr_1"))
        #expect(opened == review)
        #expect(stored.applicationID == review.applicationID && stored.band == .review && stored.score == review.score)
        #expect(stored.receivedAt == received && stored.source == "api" && stored.decision == nil)
        #expect(try await s.store.screening(id: "scr_nope") == nil)
        #expect(try await s.store.latestScreening(applicationID: review.applicationID)?.0.id == "scr_3")
        #expect(try await s.store.latestScreening(applicationID: "nobody") == nil)

        let all = try await s.store.screenings(bands: nil, since: nil, latestPerApplication: false, limit: 100)
        #expect(all.map(\.id) == ["scr_4", "scr_3", "scr_2", "scr_1"])
        let flagged = try await s.store.screenings(bands: [.review, .escalate], since: nil, latestPerApplication: false, limit: 100)
        #expect(flagged.map(\.id) == ["scr_3", "scr_2", "scr_1"])
        let queue = try await s.store.screenings(bands: [.review, .escalate], since: nil, latestPerApplication: true, limit: 100)
        #expect(queue.map(\.id) == ["scr_3", "scr_2"])
        #expect(try await s.store.screenings(bands: nil, since: mark, latestPerApplication: false, limit: 100).map(\.id) == ["scr_4", "scr_3"])
        #expect(try await s.store.screenings(bands: nil, since: nil, latestPerApplication: false, limit: 2).map(\.id) == ["scr_4", "scr_3"])
        #expect(try await s.store.screenings(bands: [], since: nil, latestPerApplication: false, limit: 100).isEmpty)

        // The latest decision shows on every screening of the application.
        try await s.store.recordDecision(applicationID: review.applicationID, decision: .needsVerification, note: nil, actor: "tok_s")
        try await s.store.recordDecision(applicationID: review.applicationID, decision: .clearedAfterVerification, note: "", actor: "tok_s")
        let decided = try await s.store.screenings(bands: [.review], since: nil, latestPerApplication: false, limit: 100)
        #expect(decided.map(\.decision) == [.clearedAfterVerification, .clearedAfterVerification])
        #expect(try await s.store.screening(id: "scr_2")?.0.decision == nil)

        // The report is sealed: the evidence quotes contact details, the store does not hold them.
        let json = String(decoding: try JSONEncoder().encode(review), as: UTF8.self)
        let quoted = ["Industrial Pkwy", "700 SW 5th Ave"]
        #expect(quoted.allSatisfy { json.contains($0) }, "the sample's report no longer quotes these; pick others")
        let raw = try await s.raw()
        for text in quoted { #expect(raw.range(of: Data(text.utf8)) == nil, "\(text) in the store") }
    }

    static func tokens(_ s: ReviewSubject) async throws {
        let (adminID, admin) = try await s.store.createToken(role: .admin, label: "ops laptop", actor: "cli")
        let (recruiterID, recruiter) = try await s.store.createToken(role: .recruiter, label: "ATS", actor: adminID)
        #expect(admin.hasPrefix("vt_") && admin.count == 67 && adminID.hasPrefix("tok_") && adminID != recruiterID)
        let found = try #require(try await s.store.token(secret: admin))
        #expect(found.id == adminID && found.role == .admin && found.label == "ops laptop" && found.revokedAt == nil)
        #expect(try await s.store.token(secret: recruiter)?.role == .recruiter)
        #expect(try await s.store.token(secret: "vt_" + String(repeating: "0", count: 64)) == nil)
        #expect(try await s.store.tokens().map(\.id) == [adminID, recruiterID])

        #expect(try await s.store.revokeToken(id: recruiterID, actor: adminID))
        #expect(!(try await s.store.revokeToken(id: recruiterID, actor: adminID)))
        #expect(!(try await s.store.revokeToken(id: "tok_nothing", actor: adminID)))
        #expect(try await s.store.token(secret: recruiter) == nil)
        #expect(try await s.store.tokens().first { $0.id == recruiterID }?.revokedAt != nil)

        // Only hashes are kept.
        let raw = try await s.raw()
        for secret in [admin, recruiter] { #expect(raw.range(of: Data(secret.utf8)) == nil) }
        let audit = try await s.store.auditLog(limit: 10).map { "\($0.actor) \($0.action) \($0.subject) \($0.detail)" }
        #expect(audit == ["\(adminID) token.revoke \(recruiterID) ", "\(adminID) token.create \(recruiterID) role recruiter",
                          "cli token.create \(adminID) role admin"])
    }

    static func decisionsAndAudit(_ s: ReviewSubject) async throws {
        try await s.store.recordDecision(applicationID: "A-1", decision: .needsVerification, note: "call Zebulon back on 020 7946 0958", actor: "tok_s")
        try await s.store.recordDecision(applicationID: "A-1", decision: .confirmedFraud, note: nil, actor: "tok_t")
        try await s.store.appendAudit(actor: "tok_admin", action: "feed.import", subject: "wagemole", detail: "plain, 12 indicators")
        let decisions = try await s.store.decisions(applicationID: "A-1")
        #expect(decisions.map(\.decision) == [.confirmedFraud, .needsVerification])
        #expect(decisions.map(\.note) == [nil, "call Zebulon back on 020 7946 0958"])
        #expect(decisions.map(\.actor) == ["tok_t", "tok_s"])
        #expect(try await s.store.decisions(applicationID: "A-2").isEmpty)
        let raw = try await s.raw()
        for text in ["Zebulon", "7946"] { #expect(raw.range(of: Data(text.utf8)) == nil, "\(text) in the store") }

        let entries = try await s.store.auditLog(limit: 2)
        #expect(entries.map(\.action) == ["feed.import", "decision.record"])
        #expect(entries[1].detail == "confirmed_fraud" && entries[1].subject == "A-1" && entries[1].actor == "tok_t")
        #expect(try await s.store.auditLog(limit: 100).last?.detail == "needs_verification (with a note)")
        #expect(entries[0].id > entries[1].id)

        // Append-only: the store refuses to change or delete entries, and they stay as they were.
        let before = try await s.store.auditLog(limit: 100)
        for statement in ["UPDATE {audit} SET actor = 'someone else'", "DELETE FROM {audit}", "DELETE FROM {audit} WHERE action = 'feed.import'"] {
            await #expect(throws: (any Error).self, "\(statement)") { try await s.execute(statement) }
        }
        #expect(try await s.store.auditLog(limit: 100) == before)
        // Appending still works.
        try await s.store.appendAudit(actor: "tok_admin", action: "feed.remove", subject: "wagemole", detail: "")
        #expect(try await s.store.auditLog(limit: 100).count == before.count + 1)
    }

    /// A fixed sequence of calls, the audit log it leaves as text (ids and dates left out).
    static func scenario(_ store: any ReviewStore) async throws -> [String] {
        let (admin, _) = try await store.createToken(role: .admin, label: "a", actor: "cli")
        try await store.saveScreening(id: "scr_x", report: try await report("review-timeline"), receivedAt: nil, source: "api", actor: admin)
        try await store.recordDecision(applicationID: "sample-review-timeline", decision: .needsVerification, note: "n", actor: admin)
        _ = try await store.revokeToken(id: admin, actor: "cli")
        return try await store.auditLog(limit: 100).map {
            "\($0.actor == admin ? "ADMIN" : $0.actor) \($0.action) \($0.subject == admin ? "ADMIN" : $0.subject) \($0.detail.replacingOccurrences(of: admin, with: "ADMIN"))"
        }
    }
}

extension ReviewSubject {
    static func sqlite() throws -> ReviewSubject {
        let t = try TempStore()
        return ReviewSubject(store: t.store, raw: { try t.fileBytes() }, execute: { sql in
            try t.store.write { db in try db.execute(sql: sql.replacingOccurrences(of: "{audit}", with: "audit_log")) }
        })
    }
}

@Suite("Review records (SQLite)")
struct SQLiteReviewStoreTests {
    @Test("screenings: sealed reports, the latest per application, filters by band and date, the latest decision")
    func screenings() async throws { try await ReviewChecks.screenings(try .sqlite()) }

    @Test("tokens: shown once, stored hashed, found by secret until revoked, every change audited")
    func tokens() async throws { try await ReviewChecks.tokens(try .sqlite()) }

    @Test("decisions keep sealed notes; the audit log refuses UPDATE and DELETE")
    func decisions() async throws { try await ReviewChecks.decisionsAndAudit(try .sqlite()) }
}

@Suite("Review records (PostgreSQL)", .serialized,
       .enabled(if: ProcessInfo.processInfo.environment["VETTER_TEST_POSTGRES_URL"] != nil, "VETTER_TEST_POSTGRES_URL not set"))
struct PostgresReviewStoreTests {
    /// Its own database on the test server, so that it never races the identity-store suite.
    static func url() async throws -> String {
        try await PostgresIdentityStore.testDatabase(url: ProcessInfo.processInfo.environment["VETTER_TEST_POSTGRES_URL"] ?? "",
                                                     name: "vetter_test_review")
    }

    func fresh() async throws -> (PostgresIdentityStore, ReviewSubject) {
        let url = try await Self.url()
        try await PostgresIdentityStore.dropEverything(url: url)
        let store = try await PostgresIdentityStore(url: url, key: TempStore.testKey)
        return (store, ReviewSubject(store: store, raw: { Data(try await store.dumpAllText().utf8) }, execute: { sql in
            try await store.executeForTesting(sql.replacingOccurrences(of: "{audit}", with: "vetter_audit_log"))
        }))
    }

    @Test("screenings: sealed reports, the latest per application, filters by band and date, the latest decision")
    func screenings() async throws {
        let (store, subject) = try await fresh()
        defer { store.close() }
        try await ReviewChecks.screenings(subject)
    }

    @Test("tokens: shown once, stored hashed, found by secret until revoked, every change audited")
    func tokens() async throws {
        let (store, subject) = try await fresh()
        defer { store.close() }
        try await ReviewChecks.tokens(subject)
    }

    @Test("decisions keep sealed notes; the audit log refuses UPDATE, DELETE and TRUNCATE")
    func decisions() async throws {
        let (store, subject) = try await fresh()
        defer { store.close() }
        try await ReviewChecks.decisionsAndAudit(subject)
        let count = try await store.auditLog(limit: 100).count
        await #expect(throws: StoreError.self) { try await store.executeForTesting("TRUNCATE vetter_audit_log") }
        #expect(try await store.auditLog(limit: 100).count == count)
    }

    @Test("the same calls leave the same audit log as SQLite; a report sealed on one opens on the other's key derivation")
    func sameAsSQLite() async throws {
        let (store, _) = try await fresh()
        defer { store.close() }
        let sqlite = try TempStore()
        let fromPostgres = try await ReviewChecks.scenario(store)
        #expect(fromPostgres.count == 4)
        #expect(fromPostgres == (try await ReviewChecks.scenario(sqlite.store)))
        // Move a sealed report across: the SQLite row's bytes open with the PostgreSQL store's key.
        let sealed = try await sqlite.store.pool.read { db in try Data.fetchOne(db, sql: "SELECT report FROM screening WHERE id = 'scr_x'") }
        #expect(try ReviewSeal(key: TempStore.testKey).openReport(try #require(sealed)) == (try await store.screening(id: "scr_x"))?.1)
    }

    @Test("schema v3 on a v2 store: the review tables are added, the identity data stays; forget removes screenings")
    func upgradeAndForget() async throws {
        let (store, _) = try await fresh()
        defer { store.close() }
        #expect(try await store.stats().schemaVersion == 3)
        _ = try await store.screen(IdentityRecord.make(application: application("U-1", name: "Ann Lee", phones: ["+1 512 555 0100"]),
                                                      resume: nil, key: TempStore.testKey), record: true)
        // Back to v2: no review tables.
        try await store.executeForTesting("DROP TABLE vetter_screening, vetter_api_token, vetter_decision, vetter_audit_log")
        try await store.setSchemaVersionForTesting(2)
        let upgraded = try await PostgresIdentityStore(url: try await Self.url(), key: TempStore.testKey)
        defer { upgraded.close() }
        #expect(try await upgraded.stats().schemaVersion == 3)
        #expect(try await upgraded.stats().applications == 1)
        try await upgraded.saveScreening(id: "scr_u", report: try await ReviewChecks.report("review-timeline"), receivedAt: nil, source: "api", actor: "t")
        try await upgraded.recordDecision(applicationID: "sample-review-timeline", decision: .needsVerification, note: "x", actor: "t")
        #expect(try await upgraded.forget(applicationID: "sample-review-timeline"))
        #expect(try await upgraded.screeningCount() == 0)
        // Decisions and the audit log keep the id only (and the note stays sealed).
        #expect(try await upgraded.auditLog(limit: 10).map(\.action) == ["decision.record", "screening.create"])
    }
}
