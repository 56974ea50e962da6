import Foundation
import Testing
import VetterCore
import VetterIntel
import VetterStore
import VetterTesting

/// A fresh SQLite store in a temporary folder.
struct TempStore {
    let folder: URL
    let store: SQLiteIdentityStore
    let key: IdentityKey

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("vetter-intel-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        key = try IdentityKey(material: "0123456789abcdef0123456789abcdef-intel-tests")
        store = try SQLiteIdentityStore(path: folder.appendingPathComponent("s.sqlite").path, key: key)
    }

    func write(_ name: String, _ text: String) throws -> URL {
        let url = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url
    }
}

let ioc = Fixtures.corpus.appendingPathComponent("ioc")

struct CorpusCase: CustomTestStringConvertible, Sendable {
    var path: String
    var format: String
    var stored: Int
    var kinds: [String: Int]
    var testDescription: String { path }
}

@Suite struct CorpusImportTests {
    static let cases: [CorpusCase] = [
        CorpusCase(path: "zscaler-threatlabz/wagemole_emails.txt", format: "list", stored: 32, kinds: ["email": 32]),
        CorpusCase(path: "zscaler-threatlabz/wagemole_githubs.txt", format: "list", stored: 11, kinds: ["github": 11]),
        CorpusCase(path: "zscaler-threatlabz/wagemole_linkedins.txt", format: "list", stored: 3, kinds: ["linkedin": 3]),
        CorpusCase(path: "zscaler-threatlabz/contagiousinterview_githubs.txt", format: "list", stored: 17, kinds: ["github": 14, "url": 3]),
        CorpusCase(path: "zscaler-threatlabz/contagiousinterview_c2s.txt", format: "list", stored: 27, kinds: ["ip": 22, "domain": 5]),
        CorpusCase(path: "zscaler-threatlabz/contagiousinterview_beavertail_hashes.txt", format: "list", stored: 297, kinds: ["md5": 297]),
        CorpusCase(path: "zscaler-threatlabz/contagiousinterview_beavertail_installation_package_hashes.txt", format: "list", stored: 18, kinds: ["md5": 18]),
        CorpusCase(path: "zscaler-threatlabz/contagiousinterview_packed_beavertail_hashes.txt", format: "list", stored: 25, kinds: ["md5": 25]),
        CorpusCase(path: "unit42-timely-threat-intel/2026-02-04-IOCs-for-December-2025-Contagious-Interview-activity.txt", format: "list",
                   stored: 8, kinds: ["sha256": 5, "ip": 2, "url": 1]),
        CorpusCase(path: "cisco-talos/beavertail-and-ottercookie.txt", format: "list", stored: 32, kinds: ["sha256": 13, "url": 19]),
        CorpusCase(path: "cisco-talos/beavertail-and-ottercookie.stix2.json", format: "stix-2.0", stored: 32, kinds: ["sha256": 13, "url": 19]),
        CorpusCase(path: "gh-fake-analyzer-investigations/ZachXBT_15.08.2024__INFO.md", format: "list", stored: 15, kinds: ["github": 14, "url": 1]),
    ]

    @Test(arguments: cases)
    func importsWithCounts(_ c: CorpusCase) throws {
        let t = try TempStore()
        let summary = try t.store.importFeed(file: ioc.appendingPathComponent(c.path), name: "f")
        #expect(summary.format == c.format)
        #expect(summary.stored == c.stored)
        let info = try #require(try t.store.feeds().first)
        #expect(info.entries == c.stored)
        #expect(info.byKind == c.kinds)
    }

