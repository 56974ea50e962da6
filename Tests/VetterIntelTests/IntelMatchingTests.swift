import Foundation
import Testing
import VetterCore
import VetterIntel
import VetterStore
import VetterTesting

@Suite struct IntelMatchingTests {
    static func screen(_ json: String, resume: String? = nil, store: SQLiteIdentityStore) async throws -> Report {
        let decoded = ApplicationDecoder().decode(Data(json.utf8))
        var application = try #require(decoded.application)
        if let resume { application.resume = .text(resume) }
        let screener = Screener(catalog: .core, policy: try Fixtures.defaultPolicy(),
                                enrichers: [ReferenceEnricher(reference: Fixtures.reference), IntelEnricher(store: store)],
                                clock: { Fixtures.now })
        return await screener.screen(application).report
    }

    static func curated() throws -> TempStore {
        let t = try TempStore()
        try t.store.importFeed(file: Fixtures.config.appendingPathComponent("feeds/dprk-it-workers.tsv"), name: "curated")
        try t.store.importFeed(file: ioc.appendingPathComponent("zscaler-threatlabz/wagemole_linkedins.txt"), name: "zscaler-linkedin")
        return t
    }

    @Test func personaEmailHandleAndRangeMatchEndToEnd() async throws {
        let t = try Self.curated()
        let report = try await Self.screen("""
            {"id": "A-1", "candidate": {"name": "Sam Doe", "emails": ["Michael.Dev314+jobs@googlemail.com"],
              "links": ["https://github.com/TrustworthyDev", "linkedin.com/in/adam-song05"]},
             "events": [{"type": "application_submitted", "at": "2026-10-01T10:00:00Z", "ip": "175.45.178.9"}]}
            """, store: t.store)
        let finding = try #require(report.findings.first { $0.id == "INTEL-FEED-MATCH" })
        let fields = Set(finding.evidence.map(\.field))
        #expect(fields.contains("candidate.emails[0]"))
        #expect(fields.contains("candidate.links[0]"))
        #expect(fields.contains("candidate.links[1]"))
        #expect(fields.contains("events[0](application_submitted).ip"))
        #expect(finding.evidence.contains { $0.observed.contains("175.45.176.0/22") && $0.source.contains("feed curated") })
        #expect(finding.evidence.contains { $0.source.contains("feed zscaler-linkedin, object wagemole_linkedins.txt:3") })
        #expect(report.band == .escalate)
    }

    @Test func expiredIndicatorsStopMatching() async throws {
        let t = try Self.curated()
        // 142.214.202.2 is in the curated feed with valid_until 2026-03-01; the clock is 2026-11-01.
        let report = try await Self.screen("""
            {"id": "A-2", "events": [{"type": "application_submitted", "at": "2026-10-01T10:00:00Z", "ip": "142.214.202.2"}]}
            """, store: t.store)
        #expect(!report.findings.contains { $0.id == "INTEL-FEED-MATCH" })
        let entry = try #require(report.coverage.checks.first { $0.code == "INTEL-FEED-MATCH" })
        #expect(entry.status == .passed)
    }

    @Test func frontCompanyFuzzyMatchReportsTheListedName() async throws {
        let t = try Self.curated()
        let report = try await Self.screen("""
            {"id": "A-3", "candidate": {"name": "Sam Doe"}}
            """, resume: """
            Sam Doe
            Experience
            Senior Developer, Yanbian Silver Star Network Technology Ltd, 2018 - 2021
            Developer, Acme Corp, 2021 - 2024
            """, store: t.store)
        let finding = try #require(report.findings.first { $0.id == "INTEL-FRONT-COMPANY" })
        #expect(finding.evidence.count == 1)
        #expect(finding.evidence[0].observed.contains("Yanbian Silverstar Network Technology Co., Ltd."))
        #expect(finding.evidence[0].field.hasPrefix("resume.employment["))
    }

    @Test func ordinaryApplicationDoesNotMatch() async throws {
        let t = try Self.curated()
        let report = try await Self.screen("""
            {"id": "A-4", "candidate": {"name": "Kim Min-jun", "emails": ["minjun.kim@example.com"], "links": ["https://github.com/minjun"]},
             "events": [{"type": "application_submitted", "at": "2026-10-01T10:00:00Z", "ip": "203.0.113.20"}],
             "references": [{"name": "Lee", "company": "Korea Telecom"}], "onboarding": {"payment": {"accountHolder": "Fortuna Foods Inc"}}}
            """, store: t.store)
        #expect(!report.findings.contains { $0.category == .intel })
    }

    @Test func organisationMatching() {
        func sim(_ a: String, _ b: String) -> Double? {
            OrganisationMatching.similarity(IntelValues.organisationTokens(a), IntelValues.organisationTokens(b))
        }
        #expect(sim("Volasys Silver Star LLC", "Volasys Silver Star") == 1)
        #expect(sim("Korea Sobaeksu Trading Co.", "Korea Sobaeksu Trading Company") == 1)
        #expect(sim("Shenyang Geumpungri Network Tech Co", "Shenyang Geumpungri Network Technology Co., Ltd.") != nil)
        #expect(sim("Asatryan", "Asatryan LLC") == 1)
        #expect(sim("Asatryan Design Studio", "Asatryan LLC") == nil)   // one-token names only match exactly
        #expect(sim("Korea Telecom", "Korea Sinjin Trading Corporation") == nil)
        #expect(sim("Silver Star Software", "Volasys Silver Star") == nil)
    }
}
