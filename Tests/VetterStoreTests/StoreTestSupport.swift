import Foundation
import VetterCore
@testable import VetterStore

/// A fresh store in its own temporary folder.
struct TempStore {
    let directory: URL
    let path: String
    let key: IdentityKey
    let store: SQLiteIdentityStore

    init(key: IdentityKey = TempStore.testKey) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("vetter-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("identity.sqlite").path
        self.key = key
        store = try SQLiteIdentityStore(path: path, key: key)
    }

    static let testKey = try! IdentityKey(material: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
    static let otherKey = try! IdentityKey(material: "a completely different organisation key")

    func record(_ application: Application, resume: String? = nil, record: Bool = true) throws -> [ReuseMatch] {
        let document = resume.map { ResumeDocument(format: .plainText, sourceName: "inline text", text: $0) }
        return try store.screenSync(IdentityRecord.make(application: application, resume: document, key: key), record: record)
    }

    /// The bytes of the database file and its WAL.
    func fileBytes() throws -> Data {
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        if let wal = try? Data(contentsOf: URL(fileURLWithPath: path + "-wal")) { data.append(wal) }
        return data
    }
}

func application(_ id: String, name: String?, emails: [String] = [], phones: [String] = [], address: PostalAddress? = nil,
                 shipping: PostalAddress? = nil, bank: String? = nil, ips: [(String, String)] = [], links: [String] = [],
                 receivedAt: Date? = Date(timeIntervalSince1970: 1_740_000_000)) -> Application {
    Application(
        id: id, receivedAt: receivedAt,
        candidate: Candidate(name: name, emails: emails, phones: phones, address: address, links: links),
        events: ips.map { Event(type: $0.0, at: Date(timeIntervalSince1970: 1_740_000_000), ip: $0.1) },
        onboarding: shipping == nil && bank == nil ? nil
            : Onboarding(shippingAddress: shipping, payment: bank.map { Payment(method: "bank", accountFingerprint: $0) })
    )
}

/// Deterministic pseudo-random résumé text: distinct seeds give unrelated texts.
enum SyntheticText {
    static let vocabulary: [String] = {
        let syllables = ["ka", "lo", "mi", "ter", "van", "dor", "el", "shu", "ri", "po", "nex", "tal", "gra", "bel", "sim", "qua", "zen", "fo"]
        var words: [String] = []
        for a in syllables { for b in syllables { words.append(a + b) } }
        return words + ["led", "built", "migrated", "designed", "platform", "service", "team", "customers", "latency", "pipeline"]
    }()

    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &+ 0x9e37_79b9_7f4a_7c15
            return MinHash.mix(state)
        }
    }

    static func words(seed: UInt64, count: Int) -> [String] {
        var generator = Generator(state: seed)
        return (0..<count).map { _ in vocabulary[Int(generator.next() % UInt64(vocabulary.count))] }
    }

    static func resume(seed: UInt64, count: Int = 300) -> String { words(seed: seed, count: count).joined(separator: " ") }

    /// The same text with about `fraction` of its words replaced.
    static func edited(_ text: String, fraction: Double, seed: UInt64) -> String {
        var generator = Generator(state: seed)
        var words = text.split(separator: " ").map(String.init)
        let changes = Int(Double(words.count) * fraction)
        for _ in 0..<changes {
            let i = Int(generator.next() % UInt64(words.count))
            words[i] = vocabulary[Int(generator.next() % UInt64(vocabulary.count))]
        }
        return words.joined(separator: " ")
    }
}
