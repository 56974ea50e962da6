import Foundation
import Testing
import VetterCore
import VetterTesting

/// Pins each sample's band and finding codes.
struct SampleGoldenTests {
    static let expected: [String: (Band, Set<String>)] = [
        "clear-camera-accommodation.json": (.clear, []),
        "clear-corporate-vpn.json": (.clear, []),
        "clear-google-voice.json": (.clear, []),
        "clear-international.json": (.clear, []),
        "clear-local-engineer.json": (.clear, []),
        "clear-night-shift.json": (.clear, ["HOURS-NIGHT-PATTERN"]),
        "clear-recent-mover.json": (.clear, ["CONTACT-PHONE-COUNTRY"]),
        "clear-traveller.json": (.clear, []),
        "review-browser-night.json": (.review, ["TZ-BROWSER-MISMATCH", "HOURS-NIGHT-PATTERN"]),
        "review-onboarding-changes.json": (.review, ["ONB-SHIP-CHANGED-AFTER-OFFER", "ONB-SHIP-ADDRESS-DIFFERS", "INT-CAMERA-OFF"]),
        "review-location-check.json": (.review, ["INT-LOCATION-CHECK", "INT-CAMERA-OFF"]),
        "review-timeline.json": (.review, ["CONTACT-DISPOSABLE-EMAIL", "TIMELINE-OVERLAP", "TIMELINE-EXPERIENCE-EXCEEDS"]),
        "escalate-persona.json": (.escalate, [
            "CONTACT-SHARED-WITH-REFERENCE", "ONB-PAYEE-NAME", "ONB-SHIP-CHANGED-AFTER-OFFER", "ONB-SHIP-ADDRESS-DIFFERS",
            "TZ-BROWSER-MISMATCH", "HOURS-NIGHT-PATTERN", "ID-NAME-MISMATCH", "INT-CAMERA-OFF", "TIMELINE-EXPERIENCE-EXCEEDS", "TIMELINE-OVERLAP",
        ]),
        "escalate-rented-identity.json": (.escalate, ["CONTACT-SHARED-WITH-REFERENCE", "ONB-PAYEE-NAME", "ONB-SHIP-CHANGED-AFTER-OFFER", "ID-NAME-MISMATCH"]),
    ]

    @Test func everySampleIsPinned() {
        #expect(Set(Fixtures.sampleApplications()) == Set(Self.expected.keys))
        #expect(Self.expected.count >= 10)
    }

    @Test(arguments: Fixtures.sampleApplications())
    func sample(_ name: String) async throws {
        let (band, codes) = try #require(Self.expected[name], "sample \(name) has no pinned result")
        let url = Fixtures.samples.appendingPathComponent("applications").appendingPathComponent(name)
        let outcome = try await Fixtures.screener().screen(fileAt: url)
        #expect(outcome.report.band == band)
        #expect(Set(outcome.report.findings.map(\.id)) == codes)
        #expect(outcome.warnings.isEmpty)
        // Every point in the score belongs to a finding, and the score is their sum.
        #expect(abs(outcome.report.findings.reduce(0) { $0 + $1.points } - outcome.report.score) < 0.001)
        for finding in outcome.report.findings {
            #expect(!finding.evidence.isEmpty && !finding.verify.isEmpty && !finding.references.isEmpty)
        }
        #expect(outcome.report.coverage.checks.count == IndicatorCatalog.core.indicators.count)
    }

    @Test func resumeAloneIsScreened() async throws {
        let url = Fixtures.samples.appendingPathComponent("resumes/amara-okafor.txt")
        let outcome = try await Fixtures.screener().screen(fileAt: url)
        #expect(outcome.report.applicationID == "amara-okafor")
        #expect(outcome.report.band == .clear)
        #expect(outcome.report.coverage.inputs.first?.contains("amara-okafor.txt") == true)
    }

    @Test func jsonResumeAloneIsScreened() async throws {
        let url = Fixtures.samples.appendingPathComponent("resumes/wei-chen.json")
        let outcome = try await Fixtures.screener().screen(fileAt: url)
        #expect(outcome.report.applicationID == "wei-chen")
        #expect(outcome.report.coverage.inputs.first?.contains("json-resume") == true)
    }

    @Test func cappedCategoryCountsOnlyItsCap() async throws {
        let url = Fixtures.samples.appendingPathComponent("applications/escalate-persona.json")
        let report = try await Fixtures.screener().screen(fileAt: url).report
        let onboarding = try #require(report.categories.first { $0.category == .onboarding })
        #expect(onboarding.raw == 50)
        #expect(onboarding.points == 40)
    }

    @Test func jsonReportIsStableAndVersioned() async throws {
        let url = Fixtures.samples.appendingPathComponent("applications/review-onboarding-changes.json")
        let report = try await Fixtures.screener().screen(fileAt: url).report
        let json = JSONReportRenderer().render(report)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["schema"] as? String == "vetter.report/v1")
        #expect(object["application_id"] as? String == "sample-review-onboarding-changes")
        #expect(object["band"] as? String == "review")
        #expect(object["generated_at"] as? String == "2026-11-01T12:00:00Z")
        let policy = try #require(object["policy"] as? [String: Any])
        #expect((policy["digest"] as? String)?.count == 64)
        let finding = try #require((object["findings"] as? [[String: Any]])?.first)
        for key in ["id", "title", "category", "points", "evidence", "explanation", "verify", "references"] {
            #expect(finding[key] != nil, "finding lacks \(key)")
        }
        #expect(JSONReportRenderer().render(report) == json)
    }

    @Test func renderingsCarryTheSameContent() async throws {
        let url = Fixtures.samples.appendingPathComponent("applications/escalate-rented-identity.json")
        let report = try await Fixtures.screener().screen(fileAt: url).report
        let text = TerminalRenderer(colour: false).render(report)
        let markdown = MarkdownRenderer().render(report)
        for finding in report.findings {
            #expect(text.contains(finding.id) && markdown.contains(finding.id))
            #expect(text.contains(finding.verify) && markdown.contains(finding.verify))
        }
        #expect(text.contains(Report.notice) && markdown.contains(Report.notice))
        #expect(!text.contains("\u{1B}["))
        #expect(TerminalRenderer(colour: true).render(report).contains("\u{1B}["))
    }
}
