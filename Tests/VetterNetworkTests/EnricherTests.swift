import Foundation
import Testing
import VetterCore
@testable import VetterNetwork

@Suite("Network classification")
struct ClassifierTests {
    @Test func shippedDataLoadsWithSourcesAndDates() throws {
        let c = try NetworkClassifier.load(configDirectory: Fixtures.configDirectory.appendingPathComponent("network"))
        #expect(c.entries.count >= 10)
        #expect(c.entries.allSatisfy { !$0.source.isEmpty && $0.reviewed.count == 10 })
        #expect(c.entries.allSatisfy { $0.classes.isSubset(of: NetworkClassifier.knownClasses) })
        // Transit providers must never be listed.
        #expect(!c.entries.contains { $0.match == .asn(4837) || $0.match == .asn(20485) })

        let june2025 = DateParsing.iso8601("2025-06-10T15:00:00Z")!
        #expect(c.classify(IPAddress("175.45.177.9")!, asn: nil, at: june2025).classes == [NetworkClass.dprk])
        #expect(c.classify(IPAddress("175.45.180.1")!, asn: nil, at: june2025).classes.isEmpty)
        #expect(c.classify(IPAddress("198.51.100.1")!, asn: 131279, at: june2025).classes == [NetworkClass.dprk])
        #expect(c.classify(IPAddress("198.51.100.1")!, asn: 14061, at: june2025).classes == [NetworkClass.hosting])
        let astrill = c.classify(IPAddress("142.214.202.2")!, asn: nil, at: june2025)
        #expect(astrill.classes == [NetworkClass.vpn, NetworkClass.astrillVPN])
        #expect(astrill.providers == ["Astrill VPN"])
        // Rotating VPN exits expire.
        #expect(c.classify(IPAddress("142.214.202.2")!, asn: nil, at: DateParsing.iso8601("2027-02-01T00:00:00Z")!).classes.isEmpty)
    }

    @Test func exampleCorporateEgressFileParses() throws {
        var c = NetworkClassifier()
        try c.addCorporateEgress(contentsOf: Fixtures.configDirectory.appendingPathComponent("network/corporate-egress.example.txt"))
        #expect(c.classify(IPAddress("192.0.2.10")!, asn: nil, at: nil).classes == [NetworkClass.corporateVPN])
        #expect(c.classify(IPAddress("192.0.2.99")!, asn: nil, at: nil).classes.isEmpty)
    }

    @Test func rowsWithoutSourceOrDateAreRejected() throws {
        let dir = try Fixtures.directory()
        let file = dir.appendingPathComponent("networks.tsv")
        try "# header\n198.51.100.0/24\thosting\tAcme\t\t2026-11-21\t-\tnote\n".write(to: file, atomically: true, encoding: .utf8)
        var c = NetworkClassifier()
        let error = #expect(throws: NetworkDataError.self) { try c.addClassification(contentsOf: file) }
        #expect(error?.line == 2)
        #expect(error?.message.contains("source") == true)

        try "198.51.100.0/24\thosting\tAcme\tS1\tlast week\t-\n".write(to: file, atomically: true, encoding: .utf8)
        #expect(throws: NetworkDataError.self) { try c.addClassification(contentsOf: file) }
        try "not-a-net\thosting\tAcme\tS1\t2026-11-21\t-\n".write(to: file, atomically: true, encoding: .utf8)
        #expect(throws: NetworkDataError.self) { try c.addClassification(contentsOf: file) }
    }

