import Foundation
import GRDB
import Testing
import VetterCore
@testable import VetterStore

@Suite("The key filter: look-ups skipped for keys the store cannot hold")
struct KeyFilterTests {
    @Test("every key added is reported as possibly present; few others are")
    func noFalseNegatives() {
        var generator = SyntheticText.Generator(state: 11)
        let filter = KeyFilter(capacity: 40_000)
        var added: [UInt64] = []
        func rate() -> Double {
            let trials = 100_000
            var hits = 0
            for _ in 0..<trials where filter.mayContain(MinHash.mix(generator.next())) { hits += 1 }
            return Double(hits) / Double(trials)
        }
        for _ in 0..<(filter.capacity / 2) { added.append(MinHash.mix(generator.next())); filter.insert(added.last!) }
        #expect(added.allSatisfy { filter.mayContain($0) })
        // Split-block filters at 16 bits per key: about 0.06% false positives; at 8, about 2.7%.
        let half = rate()
        #expect(half < 0.005, "half full: \(half)")
        for _ in 0..<(filter.capacity / 2) { added.append(MinHash.mix(generator.next())); filter.insert(added.last!) }
        #expect(added.allSatisfy { filter.mayContain($0) })
        #expect(!filter.isFull)
        let full = rate()
        #expect(full < 0.05, "full: \(full)")
        filter.insert(1)
        #expect(filter.isFull)
    }

    /// One step of a sequence run on one store file through one or two store objects.
    enum Step {
        case record(id: String, connection: Int, phone: String, ip: String, text: String)
        case forget(id: String, connection: Int)
    }

    /// Shared phones, shared /24 networks, edited copies of earlier résumés, re-screenings,
    /// forgets; and the latest application forgotten through the second connection and its
    /// row id given to a new one, whose phone the first connection then meets.
    static func steps() -> [Step] {
        var out: [Step] = []
        var texts: [String] = []
        for i in 0..<60 {
            let text = i % 6 == 5 ? SyntheticText.edited(texts[i - 4], fraction: 0.02, seed: UInt64(i)) : SyntheticText.resume(seed: UInt64(300 + i), count: 200)
            texts.append(text)
            let id = i % 13 == 12 ? "K-\(i - 3)" : "K-\(i)"
            let phone = "+1 512 555 \(String(format: "%04d", i % 17 == 16 ? 1000 + i - 9 : 1000 + i))"
            out.append(.record(id: id, connection: (i / 4) % 2, phone: phone, ip: "203.0.\(113 + i % 5).\(10 + i)", text: text))
            if i % 10 == 9 { out.append(.forget(id: "K-\(i - 6)", connection: i % 2)) }
        }
        // The row id of the latest application is given again after it is forgotten.
        out.append(.record(id: "K-last", connection: 0, phone: "+1 512 555 7001", ip: "198.51.100.7", text: SyntheticText.resume(seed: 900)))
        out.append(.forget(id: "K-last", connection: 1))
        out.append(.record(id: "K-reused", connection: 1, phone: "+1 512 555 7002", ip: "198.51.100.8", text: SyntheticText.resume(seed: 901)))
        out.append(.record(id: "K-probe", connection: 0, phone: "+1 512 555 7002", ip: "192.0.2.9",
                           text: SyntheticText.edited(SyntheticText.resume(seed: 901), fraction: 0.02, seed: 5)))
        return out
    }

    static func run(filter: Bool, connections count: Int, minimumCapacity: Int = 1 << 16)
        throws -> (matches: [[String]], stores: [SQLiteIdentityStore], reusedRowID: Bool) {
        let first = try TempStore()
        var stores = [first.store]
        for _ in 1..<count { stores.append(try SQLiteIdentityStore(path: first.path, key: first.key)) }
        for store in stores {
            store.usesKeyFilter = filter
            store.keyFilterMinimumCapacity = minimumCapacity
        }
        var matches: [[String]] = []
        var lastRowID: Int64 = 0, reusedRowID = false
        for step in steps() {
            switch step {
            case .record(let id, let connection, let phone, let ip, let text):
                let app = application(id, name: "Person \(id)", phones: [phone], ips: [("application_submitted", ip)])
                let record = IdentityRecord.make(application: app, resume: ResumeDocument(format: .plainText, sourceName: "t", text: text), key: first.key)
                let found = try stores[connection % count].screenSync(record, record: true)
                matches.append(found.map { "\($0.kind) \($0.field) \($0.otherApplicationID) \($0.otherField ?? "-") \($0.similarity)" }.sorted())
                let rowID = try first.store.pool.read { db in try Int64.fetchOne(db, sql: "SELECT id FROM application WHERE external_id = ?", arguments: [id]) }
                if id == "K-last" { lastRowID = rowID ?? -1 }
                if id == "K-reused" { reusedRowID = rowID == lastRowID }
            case .forget(let id, let connection):
                _ = try stores[connection % count].forgetSync(applicationID: id)
            }
        }
        return (matches, stores, reusedRowID)
    }

