import Foundation
import GRDB
import Testing
@testable import VetterStore
import VetterTesting
#if canImport(Glibc)
import Glibc
#endif

/// Kills real `vetter screen --store` processes with SIGKILL at random moments and checks that
/// the store is still whole: SQLite's integrity check passes, every application is either
/// recorded with all its identifiers, buckets and counts or absent, and the store still works.
@Suite("SIGKILL during screening")
struct StoreKillTests {
    static let keyMaterial = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"

    /// An application with an email, two phones (one shared by all), an address, two IPs and a
    /// résumé of ~400 words sharing a passage with the others, so a screening writes to every table.
    static func applicationJSON(_ i: Int) -> String {
        var state = UInt64(i + 1) &* 0x9e37_79b9_7f4a_7c15
        func word() -> String {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let syllables = ["ka", "lo", "mi", "ter", "van", "dor", "el", "shu", "ri", "po", "nex", "tal"]
            return syllables[Int(state >> 33) % 12] + syllables[Int(state >> 45) % 12] + syllables[Int(state >> 55) % 12]
        }
        let shared = "Led the migration of the payments platform to an event driven architecture with zero downtime"
        let text = shared + " " + (0..<400).map { _ in word() }.joined(separator: " ")
        let letters = String((0..<6).map { Character(UnicodeScalar(UInt8(97 + (i * 7 + $0 * 3) % 26))) })
        let object: [String: Any] = [
            "schema": "vetter.application/v1",
            "id": "K-\(i)",
            "received_at": "2026-10-05T15:20:00Z",
            "candidate": [
                "name": "Q\(letters) Z\(letters)son",
                "emails": ["kill.\(i)@example.com"],
                "phones": ["+1 512 555 \(String(format: "%04d", 1000 + i))", "+1 415 555 0199"],
                "address": ["lines": ["\(i) Main Street"], "city": "Austin", "postal_code": "78701", "country": "US"],
            ] as [String: Any],
            "resume": ["text": text],
            "events": [
                ["type": "application_submitted", "at": "2026-10-05T15:20:00Z", "ip": "198.51.100.\(i % 250 + 1)"],
                ["type": "assessment_started", "at": "2026-10-06T15:20:00Z", "ip": "203.0.113.\(i % 250 + 1)"],
            ],
        ]
        return String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    static func launch(_ file: String, store: String, keyFile: String) throws -> Process {
        let process = Process()
        process.executableURL = CommandLineTests.binary
        process.arguments = ["screen", file, "--store", store, "--key-file", keyFile, "--format", "json"]
        process.currentDirectoryURL = Fixtures.root
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Per application id: identifier rows, LSH rows, distinct shingles in its signature.
    static func contents(_ db: Database) throws -> [String: [Int]] {
        var out: [String: [Int]] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT a.external_id, a.signature,
                   (SELECT count(*) FROM identifier i WHERE i.app = a.id) + (SELECT count(*) FROM identifier_recent i WHERE i.app = a.id) AS identifiers,
                   (SELECT count(*) FROM lsh l WHERE l.app = a.id) + (SELECT count(*) FROM lsh_recent l WHERE l.app = a.id) AS buckets
            FROM application a
            """) {
            let signature = (row["signature"] as Data?).flatMap(MinHash.decode)
            out[row["external_id"]] = [row["identifiers"], row["buckets"], signature.map { Set($0).count } ?? 0]
        }
        return out
    }

    @Test("screenings killed at random moments leave the store whole")
    func killedScreenings() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vetter-kill-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let keyFile = directory.appendingPathComponent("org.key").path
        try Self.keyMaterial.write(toFile: keyFile, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: keyFile)
        let runs = 12
        var files: [String] = []
        for i in 0..<(runs + 1) {
            let file = directory.appendingPathComponent("K-\(i).json").path
            try Self.applicationJSON(i).write(toFile: file, atomically: true, encoding: .utf8)
            files.append(file)
        }

        // The reference: every screening run to the end, timed.
        let reference = directory.appendingPathComponent("reference.sqlite").path
        var durations: [Double] = []
        for file in files.prefix(runs) {
            let start = Date()
            let process = try Self.launch(file, store: reference, keyFile: keyFile)
            process.waitUntilExit()
            durations.append(Date().timeIntervalSince(start))
            #expect(process.terminationStatus == 0)
        }
        let key = try IdentityKey(material: Self.keyMaterial)
        let expected = try SQLiteIdentityStore(path: reference, key: key).pool.read { db in try Self.contents(db) }
        #expect(expected.count == runs)
        #expect(expected.values.allSatisfy { $0[0] >= 8 && $0[1] > 0 && $0[2] > 0 })

        // The same screenings on a new store, each killed after a random delay within the time a
        // typical screening takes (the first one is killed while it may still be creating the store).
        // The median, not the longest: with the whole suite running beside it, one slow reference
        // run (3.3 s once, against well under one second alone) made every delay too late.
        let killedStore = directory.appendingPathComponent("killed.sqlite").path
        let typical = durations.sorted()[durations.count / 2]
        var delays: [Int] = []
        var killed = 0
        for file in files.prefix(runs) {
            let process = try Self.launch(file, store: killedStore, keyFile: keyFile)
            let delay = Int.random(in: 0...Int(typical * 1_000_000))
            delays.append(delay / 1000)
            usleep(useconds_t(delay))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            if process.terminationReason == .uncaughtSignal { killed += 1 }
        }
        #expect(killed > 0, "every screening ended before its kill; delays (ms): \(delays)")

        let store = try SQLiteIdentityStore(path: killedStore, key: key)
        try store.pool.read { db in
            // SQLite 3.40.1 (Debian 12) reports "NULL value in T.C" for WITHOUT ROWID tables whose
            // non-key columns sit between key columns, even when no such NULL exists (reproduced on a
            // one-row table with the sqlite3 shell). Such lines are checked with a query instead;
            // every other integrity message fails the test.
            var integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check")
            for line in Set(integrity) where line.hasPrefix("NULL value in ") {
                let parts = line.dropFirst("NULL value in ".count).split(separator: ".")
                guard parts.count == 2 else { continue }
                let nulls = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(parts[0]) WHERE \(parts[1]) IS NULL") ?? -1
                #expect(nulls == 0, "\(line): \(nulls) rows")
                if nulls == 0 { integrity.removeAll { $0 == line } }
            }
            #expect(integrity == ["ok"] || integrity.isEmpty, "integrity: \(integrity.prefix(5)); delays (ms): \(delays)")
            #expect(try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").isEmpty)
            // Every application recorded is whole: the same rows as when its screening ran to the end.
            let found = try Self.contents(db)
            for (id, counts) in found {
                #expect(expected[id] == counts, "\(id) is half-written (delays in ms: \(delays))")
            }
            // No rows belong to an application that is not there.
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM identifier WHERE app NOT IN (SELECT id FROM application)") == 0)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM lsh WHERE app NOT IN (SELECT id FROM application)") == 0)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM identifier_recent WHERE app NOT IN (SELECT id FROM application)") == 0)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM lsh_recent WHERE app NOT IN (SELECT id FROM application)") == 0)
            // The application counter and the shingle counts match what is recorded: the stored
            // blobs count the signatures up to `sketch_through`, the later ones are counted from
            // their rows (their sum is every recorded signature).
            #expect(try Int.fetchOne(db, sql: "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'applications'") == found.count)
            var total = 0
            for data in try Data.fetchAll(db, sql: "SELECT counts FROM shingle_sketch") {
                total += ShingleSketch.decode(data).reduce(0) { $0 + Int($1) }
            }
            let through = try Int64.fetchOne(db, sql: "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'sketch_through'") ?? 0
            let saved = try Data.fetchAll(db, sql: "SELECT signature FROM application WHERE id <= ? AND signature IS NOT NULL", arguments: [through])
                .reduce(0) { $0 + (MinHash.decode($1).map { Set($0).count } ?? 0) }
            #expect(total == ShingleSketch.depth * saved)
            let all = try SketchBuffer(db, frequentMinimum: 25).allBlobs().values.reduce(0) { $0 + $1.reduce(0) { $0 + Int($1) } }
            #expect(all == ShingleSketch.depth * found.values.reduce(0) { $0 + $1[2] })
        }

        // The store still works: a screening run to the end is recorded and sees the shared phone.
        let before = try store.statsSync().applications
        let last = try Self.launch(files[runs], store: killedStore, keyFile: keyFile)
        last.waitUntilExit()
        #expect(last.terminationStatus == 0)
        #expect(try store.statsSync().applications == before + 1)
    }
}