    @Test func torListsInBothFormatsAndCorporateEgress() throws {
        let dir = try Fixtures.directory()
        let bulk = dir.appendingPathComponent("torbulkexitlist")
        try "198.51.100.60\n2001:db8::60\n".write(to: bulk, atomically: true, encoding: .utf8)
        let exits = dir.appendingPathComponent("exit-addresses")
        try """
            ExitNode 0011BD2485AD45D984EC4159C88FC066E5E3300E
            Published 2026-11-20 10:00:00
            LastStatus 2026-11-20 11:00:00
            ExitAddress 198.51.100.61 2026-11-20 11:02:00
            """.write(to: exits, atomically: true, encoding: .utf8)
        let egress = dir.appendingPathComponent("egress.txt")
        try "# Acme corporate VPN\n192.0.2.0/28\n192.0.2.200  # Dublin office\n".write(to: egress, atomically: true, encoding: .utf8)
        var c = NetworkClassifier()
        try c.addTorExitList(contentsOf: bulk)
        try c.addTorExitList(contentsOf: exits)
        try c.addCorporateEgress(contentsOf: egress)
        #expect(c.classify(IPAddress("198.51.100.60")!, asn: nil, at: nil).classes == [NetworkClass.tor])
        #expect(c.classify(IPAddress("2001:db8::60")!, asn: nil, at: nil).classes == [NetworkClass.tor])
        #expect(c.classify(IPAddress("198.51.100.61")!, asn: nil, at: nil).classes == [NetworkClass.tor])
        #expect(c.classify(IPAddress("198.51.100.62")!, asn: nil, at: nil).classes.isEmpty)
        #expect(c.classify(IPAddress("192.0.2.9")!, asn: nil, at: nil).classes == [NetworkClass.corporateVPN])
        #expect(c.classify(IPAddress("192.0.2.200")!, asn: nil, at: nil).classes == [NetworkClass.corporateVPN])
        #expect(c.classify(IPAddress("192.0.2.16")!, asn: nil, at: nil).classes.isEmpty)
        #expect(c.summary.count == 3)

        try "ExitAddress not-an-ip 2026\n".write(to: exits, atomically: true, encoding: .utf8)
        #expect(throws: NetworkDataError.self) { try c.addTorExitList(contentsOf: exits) }
    }
}

@Suite("IP intelligence end to end")
struct EnricherTests {
    struct Setup {
        var enricher: IPIntelligenceEnricher
        var dir: URL
    }

    static func setup(withASN: Bool = true, withCity: Bool = true) throws -> Setup {
        let dir = try Fixtures.directory()
        var paths: [String] = []
        if withCity { paths.append(try Fixtures.write(Fixtures.city(), "GeoLite2-City.mmdb", in: dir)) }
        if withASN { paths.append(try Fixtures.write(Fixtures.asn(), "GeoLite2-ASN.mmdb", in: dir)) }
        let egress = dir.appendingPathComponent("egress.txt")
        try "192.0.2.0/28\n".write(to: egress, atomically: true, encoding: .utf8)
        let enricher = try IPIntelligenceEnricher.configured(geoip: paths, configDirectory: Fixtures.configDirectory, corporateEgress: egress)
        return Setup(enricher: enricher, dir: dir)
    }

    static func screen(_ record: String, _ enricher: IPIntelligenceEnricher, edit: (inout ScreeningContext) -> Void = { _ in }) throws -> (ScreeningContext, [String: IndicatorOutcome]) {
        var context = try Fixtures.context(record)
        edit(&context)
        enricher.enrichSync(&context)
        var outcomes: [String: IndicatorOutcome] = [:]
        for indicator in NetworkIndicators.network { outcomes[indicator.descriptor.code] = indicator.evaluate(context) }
        return (context, outcomes)
    }

    static let austin = #""candidate": {"address": {"city": "Austin", "region": "TX", "country": "US"}}"#

