import ArgumentParser
import Foundation
import VetterCore

/// `vetter explain CODE`: one indicator in full, with its examples.
struct ExplainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "explain", abstract: "Explain one indicator in full, with its examples.")

    @Argument(help: "An indicator code, e.g. TZ-BROWSER-MISMATCH.")
    var code: String

    @OptionGroup var config: ConfigOptions

    func run() async throws {
        guard let indicator = config.catalog.indicator(code: code) else {
            printError("unknown indicator code '\(code)' (see `vetter indicators`)")
            throw ExitCode(ExitStatus.usage)
        }
        let policy = try config.loadPolicy()
        let d = indicator.descriptor
        print("\(d.code): \(d.title)")
        print("Category: \(d.category) · strength: \(d.strength) · default points: \(d.defaultPoints) · points under policy \(policy.name): \(String(format: "%g", policy.points(for: d)))")
        for (variant, points) in d.variants.sorted(by: { $0.key < $1.key }) {
            print("Variant \(variant): default points \(points) · under policy \(policy.name): \(String(format: "%g", policy.points(for: d, variant: variant)))")
        }
        print("Needs: \(d.inputs.joined(separator: "; "))")
        print("\nWhy it matters\n  \(d.rationale)")
        print("\nVerification step\n  \(d.verify)")
        print("\nSources")
        for r in d.references { print("  \(r.id) \(r.title)" + (r.url.map { " <\($0)>" } ?? "")) }
        print("\nExamples")
        for example in indicator.examples {
            print("  [\(example.shouldFire ? "fires" : "does not fire")] \(example.name)")
            for line in example.record.split(separator: "\n") { print("      \(line)") }
            if let resume = example.resumeText {
                print("      résumé:")
                for line in resume.split(separator: "\n") { print("        | \(line)") }
            }
        }
    }
}
