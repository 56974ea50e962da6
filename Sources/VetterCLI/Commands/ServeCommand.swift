import ArgumentParser
import Foundation
import VetterCore
import VetterDocuments
import VetterIntel
import VetterNetwork
import VetterServer
import VetterStore

/// `vetter serve`: the HTTP API for HR systems and the review queue for security teams.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the HTTP API (/v1, described in Config/openapi.yaml), ATS webhooks and the review queue (/queue).",
        discussion: "Listens on 127.0.0.1 by default; put a TLS proxy in front for anything else. Create tokens with `vetter tokens create`. SIGTERM or SIGINT stops it after in-flight screenings finish."
    )

    @Option(help: "The TCP port.") var port = 8080
    @Option(help: "The address to listen on.") var host = "127.0.0.1"
    @Option(name: .customLong("max-body-bytes"), help: "Largest request body accepted (records, multipart uploads with the résumé, webhooks).") var maxBodyBytes = 1 << 20
    @Option(name: .customLong("max-feed-bytes"), help: "Largest feed accepted by POST /v1/feeds (admin).") var maxFeedBytes = 32 << 20
    @Option(name: .customLong("greenhouse-secret-file"), help: "A file holding Greenhouse's webhook secret key (or VETTER_GREENHOUSE_SECRET).")
    var greenhouseSecretFile: String?
    @Option(name: .customLong("lever-secret-file"), help: "A file holding Lever's webhook signature token (or VETTER_LEVER_SECRET).")
    var leverSecretFile: String?
    @Flag(name: .customLong("secure-cookies"), help: "Mark the session cookie Secure (when served over HTTPS).") var secureCookies = false
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.") var logLevel = "info"
    @Option(name: .customLong("geoip"), help: "A MaxMind-format .mmdb; repeatable (default as for screen).") var geoip: [String] = []
    @OptionGroup var config: ConfigOptions
    @OptionGroup var storeOptions: StoreOptions

    func run() async throws {
        let policy = try config.loadPolicy()
        let reference = try config.loadReference()
        let network = try config.networkEnricher(policy: policy, geoip: geoip)
        let (store, key) = try await storeOptions.openServerStore()
        // As `screen --store`: the identity store, then the threat-intelligence feeds kept in it
        // (imported with `vetter feeds import` or `POST /v1/feeds`).
        let enrichers: [any Enricher] = [ReferenceEnricher(reference: reference), network,
                                         IdentityStoreEnricher(store: store, key: key, record: true), IntelEnricher(store: store)]
        let screener = Screener(catalog: config.catalog, policy: policy, enrichers: enrichers, readers: .all)
        let configuration = ServerConfiguration(
            host: host, port: port, maxBodyBytes: maxBodyBytes, maxFeedBytes: maxFeedBytes,
            greenhouseSecret: try secret(file: greenhouseSecretFile, environment: "VETTER_GREENHOUSE_SECRET"),
            leverSecret: try secret(file: leverSecretFile, environment: "VETTER_LEVER_SECRET"),
            secureCookies: secureCookies)
        printError("vetter serve: http://\(host):\(port)/queue (review queue), /v1 (API), /health, /metrics; store \(storeOptions.redactedLocation)")
        try await VetterServer.run(screener: screener, store: store, configuration: configuration, logLevel: logLevel)
    }

    func secret(file: String?, environment: String) throws -> String? {
        if let file {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                printError("cannot read the secret file \(file)")
                throw ExitCode(ExitStatus.config)
            }
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            return trimmed.isEmpty ? nil : trimmed
        }
        return ProcessInfo.processInfo.environment[environment].flatMap { $0.isEmpty ? nil : $0 }
    }
}
