import Foundation
import GRDB
import Testing
import VetterCore
import VetterTesting
@testable import VetterStore

@Suite("Identity store (SQLite)")
struct IdentityStoreTests {
    @Test("a phone seen under another name is found; under the same name it is not a different identity")
    func roundTrip() throws {
        let t = try TempStore()
        #expect(try t.record(application("A-1", name: "Jane Smith", emails: ["jane.smith@gmail.com"], phones: ["+1 512 555 0100"])).isEmpty)
        let other = try t.record(application("A-2", name: "Kim Park", phones: ["(512) 555-0100"]))
        let phone = try #require(other.first { $0.kind == "phone" })
        #expect(phone.otherApplicationID == "A-1")
        #expect(phone.differentIdentity)
        #expect(phone.otherReceivedAt == Date(timeIntervalSince1970: 1_740_000_000))
        // Gmail dots, +tags and case are the same mailbox; a nickname is the same person.
        let same = try t.record(application("A-3", name: "J. Smith", emails: ["Jane.Smith+jobs@GMAIL.com"]))
        let email = try #require(same.first { $0.kind == "email" })
        #expect(email.otherApplicationID == "A-1")
        #expect(!email.differentIdentity)
        let stats = try t.store.statsSync()
        #expect(stats.applications == 3)
        #expect(stats.schemaVersion == SQLiteIdentityStore.schemaVersion)
    }

    @Test("phone numbers meet in any written form and differ when any national digit differs", arguments: [
        ("+1 512 555 0100", "(512) 555-0100", true),
        ("+1 512 555 0100", "1-512-555-0100", true),
        ("+44 20 7946 0958", "020 7946 0958", true),
        ("0044 20 7946 0958", "+44 (0)20 7946 0958", true),
        ("+39 06 1234 5678", "06 1234 5678", true),
        ("+49 30 901820", "030 901820", true),
        ("+1 206 555 0198", "+1 306 555 0198", false),
        ("(206) 555-0198", "(306) 555-0198", false),
        ("+1 206 555 0198", "(306) 555-0198", false),
        ("+44 20 7946 0958", "+44 20 7946 0959", false),
    ])
    func phoneForms(first: String, second: String, same: Bool) {
        #expect(!Set(Normalise.phone(first)).isDisjoint(with: Normalise.phone(second)) == same, "\(first) / \(second)")
    }

    @Test("the calling-code rule agrees with every code in the reference table")
    func callingCodeLengths() throws {
        let table = try String(contentsOf: Fixtures.config.appendingPathComponent("reference/calling-codes.tsv"), encoding: .utf8)
        let codes = table.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap { $0.split(separator: "\t").first.map(String.init) }
        #expect(codes.count > 200)
        for code in codes {
            #expect(PhoneNumbers.callingCodeLength(code + "2015550123") == code.count, "calling code \(code)")
        }
    }

    @Test("re-screening an application replaces it and does not match itself")
    func rescreen() throws {
        let t = try TempStore()
        _ = try t.record(application("A-1", name: "Jane Smith", phones: ["+1 512 555 0100"]))
        #expect(try t.record(application("A-1", name: "Jane Smith", phones: ["+1 512 555 0100"])).isEmpty)
        #expect(try t.store.statsSync().applications == 1)
    }

    @Test("the database file holds no raw email, phone, address, name or résumé text")
    func noRawPersonalData() throws {
        let t = try TempStore()
        let text = "Zebulon Quartermaine senior engineer led the Kestrelwood migration for Northwind " + SyntheticText.resume(seed: 7)
        _ = try t.record(application("A-1", name: "Zebulon Quartermaine", emails: ["zebulon.q@example.org"], phones: ["+44 20 7946 0958"],
                                     address: PostalAddress(lines: ["221B Baker Street"], city: "London", postalCode: "NW1 6XE", country: "GB"),
                                     bank: "GB29NWBK60161331926819", ips: [("application_submitted", "203.0.113.77")],
                                     links: ["https://github.com/zquartermaine"]), resume: text)
        _ = try t.record(application("A-2", name: "Other Person", phones: ["+44 20 7946 0958"]))
        let bytes = try t.fileBytes()
        for secret in ["zebulon", "Zebulon", "Quartermaine", "quartermaine", "example.org", "7946", "442079460958", "Baker", "baker",
                       "NW1", "GB29NWBK", "203.0.113", "zquartermaine", "Kestrelwood", "kestrelwood", "Northwind", "London"] {
            #expect(bytes.range(of: Data(secret.utf8)) == nil, "found \(secret) in the store file")
        }
        // The application id is kept (reports name other applications by id).
        #expect(bytes.range(of: Data("A-2".utf8)) != nil)
    }

