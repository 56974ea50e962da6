import Crypto
import Foundation
import VetterCore

/// What `vetter serve` and `vetter tokens` keep beside the identity store: screenings (their
/// reports sealed), API tokens (hashed), human decisions (notes sealed) and an append-only audit
/// log. The same store as the identity checks (`--store`): SQLite (``SQLiteIdentityStore``,
/// migration `v2`) or PostgreSQL (`PostgresIdentityStore`, schema v3, tables prefixed `vetter_`).
/// Both seal with ``ReviewSeal`` (the same key derivation) and write the same audit entries.
public protocol ReviewStore: Sendable {
    /// Stores a screening's report (sealed) and an audit entry, in one transaction.
    func saveScreening(id: String, report: Report, receivedAt: Date?, source: String, actor: String) async throws
    func screening(id: String) async throws -> (StoredScreening, Report)?
    /// The latest screening of an application.
    func latestScreening(applicationID: String) async throws -> (StoredScreening, Report)?
    /// Screenings, newest first, in one of `bands` (all when nil), created at or after `since`.
    /// `latestPerApplication` keeps the latest screening of each application (the review
    /// queue). `limit` is clamped to 1...1000.
    func screenings(bands: Set<Band>?, since: Date?, latestPerApplication: Bool, limit: Int) async throws -> [StoredScreening]
    func screeningCount() async throws -> Int

    /// Creates a token; returns its id and the secret (shown once; only its hash is stored).
    func createToken(role: TokenRole, label: String, actor: String) async throws -> (id: String, token: String)
    /// The token a bearer secret belongs to, when it exists and is not revoked.
    func token(secret: String) async throws -> StoredToken?
    /// Every token, oldest first (never the secrets).
    func tokens() async throws -> [StoredToken]
    /// False when there was no active token with this id.
    func revokeToken(id: String, actor: String) async throws -> Bool

    /// Records a human decision (the note sealed) and its audit entry, in one transaction.
    func recordDecision(applicationID: String, decision: ReviewDecision, note: String?, actor: String) async throws
    /// The decisions on an application, newest first, notes opened.
    func decisions(applicationID: String) async throws -> [StoredDecision]
    /// Appends an entry (for events outside the other calls, such as a feed import).
    func appendAudit(actor: String, action: String, subject: String, detail: String) async throws
    /// The latest entries, newest first; `limit` is clamped to 1...5000.
    func auditLog(limit: Int) async throws -> [AuditEntry]
}

/// Sealing, token hashing and the audit wording shared by every ``ReviewStore``, so that a
/// report sealed by one implementation opens with the same organisation key in the other.
public struct ReviewSeal: Sendable {
    let key: SymmetricKey

    /// The sealing key: HMAC-SHA256 of `vetter/review-seal/v1` with the organisation key.
    public init(key: IdentityKey) {
        self.key = SymmetricKey(data: HMAC<SHA256>.authenticationCode(for: Array("vetter/review-seal/v1".utf8), using: key.key))
    }

    /// AES-GCM, the combined form (nonce, ciphertext, tag).
    public func seal(_ data: Data) throws -> Data {
        guard let combined = try AES.GCM.seal(data, using: key).combined else { throw StoreError.database("sealing failed") }
        return combined
    }

    public func open(_ data: Data) throws -> Data {
        try AES.GCM.open(try AES.GCM.SealedBox(combined: data), using: key)
    }

    /// The report as `vetter.report/v1` JSON (ISO 8601 dates, sorted keys), sealed.
    public func sealReport(_ report: Report) throws -> Data {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return try seal(try encoder.encode(report))
    }

    public func openReport(_ data: Data) throws -> Report {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(Report.self, from: try open(data))
    }

    /// A note, sealed; nil for no note or an empty one.
    public func sealNote(_ note: String?) throws -> Data? {
        guard let note, !note.isEmpty else { return nil }
        return try seal(Data(note.utf8))
    }

    public func openNote(_ data: Data) throws -> String { String(decoding: try open(data), as: UTF8.self) }

    /// The SHA-256 of a bearer token, as stored.
    public static func tokenHash(_ token: String) -> Data { Data(SHA256.hash(data: Array(token.utf8))) }

    /// A new token id (`tok_` + 12 hex digits) and secret (`vt_` + 64 hex digits, 256 random bits).
    public static func newToken() -> (id: String, token: String) {
        var generator = SystemRandomNumberGenerator()
        let token = "vt_" + (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
        let id = "tok_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        return (id, token)
    }

    // The audit entries' wording, the same from every store.

    public static func screeningDetail(id: String, report: Report, source: String) -> String {
        "screening \(id): band \(report.band.rawValue), score \(report.score) via \(source)"
    }

    public static func tokenDetail(role: TokenRole) -> String { "role \(role.rawValue)" }

    public static func decisionDetail(_ decision: ReviewDecision, hasNote: Bool) -> String {
        decision.rawValue + (hasNote ? " (with a note)" : "")
    }
}
