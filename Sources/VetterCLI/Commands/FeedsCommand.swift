import ArgumentParser
import Foundation
import VetterCore
import VetterIntel
import VetterStore

extension StoreOptions {
    /// Feeds live in the identity store given by `--store` (SQLite file or PostgreSQL).
    func openFeeds() async throws -> any ThreatFeedStore {
        let (store, _) = try await open()
        guard let feeds = store as? any ThreatFeedStore else {
            printError("\(location): this store cannot hold threat-intelligence feeds")
            throw ExitCode(ExitStatus.config)
        }
        return feeds
    }
}

/// `vetter feeds import|list|remove`: threat-intelligence feeds in the identity store.
struct FeedsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feeds",
        abstract: "Manage threat-intelligence feeds (STIX 2.1/2.0 bundles, MISP events, plain lists) in the identity store.",
        subcommands: [Import.self, List.self, Remove.self]
    )

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a feed file (replacing a feed of the same name) in one transaction: a failed import changes nothing.")
        @Argument(help: "A STIX bundle, a MISP event JSON, a plain list (defanged values allowed) or a Config/feeds/*.tsv curated feed.")
        var file: String
        @Option(help: "The feed's name (default: the file name without extension).") var name: String?
        @Flag(name: .customLong("skip-unsupported"), help: "Skip STIX indicators whose pattern cannot be matched one value at a time, instead of failing.")
        var skipUnsupported = false
        @OptionGroup var options: StoreOptions

        func run() async throws {
            guard FileManager.default.fileExists(atPath: file) else {
                printError("\(file): file not found")
                throw ExitCode(ExitStatus.noInput)
            }
            let store = try await options.openFeeds()
            do {
                let summary = try await FeedImport.run(store: store, file: URL(fileURLWithPath: file), name: name,
                                                       parser: FeedParser(skipUnsupported: skipUnsupported))
                print("imported feed \(summary.name) (\(summary.format)): \(summary.stored) indicators")
                for note in summary.notes { print("  note: \(note)") }
                for (reason, count) in summary.skipped.sorted(by: { $0.key < $1.key }) { print("  skipped \(count): \(reason)") }
            } catch let error as FeedImportError {
                printError("\(error) — nothing imported")
                throw ExitCode(ExitStatus.dataError)
            } catch {
                printError("\(file): \(error) — nothing imported")
                throw ExitCode(ExitStatus.dataError)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The feeds in the store, with counts by kind.")
        @OptionGroup var options: StoreOptions

        func run() async throws {
            let store = try await options.openFeeds()
            let feeds = try await store.feeds(asOf: Date())
            if feeds.isEmpty { print("no feeds"); return }
            let iso = ISO8601DateFormatter()
            for feed in feeds {
                let kinds = feed.byKind.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                print("\(feed.name)\t\(feed.format)\t\(feed.entries) indicators (\(feed.expired) expired)\tfrom \(feed.source)\timported \(iso.string(from: feed.importedAt))\t\(kinds)")
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a feed and its indicators.")
        @Argument(help: "The feed name.") var name: String
        @OptionGroup var options: StoreOptions

        func run() async throws {
            let store = try await options.openFeeds()
            if try await store.removeFeed(name: name) {
                print("removed feed \(name)")
            } else {
                printError("no feed named \(name)")
                throw ExitCode(ExitStatus.noInput)
            }
        }
    }
}

/// `vetter export --stix|--misp`: escalated applications for the security team.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export escalated applications as a STIX 2.1 bundle (sightings + observed data) or a MISP event.",
        discussion: """
            Reads the reports of a screening run (`vetter screen --format json` output, one vetter.report/v1 per line) \
            and the application records they came from; only applications whose band is escalate are exported. \
            Identifiers (emails, phones, event IPs, GitHub/LinkedIn handles) and the application id are written as \
            sha256:HEX of `kind:normalised value` unless --clear is given.
            """
    )

    @Flag(help: "Write a STIX 2.1 bundle.") var stix = false
    @Flag(help: "Write a MISP event (JSON).") var misp = false
    @Flag(help: "Write identifiers and application ids in clear (personal data: share only where that is lawful).") var clear = false
    @Option(help: "The reports, JSON lines of vetter.report/v1.") var reports: String
    @Option(name: [.short, .customLong("output")], help: "Output file (default: standard output).") var output: String?
    @Argument(help: "Application records (.json files, or folders of them).") var records: [String]

    func validate() throws {
        guard stix != misp else { throw ValidationError("give exactly one of --stix and --misp") }
    }

    func run() async throws {
        var applications: [Application] = []
        var files: [URL] = []
        for path in records {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                printError("\(path): file not found")
                throw ExitCode(ExitStatus.noInput)
            }
            if isDirectory.boolValue {
                let contents = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
                files += contents.filter { $0.hasSuffix(".json") }.sorted().map { URL(fileURLWithPath: path).appendingPathComponent($0) }
            } else {
                files.append(URL(fileURLWithPath: path))
            }
        }
        for file in files {
            guard let data = try? Data(contentsOf: file), let application = ApplicationDecoder().decode(data).application else {
                printError("\(file.lastPathComponent): not a valid application record; skipped")
                continue
            }
            applications.append(application)
        }
        guard let reportData = FileManager.default.contents(atPath: reports) else {
            printError("\(reports): file not found")
            throw ExitCode(ExitStatus.noInput)
        }
        let items: [ExportItem]
        do {
            items = try IntelExport.items(reportsJSONL: reportData, applications: applications)
        } catch {
            printError("\(reports): \(error)")
            throw ExitCode(ExitStatus.dataError)
        }
        let document = stix ? IntelExport.stix(items, clear: clear) : IntelExport.misp(items, clear: clear)
        let data = try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        if let output {
            try data.write(to: URL(fileURLWithPath: output))
            printError("exported \(items.count) escalated application(s) to \(output)\(clear ? " (clear identifiers)" : " (hashed identifiers)")")
        } else {
            print(String(decoding: data, as: UTF8.self))
        }
    }
}