    @Test("a store opened with a different key is refused")
    func wrongKey() throws {
        let t = try TempStore()
        _ = try t.record(application("A-1", name: "Jane Smith", phones: ["+1 512 555 0100"]))
        #expect(throws: StoreError.wrongKey) { _ = try SQLiteIdentityStore(path: t.path, key: TempStore.otherKey) }
        #expect(throws: Never.self) { _ = try SQLiteIdentityStore(path: t.path, key: TempStore.testKey) }
    }

    @Test("a store from a newer version is refused with a clear message")
    func newerSchema() throws {
        let t = try TempStore()
        try t.store.write { db in try db.execute(sql: "UPDATE meta SET value = '99' WHERE key = 'schema_version'") }
        let error = #expect(throws: StoreError.self) { _ = try SQLiteIdentityStore(path: t.path, key: t.key) }
        #expect(error == .newerSchema(found: 99, supported: SQLiteIdentityStore.schemaVersion))
        #expect(error?.description.contains("newer than this vetter supports") == true)
    }

    @Test("a migration unknown to this version is refused too")
    func unknownMigration() throws {
        let t = try TempStore()
        try t.store.write { db in try db.execute(sql: "INSERT INTO grdb_migrations(identifier) VALUES ('v99-unknown')") }
        #expect(throws: StoreError.self) { _ = try SQLiteIdentityStore(path: t.path, key: t.key) }
    }

    @Test("forget removes every trace of the application")
    func forget() throws {
        let t = try TempStore()
        let resume = SyntheticText.resume(seed: 11)
        _ = try t.record(application("A-KEEP", name: "Kim Park", phones: ["+1 512 555 0199"]), resume: SyntheticText.resume(seed: 12))
        let before = try t.store.pool.read { db in try Self.counts(db) }
        let sketchBefore = try t.store.pool.read { db in try Self.sketch(db) }
        #expect(!sketchBefore.isEmpty)
        _ = try t.record(application("A-GONE-4242", name: "Jane Smith", emails: ["jane@example.com"], phones: ["+1 512 555 0100"],
                                     ips: [("application_submitted", "198.51.100.9")]), resume: resume)
        #expect(try t.store.forgetSync(applicationID: "A-GONE-4242"))
        #expect(try !t.store.forgetSync(applicationID: "A-GONE-4242"))
        let after = try t.store.pool.read { db in try Self.counts(db) }
        // The same rows, but for the sketch's blobs: recording A-KEEP did not save them, the
        // removal did (they are compared by their counts below).
        #expect(after.enumerated().filter { $0.offset != 3 }.map(\.element) == before.enumerated().filter { $0.offset != 3 }.map(\.element))
        // Its signature's counts are gone exactly, and no all-zero blob is left behind: a removal
        // saves the blobs, so the stored ones count every remaining signature.
        #expect(try t.store.pool.read { db in try Self.sketch(db) } == sketchBefore)
        #expect(try t.store.pool.read { db in try Self.storedSketch(db) } == sketchBefore)
        #expect(try t.fileBytes().range(of: Data("A-GONE-4242".utf8)) == nil)
        // Nothing matches it any more.
        let matches = try t.record(application("A-NEW", name: "Other Name", emails: ["jane@example.com"], phones: ["+1 512 555 0100"]),
                                   resume: resume)
        #expect(matches.allSatisfy { $0.otherApplicationID != "A-GONE-4242" })
        #expect(matches.isEmpty)
    }

