import Foundation
import Testing
import VetterCore
import VetterTesting

struct PolicyTests {
    func parse(_ yaml: String) throws(PolicyError) -> Policy {
        try Policy.parse(Data(yaml.utf8), file: "test.yaml", catalog: .core)
    }

    @Test func defaultPolicyLoads() throws {
        let policy = try Fixtures.defaultPolicy()
        #expect(policy.reviewThreshold < policy.escalateThreshold)
        #expect(policy.digest.count == 64)
    }

    @Test func namesTheLineOfEveryProblem() {
        let yaml = """
            name: strict
            version: 2
            bands:
              review: 20
              escalate: ten
            colours: true
            categories:
              location: { cap: 20 }
              astrology: { cap: 5 }
            indicators:
              TZ-BROWSER-MISMATCH: { points: -3 }
              NOT-A-CODE: { points: 5 }
              INT-CAMERA-OFF: { weight: 2 }
            """
        do {
            _ = try parse(yaml)
            Issue.record("an invalid policy was accepted")
        } catch {
            let lines = error.problems.compactMap(\.line)
            #expect(lines == [5, 6, 9, 11, 12, 13])
            #expect(error.description.contains("test.yaml: line 6: unknown key 'colours'"))
            #expect(error.description.contains("line 12: unknown indicator code 'NOT-A-CODE'"))
        }
    }

    @Test func escalateMustExceedReview() {
        #expect(throws: PolicyError.self) { try parse("name: x\nversion: 1\nbands: {review: 30, escalate: 20}\n") }
    }

    @Test func overridesAndDisabling() throws {
        let policy = try parse("""
            name: custom
            version: 1
            bands: {review: 10, escalate: 40}
            indicators:
              INT-CAMERA-OFF: {points: 0}
              TZ-BROWSER-MISMATCH: {enabled: false}
            """)
        #expect(policy.points["INT-CAMERA-OFF"] == 0)
        #expect(policy.disabled == ["TZ-BROWSER-MISMATCH"])
    }

    @Test func variantPointsComeFromThePolicy() throws {
        let anonymizer = AnonymizerNetworkIndicator().descriptor
        let fired: [(descriptor: IndicatorDescriptor, outcome: IndicatorOutcome?)] = [(anonymizer, .fired(
            explanation: "x", evidence: [Evidence(field: "f", observed: "o", source: "s")], variant: AnonymizerNetworkIndicator.genericVariant))]
        // Without a policy setting, the variant's own default counts, not the indicator's.
        let plain = Policy(name: "t", version: "1", reviewThreshold: 25, escalateThreshold: 50)
        #expect(Scorer(policy: plain).score(fired).score == Double(AnonymizerNetworkIndicator.genericDefaultPoints))
        #expect(plain.points(for: anonymizer, variant: nil) == Double(anonymizer.defaultPoints))
        let policy = try parse("""
            name: custom
            version: 1
            bands: {review: 25, escalate: 50}
            indicators:
              NET-ANONYMIZER: {points: 30, variants: {generic: 7}}
            """)
        #expect(policy.points(for: anonymizer, variant: AnonymizerNetworkIndicator.genericVariant) == 7)
        #expect(policy.points(for: anonymizer, variant: nil) == 30)
        #expect(Scorer(policy: policy).score(fired).score == 7)
        // The default policy names the generic variant's points explicitly.
        let shipped = try Fixtures.defaultPolicy()
        #expect(shipped.variantPoints["NET-ANONYMIZER"]?[AnonymizerNetworkIndicator.genericVariant] != nil)
        // Unknown variants, variants of an indicator without any, and bad values are refused with their line.
        do {
            _ = try parse("""
                name: x
                version: 1
                bands: {review: 25, escalate: 50}
                indicators:
                  NET-ANONYMIZER: {variants: {astrill: 5}}
                  INT-CAMERA-OFF: {variants: {generic: 5}}
                  TZ-BROWSER-MISMATCH: {variants: 3}
                """)
            Issue.record("an invalid variant was accepted")
        } catch {
            #expect(error.problems.compactMap(\.line) == [5, 6, 7])
            #expect(error.description.contains("unknown variant 'astrill' of NET-ANONYMIZER (known: generic)"))
            #expect(error.description.contains("indicator INT-CAMERA-OFF has no variants"))
        }
    }

    @Test func capsStopOneCauseFromEscalating() {
        let policy = Policy(name: "t", version: "1", reviewThreshold: 25, escalateThreshold: 50, categoryCaps: [.location: 25])
        let descriptors = [BrowserTimeZoneIndicator().descriptor, WorkingHoursIndicator().descriptor, ClaimedTimeZoneIndicator().descriptor]
        let result = Scorer(policy: policy).score(descriptors.map {
            (descriptor: $0, outcome: .fired(explanation: "x", evidence: [Evidence(field: "f", observed: "o", source: "s")], scale: 1))
        })
        #expect(result.score == 25)
        #expect(result.band == .review)
        #expect(result.findings.map(\.points) == [15, 10, 0])
    }

    @Test func dataFilesResolveAgainstThePolicyFolder() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vetter-policy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent("org.yaml")
        try Data("""
            name: org
            version: 1
            bands: {review: 25, escalate: 50}
            data:
              geoip: [ip/city.mmdb, /srv/asn.mmdb]
              corporate_egress: egress.txt
            """.utf8).write(to: url)
        let policy = try Policy.load(contentsOf: url, catalog: .core)
        #expect(policy.data.geoip == [folder.appendingPathComponent("ip/city.mmdb").path, "/srv/asn.mmdb"])
        #expect(policy.data.corporateEgress == folder.appendingPathComponent("egress.txt").path)
        #expect(throws: PolicyError.self) { try parse("name: x\nversion: 1\nbands: {review: 1, escalate: 2}\ndata: {geoip: 5, mmdb: x}\n") }
    }

    @Test func invalidYAMLIsRefused() {
        #expect(throws: PolicyError.self) { try parse("name: [unclosed\n") }
    }
}
