import Foundation
import Testing
@testable import VetterCore
import VetterTesting

/// `Report.jsonLine()` writes what `JSONEncoder` writes (sorted keys, unescaped slashes, ISO 8601
/// dates), byte for byte: a batch's `results.jsonl` must not change with the writer.
struct ReportJSONLineTests {
    static func encoderLine(_ report: Report) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(report), as: UTF8.self)
    }

    @Test(arguments: Fixtures.sampleApplications())
    func sampleReports(_ name: String) async throws {
        let url = Fixtures.samples.appendingPathComponent("applications").appendingPathComponent(name)
        let report = try await Fixtures.screener().screen(fileAt: url).report
        #expect(!report.findings.isEmpty || name.hasPrefix("clear-"))
        #expect(report.jsonLine() == (try Self.encoderLine(report)))
    }

    /// Strings with every byte a JSON string may need escaped, slashes, and non-ASCII text.
    static let awkward: [String] = [
        "", "plain", "quote \" and backslash \\ and slash / and https://example.org/a/b",
        "tab\there, newline\nthere, return\r, form feed \u{0C}, backspace \u{08}",
        String((0..<32).map { Character(Unicode.Scalar(UInt8($0))) }) + "\u{7F}",
        "résumé — 東京 · Łódź · 🙂 · \u{2028}\u{2029}", "\u{0}", "ends with backslash \\",
    ]

    static let numbers: [Double] = [0, -0.0, 1, 25, 50, 12.5, 0.1 + 0.2, 1.0 / 3, 1e15, 1e15 + 1, 1e16, 123456789012345680, 2.5e-7, -7, 99.99, 0.000001]

    static func report(_ seed: Int) -> Report {
        var rng = SplitMix(seed: UInt64(seed))
        func text() -> String { awkward[rng.next(awkward.count)] + awkward[rng.next(awkward.count)] }
        func number() -> Double { numbers[rng.next(numbers.count)] }
        func finding() -> Finding {
            Finding(
                id: text(), title: text(), category: IndicatorCategory(rawValue: text()), points: number(), policyPoints: number(),
                strength: IndicatorStrength.allCases[rng.next(3)],
                evidence: (0..<rng.next(3)).map { _ in Evidence(field: text(), observed: text(), expected: rng.next(2) == 0 ? nil : text(), source: text()) },
                explanation: text(), verify: text(),
                references: (0..<rng.next(3)).map { _ in SourceReference(id: text(), title: text(), url: rng.next(2) == 0 ? nil : text()) })
        }
        let statuses: [CoverageEntry.Status] = [.fired, .passed, .skipped, .disabled]
        // Dates before 1970, with fractions of a second near both ends, and far ahead.
        let date = Date(timeIntervalSince1970: [-86_400.25, 0, 0.999_9, 1_795_000_000.5, 1_795_000_000.999, 4_102_444_800.000_1, -2_208_988_800.7][rng.next(7)])
        return Report(
            applicationID: text(), score: number(), band: Band.allCases[rng.next(3)],
            findings: (0..<rng.next(4)).map { _ in finding() },
            categories: (0..<rng.next(3)).map { _ in CategoryTotal(category: IndicatorCategory(rawValue: text()), raw: number(), cap: rng.next(2) == 0 ? nil : number(), points: number()) },
            coverage: Coverage(checks: (0..<rng.next(4)).map { _ in CoverageEntry(code: text(), status: statuses[rng.next(4)], reason: rng.next(2) == 0 ? nil : text()) },
                               inputs: (0..<rng.next(3)).map { _ in text() }),
            policy: PolicyInfo(name: text(), version: text(), digest: text()),
            thresholds: .init(review: number(), escalate: number()),
            toolVersion: text(), generatedAt: date, notice: text())
    }

    @Test func generatedReports() throws {
        var differing: [Int] = []
        var withEverything = 0
        for seed in 0..<400 {
            let report = Self.report(seed)
            if report.jsonLine() != (try Self.encoderLine(report)) { differing.append(seed) }
            if report.findings.contains(where: { f in f.evidence.contains { $0.expected != nil } && f.references.contains { $0.url != nil } }),
               report.categories.contains(where: { $0.cap != nil }), report.coverage.checks.contains(where: { $0.reason != nil }) {
                withEverything += 1
            }
        }
        #expect(differing.isEmpty, "reports that differ from JSONEncoder's: seeds \(differing.prefix(10))")
        // The generated reports do set every optional field, in many of them.
        #expect(withEverything > 10)
    }

    @Test func aLineIsOneLine() {
        let report = Self.report(3)
        #expect(!report.jsonLine().contains("\n"))
        #expect(!Self.report(4).jsonLine().utf8.contains(0x0A))
    }
}

/// A small seeded generator, so that a failing seed can be rerun.
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Int(z % UInt64(bound))
    }
}
