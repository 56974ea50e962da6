import Foundation
import PostgresNIO
import VetterCore
import VetterStore

/// The review records of `vetter serve` on PostgreSQL: the same tables as the SQLite store
/// (prefixed `vetter_`), created by schema v3 (`PostgresIdentityStore.migrate`). Reports and
/// notes are sealed with ``ReviewSeal`` (the same key derivation as SQLite), tokens are kept as
/// SHA-256 hashes, and a trigger refuses UPDATE, DELETE and TRUNCATE on the audit log.
///
/// Review writes take no advisory lock (they do not race with the identity checks); each write
/// and its audit entry share one transaction. `seq` orders screenings created in the same
/// second, as SQLite's rowid does.
extension PostgresIdentityStore: ReviewStore {
    static let reviewTables = [
        """
        CREATE TABLE vetter_screening(seq BIGSERIAL NOT NULL UNIQUE, id TEXT PRIMARY KEY, application_id TEXT NOT NULL,
            band TEXT NOT NULL, score DOUBLE PRECISION NOT NULL, received_at DOUBLE PRECISION, created_at DOUBLE PRECISION NOT NULL,
            source TEXT NOT NULL, report BYTEA NOT NULL)
        """,
        "CREATE INDEX vetter_screening_application ON vetter_screening(application_id, created_at DESC, seq DESC)",
        "CREATE INDEX vetter_screening_created ON vetter_screening(created_at)",
        """
        CREATE TABLE vetter_api_token(id TEXT PRIMARY KEY, hash BYTEA NOT NULL UNIQUE, role TEXT NOT NULL, label TEXT NOT NULL,
            created_at DOUBLE PRECISION NOT NULL, revoked_at DOUBLE PRECISION)
        """,
        """
        CREATE TABLE vetter_decision(id BIGSERIAL PRIMARY KEY, application_id TEXT NOT NULL, decision TEXT NOT NULL, note BYTEA,
            actor TEXT NOT NULL, at DOUBLE PRECISION NOT NULL)
        """,
        "CREATE INDEX vetter_decision_application ON vetter_decision(application_id)",
        """
        CREATE TABLE vetter_audit_log(id BIGSERIAL PRIMARY KEY, at DOUBLE PRECISION NOT NULL, actor TEXT NOT NULL,
            action TEXT NOT NULL, subject TEXT NOT NULL, detail TEXT NOT NULL)
        """,
        """
        CREATE OR REPLACE FUNCTION vetter_audit_log_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$
        """,
        """
        CREATE TRIGGER vetter_audit_log_no_change BEFORE UPDATE OR DELETE ON vetter_audit_log
            FOR EACH ROW EXECUTE FUNCTION vetter_audit_log_refuse()
        """,
        """
        CREATE TRIGGER vetter_audit_log_no_truncate BEFORE TRUNCATE ON vetter_audit_log
            FOR EACH STATEMENT EXECUTE FUNCTION vetter_audit_log_refuse()
        """,
    ]

    var seal: ReviewSeal { ReviewSeal(key: key) }

