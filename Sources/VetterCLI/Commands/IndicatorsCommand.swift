import ArgumentParser
import Foundation
import VetterCore

/// `vetter indicators`: every indicator with its code, category, points, inputs and sources.
struct IndicatorsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "indicators", abstract: "List every indicator.")

    @Option(help: "Output format: text, json or markdown.")
    var format: ReportFormat = .text

    @OptionGroup var config: ConfigOptions

    func run() async throws {
        let policy = try config.loadPolicy()
        let descriptors = config.catalog.indicators.map(\.descriptor)
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(descriptors), as: UTF8.self))
        case .text, .markdown:
            let md = format == .markdown
            if md { print("| code | category | points | needs | sources |\n|---|---|---|---|---|") }
            for d in descriptors {
                let variants = d.variants.keys.sorted().map { "/\(String(format: "%g", policy.points(for: d, variant: $0)))" }.joined()
                let points = policy.disabled.contains(d.code) ? "off" : String(format: "%g", policy.points(for: d)) + variants
                let sources = d.references.map(\.id).joined(separator: ", ")
                if md {
                    print("| `\(d.code)` | \(d.category) | \(points) | \(d.inputs.joined(separator: "; ")) | \(sources) |")
                } else {
                    print("\(d.code.padding(toLength: 30, withPad: " ", startingAt: 0)) \(d.category.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)) \(points.padding(toLength: max(4, points.count), withPad: " ", startingAt: 0)) \(d.title)")
                    print("    needs: \(d.inputs.joined(separator: "; "))")
                    print("    sources: \(sources)")
                }
            }
        }
    }
}
