import ArgumentParser
import Foundation
import VetterCore
import VetterNetwork

/// Options shared by commands that need the configuration.
struct ConfigOptions: ParsableArguments {
    @Option(name: .customLong("config-dir"), help: "The Config folder (default: VETTER_CONFIG_DIR, else the nearest Config/ above the working directory or the executable).")
    var configDirectory: String?

    @Option(help: "A policy file replacing Config/policy.yaml.")
    var policy: String?

    func configURL() throws -> URL {
        guard let url = ConfigLocator.locate(configDirectory) else {
            printError("cannot find the Config folder (give --config-dir or set VETTER_CONFIG_DIR)")
            throw ExitCode(ExitStatus.config)
        }
        return url
    }

    /// The catalog in use: core indicators plus those of the linked modules.
    var catalog: IndicatorCatalog { .core }

    func loadPolicy() throws -> Policy {
        let url: URL
        if let policy { url = URL(fileURLWithPath: policy) } else { url = try configURL().appendingPathComponent("policy.yaml") }
        do {
            return try Policy.load(contentsOf: url, catalog: catalog)
        } catch {
            for problem in error.problems { printError("\(policy ?? url.path): \(problem)") }
            throw ExitCode(ExitStatus.config)
        }
    }

    func loadReference() throws -> ReferenceData {
        let directory = try configURL()
        do {
            return try ReferenceData.load(configDirectory: directory)
        } catch {
            printError(error.description)
            throw ExitCode(ExitStatus.config)
        }
    }
}

extension ConfigOptions {
    /// The IP-intelligence enricher: `--geoip` paths, else the policy's `data.geoip`, else the
    /// default data folder; Tor exits and corporate egress from the options, else the policy.
    func networkEnricher(policy: Policy, geoip: [String], torExits: String? = nil, corporateEgress: String? = nil) throws -> IPIntelligenceEnricher {
        let configDirectory = try configURL()
        do {
            return try IPIntelligenceEnricher.configured(
                geoip: geoip.isEmpty ? policy.data.geoip : geoip, configDirectory: configDirectory,
                torExits: (torExits ?? policy.data.torExits).map { URL(fileURLWithPath: $0) },
                corporateEgress: (corporateEgress ?? policy.data.corporateEgress).map { URL(fileURLWithPath: $0) })
        } catch {
            printError("\(error)")
            throw ExitCode(ExitStatus.config)
        }
    }
}
