import ArgumentParser
import Foundation
import VetterCore
import VetterEval
import VetterNetwork

/// `vetter eval DIR`: the labelled evaluation and fairness audit of issue 8;
/// `vetter eval generate DIR`: writes a seeded synthetic population.
struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Generate a seeded synthetic population and measure detection and fairness on it (Docs/evaluation.md).",
        subcommands: [Run.self, Generate.self],
        defaultSubcommand: Run.self
    )

    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write a seeded synthetic population (records, résumés, a tiny IP database, truth.json).")

        @Argument(help: "Output folder (created; its applications/ and resumes/ are replaced).")
        var directory: String

        @Option(help: "Random seed.")
        var seed: UInt64 = 8

        @Option(help: "Number of applicants.")
        var size: Int = 2000

        @Option(name: .customLong("fake-share"), help: "Share of fake personas (0–1).")
        var fakeShare: Double = 0.2

        @Option(name: .customLong("location-checks"), help: "Share of interviews with a recorded location check (0–1; Docs/evaluation.md).")
        var locationChecks: Double = PopulationGenerator.defaultLocationCheckRate

        @Option(name: .customLong("pdf-share"), help: "Share of the plain-text résumés written as PDF instead (0–1).")
        var pdfShare: Double = PopulationGenerator.defaultPDFShare

        func validate() throws {
            guard (0...1).contains(locationChecks) else { throw ValidationError("--location-checks must be between 0 and 1") }
            guard (0...1).contains(pdfShare) else { throw ValidationError("--pdf-share must be between 0 and 1") }
        }

        func run() async throws {
            let drafts = try PopulationGenerator(seed: seed, size: size, fakeShare: fakeShare, locationCheckRate: locationChecks, pdfShare: pdfShare)
                .write(to: URL(fileURLWithPath: directory))
            let fakes = drafts.filter { $0.truth.label == .fake }.count
            print("wrote \(drafts.count) applicants (\(fakes) fake) to \(directory) (seed \(seed))")
        }
    }

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "run", abstract: "Screen a population with the real pipeline and report precision, recall, FPR per band and group, and name-swap invariance.")

        @Argument(help: "A population folder written by `vetter eval generate`.")
        var population: String

        @Option(help: "Output format: text, json or markdown.")
        var format: ReportFormat = .text

        @Option(help: "Name swaps per applicant (names from other origin groups); 13 runs every other group.")
        var swaps: Int = 2

        @Option(name: .customLong("store"), help: "A SQLite identity store to use (default: a fresh temporary one).")
        var store: String?

        @Option(name: .customLong("geoip"), help: "IP databases (default: the population's geoip/*.mmdb).")
        var geoip: [String] = []

        @Option(name: .customLong("json-out"), help: "Also write the result as JSON to this file.")
        var jsonOut: String?

        @Option(name: .customLong("rows-out"), help: "Also write every applicant's label, group, score, band and findings (JSON) to this file, for analysis.")
        var rowsOut: String?

        @Flag(name: .customLong("no-store"), help: "Run without the identity store (reuse checks skipped).")
        var noStore = false

        @OptionGroup var config: ConfigOptions

        func run() async throws {
            let policy = try config.loadPolicy()
            let reference = try config.loadReference()
            let directory = URL(fileURLWithPath: population)
            var databases = geoip
            if databases.isEmpty {
                let geo = directory.appendingPathComponent("geoip")
                databases = ((try? FileManager.default.contentsOfDirectory(atPath: geo.path)) ?? []).filter { $0.hasSuffix(".mmdb") }.sorted()
                    .map { geo.appendingPathComponent($0).path }
            }
            let network: IPIntelligenceEnricher
            do {
                network = try IPIntelligenceEnricher.configured(geoip: databases, configDirectory: try config.configURL())
            } catch {
                printError("\(error)")
                throw ExitCode(ExitStatus.config)
            }
            var runner = EvaluationRunner(catalog: config.catalog, policy: policy, enrichers: [ReferenceEnricher(reference: reference), network],
                                          swapsPerApplicant: swaps, storePath: store)
            runner.useStore = !noStore
            let rows: [ScreenedApplicant]
            do { rows = try await runner.run(population: directory) } catch {
                printError("\(error)")
                throw ExitCode(ExitStatus.dataError)
            }
            let result = EvaluationResult(rows, policy: "\(policy.name) v\(policy.version)")
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            if let jsonOut { try encoder.encode(result).write(to: URL(fileURLWithPath: jsonOut)) }
            if let rowsOut { try encoder.encode(rows).write(to: URL(fileURLWithPath: rowsOut)) }
            switch format {
            case .json:
                print(String(decoding: try encoder.encode(result), as: UTF8.self))
            default:
                print(EvaluationRenderer.markdown(result), terminator: "")
            }
        }
    }
}