    @Test func claimsAustinConnectsFromShanghai() throws {
        let s = try Self.setup()
        let (context, out) = try Self.screen("""
            {\(Self.austin), "events": [
              {"type": "application_submitted", "at": "2026-10-01T14:03:00Z", "ip": "198.51.100.7", "browser_timezone": "America/Chicago"},
              {"type": "assessment_completed", "at": "2026-10-01T16:03:00Z", "ip": "203.0.113.7", "browser_timezone": "America/Chicago"},
              {"type": "interview", "at": "2026-10-03T02:11:00Z", "ip": "198.51.100.8", "browser_timezone": "America/Chicago"}]}
            """, s.enricher)
        let fact = try #require(context.facts.network["198.51.100.7"])
        #expect(fact.country == "CN")
        #expect(fact.timeZone == "Asia/Shanghai")
        #expect(fact.asn == 14061)
        #expect(fact.networkClasses == [NetworkClass.hosting])  // DigitalOcean ASN from Config/network
        #expect(fact.source.contains("GeoLite2-City built 2026-05-28"))
        #expect(fact.source.contains("GeoLite2-ASN built 2026-05-28"))
        #expect(context.facts.notes.contains { $0.contains("GeoLite2-City.mmdb: GeoLite2-City built 2026-05-28, city") })
        #expect(context.facts.enrichersRun.contains(NetworkEnrichment.enricherName))
        // Built 2026-05-28, screened 2026-09-21: not stale yet.
        #expect(!context.facts.notes.contains { $0.contains("older than this screening") })

        #expect(out["NET-ANONYMIZER"]?.didFire == true)
        #expect(out["NET-ANONYMIZER"]?.variant == AnonymizerNetworkIndicator.genericVariant)
        #expect(out["NET-ANONYMIZER"]?.scale == 1)
        // Shanghai then Austin two hours later, but the Shanghai address is a hosting network: its
        // coordinates are the exit's, so travel is not computed from it.
        #expect(out["NET-IMPOSSIBLE-TRAVEL"]?.didFire == false)
        #expect(out["NET-DPRK-ADDRESS"]?.didFire == false)
        #expect(out["NET-MULTI-COUNTRY"]?.didFire == false)  // two countries
        // Hosting addresses are left to NET-ANONYMIZER: only the Austin event is located.
        #expect(out["NET-IP-COUNTRY-MISMATCH"]?.didFire == false)
    }

    @Test func residentialAddressesInAnotherCountryWithoutASN() throws {
        let s = try Self.setup(withASN: false)
        let (context, out) = try Self.screen("""
            {\(Self.austin), "events": [
              {"type": "application_submitted", "at": "2026-10-01T14:03:00Z", "ip": "198.51.100.7", "browser_timezone": "America/Chicago"},
              {"type": "interview", "at": "2026-10-03T02:11:00Z", "ip": "198.51.100.8", "browser_timezone": "America/Chicago"}]}
            """, s.enricher)
        #expect(context.facts.network["198.51.100.7"]?.asn == nil)
        #expect(out["NET-IP-COUNTRY-MISMATCH"]?.didFire == true)
        #expect(out["NET-IP-TZ-MISMATCH"]?.didFire == true)
        #expect(out["NET-ANONYMIZER"]?.didFire == false)
        if case .fired(let explanation, let evidence, _, _) = out["NET-IP-COUNTRY-MISMATCH"] {
            #expect(explanation.contains("2 of 2"))
            #expect(evidence.first?.field == "events[0].ip")
            #expect(evidence.first?.source.contains("GeoLite2-City built") == true)
        }
    }

    @Test func dprkAddressSpace() throws {
        let s = try Self.setup()
        let (context, out) = try Self.screen("""
            {\(Self.austin), "events": [{"type": "application_submitted", "at": "2026-10-01T14:03:00Z", "ip": "175.45.178.1"}]}
            """, s.enricher)
        #expect(context.facts.network["175.45.178.1"]?.networkClasses == [NetworkClass.dprk])
        #expect(context.facts.network["175.45.178.1"]?.asn == 131279)
        #expect(out["NET-DPRK-ADDRESS"]?.didFire == true)
    }