    /// One transaction without the identity store's advisory lock.
    func reviewTransaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await client.withTransaction(logger: logger) { connection in try await body(connection) }
        } catch {
            throw Self.wrap(error)
        }
    }

    func reviewRead<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await client.withConnection { connection in try await body(connection) }
        } catch {
            throw Self.wrap(error)
        }
    }

    func audit(_ c: PostgresConnection, at: Date, actor: String, action: String, subject: String, detail: String) async throws {
        try await c.query("""
            INSERT INTO vetter_audit_log(at, actor, action, subject, detail)
            VALUES (\(at.timeIntervalSince1970), \(actor), \(action), \(subject), \(detail))
            """, logger: logger)
    }

    /// Removes an application's screenings (for `forget`); true when there were some.
    func removeScreenings(_ c: PostgresConnection, applicationID: String) async throws -> Bool {
        var removed = false
        for try await _ in try await c.query("DELETE FROM vetter_screening WHERE application_id = \(applicationID) RETURNING seq",
                                             logger: logger).decode(Int64.self) {
            removed = true
        }
        return removed
    }

    // MARK: Screenings

    public func saveScreening(id: String, report: Report, receivedAt: Date?, source: String, actor: String) async throws {
        let sealed = try seal.sealReport(report)
        let now = Date()
        let detail = ReviewSeal.screeningDetail(id: id, report: report, source: source)
        try await reviewTransaction { c in
            try await c.query("""
                INSERT INTO vetter_screening(id, application_id, band, score, received_at, created_at, source, report)
                VALUES (\(id), \(report.applicationID), \(report.band.rawValue), \(report.score), \(receivedAt?.timeIntervalSince1970),
                        \(now.timeIntervalSince1970), \(source), \(sealed))
                """, logger: self.logger)
            try await self.audit(c, at: now, actor: actor, action: "screening.create", subject: report.applicationID, detail: detail)
        }
    }

    static let screeningColumns = """
        s.id, s.application_id, s.band, s.score, s.received_at, s.created_at, s.source,
        (SELECT decision FROM vetter_decision d WHERE d.application_id = s.application_id ORDER BY d.id DESC LIMIT 1)
        """

    typealias ScreeningRow = (String, String, String, Double, Double?, Double, String, String?)

    static func screening(_ row: ScreeningRow) -> StoredScreening {
        let (id, application, band, score, received, created, source, decision) = row
        return StoredScreening(
            id: id, applicationID: application, band: Band(rawValue: band) ?? .clear, score: score,
            receivedAt: received.map { Date(timeIntervalSince1970: $0) }, createdAt: Date(timeIntervalSince1970: created), source: source,
            decision: decision.flatMap(ReviewDecision.init(rawValue:)))
    }

    func screeningWithReport(_ query: PostgresQuery) async throws -> (StoredScreening, Report)? {
        let row: (ScreeningRow, Data)? = try await reviewRead { c in
            var found: (ScreeningRow, Data)?
            for try await (id, application, band, score, received, created, source, decision, report) in try await c.query(query, logger: self.logger)
                .decode((String, String, String, Double, Double?, Double, String, String?, Data).self) {
                found = ((id, application, band, score, received, created, source, decision), report)
            }
            return found
        }
        guard let (columns, sealed) = row else { return nil }
        return (Self.screening(columns), try seal.openReport(sealed))
    }

    public func screening(id: String) async throws -> (StoredScreening, Report)? {
        try await screeningWithReport("SELECT \(unescaped: Self.screeningColumns), s.report FROM vetter_screening s WHERE s.id = \(id)")
    }

    public func latestScreening(applicationID: String) async throws -> (StoredScreening, Report)? {
        try await screeningWithReport("""
            SELECT \(unescaped: Self.screeningColumns), s.report FROM vetter_screening s WHERE s.application_id = \(applicationID)
            ORDER BY s.created_at DESC, s.seq DESC LIMIT 1
            """)
    }

    public func screenings(bands: Set<Band>?, since: Date?, latestPerApplication: Bool, limit: Int) async throws -> [StoredScreening] {
        var clauses: [String] = []
        var bindings = PostgresBindings()
        if let bands {
            bindings.append(bands.map(\.rawValue).sorted())
            clauses.append("s.band = ANY($\(bindings.count))")
        }
        if let since {
            bindings.append(since.timeIntervalSince1970)
            clauses.append("s.created_at >= $\(bindings.count)")
        }
        if latestPerApplication {
            clauses.append("""
                s.seq = (SELECT l.seq FROM vetter_screening l WHERE l.application_id = s.application_id ORDER BY l.created_at DESC, l.seq DESC LIMIT 1)
                """)
        }
        let whereSQL = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        let query = PostgresQuery(unsafeSQL: """
            SELECT \(Self.screeningColumns) FROM vetter_screening s \(whereSQL)
            ORDER BY s.created_at DESC, s.seq DESC LIMIT \(max(1, min(limit, 1000)))
            """, binds: bindings)
        return try await reviewRead { c in
            var out: [StoredScreening] = []
            for try await row in try await c.query(query, logger: self.logger).decode(ScreeningRow.self) {
                out.append(Self.screening(row))
            }
            return out
        }
    }

    public func screeningCount() async throws -> Int {
        try await reviewRead { c in
            var count = 0
            for try await n in try await c.query("SELECT count(*) FROM vetter_screening", logger: self.logger).decode(Int64.self) { count = Int(n) }
            return count
        }
    }

    // MARK: Tokens

    public func createToken(role: TokenRole, label: String, actor: String) async throws -> (id: String, token: String) {
        let (id, token) = ReviewSeal.newToken()
        let now = Date()
        try await reviewTransaction { c in
            try await c.query("""
                INSERT INTO vetter_api_token(id, hash, role, label, created_at)
                VALUES (\(id), \(ReviewSeal.tokenHash(token)), \(role.rawValue), \(label), \(now.timeIntervalSince1970))
                """, logger: self.logger)
            try await self.audit(c, at: now, actor: actor, action: "token.create", subject: id, detail: ReviewSeal.tokenDetail(role: role))
        }
        return (id, token)
    }

    static func token(_ row: (String, String, String, Double, Double?)) -> StoredToken {
        StoredToken(id: row.0, role: TokenRole(rawValue: row.1) ?? .recruiter, label: row.2, createdAt: Date(timeIntervalSince1970: row.3),
                    revokedAt: row.4.map { Date(timeIntervalSince1970: $0) })
    }

    func tokens(_ query: PostgresQuery) async throws -> [StoredToken] {
        try await reviewRead { c in
            var out: [StoredToken] = []
            for try await row in try await c.query(query, logger: self.logger).decode((String, String, String, Double, Double?).self) {
                out.append(Self.token(row))
            }
            return out
        }
    }

    public func token(secret: String) async throws -> StoredToken? {
        try await tokens("""
            SELECT id, role, label, created_at, revoked_at FROM vetter_api_token
            WHERE hash = \(ReviewSeal.tokenHash(secret)) AND revoked_at IS NULL
            """).first
    }

    public func tokens() async throws -> [StoredToken] {
        try await tokens("SELECT id, role, label, created_at, revoked_at FROM vetter_api_token ORDER BY created_at, id")
    }

    public func revokeToken(id: String, actor: String) async throws -> Bool {
        let now = Date()
        return try await reviewTransaction { c in
            var revoked = false
            for try await _ in try await c.query("""
                UPDATE vetter_api_token SET revoked_at = \(now.timeIntervalSince1970) WHERE id = \(id) AND revoked_at IS NULL RETURNING id
                """, logger: self.logger).decode(String.self) {
                revoked = true
            }
            guard revoked else { return false }
            try await self.audit(c, at: now, actor: actor, action: "token.revoke", subject: id, detail: "")
            return true
        }
    }

    // MARK: Decisions and the audit log

    public func recordDecision(applicationID: String, decision: ReviewDecision, note: String?, actor: String) async throws {
        let now = Date()
        let sealedNote = try seal.sealNote(note)
        try await reviewTransaction { c in
            try await c.query("""
                INSERT INTO vetter_decision(application_id, decision, note, actor, at)
                VALUES (\(applicationID), \(decision.rawValue), \(sealedNote), \(actor), \(now.timeIntervalSince1970))
                """, logger: self.logger)
            try await self.audit(c, at: now, actor: actor, action: "decision.record", subject: applicationID,
                                 detail: ReviewSeal.decisionDetail(decision, hasNote: sealedNote != nil))
        }
    }

    public func decisions(applicationID: String) async throws -> [StoredDecision] {
        let rows = try await reviewRead { c in
            var out: [(String, String, Data?, String, Double)] = []
            for try await row in try await c.query("""
                SELECT application_id, decision, note, actor, at FROM vetter_decision WHERE application_id = \(applicationID) ORDER BY id DESC
                """, logger: self.logger).decode((String, String, Data?, String, Double).self) {
                out.append(row)
            }
            return out
        }
        return try rows.map { application, decision, note, actor, at in
            StoredDecision(applicationID: application, decision: ReviewDecision(rawValue: decision) ?? .needsVerification,
                           note: try note.map { try seal.openNote($0) }, actor: actor, at: Date(timeIntervalSince1970: at))
        }
    }

    public func appendAudit(actor: String, action: String, subject: String, detail: String) async throws {
        try await reviewTransaction { c in
            try await self.audit(c, at: Date(), actor: actor, action: action, subject: subject, detail: detail)
        }
    }

    public func auditLog(limit: Int) async throws -> [AuditEntry] {
        let limit = max(1, min(limit, 5000))
        return try await reviewRead { c in
            var out: [AuditEntry] = []
            for try await (id, at, actor, action, subject, detail) in try await c.query("""
                SELECT id, at, actor, action, subject, detail FROM vetter_audit_log ORDER BY id DESC LIMIT \(limit)
                """, logger: self.logger).decode((Int64, Double, String, String, String, String).self) {
                out.append(AuditEntry(id: id, at: Date(timeIntervalSince1970: at), actor: actor, action: action, subject: subject, detail: detail))
            }
            return out
        }
    }

    /// For tests: runs one statement as the store's own user, as an attempt to rewrite history
    /// would (the audit log's triggers must refuse UPDATE, DELETE and TRUNCATE).
    public func executeForTesting(_ sql: String) async throws {
        _ = try await reviewTransaction { c in try await c.query(PostgresQuery(unsafeSQL: sql), logger: self.logger) }
    }

    /// For tests: the URL of a database named `name` on the server of `url`, created when it
    /// does not exist, so that suites running at once need not share tables.
    public static func testDatabase(url: String, name: String) async throws -> String {
        guard name.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }), !name.isEmpty,
              var components = URLComponents(string: url) else {
            throw StoreError.unsupportedLocation("a postgres:// URL and a database name of lowercase letters, digits and _")
        }
        let store = try await PostgresIdentityStore(url: url, key: IdentityKey(material: "test-test-test-test-test"), migrating: false)
        defer { store.close() }
        func exists() async throws -> Bool {
            var found = false
            for try await _ in try await store.client.query("SELECT 1 FROM pg_database WHERE datname = \(name)", logger: store.logger).decode(Int32.self) {
                found = true
            }
            return found
        }
        do {
            if !(try await exists()) {
                do {
                    try await store.client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: store.logger)
                } catch {
                    // Another process may have created it meanwhile.
                    guard try await exists() else { throw error }
                }
            }
        } catch {
            throw wrap(error)
        }
        components.path = "/" + name
        return components.string ?? url
    }
}