    static func counts(_ db: GRDBDatabase) throws -> [Int] {
        try ["application", "identifier", "lsh", "shingle_sketch", "frequent_shingle"].map { table in
            let recent = ["identifier", "lsh"].contains(table) ? " + (SELECT count(*) FROM \(table)_recent)" : ""
            return try Int.fetchOne(db, sql: "SELECT (SELECT count(*) FROM \(table))\(recent)") ?? -1
        }
    }

    /// The stored sketch blobs by slot; none may be all zeros.
    static func storedSketch(_ db: GRDBDatabase) throws -> [Int: [UInt32]] {
        var out: [Int: [UInt32]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT slot, counts FROM shingle_sketch") {
            let counts = ShingleSketch.decode(row["counts"])
            #expect(counts.contains { $0 != 0 })
            out[row["slot"]] = counts
        }
        return out
    }

    /// The sketch as a screening sees it: the stored blobs plus the signatures recorded since they were saved.
    static func sketch(_ db: GRDBDatabase) throws -> [Int: [UInt32]] {
        try SketchBuffer(db, frequentMinimum: 25).allBlobs()
    }

    /// The sketch counted from scratch from every stored signature (what the blobs stand for).
    static func sketchFromSignatures(_ db: GRDBDatabase, through: Int64 = .max) throws -> [Int: [UInt32]] {
        let n = ShingleSketch.countersPerBlob
        var out: [Int: [UInt32]] = [:]
        for data in try Data.fetchAll(db, sql: "SELECT signature FROM application WHERE id <= ? AND signature IS NOT NULL", arguments: [through]) {
            guard let signature = MinHash.decode(data) else { continue }
            for shingle in Set(signature) {
                let (a, b) = ShingleSketch.counters(shingle)
                for index in [a, b] { out[index / n, default: [UInt32](repeating: 0, count: n)][index % n] += 1 }
            }
        }
        return out
    }

