import ArgumentParser
import Foundation
import VetterCore
import VetterStore
import VetterStorePostgres

/// Where the identity store is and which key opens it. `screen` uses the store only when
/// `--store` (or `VETTER_STORE`) is given, so that a plain screening stays repeatable; the
/// `store` and `links` commands default to `VETTER_STORE`, else `~/.local/share/vetter/identity.sqlite`.
struct StoreOptions: ParsableArguments {
    @Option(name: .customLong("store"), help: "The identity store: a SQLite file or a postgres://USER:PASSWORD@HOST:PORT/DB URL (default: VETTER_STORE, else ~/.local/share/vetter/identity.sqlite).")
    var store: String?

    @Option(name: .customLong("key-file"), help: "The organisation's HMAC key file (default: VETTER_HMAC_KEY, else STORE.key, created on first use).")
    var keyFile: String?

    /// The store location given explicitly (option or environment), if any.
    var explicitLocation: String? {
        store ?? ProcessInfo.processInfo.environment["VETTER_STORE"].flatMap { $0.isEmpty ? nil : $0 }
    }

    var location: String { explicitLocation ?? IdentityStores.defaultPath() }

    /// The location for messages: a URL's password replaced by `***`.
    var redactedLocation: String {
        guard location.hasPrefix("postgres://") || location.hasPrefix("postgresql://"),
              var components = URLComponents(string: location), components.password != nil else { return location }
        components.password = "***"
        return components.string ?? "postgres://…"
    }

    /// Opens the store, saying where a newly created key file is; exits 78 on a wrong key,
    /// a newer schema or an unusable location. A `postgres://` location needs `--key-file` or
    /// `VETTER_HMAC_KEY` (there is no folder to keep a key file beside it).
    func open(at location: String? = nil) async throws -> (store: any IdentityStore, key: IdentityKey) {
        let location = location ?? self.location
        do {
            if location.hasPrefix("postgres://") || location.hasPrefix("postgresql://") {
                let environment = ProcessInfo.processInfo.environment
                guard keyFile != nil || !(environment[IdentityKey.environmentVariable] ?? "").isEmpty else {
                    printError("a PostgreSQL identity store needs the organisation key: give --key-file or set \(IdentityKey.environmentVariable)")
                    throw ExitCode(ExitStatus.config)
                }
                let (key, _) = try IdentityKey.resolve(keyFile: keyFile, environment: environment, defaultKeyFile: "/nonexistent")
                return (try await PostgresIdentityStore(url: location, key: key), key)
            }
            let (store, key, message) = try IdentityStores.openSQLite(path: location, keyFile: keyFile)
            if let message { printError(message) }
            return (store, key)
        } catch let exit as ExitCode {
            throw exit
        } catch {
            printError("\(error)")
            throw ExitCode(ExitStatus.config)
        }
    }

    /// For `screen`: the enricher when a store was asked for, nil otherwise.
    func enricher(record: Bool = true) async throws -> IdentityStoreEnricher? {
        guard let location = explicitLocation else { return nil }
        let (store, key) = try await open(at: location)
        return IdentityStoreEnricher(store: store, key: key, record: record)
    }
}

/// `vetter store init|stats|forget`.
struct StoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Manage the identity store (keyed hashes of identifiers, never raw contact details).",
        subcommands: [Init.self, Stats.self, Forget.self]
    )

    struct Init: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create the store (and its key file when none is given), or check an existing one.")
        @OptionGroup var options: StoreOptions

        func run() async throws {
            let (store, _) = try await options.open()
            let stats = try await store.stats()
            print("identity store ready at \(stats.location) (schema \(stats.schemaVersion), \(stats.applications) applications)")
        }
    }

    struct Stats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Counts of applications and identifiers by kind.")
        @OptionGroup var options: StoreOptions
        @Flag(help: "JSON output.") var json = false

        func run() async throws {
            let (store, _) = try await options.open()
            let stats = try await store.stats()
            if json {
                let object: [String: Any] = [
                    "location": stats.location, "schema_version": stats.schemaVersion, "applications": stats.applications,
                    "identifiers": stats.identifiersByKind, "resume_signatures": stats.resumeSignatures,
                    "common_shingles": stats.commonShingles, "bytes": stats.bytes ?? 0,
                ]
                let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
                print(String(decoding: data, as: UTF8.self))
                return
            }
            print("store:              \(stats.location)")
            print("schema version:     \(stats.schemaVersion)")
            print("applications:       \(stats.applications)")
            print("résumé signatures:  \(stats.resumeSignatures)")
            print("common shingles:    \(stats.commonShingles) (skipped as boilerplate)")
            if let bytes = stats.bytes { print("file size:          \(bytes) bytes") }
            print("identifiers by kind:")
            for (kind, count) in stats.identifiersByKind.sorted(by: { $0.key < $1.key }) { print("  \(kind.padding(toLength: 16, withPad: " ", startingAt: 0)) \(count)") }
        }
    }

    struct Forget: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Erase every trace of an application (erasure on request).")
        @Argument(help: "The application id.") var applicationID: String
        @OptionGroup var options: StoreOptions

        func run() async throws {
            let (store, _) = try await options.open()
            if try await store.forget(applicationID: applicationID) {
                print("forgot application \(applicationID)")
            } else {
                printError("application \(applicationID) is not in the store")
                throw ExitCode(ExitStatus.noInput)
            }
        }
    }
}