    @Test func galaxyClusterIsRefusedClearly() throws {
        let t = try TempStore()
        #expect {
            try t.store.importFeed(file: ioc.appendingPathComponent("misp-galaxy/threat-actor.json"))
        } throws: { error in
            "\(error)".contains("MISP galaxy cluster file (1041 clusters")
        }
        #expect(try t.store.feeds().isEmpty)
    }

    @Test func ghAnalyzerReportIsRefusedClearly() throws {
        let t = try TempStore()
        #expect(throws: FeedImportError.self) {
            try t.store.importFeed(file: ioc.appendingPathComponent("gh-fake-analyzer-investigations/ContagiousInterview__sebastian4098__report.json"))
        }
        #expect(try t.store.feeds().isEmpty)
    }

    @Test func curatedFeedImports() throws {
        let t = try TempStore()
        let summary = try t.store.importFeed(file: Fixtures.config.appendingPathComponent("feeds/dprk-it-workers.tsv"))
        #expect(summary.format == "vetter-feed")
        let info = try #require(try t.store.feeds(asOf: Fixtures.now).first)
        #expect(info.byKind["organization"] == 18)
        #expect(info.byKind["ip-range"] == 1)
        #expect(info.byKind["asn"] == 1)
        #expect(info.byKind["domain"] == 1)
        #expect(info.expired == 2)   // the two shared VPN exits, one-year window
        // What each screening reports, counted on the expiry index, agrees with the full listing,
        // before and after the entries expire.
        #expect(try t.store.feedSummary(asOf: Fixtures.now) == FeedSummary(feeds: 1, currentEntries: info.entries - 2))
        let later = Fixtures.now.addingTimeInterval(20 * 365 * 86_400)
        let laterInfo = try #require(try t.store.feeds(asOf: later).first)
        #expect(laterInfo.expired > 2)
        #expect(try t.store.feedSummary(asOf: later) == FeedSummary(feeds: 1, currentEntries: laterInfo.entries - laterInfo.expired))
    }
}

@Suite struct FeedFormatTests {
    @Test func defangedForms() {
        #expect(IntelValues.refang("hxxps://github[.]com/x") == "https://github.com/x")
        #expect(IntelValues.refang("a[@]b(.)com") == "a@b.com")
        #expect(IntelValues.refang("hxxps[:]//github[.]com/a/b") == "https://github.com/a/b")
        let entries = FeedEntry.classify("evil[.]example[.]org", objectID: "x")
        #expect(entries.map(\.kind) == ["domain"])
        #expect(entries.first?.value == "evil.example.org")
        #expect(FeedEntry.classify("10[.]1[.]2[.]3", objectID: "x").first?.kind == "ip")
        #expect(FeedEntry.classify("175.45.176.0/22", objectID: "x").first?.kind == "ip-range")
    }

    static let stix21 = """
        {"type": "bundle", "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d", "objects": [
          {"type": "indicator", "spec_version": "2.1", "id": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
           "created": "2025-01-01T00:00:00.000Z", "modified": "2025-01-01T00:00:00.000Z", "valid_from": "2025-01-01T00:00:00Z",
           "valid_until": "2026-01-01T00:00:00Z", "confidence": 85, "pattern_type": "stix", "name": "old persona",
           "pattern": "[email-addr:value = 'old.persona@example.com']"},
          {"type": "indicator", "spec_version": "2.1", "id": "indicator--1e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
           "created": "2025-01-01T00:00:00.000Z", "modified": "2025-01-01T00:00:00.000Z", "valid_from": "2025-01-01T00:00:00Z",
           "confidence": 70, "pattern_type": "stix",
           "pattern": "[domain-name:value = 'bad.example'] OR [ipv4-addr:value ISSUBSET '198.51.100.0/24'] OR [url:value = 'https://github.com/PersonaDev']"},
          {"type": "indicator", "spec_version": "2.1", "id": "indicator--2e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
           "created": "2025-01-01T00:00:00.000Z", "modified": "2025-01-01T00:00:00.000Z", "valid_from": "2025-01-01T00:00:00Z",
           "pattern_type": "stix", "pattern": "[user-account:account_login = 'dev-ninja' AND user-account:account_type = 'github']"},
          {"type": "email-addr", "spec_version": "2.1", "id": "email-addr--2d77a846-6264-5d51-b586-e43822ea1ea3", "value": "sco@example.net"},
          {"type": "observed-data", "spec_version": "2.1", "id": "observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf",
           "created": "2025-01-01T00:00:00.000Z", "modified": "2025-01-01T00:00:00.000Z", "first_observed": "2025-01-01T00:00:00Z",
           "last_observed": "2025-01-01T00:00:00Z", "number_observed": 1, "object_refs": ["email-addr--2d77a846-6264-5d51-b586-e43822ea1ea3"]},
          {"type": "identity", "spec_version": "2.1", "id": "identity--e2e2d2b0-17d4-4cbf-938f-98ee46b3cd3f", "created": "2025-01-01T00:00:00.000Z",
           "modified": "2025-01-01T00:00:00.000Z", "name": "Example CERT"}
        ]}
        """

