import ArgumentParser
import Foundation
import VetterCore
import VetterDocuments
import VetterIntel
import VetterStore
import VetterNetwork

/// `vetter screen FILE`: one application (or a résumé alone) in, an explained report out.
struct ScreenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "screen",
        abstract: "Screen one application record (vetter.application/v1 JSON) or a résumé file.",
        discussion: ExitStatus.help
    )

    @Argument(help: "An application record (.json) or a résumé (PDF, DOCX, HTML, Europass, HR Open, .doc, text, Markdown, JSON Resume).")
    var input: String

    @Option(help: "Output format: text, json or markdown.")
    var format: ReportFormat = .text

    @Option(name: .customLong("fail-on"), help: "Exit with code 3 when the band is at or above this (review or escalate).")
    var failOn: Band?

    @Option(name: .customLong("geoip"), help: "A MaxMind-format .mmdb (City, Country, ASN; GeoLite2/GeoIP2, DB-IP Lite, IPinfo Lite). Repeatable; default: the policy's data.geoip, else the .mmdb files in Data/geoip (VETTER_GEOIP_DIR).")
    var geoip: [String] = []

    @Option(name: .customLong("tor-exits"), help: "A Tor exit list (torbulkexitlist or exit-addresses format).")
    var torExits: String?

    @Option(name: .customLong("corporate-egress"), help: "The employer's corporate-VPN egress addresses or CIDRs, one a line; never counted against a candidate.")
    var corporateEgress: String?

    @OptionGroup var config: ConfigOptions

    @OptionGroup var storeOptions: StoreOptions

    @Flag(name: .customLong("no-record"), help: "With --store: look up matches but do not record this application.")
    var noRecord = false

    func run() async throws {
        let policy = try config.loadPolicy()
        let reference = try config.loadReference()
        let network = try config.networkEnricher(policy: policy, geoip: geoip, torExits: torExits, corporateEgress: corporateEgress)
        var enrichers: [any Enricher] = [ReferenceEnricher(reference: reference), network]
        if let identity = try await storeOptions.enricher(record: !noRecord) {
            enrichers.append(identity)
            // Threat-intelligence feeds live in the same (SQLite) store.
            if let feeds = identity.store as? any ThreatFeedStore { enrichers.append(IntelEnricher(store: feeds)) }
        }
        let screener = Screener(catalog: config.catalog, policy: policy, enrichers: enrichers, readers: .all)
        let outcome: Screener.Outcome
        do {
            outcome = try await screener.screen(fileAt: URL(fileURLWithPath: input))
        } catch {
            printError(error.description.replacingOccurrences(of: "\n", with: "\nvetter: "))
            throw ExitCode(error.kind == .notFound ? ExitStatus.noInput : ExitStatus.dataError)
        }
        print(format.renderer(colour: useColour(for: format)).render(outcome.report), terminator: "")
        for warning in outcome.warnings { printError(warning) }
        if let failOn, outcome.report.band >= failOn { throw ExitCode(ExitStatus.bandThreshold) }
        if !outcome.warnings.isEmpty { throw ExitCode(ExitStatus.partialInput) }
    }
}

extension ReportFormat: ExpressibleByArgument {}
extension Band: ExpressibleByArgument {}