    @Test("the findings are the same with and without the filter, across two connections and a row id given twice",
          arguments: [(1, 1 << 16), (2, 1 << 16), (2, 64)])
    func sameFindings(connections: Int, minimumCapacity: Int) throws {
        let reference = try Self.run(filter: false, connections: 1)
        #expect(reference.matches.contains { $0.contains { $0.hasPrefix("phone") } })
        #expect(reference.matches.contains { $0.contains { $0.hasPrefix("ip24") } })
        #expect(reference.matches.contains { $0.contains { $0.hasPrefix("resume-near-duplicate") } })
        // The probe meets the application that took the forgotten one's row id.
        #expect(reference.matches.last?.contains { $0.hasPrefix("phone") && $0.contains("K-reused") } == true)
        #expect(reference.stores.allSatisfy { $0.keyFilterBuilds == 0 && $0.lookUpsSkipped == 0 })

        let run = try Self.run(filter: true, connections: connections, minimumCapacity: minimumCapacity)
        #expect(run.reusedRowID)
        #expect(run.matches.count == reference.matches.count)
        let differs = run.matches.indices.first { $0 < reference.matches.count && run.matches[$0] != reference.matches[$0] }
        #expect(differs == nil, "step \(differs ?? -1): \(differs.map { run.matches[$0] } ?? []) against \(differs.map { reference.matches[$0] } ?? [])")
        #expect(run.stores.allSatisfy { $0.keyFilterBuilds >= 1 })
        #expect(run.stores.reduce(0) { $0 + $1.lookUpsSkipped } > 0)
        if connections == 2 {
            // The first connection saw the row it last knew written again, and rebuilt.
            #expect(run.stores[0].keyFilterBuilds >= 2)
        }
        if minimumCapacity == 64 {
            // A filter that filled up was rebuilt larger.
            #expect(run.stores.contains { $0.keyFilterBuilds >= 3 })
        }
    }

    @Test("one screening against a large store does not build the filter; a batch does")
    func buildsWhenWorthIt() throws {
        let t = try TempStore()
        t.store.usesKeyFilter = false
        let records = (0..<200).map { i in
            IdentityRecord.make(application: application("B-\(i)", name: "Person \(i)", phones: ["+1 512 555 \(String(format: "%04d", 2000 + i))"]),
                                resume: nil, key: t.key)
        }
        _ = try t.store.screenBatch(records)
        let second = try SQLiteIdentityStore(path: t.path, key: t.key)
        second.keyFilterBuildRatio = 32
        _ = try second.screenSync(IdentityRecord.make(application: application("B-new", name: "New Person", phones: ["+1 512 555 2005"]),
                                                      resume: nil, key: t.key), record: false)
        #expect(second.keyFilterBuilds == 0)
        let batch = (0..<7).map { i in
            IdentityRecord.make(application: application("B-more-\(i)", name: "More \(i)", phones: ["+1 512 555 \(String(format: "%04d", 3000 + i))"]),
                                resume: nil, key: t.key)
        }
        let found = try second.screenBatch(batch, record: false)
        #expect(second.keyFilterBuilds == 1)  // 1 + 7 screened, times 32, reaches 200
        #expect(found.allSatisfy { $0.isEmpty })
        // Every identifier of the batch is new: none is looked up.
        #expect(second.lookUpsSkipped == batch.reduce(0) { $0 + $1.identifiers.count })
        #expect(second.lookUpsSkipped >= 7)
    }
}
