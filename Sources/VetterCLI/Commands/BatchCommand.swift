import ArgumentParser
import Foundation
import VetterBatch
import VetterCore
import VetterIntel
import VetterDocuments
import VetterNetwork
import VetterStore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `vetter batch INPUT --output results.jsonl`: a whole export in, one line per application out,
/// in input order, resumable after a crash.
struct BatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Screen a whole export: JSON Lines, a folder, CSV with a mapping, Greenhouse or Lever JSON.",
        discussion: """
            Writes one line per input, in input order, to --output: a vetter.report/v1 or a \
            vetter.batch-error/v1 record {input_id, position, error}. --resume continues from the lines \
            already written. Exit codes: 0 every input screened; 2 some inputs are error records or were \
            screened without their résumé; 65 stopped by --fail-fast; 66 input not found; 73 output cannot \
            be written or already holds results; 78 invalid mapping, policy or configuration.
            """
    )

    @Argument(help: "A .jsonl file, a folder of records and résumés, a .csv (with --mapping), or a Greenhouse/Lever .json export.")
    var input: String

    @Option(name: .shortAndLong, help: "The results file (JSON Lines).")
    var output: String

    @Option(help: "Input format: auto, jsonl, directory, csv, greenhouse-harvest, greenhouse-webhook, lever.")
    var format: InputFormat = .auto

    @Option(help: "CSV column mapping (YAML or JSON); see README, Batch screening.")
    var mapping: String?

    @Option(name: .customLong("attachments-dir"), help: "Where ATS attachments were saved (DIR/CANDIDATE_ID/FILE or DIR/FILE); default: the input's folder.")
    var attachmentsDir: String?

    @Option(help: "Applications screened at once (default: the number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Continue from the results already in --output.")
    var resume = false

    @Flag(help: "Replace an --output that already holds results.")
    var overwrite = false

    @Flag(help: "No progress and no summary.")
    var quiet = false

    @Flag(name: .customLong("fail-fast"), help: "Stop at the first input that cannot be screened in full.")
    var failFast = false

    @Option(name: .customLong("reports-dir"), help: "Write one Markdown and one HTML report per application and an index.html here.")
    var reportsDir: String?

    @Option(name: .customLong("geoip"), help: "A MaxMind-format .mmdb; repeatable (as for screen).")
    var geoip: [String] = []

    @Option(name: .customLong("tor-exits"), help: "A Tor exit list.")
    var torExits: String?

    @Option(name: .customLong("corporate-egress"), help: "The employer's corporate-VPN egress addresses or CIDRs.")
    var corporateEgress: String?

    @OptionGroup var config: ConfigOptions

    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        if jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if resume && overwrite { throw ValidationError("--resume and --overwrite exclude each other") }
    }

    func run() async throws {
        // Everything that can fail on its own is checked before any work starts.
        let inputURL = URL(fileURLWithPath: input)
        var source: any BatchSource
        do {
            source = try BatchSources.open(inputURL, options: .init(
                format: format, mapping: mapping.map { URL(fileURLWithPath: $0) }, attachments: attachmentsDir.map { URL(fileURLWithPath: $0) }))
        } catch {
            printError(error.message)
            switch error.kind {
            case .notFound: throw ExitCode(ExitStatus.noInput)
            case .invalidMapping: throw ExitCode(ExitStatus.config)
            default: throw ExitCode(ExitStatus.dataError)
            }
        }
        let outputURL = URL(fileURLWithPath: output)
        let file: OutputFile
        do { file = try OutputFile(url: outputURL, resume: resume, overwrite: overwrite) } catch {
            printError(error.message)
            throw ExitCode(ExitStatus.cannotCreate)
        }
        let reportsURL = reportsDir.map { URL(fileURLWithPath: $0) }
        if let reportsURL {
            do { try FileManager.default.createDirectory(at: reportsURL, withIntermediateDirectories: true) } catch {
                printError("\(reportsURL.path): cannot create the reports folder")
                throw ExitCode(ExitStatus.cannotCreate)
            }
        }
        let policy = try config.loadPolicy()
        let reference = try config.loadReference()
        let network = try config.networkEnricher(policy: policy, geoip: geoip, torExits: torExits, corporateEgress: corporateEgress)
        var enrichers: [any Enricher] = [ReferenceEnricher(reference: reference), network]
        // The identity checks see the whole batch: with --store, the store; without it, a
        // temporary store for this run only (deleted at the end), so batch members still find each other.
        var temporary: URL?
        let storeNote: String
        if let identity = try await storeOptions.enricher(record: true) {
            enrichers.append(identity)
            // Threat-intelligence feeds live in the same (SQLite) store, as for `screen`.
            if let feeds = identity.store as? any ThreatFeedStore { enrichers.append(IntelEnricher(store: feeds)) }
            storeNote = "identity store \(storeOptions.location): each application checked against earlier ones and this batch, then recorded (recording is idempotent by application id, so a resumed run does not double-record)"
        } else {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vetter-batch-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            temporary = folder
            let key = try IdentityKey(material: (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined())
            let store = try SQLiteIdentityStore(path: folder.appendingPathComponent("batch.sqlite").path, key: key)
            enrichers.append(IdentityStoreEnricher(store: store, key: key, record: true))
            storeNote = "no --store: reuse checked within this run only (temporary store, deleted at the end)" +
                (file.completed > 0 ? "; applications screened before the resume were not seen" : "")
        }
        defer { if let temporary { try? FileManager.default.removeItem(at: temporary) } }

        let screener = Screener(catalog: config.catalog, policy: policy, enrichers: enrichers, readers: .all)
        let runner = BatchRunner(screener: screener, jobs: jobs, failFast: failFast, reportsDirectory: reportsURL)
        let progress = ProgressPrinter(enabled: !quiet, terminal: isatty(STDERR_FILENO) == 1)
        let stats: BatchStats
        do {
            stats = try await runner.run(&source, output: file) { progress.update($0) }
        } catch let error as BatchSetupError {
            progress.finish()
            printError(error.message)
            throw ExitCode(ExitStatus.cannotCreate)
        }
        progress.finish()
        if let reportsURL { try ReportsDirectory.writeIndex(results: outputURL, to: reportsURL) }
        if !quiet {
            FileHandle.standardError.write(Data(Self.summary(stats, output: outputURL.path, storeNote: storeNote, reports: reportsURL?.path).utf8))
        }
        if stats.stoppedEarly { throw ExitCode(ExitStatus.dataError) }
        if stats.errors > 0 || stats.partial > 0 { throw ExitCode(ExitStatus.partialInput) }
    }

    static func summary(_ s: BatchStats, output: String, storeNote: String, reports: String?) -> String {
        var lines = ["vetter batch summary"]
        lines.append("  written:     \(s.written) this run" + (s.resumed > 0 ? " (+\(s.resumed) already in the output before --resume)" : "") + " → \(output)")
        for band in [Band.escalate, .review, .clear] { lines.append("  \(band.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0))  \(s.bands[band] ?? 0)") }
        lines.append("  errors:      \(s.errors) (error records)")
        lines.append("  partial:     \(s.partial) (screened without a part, such as an unreadable résumé)")
        lines.append("  throughput:  \(String(format: "%.1f", s.rate)) applications/s over \(String(format: "%.1f", s.elapsed)) s")
        if s.stoppedEarly { lines.append("  stopped early (--fail-fast); continue with --resume") }
        lines.append("  store:       \(storeNote)")
        if let reports { lines.append("  reports:     \(reports)/index.html") }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension InputFormat: ExpressibleByArgument {}

/// Progress on standard error: a bar redrawn in place on a terminal, a plain line every 10 s otherwise.
final class ProgressPrinter {
    let enabled: Bool
    let terminal: Bool
    var last = Date.distantPast
    var drawn = false

    init(enabled: Bool, terminal: Bool) {
        self.enabled = enabled
        self.terminal = terminal
    }

    func update(_ s: BatchStats) {
        guard enabled else { return }
        let now = Date()
        guard now.timeIntervalSince(last) >= (terminal ? 0.2 : 10) else { return }
        last = now
        let done = s.resumed + s.written
        let eta = s.remaining.flatMap { remaining in s.rate > 0 ? Double(remaining) / s.rate : nil }
        let etaText = eta.map { String(format: "%d:%02d", Int($0) / 60, Int($0) % 60) } ?? "?"
        let rate = String(format: "%.1f/s", s.rate)
        if terminal {
            var bar = ""
            if let total = s.total, total > 0 {
                let filled = min(30, done * 30 / total)
                bar = "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: 30 - filled) + "] "
            }
            FileHandle.standardError.write(Data("\r\u{1B}[K\(bar)\(done)/\(s.total.map(String.init) ?? "?")  \(rate)  eta \(etaText)  errors \(s.errors)".utf8))
            drawn = true
        } else {
            FileHandle.standardError.write(Data("vetter: batch progress: \(done)/\(s.total.map(String.init) ?? "?") \(rate) eta \(etaText) errors \(s.errors)\n".utf8))
        }
    }

    func finish() {
        if drawn { FileHandle.standardError.write(Data("\n".utf8)) }
        drawn = false
    }
}
