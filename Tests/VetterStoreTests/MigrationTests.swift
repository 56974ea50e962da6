import Foundation
import GRDB
import Testing
import VetterCore
@testable import VetterStore

@Suite("Schema migrations")
struct MigrationTests {
    /// Writes a store in the v1 layout (exact `shingle_df` counts, `lsh_app` index) as the v1
    /// code did: identifiers, LSH buckets and per-shingle counts of each application's signature.
    static func makeV1Store(path: String, key: IdentityKey, records: [IdentityRecord], boilerplate: (UInt64, Int)) throws -> [[UInt64]] {
        let pool = try DatabasePool(path: path)
        try SQLiteIdentityStore.migrator.migrate(pool, upTo: "v1")
        var signatures: [[UInt64]] = []
        try pool.write { db in
            try db.execute(sql: "INSERT INTO meta(key, value) VALUES ('key_check', ?)", arguments: [key.checkValue])
            for record in records {
                let signature = try #require(MinHash.signature(Array(record.shingles.keys)) { _ in [] }).signature
                signatures.append(signature)
                try db.execute(sql: """
                    INSERT INTO application(external_id, received_at, recorded_at, name_tokens, has_onboarding, signature)
                    VALUES (?, ?, 0, ?, 0, ?)
                    """, arguments: [record.applicationID, record.receivedAt?.timeIntervalSince1970,
                                     NameTokenCoding.encode(record.nameTokens), MinHash.encode(signature)])
                let rowID = db.lastInsertedRowID
                for identifier in record.identifiers {
                    try db.execute(sql: "INSERT OR IGNORE INTO identifier(hash, app, kind, field) VALUES (?, ?, ?, ?)",
                                   arguments: [identifier.hash, rowID, identifier.kind, identifier.field])
                }
                for bucket in Set(MinHash.buckets(signature)) {
                    try db.execute(sql: "INSERT OR IGNORE INTO lsh(bucket, app) VALUES (?, ?)", arguments: [bucket, rowID])
                }
                for shingle in Set(signature) {
                    try db.execute(sql: "INSERT INTO shingle_df(hash, df) VALUES (?, 1) ON CONFLICT(hash) DO UPDATE SET df = df + 1",
                                   arguments: [Int64(bitPattern: shingle)])
                }
                try db.execute(sql: "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'applications'")
            }
            // A shingle counted by many earlier (since forgotten) applications: boilerplate.
            try db.execute(sql: "INSERT INTO shingle_df(hash, df) VALUES (?, ?)",
                           arguments: [Int64(bitPattern: boilerplate.0), boilerplate.1])
        }
        return signatures
    }

    @Test("a v1 store is upgraded to the current schema with its counts, buckets and identifiers, and still matches")
    func upgradeV1() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vetter-v1-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("identity.sqlite").path
        let key = TempStore.testKey
        let original = SyntheticText.resume(seed: 21)
        let records = [
            IdentityRecord.make(application: application("OLD-1", name: "Jane Smith", phones: ["+1 512 555 0100"]),
                                resume: ResumeDocument(format: .plainText, sourceName: "t", text: original), key: key),
            IdentityRecord.make(application: application("OLD-2", name: "Kim Park", emails: ["kim@example.com"]),
                                resume: ResumeDocument(format: .plainText, sourceName: "t", text: SyntheticText.resume(seed: 22)), key: key),
        ]
        let boilerplate: (UInt64, Int) = (0x1234_5678_9abc_def0, 40)
        let signatures = try Self.makeV1Store(path: path, key: key, records: records, boilerplate: boilerplate)

        let store = try SQLiteIdentityStore(path: path, key: key)
        let stats = try store.statsSync()
        #expect(stats.schemaVersion == SQLiteIdentityStore.schemaVersion)
        #expect(stats.applications == 2)
        #expect(stats.commonShingles == 1)
        let (hasOldTable, hasOldIndex, buckets, boilerplateEstimate, minimumEstimate, frequent) = try store.pool.read { db in
            let sketch = try SketchBuffer(db, frequentMinimum: 25)
            return (
                try db.tableExists("shingle_df"),
                try db.indexes(on: "lsh").contains { $0.name == "lsh_app" },
                try Int.fetchOne(db, sql: "SELECT count(*) FROM lsh"),
                try sketch.estimate(boilerplate.0),
                try Set(signatures[0]).map { try sketch.estimate($0) }.min(),
                try Int64.fetchAll(db, sql: "SELECT hash FROM frequent_shingle")
            )
        }
        #expect(!hasOldTable)
        #expect(!hasOldIndex)
        #expect(buckets == signatures.reduce(0) { $0 + Set(MinHash.buckets($1)).count })
        #expect(boilerplateEstimate == boilerplate.1)
        #expect((minimumEstimate ?? 0) >= 1)
        #expect(frequent == [Int64(bitPattern: boilerplate.0)])

        // The old applications are still found: a phone under another name, an edited copy.
        let copy = SyntheticText.edited(original, fraction: 0.01, seed: 5)
        let matches = try store.screenSync(IdentityRecord.make(
            application: application("NEW-1", name: "Lee Wong", phones: ["(512) 555-0100"]),
            resume: ResumeDocument(format: .plainText, sourceName: "t", text: copy), key: key), record: true)
        #expect(matches.contains { $0.kind == "phone" && $0.otherApplicationID == "OLD-1" && $0.differentIdentity })
        #expect(matches.contains { $0.kind == "resume-near-duplicate" && $0.otherApplicationID == "OLD-1" })

        // Forgetting an upgraded application removes its buckets and counts.
        #expect(try store.forgetSync(applicationID: "OLD-2"))
        try store.pool.read { db in
            let sketch = try SketchBuffer(db, frequentMinimum: 25)
            let onlyOld2 = Set(signatures[1]).subtracting(signatures[0])
            let estimates = try onlyOld2.map { try sketch.estimate($0) }
            // Only collisions with the two remaining signatures could keep a count above zero.
            #expect(estimates.filter { $0 > 0 }.count <= 2)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM lsh WHERE app NOT IN (SELECT id FROM application)") == 0)
        }
        // Reopening an upgraded store migrates nothing and keeps the key.
        #expect(try SQLiteIdentityStore(path: path, key: key).statsSync().schemaVersion == SQLiteIdentityStore.schemaVersion)
        #expect(throws: StoreError.wrongKey) { _ = try SQLiteIdentityStore(path: path, key: TempStore.otherKey) }
    }
}
