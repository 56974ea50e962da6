import Foundation
import GRDB
import Testing
import VetterCore
@testable import VetterStore

/// The shingle sketch's blobs are saved every `sketchSaveInterval` screenings, and a store keeps
/// its buffer between transactions (schema v7, ``SketchBuffer``). These checks hold the counts
/// a screening sees to the counts of the stored signatures, whatever was saved when and whichever
/// connection recorded what.
@Suite struct SketchSavingTests {
    /// A step of the shared sequence: record an application (through connection 0 or 1), or forget one.
    enum Step {
        case record(id: String, connection: Int, text: String, phone: String)
        case forget(id: String, connection: Int)
    }

    /// Every résumé shares a template paragraph (it turns common after a few applications and
    /// stops counting), some are edited copies of an earlier one, some ids are screened twice.
    static func steps() -> [Step] {
        let template = SyntheticText.resume(seed: 999, count: 80)
        var out: [Step] = []
        var texts: [String] = []
        for i in 0..<48 {
            let own = i % 7 == 6 ? SyntheticText.edited(texts[i - 3], fraction: 0.02, seed: UInt64(i)) : SyntheticText.resume(seed: UInt64(100 + i), count: 220)
            texts.append(own)
            let id = i % 11 == 10 ? "S-\(i - 4)" : "S-\(i)"  // a re-screening replaces the earlier record
            out.append(.record(id: id, connection: (i / 3) % 2, text: template + " " + own, phone: "+1 512 555 \(String(format: "%04d", 100 + i % 13))"))
            if i % 9 == 8 { out.append(.forget(id: "S-\(i - 5)", connection: i % 2)) }
        }
        return out
    }