    @Test func corporateEgressNeverFires() throws {
        let s = try Self.setup()
        let (context, out) = try Self.screen("""
            {\(Self.austin), "events": [
              {"type": "application_submitted", "at": "2026-10-01T14:03:00Z", "ip": "203.0.113.7", "browser_timezone": "America/Chicago"},
              {"type": "assessment_completed", "at": "2026-10-01T15:00:00Z", "ip": "192.0.2.5", "browser_timezone": "America/Chicago"},
              {"type": "interview", "at": "2026-10-02T15:00:00Z", "ip": "192.0.2.6", "browser_timezone": "America/Chicago"}]}
            """, s.enricher)
        #expect(context.facts.network["192.0.2.5"]?.networkClasses.contains(NetworkClass.corporateVPN) == true)
        #expect(context.facts.network["192.0.2.5"]?.country == "IE")
        for (code, outcome) in out { #expect(!outcome.didFire, "\(code) fired on corporate egress") }
    }

    @Test func asnDatabaseAloneIsUsedForASNOnly() throws {
        let s = try Self.setup(withASN: true, withCity: false)
        let (context, out) = try Self.screen("""
            {\(Self.austin), "events": [{"type": "application_submitted", "at": "2026-10-01T14:03:00Z", "ip": "198.51.100.7"}]}
            """, s.enricher)
        #expect(context.facts.notes.contains { $0.contains("is an ASN database, used for ASN only; no geolocation database configured") })
        #expect(context.facts.network["198.51.100.7"]?.country == nil)
        #expect(context.facts.network["198.51.100.7"]?.asn == 14061)
        #expect(out["NET-IP-COUNTRY-MISMATCH"]?.skipReason == "no IP geolocation database configured")
        #expect(out["NET-ANONYMIZER"]?.didFire == true)
    }

    @Test func noDatabaseConfigured() throws {
        let enricher = try IPIntelligenceEnricher.configured(
            geoip: [], configDirectory: Fixtures.configDirectory, dataDirectory: try Fixtures.directory())
        let (context, out) = try Self.screen("""
            {\(Self.austin), "events": [
              {"type": "application_submitted", "at": "2026-10-01T14:03:00Z", "ip": "198.51.100.7"},
              {"type": "interview", "at": "2026-10-02T14:03:00Z", "ip": "175.45.177.3"}]}
            """, enricher)
        #expect(context.facts.notes.first?.hasPrefix("no IP database configured") == true)
        for code in ["NET-IP-COUNTRY-MISMATCH", "NET-IP-TZ-MISMATCH", "NET-MULTI-COUNTRY", "NET-IMPOSSIBLE-TRAVEL"] {
            #expect(out[code]?.skipReason == "no IP geolocation database configured", "\(code)")
        }
        // The DPRK range is data, not a database: it still applies.
        #expect(out["NET-DPRK-ADDRESS"]?.didFire == true)
        #expect(out["NET-ANONYMIZER"]?.didFire == false)
    }

    @Test func badAndUnknownAddressesBecomeNotes() throws {
        let s = try Self.setup()
        let (context, out) = try Self.screen("""
            {\(Self.austin), "events": [
              {"type": "application_submitted", "at": "2026-10-01T14:03:00Z", "ip": "203.0.113.1"},
              {"type": "interview", "at": "2026-10-02T14:03:00Z", "ip": "10.1.2.3"}]}
            """, s.enricher) { context in
                // The record decoder already rejects such values; another reader might not.
                context.application.events[0].ip = "not-an-ip"
            }
        #expect(context.facts.network.isEmpty)
        #expect(context.facts.notes.contains("events[0].ip is not an IP address; not looked up"))
        #expect(context.facts.notes.contains { $0.hasPrefix("1 event IP address(es) not found") })
        for (code, outcome) in out { #expect(!outcome.didFire, "\(code)") }
        #expect(out["NET-IP-COUNTRY-MISMATCH"]?.skipReason != nil)
    }

    @Test func missingOrCorruptGeoIPPathIsAnError() throws {
        let dir = try Fixtures.directory()
        #expect(throws: IPDatabaseError.self) { try IPIntelligenceEnricher(paths: [dir.appendingPathComponent("GeoLite2-City.mmdb").path]) }
        let corrupt = dir.appendingPathComponent("corrupt.mmdb")
        try Data(repeating: 0x42, count: 1000).write(to: corrupt)
        let error = #expect(throws: IPDatabaseError.self) { try IPIntelligenceEnricher(paths: [corrupt.path]) }
        #expect(error?.description.contains("corrupt.mmdb") == true)
    }

    @Test func staleDatabaseGetsANote() throws {
        let dir = try Fixtures.directory()
        var old = Fixtures.city()
        old.buildEpoch = 1_530_576_000  // 2018-07-03
        let enricher = try IPIntelligenceEnricher(paths: [Fixtures.write(old, "old.mmdb", in: dir)])
        let (context, _) = try Self.screen("""
            {\(Self.austin), "events": [{"type": "application_submitted", "at": "2026-10-01T14:03:00Z", "ip": "203.0.113.7"}]}
            """, enricher)
        #expect(context.facts.notes.contains { $0.hasPrefix("IP database GeoLite2-City built 2018-07-03 is 9") && $0.contains("older than this screening") })
    }

    @Test func defaultFolderPutsCityFirst() throws {
        let dir = try Fixtures.directory()
        _ = try Fixtures.write(Fixtures.asn(), "GeoLite2-ASN.mmdb", in: dir)
        _ = try Fixtures.write(Fixtures.city(), "GeoLite2-City.mmdb", in: dir)
        try Data().write(to: dir.appendingPathComponent("README.txt"))
        let paths = IPIntelligenceEnricher.defaultDatabasePaths(in: dir).map { ($0 as NSString).lastPathComponent }
        #expect(paths == ["GeoLite2-City.mmdb", "GeoLite2-ASN.mmdb"])
    }
}

@Suite("Network indicator examples")
struct NetworkIndicatorExampleTests {
    static let cases: [(String, Int)] = NetworkIndicators.network.flatMap { indicator in
        indicator.examples.indices.map { (indicator.descriptor.code, $0) }
    }

    @Test(arguments: cases)
    func example(_ code: String, _ index: Int) throws {
        let indicator = try #require(NetworkIndicators.network.first { $0.descriptor.code == code })
        let example = indicator.examples[index]
        var context = try Fixtures.context(example.record)
        example.facts?(&context.facts)
        let outcome = indicator.evaluate(context)
        #expect(outcome.didFire == example.shouldFire, "\(code): \(example.name) → \(outcome)")
    }

    /// The same rule as the core catalog's test: explanations state facts, never origin or accusation.
    @Test func wordingIsNeutral() throws {
        let banned = ["north korea", "dprk", "fraud", "fake", "liar", "nationality", "ethnic", "accent"]
        for indicator in NetworkIndicators.network {
            for example in indicator.examples where example.shouldFire {
                var context = try Fixtures.context(example.record)
                example.facts?(&context.facts)
                guard case .fired(let explanation, let evidence, _, _) = indicator.evaluate(context) else { continue }
                #expect(!evidence.isEmpty)
                for word in banned { #expect(!explanation.lowercased().contains(word), "\(indicator.descriptor.code): \(explanation)") }
            }
        }
    }

    @Test func descriptorsAreComplete() {
        let codes = NetworkIndicators.network.map(\.descriptor.code)
        #expect(Set(codes).count == codes.count)
        for indicator in NetworkIndicators.network {
            let d = indicator.descriptor
            #expect(d.category == .network)
            #expect(d.code.range(of: "^NET(-[A-Z0-9]+)+$", options: .regularExpression) != nil)
            #expect(!d.references.isEmpty && !d.verify.isEmpty && d.rationale.count > 200)
            #expect(indicator.examples.contains { $0.shouldFire } && indicator.examples.contains { !$0.shouldFire })
            let lowered = d.rationale.lowercased() + d.title.lowercased()
            #expect(!lowered.contains("nationality") && !lowered.contains("korean name"))
        }
    }
}