    @Test func stix21Bundle() throws {
        let t = try TempStore()
        let summary = try t.store.importFeed(file: try t.write("b.json", Self.stix21), name: "s")
        #expect(summary.format == "stix-2.1")
        #expect(summary.stored == 6)
        #expect(summary.skipped == ["STIX object type identity": 1])   // observed-data: its SCOs are read at the top level
        let info = try #require(try t.store.feeds(asOf: Fixtures.now).first)
        #expect(info.byKind == ["email": 2, "domain": 1, "ip-range": 1, "github": 2])
        #expect(info.expired == 1)
    }

    @Test func unknownPatternFailsAndChangesNothing() throws {
        let t = try TempStore()
        try t.store.importFeed(file: try t.write("b.json", Self.stix21), name: "s")
        let bad = Self.stix21.replacingOccurrences(of: "[domain-name:value = 'bad.example']", with: "[process:name = 'evil.exe']")
        #expect {
            try t.store.importFeed(file: try t.write("bad.json", bad), name: "s")
        } throws: { error in
            "\(error)".contains("indicator--1e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f: unsupported pattern: process:name")
        }
        // The earlier import of the same name is intact: the failed replacement rolled back.
        let info = try #require(try t.store.feeds().first)
        #expect(info.entries == 6)
        #expect(info.format == "stix-2.1")
        // With --skip-unsupported the rest is imported.
        let summary = try t.store.importFeed(file: try t.write("bad.json", bad), name: "s", parser: FeedParser(skipUnsupported: true))
        #expect(summary.stored == 3)
    }

    @Test func malformedJSONIsAClearError() throws {
        let t = try TempStore()
        #expect {
            try t.store.importFeed(file: try t.write("m.json", #"{"type": "bundle", "objects": [ {"type": "indicator", "#), name: "m")
        } throws: { error in "\(error)".hasPrefix("m.json: malformed JSON") }
        #expect(try t.store.feeds().isEmpty)
    }

    @Test func failureMidwayInAListChangesNothing() throws {
        let t = try TempStore()
        var lines = (0..<5000).map { "persona\($0)@example[.]com" }
        lines.append(String(repeating: "x", count: 70_000))
        #expect(throws: FeedImportError.self) {
            try t.store.importFeed(file: try t.write("l.txt", lines.joined(separator: "\n")), name: "l")
        }
        #expect(try t.store.feeds().isEmpty)
    }

    @Test func mispEvent() throws {
        let t = try TempStore()
        let event = """
            {"Event": {"uuid": "5f1a2b3c-0000-4000-8000-000000000001", "info": "DPRK IT worker personas", "Attribute": [
              {"uuid": "a1", "type": "email-src", "value": "Persona.Dev@gmail.com"},
              {"uuid": "a2", "type": "ip-src", "value": "203.0.113.7"},
              {"uuid": "a3", "type": "domain", "value": "fake-staffing.example"},
              {"uuid": "a4", "type": "phone-number", "value": "+1 415 555 0100"},
              {"uuid": "a5", "type": "github-username", "value": "PersonaDev"},
              {"uuid": "a6", "type": "url", "value": "hxxps://www.linkedin[.]com/in/persona-dev/"},
              {"uuid": "a7", "type": "text", "value": "another@proton.me"},
              {"uuid": "a8", "type": "text", "value": "a note about the campaign"},
              {"uuid": "a9", "type": "btc", "value": "1BoatSLRHtKNngkdXEeobR76b53LETtpyT"},
              {"uuid": "a10", "type": "email-src", "value": "deleted@example.com", "deleted": true}
            ], "Object": [{"name": "person", "Attribute": [{"uuid": "o1", "type": "email", "value": "obj@example.org"}]}]}}
            """
        let summary = try t.store.importFeed(file: try t.write("e.json", event), name: "m")
        #expect(summary.format == "misp")
        #expect(summary.stored == 9)
        #expect(summary.skipped == ["MISP attribute type btc": 1, "deleted attribute": 1])
        let info = try #require(try t.store.feeds().first)
        #expect(info.byKind == ["email": 3, "ip": 1, "domain": 1, "phone": 1, "github": 1, "linkedin": 1, "text": 1])
    }

    @Test func removeAndList() throws {
        let t = try TempStore()
        try t.store.importFeed(file: try t.write("a.txt", "x@example.com\n"), name: "a")
        try t.store.importFeed(file: try t.write("b.txt", "y@example.com\n"), name: "b")
        #expect(try t.store.feeds().map(\.name) == ["a", "b"])
        #expect(try t.store.removeFeed(name: "a"))
        #expect(try !t.store.removeFeed(name: "a"))
        #expect(try t.store.feeds().map(\.name) == ["b"])
    }
}
