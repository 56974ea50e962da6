import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The organisation's secret for keyed hashing (HMAC-SHA256). Every identifier, name token and
/// résumé shingle is hashed with it before it reaches the store, so the store alone reveals
/// nothing and two organisations' stores cannot be joined.
public struct IdentityKey: Sendable {
    let key: SymmetricKey
    /// An HMAC already keyed (its inner and outer pads hashed once), copied for each hash.
    private let keyed: HMAC<SHA256>
    /// Seed for the résumé shingle hash (derived from the key).
    let shingleSeed: UInt64

    /// Where a key came from, for the message shown to the user (never the key itself).
    public enum Origin: Sendable, Equatable {
        case keyFile(String)
        case environment
        case created(String)
        case existingDefaultFile(String)
    }

    public static let environmentVariable = "VETTER_HMAC_KEY"

    /// A key from secret material: 64 hex digits are decoded, any other text of at least 16
    /// bytes is used as it is.
    public init(material: String) throws(StoreError) {
        let text = material.trimmingCharacters(in: .whitespacesAndNewlines)
        let bytes: [UInt8]
        if text.count == 64, let decoded = Self.hexDecode(text) {
            bytes = decoded
        } else {
            bytes = Array(text.utf8)
        }
        guard bytes.count >= 16 else { throw .keyTooShort }
        self.init(bytes: bytes)
    }

    init(bytes: [UInt8]) {
        key = SymmetricKey(data: bytes)
        keyed = HMAC<SHA256>(key: key)
        let seed = Array(HMAC<SHA256>.authenticationCode(for: Array("vetter/shingle-seed/v1".utf8), using: key))
        shingleSeed = seed.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }

    /// The keyed hash of one normalised identifier of a class (`email`, `phone`, …), truncated
    /// to 16 bytes (collisions at 2⁻⁶⁴ per pair are negligible for a million applications).
    public func hash(_ kind: String, _ normalised: String) -> Data {
        var message = Array(kind.utf8)
        message.append(0)
        message.append(contentsOf: normalised.utf8)
        var hmac = keyed
        hmac.update(data: message)
        return Data(hmac.finalize().prefix(16))
    }

    /// A value stored in the store so that a store opened with another key is refused. It is an
    /// HMAC of a fixed label: it does not reveal the key.
    public var checkValue: String {
        HMAC<SHA256>.authenticationCode(for: Array("vetter/key-check/v1".utf8), using: key)
            .map { String(format: "%02x", $0) }.joined()
    }

    /// Resolves the key: `--key-file`, else `VETTER_HMAC_KEY`, else a key file next to the
    /// store (`STORE.key`), created with mode 0600 on first use.
    public static func resolve(keyFile: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
                               defaultKeyFile: String) throws(StoreError) -> (key: IdentityKey, origin: Origin) {
        if let keyFile {
            return (try load(file: keyFile), .keyFile(keyFile))
        }
        if let value = environment[environmentVariable], !value.isEmpty {
            return (try IdentityKey(material: value), .environment)
        }
        if FileManager.default.fileExists(atPath: defaultKeyFile) {
            return (try load(file: defaultKeyFile), .existingDefaultFile(defaultKeyFile))
        }
        return (try create(file: defaultKeyFile), .created(defaultKeyFile))
    }

    /// The key file beside a store file.
    public static func defaultKeyFile(forStore path: String) -> String { path + ".key" }

    static func load(file: String) throws(StoreError) -> IdentityKey {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw .keyFileUnreadable(file) }
        return try IdentityKey(material: text)
    }

    /// Creates a new random key in a file readable only by its owner. Fails if the file exists.
    public static func create(file: String) throws(StoreError) -> IdentityKey {
        var bytes = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for index in bytes.indices { bytes[index] = UInt8.random(in: 0...255, using: &generator) }
        let hex = bytes.map { String(format: "%02x", $0) }.joined() + "\n"
        let directory = (file as NSString).deletingLastPathComponent
        if !directory.isEmpty { try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        let fd = open(file, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw .keyFileUnwritable(file) }
        defer { close(fd) }
        let written = hex.utf8CString.withUnsafeBufferPointer { write(fd, $0.baseAddress, hex.utf8.count) }
        guard written == hex.utf8.count else { throw .keyFileUnwritable(file) }
        return IdentityKey(bytes: bytes)
    }

    static func hexDecode(_ text: String) -> [UInt8]? {
        var out: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let high = iterator.next() {
            guard let low = iterator.next(), let h = hexValue(high), let l = hexValue(low) else { return nil }
            out.append(h << 4 | l)
        }
        return out
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

/// Store errors. Messages never contain identifiers, names or résumé text.
public enum StoreError: Error, Equatable, CustomStringConvertible {
    case keyTooShort
    case keyFileUnreadable(String)
    case keyFileUnwritable(String)
    case wrongKey
    case newerSchema(found: Int, supported: Int)
    case unsupportedLocation(String)
    case database(String)

    public var description: String {
        switch self {
        case .keyTooShort:
            return "the HMAC key is too short: give at least 16 bytes (or 64 hex digits)"
        case .keyFileUnreadable(let path):
            return "cannot read the HMAC key file \(path)"
        case .keyFileUnwritable(let path):
            return "cannot create the HMAC key file \(path) (does it already exist?)"
        case .wrongKey:
            return "this identity store was created with a different HMAC key; refusing to use it (matches would silently be missed). Give the original key with --key-file or \(IdentityKey.environmentVariable)"
        case .newerSchema(let found, let supported):
            return "this identity store has schema version \(found), newer than this vetter supports (\(supported)); upgrade vetter, or use another store"
        case .unsupportedLocation(let location):
            return "unsupported store location \(location)"
        case .database(let message):
            return "identity store: \(message)"
        }
    }
}
