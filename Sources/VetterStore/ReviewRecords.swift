import Crypto
import Foundation
import GRDB
import VetterCore

/// What `vetter serve` keeps beside the identity store (migration `v2`):
///
/// - `screening`: one row per screening, with the band, score and dates in clear (for the list
///   and the queue) and the `vetter.report/v1` JSON **sealed** (AES-GCM, key derived from the
///   organisation key): reports quote evidence such as addresses, and the store file must not
///   hold raw contact details.
/// - `api_token`: SHA-256 of each bearer token, its role and label; the token itself is never kept.
/// - `decision`: a human's decision on an application, with a sealed note.
/// - `audit_log`: who did what and when; triggers refuse UPDATE and DELETE, so it is append-only.
public enum ReviewRecords {
    static func migrateV2(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE screening(
                id TEXT PRIMARY KEY,
                application_id TEXT NOT NULL,
                band TEXT NOT NULL,
                score DOUBLE NOT NULL,
                received_at DOUBLE,
                created_at DOUBLE NOT NULL,
                source TEXT NOT NULL,
                report BLOB NOT NULL
            );
            CREATE INDEX screening_application ON screening(application_id);
            CREATE INDEX screening_created ON screening(created_at);
            CREATE TABLE api_token(
                id TEXT PRIMARY KEY,
                hash BLOB NOT NULL UNIQUE,
                role TEXT NOT NULL,
                label TEXT NOT NULL,
                created_at DOUBLE NOT NULL,
                revoked_at DOUBLE
            );
            CREATE TABLE decision(
                id INTEGER PRIMARY KEY,
                application_id TEXT NOT NULL,
                decision TEXT NOT NULL,
                note BLOB,
                actor TEXT NOT NULL,
                at DOUBLE NOT NULL
            );
            CREATE INDEX decision_application ON decision(application_id);
            CREATE TABLE audit_log(
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                at DOUBLE NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                subject TEXT NOT NULL,
                detail TEXT NOT NULL
            );
            CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
                BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
            CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
                BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
            UPDATE meta SET value = '2' WHERE key = 'schema_version';
            """)
    }

    static func removeScreenings(_ db: Database, applicationID: String) throws -> Bool {
        try db.execute(sql: "DELETE FROM screening WHERE application_id = ?", arguments: [applicationID])
        return db.changesCount > 0
    }
}

/// A human decision on an application. Vetter never decides by itself.
public enum ReviewDecision: String, Sendable, CaseIterable, Codable {
    case confirmedFraud = "confirmed_fraud"
    case clearedAfterVerification = "cleared_after_verification"
    case needsVerification = "needs_verification"

    public var label: String {
        switch self {
        case .confirmedFraud: "Confirmed fraud"
        case .clearedAfterVerification: "Cleared after verification"
        case .needsVerification: "Needs verification"
        }
    }
}

/// Roles of API tokens.
public enum TokenRole: String, Sendable, CaseIterable, Codable, Comparable {
    case recruiter, security, admin

    var rank: Int { switch self { case .recruiter: 0; case .security: 1; case .admin: 2 } }
    public static func < (a: TokenRole, b: TokenRole) -> Bool { a.rank < b.rank }
}

public struct StoredScreening: Sendable, Equatable {
    public var id: String
    public var applicationID: String
    public var band: Band
    public var score: Double
    public var receivedAt: Date?
    public var createdAt: Date
    public var source: String
    /// The latest decision on the application, if any.
    public var decision: ReviewDecision?

    public init(id: String, applicationID: String, band: Band, score: Double, receivedAt: Date?, createdAt: Date, source: String,
                decision: ReviewDecision?) {
        self.id = id
        self.applicationID = applicationID
        self.band = band
        self.score = score
        self.receivedAt = receivedAt
        self.createdAt = createdAt
        self.source = source
        self.decision = decision
    }
}

public struct StoredToken: Sendable, Equatable {
    public var id: String
    public var role: TokenRole
    public var label: String
    public var createdAt: Date
    public var revokedAt: Date?

    public init(id: String, role: TokenRole, label: String, createdAt: Date, revokedAt: Date?) {
        self.id = id
        self.role = role
        self.label = label
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }
}

public struct StoredDecision: Sendable, Equatable {
    public var applicationID: String
    public var decision: ReviewDecision
    public var note: String?
    public var actor: String
    public var at: Date

    public init(applicationID: String, decision: ReviewDecision, note: String?, actor: String, at: Date) {
        self.applicationID = applicationID
        self.decision = decision
        self.note = note
        self.actor = actor
        self.at = at
    }
}

public struct AuditEntry: Sendable, Equatable {
    public var id: Int64
    public var at: Date
    /// A token id, never a token or a person's contact details.
    public var actor: String
    public var action: String
    public var subject: String
    public var detail: String

    public init(id: Int64, at: Date, actor: String, action: String, subject: String, detail: String) {
        self.id = id
        self.at = at
        self.actor = actor
        self.action = action
        self.subject = subject
        self.detail = detail
    }
}

/// The SQLite implementation: synchronous calls (GRDB), which also witness the protocol's
/// `async` requirements.
extension SQLiteIdentityStore: ReviewStore {
    var seal: ReviewSeal { ReviewSeal(key: key) }

    /// The SHA-256 of a bearer token, as stored.
    public static func tokenHash(_ token: String) -> Data { ReviewSeal.tokenHash(token) }

    // MARK: Screenings

    /// Stores a screening's report (sealed) and an audit entry, in one transaction.
    public func saveScreening(id: String, report: Report, receivedAt: Date?, source: String, actor: String) throws {
        let sealed = try seal.sealReport(report)
        let now = Date()
        try write { db in
            try db.execute(sql: """
                INSERT INTO screening(id, application_id, band, score, received_at, created_at, source, report)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [id, report.applicationID, report.band.rawValue, report.score,
                                 receivedAt?.timeIntervalSince1970, now.timeIntervalSince1970, source, sealed])
            try Self.audit(db, at: now, actor: actor, action: "screening.create", subject: report.applicationID,
                           detail: ReviewSeal.screeningDetail(id: id, report: report, source: source))
        }
    }

    public func screening(id: String) throws -> (StoredScreening, Report)? {
        let row: Row? = try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM screening WHERE id = ?", arguments: [id])
        }
        guard let row else { return nil }
        return (try screening(row), try report(row))
    }

    /// The latest screening of an application.
    public func latestScreening(applicationID: String) throws -> (StoredScreening, Report)? {
        let row: Row? = try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM screening WHERE application_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1",
                             arguments: [applicationID])
        }
        guard let row else { return nil }
        return (try screening(row), try report(row))
    }

    func report(_ row: Row) throws -> Report {
        try seal.openReport(row["report"])
    }

    func screening(_ row: Row) throws -> StoredScreening {
        StoredScreening(
            id: row["id"], applicationID: row["application_id"], band: Band(rawValue: row["band"]) ?? .clear, score: row["score"],
            receivedAt: (row["received_at"] as Double?).map { Date(timeIntervalSince1970: $0) },
            createdAt: Date(timeIntervalSince1970: row["created_at"]), source: row["source"],
            decision: (row["decision"] as String?).flatMap(ReviewDecision.init(rawValue:)))
    }

    /// Screenings, newest first, in one of `bands` (all when nil), created at or after `since`.
    /// `latestPerApplication` keeps the latest screening of each application (the review queue).
    public func screenings(bands: Set<Band>? = nil, since: Date? = nil, latestPerApplication: Bool = false, limit: Int = 200) throws -> [StoredScreening] {
        var clauses: [String] = []
        var arguments: [any DatabaseValueConvertible] = []
        if let bands {
            clauses.append("s.band IN (\(bands.map { _ in "?" }.joined(separator: ",")))")
            arguments.append(contentsOf: bands.map(\.rawValue))
        }
        if let since {
            clauses.append("s.created_at >= ?")
            arguments.append(since.timeIntervalSince1970)
        }
        if latestPerApplication {
            clauses.append("s.rowid = (SELECT rowid FROM screening l WHERE l.application_id = s.application_id ORDER BY created_at DESC, rowid DESC LIMIT 1)")
        }
        let whereSQL = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        let sql = """
            SELECT s.id, s.application_id, s.band, s.score, s.received_at, s.created_at, s.source,
                   (SELECT decision FROM decision d WHERE d.application_id = s.application_id ORDER BY d.id DESC LIMIT 1) AS decision
            FROM screening s \(whereSQL) ORDER BY s.created_at DESC, s.rowid DESC LIMIT \(max(1, min(limit, 1000)))
            """
        let rows = try pool.read { db in try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)) }
        return try rows.map { try screening($0) }
    }

    public func screeningCount() throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM screening") ?? 0 }
    }

    // MARK: Tokens

    /// Creates a token; returns its id and the secret (shown once; only its hash is stored).
    public func createToken(role: TokenRole, label: String, actor: String) throws -> (id: String, token: String) {
        let (id, token) = ReviewSeal.newToken()
        let now = Date()
        try write { db in
            try db.execute(sql: "INSERT INTO api_token(id, hash, role, label, created_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [id, Self.tokenHash(token), role.rawValue, label, now.timeIntervalSince1970])
            try Self.audit(db, at: now, actor: actor, action: "token.create", subject: id, detail: ReviewSeal.tokenDetail(role: role))
        }
        return (id, token)
    }

    /// The token a bearer secret belongs to, when it exists and is not revoked.
    public func token(secret: String) throws -> StoredToken? {
        let hash = Self.tokenHash(secret)
        return try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM api_token WHERE hash = ? AND revoked_at IS NULL", arguments: [hash])
        }.map(Self.token)
    }

    public func tokens() throws -> [StoredToken] {
        try pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM api_token ORDER BY created_at") }.map(Self.token)
    }

    public func revokeToken(id: String, actor: String) throws -> Bool {
        let now = Date()
        return try write { db in
            try db.execute(sql: "UPDATE api_token SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", arguments: [now.timeIntervalSince1970, id])
            guard db.changesCount > 0 else { return false }
            try Self.audit(db, at: now, actor: actor, action: "token.revoke", subject: id, detail: "")
            return true
        }
    }

    static func token(_ row: Row) -> StoredToken {
        StoredToken(id: row["id"], role: TokenRole(rawValue: row["role"]) ?? .recruiter, label: row["label"],
                    createdAt: Date(timeIntervalSince1970: row["created_at"]),
                    revokedAt: (row["revoked_at"] as Double?).map { Date(timeIntervalSince1970: $0) })
    }

    // MARK: Decisions and the audit log

    /// Records a human decision (the note sealed) and its audit entry, in one transaction.
    public func recordDecision(applicationID: String, decision: ReviewDecision, note: String?, actor: String) throws {
        let now = Date()
        let sealedNote = try seal.sealNote(note)
        try write { db in
            try db.execute(sql: "INSERT INTO decision(application_id, decision, note, actor, at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [applicationID, decision.rawValue, sealedNote, actor, now.timeIntervalSince1970])
            try Self.audit(db, at: now, actor: actor, action: "decision.record", subject: applicationID,
                           detail: ReviewSeal.decisionDetail(decision, hasNote: sealedNote != nil))
        }
    }

    public func decisions(applicationID: String) throws -> [StoredDecision] {
        let rows = try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM decision WHERE application_id = ? ORDER BY id DESC", arguments: [applicationID])
        }
        return try rows.map { row in
            StoredDecision(applicationID: row["application_id"], decision: ReviewDecision(rawValue: row["decision"]) ?? .needsVerification,
                           note: try (row["note"] as Data?).map { try seal.openNote($0) },
                           actor: row["actor"], at: Date(timeIntervalSince1970: row["at"]))
        }
    }

    /// Appends an entry (for events outside the other calls, such as a refused request).
    public func appendAudit(actor: String, action: String, subject: String, detail: String) throws {
        try write { db in try Self.audit(db, at: Date(), actor: actor, action: action, subject: subject, detail: detail) }
    }

    public func auditLog(limit: Int = 200) throws -> [AuditEntry] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM audit_log ORDER BY id DESC LIMIT ?", arguments: [max(1, min(limit, 5000))])
        }.map { row in
            AuditEntry(id: row["id"], at: Date(timeIntervalSince1970: row["at"]), actor: row["actor"], action: row["action"],
                       subject: row["subject"], detail: row["detail"])
        }
    }

    static func audit(_ db: Database, at: Date, actor: String, action: String, subject: String, detail: String) throws {
        try db.execute(sql: "INSERT INTO audit_log(at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)",
                       arguments: [at.timeIntervalSince1970, actor, action, subject, detail])
    }
}
