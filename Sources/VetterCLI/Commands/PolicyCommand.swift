import ArgumentParser
import Foundation
import VetterCore

/// `vetter policy check FILE`.
struct PolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy", abstract: "Work with scoring policies.", subcommands: [Check.self]
    )

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a policy file; names the line of every unknown key or bad value."
        )

        @Argument(help: "The policy file (YAML).")
        var file: String

        @OptionGroup var config: ConfigOptions

        func run() async throws {
            do {
                let policy = try Policy.load(contentsOf: URL(fileURLWithPath: file), catalog: config.catalog)
                print("\(file): valid policy \(policy.name) v\(policy.version) (sha256 \(policy.digest))")
                print("bands: review at \(String(format: "%g", policy.reviewThreshold)), escalate at \(String(format: "%g", policy.escalateThreshold)); \(policy.points.count) indicator overrides, \(policy.disabled.count) disabled")
            } catch {
                for problem in error.problems { printError("\(file): \(problem)") }
                throw ExitCode(ExitStatus.config)
            }
        }
    }
}