    @Test("identifiers and buckets are found the same before and after the recent tables are merged, and forget clears both")
    func recentTablesMerge() throws {
        let t = try TempStore()
        let resume = SyntheticText.resume(seed: 11)
        _ = try t.record(application("M-1", name: "Jane Smith", phones: ["+1 512 555 0100"], bank: "DE89 3704 0044 0532 0130 00"), resume: resume)
        _ = try t.record(application("M-2", name: "Pat Jones", phones: ["+1 512 555 0100"]))
        func probe() throws -> [ReuseMatch] {
            try t.record(application("PROBE", name: "Kim Park", phones: ["+1 512 555 0100"], bank: "DE89 3704 0044 0532 0130 00"),
                         resume: SyntheticText.edited(resume, fraction: 0.01, seed: 3), record: false)
        }
        func summary(_ m: [ReuseMatch]) -> [String] { m.map { "\($0.kind) \($0.otherApplicationID) \($0.field)" }.sorted() }
        let before = try probe()
        #expect(before.contains { $0.kind == "resume-near-duplicate" && $0.otherApplicationID == "M-1" })
        #expect(before.contains { $0.kind == "bank-account" && $0.otherApplicationID == "M-1" })
        let linksBefore = try t.store.linksSync(applicationID: "M-1")
        let rows = { (table: String) in try t.store.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? -1 } }
        let recentIdentifiers = try rows("identifier_recent"), recentBuckets = try rows("lsh_recent")
        #expect(recentIdentifiers > 0 && recentBuckets > 0)
        try t.store.write { db in try t.store.mergeRecent(db) }
        #expect(try rows("identifier_recent") == 0 && rows("lsh_recent") == 0)
        #expect(try rows("identifier") == recentIdentifiers && rows("lsh") == recentBuckets)
        #expect(summary(try probe()) == summary(before))
        #expect(linksBefore?.linked.contains { $0.applicationID == "M-2" } == true)
        #expect(try t.store.linksSync(applicationID: "M-1") == linksBefore)
        // A merge is due once the recent tables hold an eighth of the store (at least the minimum).
        try t.store.write { db in
            try db.execute(sql: "UPDATE meta SET value = ? WHERE key = 'recent_applications'", arguments: [SQLiteIdentityStore.recentMergeMinimum])
        }
        _ = try t.record(application("M-3", name: "Lee Wong", phones: ["+1 512 555 0199"]))
        #expect(try rows("identifier_recent") == 0)
        #expect(try t.store.pool.read { db in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'recent_applications'") } == "0")
        // Forget removes merged and recent rows alike.
        _ = try t.record(application("M-4", name: "Ana Lima", phones: ["+1 512 555 0100"]))
        #expect(try t.store.forgetSync(applicationID: "M-1"))
        #expect(try t.store.forgetSync(applicationID: "M-4"))
        for table in ["identifier", "identifier_recent", "lsh", "lsh_recent"] {
            let orphans = try t.store.pool.read { db in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table) WHERE app NOT IN (SELECT id FROM application)")
            }
            #expect(orphans == 0, "\(table)")
        }
        #expect(try probe().allSatisfy { $0.otherApplicationID != "M-1" && $0.otherApplicationID != "M-4" })
    }

    @Test("a failure mid-screening leaves nothing half-written")
    func rollback() throws {
        let t = try TempStore()
        struct Boom: Error {}
        let record = IdentityRecord.make(application: application("A-1", name: "Jane Smith", phones: ["+1 512 555 0100"]), resume: nil, key: t.key)
        #expect(throws: (any Error).self) {
            try t.store.write { db in
                try t.store.insert(db, record)
                throw Boom()
            }
        }
        #expect(try t.store.pool.read { db in try Self.counts(db) } == [0, 0, 0, 0, 0])
        #expect(try t.store.pool.read { db in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'applications'") } == "0")
    }

    @Test("two writers on one SQLite file lose nothing")
    func concurrentWriters() async throws {
        let t = try TempStore()
        let second = try SQLiteIdentityStore(path: t.path, key: t.key)  // a second connection pool, as a second process has
        let key = t.key
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (writer, store) in [(0, t.store), (1, second)] {
                group.addTask {
                    for i in 0..<60 {
                        // Every application shares one phone, so each write also reads what the other wrote.
                        let app = application("W\(writer)-\(i)", name: "Person \(writer) \(i)", phones: ["+1 512 555 0100"])
                        _ = try store.screenSync(IdentityRecord.make(application: app, resume: nil, key: key), record: true)
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try t.store.statsSync().applications == 120)
        let phones = try await t.store.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM (SELECT kind FROM identifier UNION ALL SELECT kind FROM identifier_recent) WHERE kind = 'phone'") }
        #expect(phones == 240)
        let counter = try await t.store.pool.read { db in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'applications'") }
        #expect(counter == "120")
    }

    @Test("an onboarding shipping address shared by two hires is linked, with the other side's field")
    func shippingAddress() throws {
        let t = try TempStore()
        let farm = PostalAddress(lines: ["12 Elm Street, Apt 4"], city: "Tucson", postalCode: "85701", country: "US")
        _ = try t.record(application("H-1", name: "Alex Moreno", shipping: farm))
        let written = PostalAddress(lines: ["12 elm st. apartment 4"], city: "TUCSON", postalCode: "85701", country: "us")
        let matches = try t.record(application("H-2", name: "Pat Lee", shipping: written))
        let match = try #require(matches.first { $0.kind == "address" })
        #expect(match.otherApplicationID == "H-1")
        #expect(match.otherField == "onboarding.shippingAddress")
        #expect(match.differentIdentity)
    }

    @Test("a chain of shared identifiers forms a cluster; links shows it")
    func cluster() throws {
        let t = try TempStore()
        _ = try t.record(application("C-1", name: "Ann Lee", phones: ["+1 202 555 0101"]))
        _ = try t.record(application("C-2", name: "Bo Kim", emails: ["bo@example.com"], phones: ["+1 202 555 0101"]))
        let matches = try t.record(application("C-3", name: "Cy Diaz", emails: ["bo@example.com"]))
        let members = Set(matches.filter { $0.kind == "cluster" }.map(\.otherApplicationID))
        #expect(members == ["C-1", "C-2"])
        let report = try #require(try t.store.linksSync(applicationID: "C-1"))
        #expect(report.linked.map(\.applicationID).sorted() == ["C-2", "C-3"])
        #expect(report.linked.first { $0.applicationID == "C-3" }?.distance == 2)
        #expect(try t.store.linksSync(applicationID: "nope") == nil)
        // Shared networks alone do not join a cluster.
        let ipOnly = try t.record(application("C-4", name: "Di Wu", ips: [("application_submitted", "198.51.100.1")]))
        #expect(ipOnly.isEmpty)
        let ip24 = try t.record(application("C-5", name: "Ed Ho", ips: [("application_submitted", "198.51.100.2")]))
        #expect(ip24.map(\.kind) == ["ip24"])
    }

    @Test("an IP shared while applying (an agency, a campus) never joins a cluster; one shared by hires' onboarding connections does")
    func clusterIPStages() throws {
        let t = try TempStore()
        for (i, name) in ["Ann Lee", "Bo Kim", "Cy Diaz"].enumerated() {
            let matches = try t.record(application("AG-\(i)", name: name, ips: [("application_submitted", "198.51.100.7")]))
            #expect(!matches.contains { $0.kind == "cluster" }, "AG-\(i) clustered through an application IP")
        }
        for (i, name) in ["Di Wu", "Ed Ho", "Flo Ng"].enumerated() {
            let matches = try t.record(application("FM-\(i)", name: name, ips: [("onboarding_form", "198.51.100.9")]))
            let members = Set(matches.filter { $0.kind == "cluster" }.map(\.otherApplicationID))
            #expect(members == Set((0..<i).map { "FM-\($0)" }))
        }
    }

    @Test("an application already recorded is never a member of its own cluster when screened again")
    func clusterExcludesItself() throws {
        let t = try TempStore()
        _ = try t.record(application("S-1", name: "Ann Lee", phones: ["+1 202 555 0101"]))
        _ = try t.record(application("S-2", name: "Bo Kim", phones: ["+1 202 555 0101"], bank: "acct-1"))
        _ = try t.record(application("S-3", name: "Cy Diaz", bank: "acct-1"))
        // S-3 again, under another name, looked up only: its cluster is S-1 and S-2, never S-3.
        let again = try t.record(application("S-3", name: "Other Person", bank: "acct-1"), record: false)
        #expect(Set(again.filter { $0.kind == "cluster" }.map(\.otherApplicationID)) == ["S-1", "S-2"])
    }

    @Test("addresses of VPN, hosting and carrier exits are not recorded")
    func sharedExitsNotRecorded() throws {
        let t = try TempStore()
        let exits: Set<String> = ["203.0.113.130"]
        for (i, name) in ["Ann Lee", "Bo Kim"].enumerated() {
            let app = application("VX-\(i)", name: name, ips: [("onboarding_form", "203.0.113.130"), ("application_submitted", "2001:db8:1:\(i + 1)::1")])
            let record = IdentityRecord.make(application: app, resume: nil, key: t.key, sharedExitIPs: exits)
            #expect(!record.identifiers.contains { $0.field.contains("onboarding_form") })
            #expect(try t.store.screenSync(record, record: true).isEmpty)
        }
    }

    @Test("near-duplicates are judged without the contact header: the same résumé under another name, email and phone")
    func nearDuplicateWithoutHeader() throws {
        let t = try TempStore()
        for seed in 2...30 { _ = try t.record(application("U-\(seed)", name: "Person \(seed)"), resume: SyntheticText.resume(seed: UInt64(seed), count: 60)) }
        let body = SyntheticText.resume(seed: 1, count: 45)
        let first = "Jane Smith\nAustin, TX · jane.smith1@example.com · +1 512 555 0101\n\n" + body
        let second = "Kim Park\nDenver, CO · kim.park2@example.org · +1 303 555 0177\n\n" + body
        _ = try t.record(application("H-1", name: "Jane Smith", emails: ["jane.smith1@example.com"], phones: ["+1 512 555 0101"]), resume: first)
        let matches = try t.record(application("H-2", name: "Kim Park", emails: ["kim.park2@example.org"], phones: ["+1 303 555 0177"]), resume: second)
        let match = try #require(matches.first { $0.kind == "resume-near-duplicate" })
        #expect(match.otherApplicationID == "H-1")
        #expect(match.similarity >= 0.95)
    }

    @Test("a key file is created readable by its owner only, and reused")
    func keyFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vetter-key-\(UUID().uuidString)").path
        let storePath = directory + "/identity.sqlite"
        let (_, _, message) = try IdentityStores.openSQLite(path: storePath, keyFile: nil, environment: [:])
        #expect(message?.contains(storePath + ".key") == true)
        let mode = try FileManager.default.attributesOfItem(atPath: storePath + ".key")[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
        let (_, _, again) = try IdentityStores.openSQLite(path: storePath, keyFile: nil, environment: [:])
        #expect(again == nil)
        // The environment key is another key: refused.
        #expect(throws: StoreError.wrongKey) {
            _ = try IdentityStores.openSQLite(path: storePath, keyFile: nil, environment: ["VETTER_HMAC_KEY": "another key of enough length"])
        }
        #expect(throws: StoreError.keyTooShort) { _ = try IdentityKey(material: "short") }
    }

    /// The byte search that filters contact lines finds what a plain scan finds.
    @Test func byteSearchMatchesScan() {
        var generator = SyntheticText.Generator(state: 7)
        func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8(0x61 + generator.next() % 3) } }
        var found = 0
        for _ in 0..<5_000 {
            let text = bytes(Int(generator.next() % 12)), pattern = bytes(Int(generator.next() % 4))
            let scan = pattern.isEmpty || (text.count >= pattern.count && (0...(text.count - pattern.count)).contains { Array(text[$0..<($0 + pattern.count)]) == pattern })
            #expect(TextSearch.bytes(text, contain: pattern) == scan, "\(text) \(pattern)")
            if scan { found += 1 }
        }
        #expect(found > 1_000 && found < 4_500)
    }

    /// Name tokens are folded on their bytes when ASCII; the result is the character-wise fold's.
    @Test func nameFoldingOnBytesMatchesCharacters() {
        let letters = Array("phkszcwyjouaex")
        var generator = SyntheticText.Generator(state: 42)
        var tokens = Array(NameHashing.nicknames.keys) + ["schwarz", "khachaturian", "zhukov", "jackson", "mcconnell", "phyllis", "kseniya", "wojciech", "sch", "s", ""]
        for _ in 0..<5_000 {
            tokens.append(String((0..<Int(generator.next() % 9)).map { _ in letters[Int(generator.next() % UInt64(letters.count))] }))
        }
        for token in tokens {
            #expect(NameHashing.fold(token) == NameHashing.foldCharacters(NameHashing.nicknames[token] ?? token), "\(token)")
        }
        #expect(NameHashing.fold("schwarz") == "shvarz")
        // Not ASCII: the character-wise fold.
        #expect(NameHashing.fold("çhé") == NameHashing.foldCharacters("çhé"))
    }

    /// An identifier's hash is HMAC-SHA256 over `kind`, a zero byte and the normalised value, its
    /// first 16 bytes: stores made by earlier versions must keep matching. The expected values
    /// were computed with Python's `hmac` module.
    @Test func identifierHashesAreStable() {
        let hex = { (data: Data) in data.map { String(format: "%02x", $0) }.joined() }
        #expect(hex(TempStore.testKey.hash("email", "jane.doe@example.com")) == "31fd4871b49ff545633b5c70a3d304f7")
        #expect(hex(TempStore.otherKey.hash("phone", "+15035550198")) == "f60a630ecb11453cfb0f62ff9619b937")
        // The keyed HMAC is copied, not shared: hashing twice gives the same value.
        #expect(TempStore.testKey.hash("email", "x@example.com") == TempStore.testKey.hash("email", "x@example.com"))
    }
}

typealias GRDBDatabase = GRDB.Database
