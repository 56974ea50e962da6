import Foundation
import VetterCore

/// Locates the repository's `Samples/`, `Config/` and the shared corpus from tests.
public enum Fixtures {
    /// The repository root, found from this file's path.
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static var config: URL { root.appendingPathComponent("Config") }
    public static var samples: URL { root.appendingPathComponent("Samples") }
    /// `../shared/corpus`, read in place.
    public static var corpus: URL { root.deletingLastPathComponent().appendingPathComponent("shared/corpus") }

    /// A fixed "now" so that reports are repeatable.
    public static let now: Date = DateParsing.iso8601("2026-11-01T12:00:00Z") ?? Date(timeIntervalSince1970: 0)

    /// The reference tables, loaded once.
    public static let reference: ReferenceData = {
        do { return try ReferenceData.load(configDirectory: config) } catch { fatalError("reference data: \(error)") }
    }()

    /// The default policy from `Config/policy.yaml`.
    public static func defaultPolicy(catalog: IndicatorCatalog = .core) throws -> Policy {
        try Policy.load(contentsOf: config.appendingPathComponent("policy.yaml"), catalog: catalog)
    }

    /// A screener as the CLI builds it, with a fixed clock.
    public static func screener(catalog: IndicatorCatalog = .core) throws -> Screener {
        Screener(
            catalog: catalog,
            policy: try defaultPolicy(catalog: catalog),
            enrichers: [ReferenceEnricher(reference: reference)],
            clock: { now }
        )
    }

    /// The sample application files.
    public static func sampleApplications() -> [String] {
        let folder = samples.appendingPathComponent("applications")
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
    }

    /// Builds the context an indicator example describes: the record, its résumé text, the
    /// reference enrichment and any injected facts.
    public static func context(for example: IndicatorExample) throws -> ScreeningContext {
        var json = example.record.trimmingCharacters(in: .whitespacesAndNewlines)
        json = json == "{}" ? #"{"id": "example"}"# : #"{"id": "example", "# + json.dropFirst()
        let decoded = ApplicationDecoder().decode(Data(json.utf8))
        guard let application = decoded.application else {
            throw ExampleError(message: "example '\(example.name)' does not decode: \(decoded.problems)")
        }
        var context = ScreeningContext(application: application, asOf: now)
        if let text = example.resumeText {
            context.resume = ResumeDocument(format: .plainText, sourceName: "example.txt", text: text, fields: TextFieldExtractor().extract(from: text))
        }
        ReferenceEnricher(reference: reference).enrichSync(&context)
        example.facts?(&context.facts)
        return context
    }

    public struct ExampleError: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }
}
