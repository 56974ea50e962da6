import Foundation
import VetterCore

/// Memory across applications: keyed hashes of identifiers, hashed name tokens and résumé
/// MinHash signatures, by application id and date. Never raw contact details, names or text.
public protocol IdentityStore: Sendable {
    /// Looks up the record's matches in the store and then, when `record` is true, records it
    /// (replacing an earlier recording of the same application id), in one transaction.
    func screen(_ record: IdentityRecord, record: Bool) async throws -> [ReuseMatch]
    /// Screens several records in order, each seeing the ones before it (as one call per record
    /// would). SQLite does it in one transaction; the default makes one call per record.
    func screen(batch records: [IdentityRecord], record: Bool) async throws -> [[ReuseMatch]]
    /// Removes every trace of an application. False when it was not in the store.
    func forget(applicationID: String) async throws -> Bool
    /// The applications connected to one, for a security review. Nil when it is not in the store.
    func links(applicationID: String) async throws -> LinkReport?
    func stats() async throws -> StoreStats
}

extension IdentityStore {
    public func screen(batch records: [IdentityRecord], record: Bool) async throws -> [[ReuseMatch]] {
        var out: [[ReuseMatch]] = []
        for item in records { out.append(try await screen(item, record: record)) }
        return out
    }
}

/// Counts, never contents.
public struct StoreStats: Sendable, Equatable {
    public var schemaVersion: Int
    public var applications: Int
    public var identifiersByKind: [String: Int]
    public var resumeSignatures: Int
    public var commonShingles: Int
    public var location: String
    public var bytes: Int64?

    public init(schemaVersion: Int, applications: Int, identifiersByKind: [String: Int], resumeSignatures: Int,
                commonShingles: Int, location: String, bytes: Int64?) {
        self.schemaVersion = schemaVersion
        self.applications = applications
        self.identifiersByKind = identifiersByKind
        self.resumeSignatures = resumeSignatures
        self.commonShingles = commonShingles
        self.location = location
        self.bytes = bytes
    }
}

/// One application linked to the one under review.
public struct LinkedApplication: Sendable, Equatable {
    public var applicationID: String
    public var receivedAt: Date?
    /// Hops from the application under review.
    public var distance: Int
    /// How it is linked to the application it was reached from: kinds of shared identifiers,
    /// or `resume-near-duplicate (0.93)`.
    public var via: [String]
    /// The application it was reached from.
    public var reachedFrom: String
    /// Not consistent with the name of the application under review.
    public var differentIdentity: Bool

    public init(applicationID: String, receivedAt: Date?, distance: Int, via: [String], reachedFrom: String, differentIdentity: Bool) {
        self.applicationID = applicationID
        self.receivedAt = receivedAt
        self.distance = distance
        self.via = via
        self.reachedFrom = reachedFrom
        self.differentIdentity = differentIdentity
    }
}

public struct LinkReport: Sendable, Equatable {
    public var applicationID: String
    public var receivedAt: Date?
    public var linked: [LinkedApplication]
    /// The search stopped at the size limit.
    public var truncated: Bool

    public init(applicationID: String, receivedAt: Date?, linked: [LinkedApplication], truncated: Bool) {
        self.applicationID = applicationID
        self.receivedAt = receivedAt
        self.linked = linked
        self.truncated = truncated
    }
}

/// Opens a store from a location: a file path (SQLite), or a `postgres://` URL when a
/// PostgreSQL implementation is linked in.
public enum IdentityStores {
    /// `$XDG_DATA_HOME/vetter/identity.sqlite`, else `~/.local/share/vetter/identity.sqlite`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let base = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.local/share")
        return base + "/vetter/identity.sqlite"
    }

    /// Resolves the key and opens the SQLite store at `path`. The message says where a new key
    /// file was created, when one was.
    public static func openSQLite(path: String, keyFile: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws -> (store: SQLiteIdentityStore, key: IdentityKey, message: String?) {
        if path.hasPrefix("postgres://") || path.hasPrefix("postgresql://") {
            throw StoreError.unsupportedLocation("postgres:// (this build has no PostgreSQL store)")
        }
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty { try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        let (key, origin) = try IdentityKey.resolve(keyFile: keyFile, environment: environment,
                                                     defaultKeyFile: IdentityKey.defaultKeyFile(forStore: path))
        let store = try SQLiteIdentityStore(path: path, key: key)
        var message: String?
        if case .created(let file) = origin {
            message = "created a new HMAC key for the identity store at \(file) (mode 0600); back it up: without it the store cannot be matched against"
        }
        return (store, key, message)
    }
}