    /// Runs the steps on one file through `connections` store objects with the given save
    /// interval; returns each recording's matches and, at the end, every stored signature.
    static func run(interval: Int, connections count: Int, check: Bool) throws -> (matches: [[String]], signatures: [String: Data]) {
        let first = try TempStore()
        var stores = [first.store]
        for _ in 1..<count { stores.append(try SQLiteIdentityStore(path: first.path, key: first.key)) }
        for store in stores {
            store.commonShingleMinimum = 3
            store.sketchSaveInterval = interval
        }
        var matches: [[String]] = []
        for step in steps() {
            switch step {
            case .record(let id, let connection, let text, let phone):
                let record = IdentityRecord.make(application: application(id, name: "Person \(id)", phones: [phone]),
                                                 resume: ResumeDocument(format: .plainText, sourceName: "t", text: text), key: first.key)
                let found = try stores[connection % count].screenSync(record, record: true)
                matches.append(found.map { "\($0.kind) \($0.otherApplicationID) \($0.similarity)" }.sorted())
            case .forget(let id, let connection):
                _ = try stores[connection % count].forgetSync(applicationID: id)
            }
            if check {
                try first.store.pool.read { db in
                    // What a screening sees is what the stored signatures add up to…
                    #expect(try IdentityStoreTests.sketch(db) == IdentityStoreTests.sketchFromSignatures(db))
                    // …and the stored blobs count exactly the signatures up to `sketch_through`.
                    let through = try Int64.fetchOne(db, sql: "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'sketch_through'") ?? -1
                    #expect(try IdentityStoreTests.storedSketch(db) == IdentityStoreTests.sketchFromSignatures(db, through: through))
                    let unsaved = try Int.fetchOne(db, sql: "SELECT count(*) FROM application WHERE id > ? AND signature IS NOT NULL", arguments: [through]) ?? -1
                    #expect(unsaved < interval)
                }
                // The running counts `store stats` reads (schema v8) are those of the rows.
                let stats = try first.store.statsSync(), scanned = try first.store.countedByScanning()
                #expect(stats.applications == scanned.applications)
                #expect(stats.identifiersByKind == scanned.identifiersByKind)
                #expect(stats.resumeSignatures == scanned.resumeSignatures)
            }
        }
        let signatures = try first.store.pool.read { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT external_id, signature FROM application WHERE signature IS NOT NULL")
                .map { ($0["external_id"] as String, $0["signature"] as Data) })
        }
        return (matches, signatures)
    }

    @Test("deferred saving and a kept buffer give the same signatures and matches as saving every time, across two connections")
    func sameAsSavingEveryTime() throws {
        let reference = try Self.run(interval: 1, connections: 1, check: false)
        // The template became common, so signatures depend on the counts.
        #expect(reference.matches.contains { $0.contains { $0.hasPrefix("resume-near-duplicate") } })
        #expect(reference.matches.contains { $0.contains { $0.hasPrefix("phone") } })
        for (interval, connections) in [(1024, 1), (5, 1), (1024, 2), (4, 2)] {
            let run = try Self.run(interval: interval, connections: connections, check: true)
            #expect(run.matches == reference.matches, "interval \(interval), \(connections) connections")
            #expect(run.signatures == reference.signatures, "interval \(interval), \(connections) connections")
        }
    }

    @Test("recording saves the blobs once the interval is reached, not before")
    func savesAtTheInterval() throws {
        let t = try TempStore()
        t.store.sketchSaveInterval = 4
        func stored() throws -> (Int, Int64) {
            try t.store.pool.read { db in
                (try Int.fetchOne(db, sql: "SELECT count(*) FROM shingle_sketch") ?? -1,
                 try Int64.fetchOne(db, sql: "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'sketch_through'") ?? -1)
            }
        }
        #expect(try stored() == (0, 0))
        for i in 0..<3 { _ = try t.record(application("I-\(i)", name: "N \(i)"), resume: SyntheticText.resume(seed: UInt64(i))) }
        #expect(try stored() == (0, 0))
        _ = try t.record(application("I-3", name: "N 3"), resume: SyntheticText.resume(seed: 3))
        let (blobs, through) = try stored()
        #expect(blobs > 0)
        #expect(through == 4)
        // A look-up that records nothing writes nothing either.
        _ = try t.record(application("I-4", name: "N 4"), resume: SyntheticText.resume(seed: 4), record: false)
        #expect(try stored() == (blobs, through))
    }

    @Test("a store made before v7 counts all its signatures as saved, and gets its running counts from its rows")
    func migrationMarksEverythingSaved() throws {
        let t = try TempStore()
        t.store.sketchSaveInterval = 1
        for i in 0..<3 { _ = try t.record(application("V-\(i)", name: "N \(i)"), resume: SyntheticText.resume(seed: UInt64(i))) }
        _ = try t.store.forgetSync(applicationID: "V-1")
        _ = try t.record(application("V-3", name: "N 3", phones: ["+1 512 555 0100"]), resume: SyntheticText.resume(seed: 3))
        // Back to a v6 store: no sketch keys and no running counts, the v7 and v8 migrations not run.
        try t.store.write { db in
            try db.execute(sql: """
                DELETE FROM meta WHERE key IN ('sketch_through', 'sketch_generation', 'resume_signatures');
                DROP TABLE identifier_count;
                DELETE FROM grdb_migrations WHERE identifier IN ('v7-sketch-deferred', 'v8-counts');
                UPDATE meta SET value = '6' WHERE key = 'schema_version';
                """)
        }
        let reopened = try SQLiteIdentityStore(path: t.path, key: t.key)
        try reopened.pool.read { db in
            let through = try Int64.fetchOne(db, sql: "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'sketch_through'")
            #expect(through == 4)
            #expect(try IdentityStoreTests.sketch(db) == IdentityStoreTests.sketchFromSignatures(db))
        }
        let stats = try reopened.statsSync(), scanned = try reopened.countedByScanning()
        #expect(stats.schemaVersion == SQLiteIdentityStore.schemaVersion)
        #expect(stats.applications == 3 && scanned.applications == 3)
        #expect(stats.identifiersByKind == scanned.identifiersByKind)
        #expect((stats.identifiersByKind["phone"] ?? 0) > 0)
        #expect(stats.resumeSignatures == 3 && scanned.resumeSignatures == 3)
    }
}
