import Testing
import VetterCore
import VetterTesting

/// Every indicator's own examples: the ones that must fire do, the others do not.
struct IndicatorExampleTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var code: String
        var example: IndicatorExample
        var testDescription: String { "\(code): \(example.name)" }
    }

    static let cases: [Case] = IndicatorCatalog.core.indicators.flatMap { indicator in
        indicator.examples.map { Case(code: indicator.descriptor.code, example: $0) }
    }

    @Test(arguments: cases)
    func example(_ testCase: Case) throws {
        let indicator = try #require(IndicatorCatalog.core.indicator(code: testCase.code))
        let context = try Fixtures.context(for: testCase.example)
        let outcome = indicator.evaluate(context)
        if case .fired(let explanation, let evidence, _, _) = outcome {
            #expect(testCase.example.shouldFire, "fired unexpectedly: \(explanation)")
            #expect(!evidence.isEmpty)
            #expect(!explanation.isEmpty)
        } else {
            #expect(!testCase.example.shouldFire, "did not fire: \(outcome)")
        }
    }

    @Test func everyIndicatorDescribesItself() {
        var codes = Set<String>()
        for indicator in IndicatorCatalog.core.indicators {
            let d = indicator.descriptor
            #expect(codes.insert(d.code).inserted, "duplicate code \(d.code)")
            #expect(d.code.range(of: "^[A-Z]+(-[A-Z0-9]+)+$", options: .regularExpression) != nil, "code shape \(d.code)")
            #expect(!d.rationale.isEmpty && !d.verify.isEmpty && !d.inputs.isEmpty)
            #expect(!d.references.isEmpty, "\(d.code) cites no public source")
            #expect(indicator.examples.contains { $0.shouldFire }, "\(d.code) has no example that fires")
            #expect(indicator.examples.contains { !$0.shouldFire }, "\(d.code) has no example that must not fire")
        }
    }

    /// Findings are worded as facts to verify, never as accusations or origin.
    @Test func wordingIsNeutral() throws {
        let banned = ["north korea", "dprk", "fraud", "fake", "liar", "nationality", "ethnic", "accent"]
        for indicator in IndicatorCatalog.core.indicators {
            for example in indicator.examples where example.shouldFire {
                guard case .fired(let explanation, _, _, _) = indicator.evaluate(try Fixtures.context(for: example)) else { continue }
                for word in banned {
                    #expect(!explanation.lowercased().contains(word), "\(indicator.descriptor.code): '\(word)' in \(explanation)")
                }
            }
            for word in banned where word != "dprk" && word != "north korea" && word != "fake" && word != "fraud" {
                #expect(!indicator.descriptor.verify.lowercased().contains(word))
            }
        }
    }
}
