import Foundation
import Testing
import VetterCore
import VetterTesting
@testable import VetterStore

/// The reuse indicators' own examples (they join `IndicatorCatalog.core`'s parameterized test
/// once registered there), and the enricher end to end through the screener.
@Suite("Reuse indicators and the identity-store enricher")
struct ReuseIndicatorTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var code: String
        var example: IndicatorExample
        var testDescription: String { "\(code): \(example.name)" }
    }

    static let cases: [Case] = IndicatorCatalog.reuse.flatMap { indicator in
        indicator.examples.map { Case(code: indicator.descriptor.code, example: $0) }
    }

    @Test(arguments: cases)
    func example(_ testCase: Case) throws {
        let indicator = try #require(IndicatorCatalog(IndicatorCatalog.reuse).indicator(code: testCase.code))
        let outcome = indicator.evaluate(try Fixtures.context(for: testCase.example))
        if case .fired(let explanation, let evidence, _, _) = outcome {
            #expect(testCase.example.shouldFire, "fired unexpectedly: \(explanation)")
            #expect(!evidence.isEmpty)
        } else {
            #expect(!testCase.example.shouldFire, "did not fire: \(outcome)")
        }
    }

    @Test func describedAndCategorised() {
        for indicator in IndicatorCatalog.reuse {
            let d = indicator.descriptor
            #expect(d.category == .reuse)
            #expect(d.code.hasPrefix("REUSE-"))
            #expect(!d.references.isEmpty)
            #expect(indicator.examples.contains { $0.shouldFire } && indicator.examples.contains { !$0.shouldFire })
        }
        // Registered in the catalog every screening uses, each code once.
        for code in IndicatorCatalog.reuse.map(\.descriptor.code) {
            #expect(IndicatorCatalog.core.codes.filter { $0 == code }.count == 1, "\(code) not registered once")
        }
    }

    /// The points scale an example fires with (nil when it does not fire).
    static func scale(_ code: String, _ example: IndicatorExample) throws -> Double? {
        let indicator = try #require(IndicatorCatalog(IndicatorCatalog.reuse).indicator(code: code))
        if case .fired(_, _, let scale, _) = indicator.evaluate(try Fixtures.context(for: example)) { return scale }
        return nil
    }

    static func address(_ other: String, _ field: String = "candidate.address", _ otherField: String = "candidate.address") -> ReuseMatch {
        ReuseMatch(kind: "address", field: field, otherApplicationID: other, differentIdentity: true, otherField: otherField)
    }

    @Test("a household of two counts little; the same home shared by three names, or a drop point, counts in full")
    func householdAndFarmScales() throws {
        let home = #"{"candidate": {"name": "Jane Smith", "address": {"lines": ["1 Main St"], "city": "Austin", "country": "US"}}, "onboarding": {"shipping_address": {"lines": ["1 Main St"], "city": "Austin", "country": "US"}}}"#
        // Two people declaring one home.
        let pair = IndicatorExample("pair", fires: true, record: home, facts: { $0.reuse = [Self.address("A-1")] })
        #expect(try Self.scale("REUSE-IDENTIFIER", pair) == 0.15)
        // Three names at one home: not a household of two.
        let three = IndicatorExample("three", fires: true, record: home, facts: { $0.reuse = [Self.address("A-1"), Self.address("A-2")] })
        #expect(try Self.scale("REUSE-IDENTIFIER", three) == 0.7)
        // A household pair also sharing a phone: the phone counts in full.
        let phone = IndicatorExample("phone", fires: true, record: home, facts: {
            $0.reuse = [Self.address("A-1"), ReuseMatch(kind: "phone", field: "candidate.phones[0]", otherApplicationID: "A-1", differentIdentity: true)]
        })
        #expect(try Self.scale("REUSE-IDENTIFIER", phone) == 1)
        // Laptop farm: the household pair sharing their home is not a farm; a third hire shipping there is.
        let household = IndicatorExample("household", fires: false, record: home, facts: {
            $0.reuse = [Self.address("A-1"), Self.address("A-1", "onboarding.shippingAddress", "onboarding.shippingAddress")]
        })
        #expect(try Self.scale("REUSE-SHIPPING-OR-ONBOARDING-IP", household) == nil)
        let farm = IndicatorExample("farm", fires: true, record: home, facts: {
            $0.reuse = [Self.address("A-1"), Self.address("A-1", "onboarding.shippingAddress", "onboarding.shippingAddress"),
                        Self.address("A-2", "onboarding.shippingAddress", "onboarding.shippingAddress")]
        })
        // A-1 no longer counts as the household (two others declare or use the home): three hires.
        #expect(try Self.scale("REUSE-SHIPPING-OR-ONBOARDING-IP", farm) == 1)
        // A drop point: shipped to another hire's shipping address that is not this hire's home.
        let drop = IndicatorExample("drop", fires: true,
            record: #"{"candidate": {"name": "Jane Smith", "address": {"lines": ["9 Oak Rd"], "city": "Denver", "country": "US"}}, "onboarding": {"shipping_address": {"lines": ["1 Main St"], "city": "Austin", "country": "US"}}}"#,
            facts: { $0.reuse = [Self.address("A-3", "onboarding.shippingAddress", "onboarding.shippingAddress")] })
        #expect(try Self.scale("REUSE-SHIPPING-OR-ONBOARDING-IP", drop) == 1)
    }

    @Test("without the store the reuse indicators are skipped, not passed")
    func skippedWithoutStore() throws {
        let context = try Fixtures.context(for: IndicatorExample("plain", fires: false, record: #"{"candidate": {"name": "Jane Smith"}}"#))
        for indicator in IndicatorCatalog.reuse {
            guard case .skipped = indicator.evaluate(context) else {
                Issue.record("\(indicator.descriptor.code) did not skip")
                continue
            }
        }
    }

    @Test("a batch screened through the enricher: the third application is linked to both, by id and date only")
    func enricherEndToEnd() async throws {
        let t = try TempStore()
        let catalog = IndicatorCatalog.core + IndicatorCatalog.reuse
        var screener = try Fixtures.screener(catalog: catalog)
        screener.enrichers.append(IdentityStoreEnricher(store: t.store, key: t.key))
        let first = application("B-1", name: "Ann Lee", emails: ["ann.lee@example.com"], phones: ["+1 202 555 0101"])
        let second = application("B-2", name: "Bo Kim", emails: ["bo.kim@example.com"], phones: ["+1 202 555 0101"])
        let third = application("B-3", name: "Cy Diaz", emails: ["bo.kim@example.com"])
        _ = await screener.screen(first)
        _ = await screener.screen(second)
        let outcome = await screener.screen(third)
        let rendered = MarkdownRenderer().render(outcome.report)
        let codes = Set(outcome.report.findings.map(\.id))
        #expect(codes.contains("REUSE-IDENTIFIER"))
        #expect(codes.contains("REUSE-CLUSTER"))
        #expect(rendered.contains("B-2"))
        #expect(rendered.contains("B-1"))
        // No other application's personal data in the report.
        for other in ["Ann Lee", "Bo Kim", "202 555", "ann.lee"] { #expect(!rendered.contains(other), "\(other) in report") }
        #expect(try t.store.statsSync().applications == 3)
    }

    @Test("identity records made ahead by prepare give the same facts as those made in the group step, and are used up")
    func preparedAhead() async throws {
        let resume = ResumeDocument(format: .plainText, sourceName: "t", text: SyntheticText.resume(seed: 31))
        func contexts() -> [ScreeningContext] {
            [application("P-1", name: "Ann Lee", phones: ["+1 202 555 0101"]), application("P-2", name: "Bo Kim", phones: ["+1 202 555 0101"]),
             application("P-3", name: "Cy Diaz", emails: ["cy@example.com"])].map {
                ScreeningContext(application: $0, resume: resume, asOf: Fixtures.now)
            }
        }
        var results: [[[String]]] = []
        for prepareAhead in [false, true] {
            let t = try TempStore()
            let enricher = IdentityStoreEnricher(store: t.store, key: t.key)
            var group = contexts()
            if prepareAhead {
                for i in group.indices { enricher.prepare(&group[i]) }
                #expect(group.allSatisfy { $0.prepared[enricher.name] is IdentityRecord })
            }
            await enricher.enrich(group: &group)
            #expect(group.allSatisfy { $0.prepared.isEmpty })
            results.append(group.map { $0.facts.reuse.map { "\($0.kind) \($0.otherApplicationID) \($0.similarity)" }.sorted() })
        }
        #expect(results[0] == results[1])
        #expect(results[0][1].contains("phone P-1 1.0"))
        #expect(results[0][2].contains { $0.hasPrefix("resume-near-duplicate P-") })
    }

    @Test("a dry run looks up without recording")
    func dryRun() async throws {
        let t = try TempStore()
        let enricher = IdentityStoreEnricher(store: t.store, key: t.key, record: false)
        var context = ScreeningContext(application: application("D-1", name: "Ann Lee", phones: ["+1 202 555 0101"]), asOf: Fixtures.now)
        await enricher.enrich(&context)
        #expect(context.facts.enrichersRun.contains("identity-store"))
        #expect(try t.store.statsSync().applications == 0)
    }
}
