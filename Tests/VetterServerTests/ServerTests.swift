import Crypto
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import VetterCore
import VetterDocuments
import VetterIntel
@testable import VetterServer
@testable import VetterStore
import VetterTesting

/// A server over a fresh store in a temporary folder, with one token per role.
struct TestServer {
    let directory: URL
    let store: SQLiteIdentityStore
    let state: ServerState
    let recruiter: String
    let security: String
    let admin: String
    static let greenhouseSecret = "gh-test-secret"
    static let leverSecret = "lever-test-secret"

    init(maxBodyBytes: Int = 64 * 1024) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("vetter-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let key = try IdentityKey(material: String(repeating: "ab", count: 32))
        store = try SQLiteIdentityStore(path: directory.appendingPathComponent("store.sqlite").path, key: key)
        // As `vetter serve` builds it: every document reader, the identity store, then the feeds.
        var screener = try Fixtures.screener()
        screener.readers = .all
        screener.enrichers.append(IdentityStoreEnricher(store: store, key: key, record: true))
        screener.enrichers.append(IntelEnricher(store: store))
        let logger = VetterServer.logger(level: "critical")
        state = ServerState(screener: screener, store: store,
                            configuration: ServerConfiguration(port: 0, maxBodyBytes: maxBodyBytes, greenhouseSecret: Self.greenhouseSecret,
                                                               leverSecret: Self.leverSecret),
                            logger: logger)
        recruiter = try store.createToken(role: .recruiter, label: "test recruiter", actor: "test").token
        security = try store.createToken(role: .security, label: "test security", actor: "test").token
        admin = try store.createToken(role: .admin, label: "test admin", actor: "test").token
    }

    var app: some ApplicationProtocol {
        Hummingbird.Application(router: VetterServer.router(state: state), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    static func sample(_ name: String) throws -> Data {
        try Data(contentsOf: Fixtures.samples.appendingPathComponent("applications/\(name).json"))
    }

    static func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
    }

    /// The cookie `name=value` pairs a response sets (every Set-Cookie field).
    static func cookies(_ response: TestResponse) -> [String: String] {
        var out: [String: String] = [:]
        for field in response.headers[values: .setCookie] {
            let pair = field.prefix { $0 != ";" }
            guard let equals = pair.firstIndex(of: "=") else { continue }
            out[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
        }
        return out
    }

    /// Signs in as a browser does: GET /login (form token + cookie), then POST the form.
    static func login(_ client: some TestClientProtocol, token: String) async throws -> TestResponse {
        let form = try await client.execute(uri: "/login", method: .get)
        let csrf = try ReviewQueueTests.csrf(String(buffer: form.body))
        let cookie = try #require(cookies(form)[Auth.loginCSRFCookie])
        #expect(cookie == csrf)
        return try await client.execute(uri: "/login", method: .post,
                                        headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "\(Auth.loginCSRFCookie)=\(cookie)"],
                                        body: ByteBuffer(string: "csrf=\(csrf)&token=\(token)"))
    }

    static func headers(_ token: String?, type: String? = "application/json") -> HTTPFields {
        var fields = HTTPFields()
        if let token { fields[.authorization] = "Bearer \(token)" }
        if let type { fields[.contentType] = type }
        return fields
    }
}

@Suite("vetter serve: API")
struct APITests {
    @Test("health and metrics answer without a token")
    func healthAndMetrics() async throws {
        let t = try TestServer()
        try await t.app.test(.router) { client in
            let health = try await client.execute(uri: "/health", method: .get)
            #expect(health.status == .ok)
            #expect(try TestServer.json(health)["status"] as? String == "ok")
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            #expect(metrics.status == .ok)
            let text = String(buffer: metrics.body)
            #expect(text.contains("vetter_http_requests_total{route=\"/health\",status=\"200\"} 1"))
            #expect(text.contains("# TYPE vetter_screenings_in_flight gauge"))
        }
    }

    @Test("a recruiter screens a record and sees the band and verification steps only; security sees the report")
    func screenAndFetch() async throws {
        let t = try TestServer()
        try await t.app.test(.router) { client in
            let created = try await client.execute(uri: "/v1/screenings", method: .post, headers: TestServer.headers(t.recruiter),
                                                   body: ByteBuffer(bytes: try TestServer.sample("review-onboarding-changes")))
            #expect(created.status == .created)
            let body = try TestServer.json(created)
            #expect(body["band"] as? String == "review")
            #expect(body["application_id"] as? String == "sample-review-onboarding-changes")
            #expect(body["report"] == nil)
            #expect(body["score"] == nil)
            let steps = try #require(body["verification_steps"] as? [[String: Any]])
            #expect(steps.contains { $0["indicator"] as? String == "ONB-SHIP-CHANGED-AFTER-OFFER" })
            #expect(!String(buffer: created.body).contains("Industrial Pkwy"))
            let id = try #require(body["id"] as? String)
            #expect(created.headers[.location] == "/v1/screenings/\(id)")

            let full = try await client.execute(uri: "/v1/screenings/\(id)", method: .get, headers: TestServer.headers(t.security, type: nil))
            #expect(full.status == .ok)
            let report = try #require(try TestServer.json(full)["report"] as? [String: Any])
            #expect(report["schema"] as? String == "vetter.report/v1")
            #expect((report["findings"] as? [Any])?.count == steps.count)
            #expect(String(buffer: full.body).contains("Industrial Pkwy"))

            let missing = try await client.execute(uri: "/v1/screenings/scr_nope", method: .get, headers: TestServer.headers(t.recruiter, type: nil))
            #expect(missing.status == .notFound)
        }
    }

    @Test("the list filters by band and date, and refuses bad filters")
    func list() async throws {
        let t = try TestServer()
        try await t.app.test(.router) { client in
            for name in ["review-onboarding-changes", "escalate-rented-identity", "clear-google-voice"] {
                let response = try await client.execute(uri: "/v1/screenings", method: .post, headers: TestServer.headers(t.recruiter),
                                                        body: ByteBuffer(bytes: try TestServer.sample(name)))
                #expect(response.status == .created)
            }
            let escalate = try await client.execute(uri: "/v1/screenings?band=escalate", method: .get, headers: TestServer.headers(t.recruiter, type: nil))
            let items = try #require(try TestServer.json(escalate)["screenings"] as? [[String: Any]])
            #expect(items.map { $0["application_id"] as? String } == ["sample-escalate-rented-identity"])
            let flagged = try await client.execute(uri: "/v1/screenings?band=review,escalate&since=2020-01-01", method: .get, headers: TestServer.headers(t.security, type: nil))
            #expect((try TestServer.json(flagged)["screenings"] as? [Any])?.count == 2)
            let future = try await client.execute(uri: "/v1/screenings?since=2999-01-01T00:00:00Z", method: .get, headers: TestServer.headers(t.security, type: nil))
            #expect((try TestServer.json(future)["screenings"] as? [Any])?.count == 0)
            for query in ["band=red", "since=yesterday", "limit=0"] {
                let bad = try await client.execute(uri: "/v1/screenings?\(query)", method: .get, headers: TestServer.headers(t.recruiter, type: nil))
                #expect(bad.status == .badRequest, "\(query)")
                #expect((try TestServer.json(bad)["error"] as? [String: Any])?["message"] is String)
            }
        }
    }

    @Test("links name the other application that shares an identifier")
    func links() async throws {
        let t = try TestServer()
        let first = #"{"id": "APP-1", "candidate": {"name": "Jane Smith", "phones": ["+1 415 555 0100"]}}"#
        let second = #"{"id": "APP-2", "candidate": {"name": "Pavel Novak", "phones": ["+1 415 555 0100"]}}"#
        try await t.app.test(.router) { client in
            for record in [first, second] {
                let response = try await client.execute(uri: "/v1/screenings", method: .post, headers: TestServer.headers(t.security), body: ByteBuffer(string: record))
                #expect(response.status == .created)
            }
            let links = try await client.execute(uri: "/v1/applications/APP-2/links", method: .get, headers: TestServer.headers(t.security, type: nil))
            #expect(links.status == .ok)
            let linked = try #require(try TestServer.json(links)["linked"] as? [[String: Any]])
            #expect(linked.first?["application_id"] as? String == "APP-1")
            #expect(linked.first?["different_identity"] as? Bool == true)
            #expect(!String(buffer: links.body).contains("555"))
            let unknown = try await client.execute(uri: "/v1/applications/APP-9/links", method: .get, headers: TestServer.headers(t.security, type: nil))
            #expect(unknown.status == .notFound)
        }
    }

    @Test("bad input gets a 4xx with a JSON message and never reaches the store")
    func badInput() async throws {
        let t = try TestServer(maxBodyBytes: 2048)
        let cases: [(String?, ByteBuffer, HTTPResponse.Status)] = [
            ("text/plain", ByteBuffer(string: #"{"id": "X"}"#), .unsupportedMediaType),
            (nil, ByteBuffer(string: #"{"id": "X"}"#), .unsupportedMediaType),
            ("application/json", ByteBuffer(string: #"{"id": "X", "candidate": "#), .badRequest),
            ("application/json", ByteBuffer(string: #"{"id": 5}"#), .badRequest),
            ("application/json", ByteBuffer(string: #"[1, 2]"#), .badRequest),
            ("application/json", ByteBuffer(string: #"{"id": "X", "resume": {"path": "/etc/passwd"}}"#), .badRequest),
            ("application/json", ByteBuffer(string: #"{"id": "X", "candidate": {"name": ""# + String(repeating: "a", count: 4096) + #""}}"#), .contentTooLarge),
        ]
        try await t.app.test(.router) { client in
            for (type, body, status) in cases {
                let response = try await client.execute(uri: "/v1/screenings", method: .post, headers: TestServer.headers(t.recruiter, type: type), body: body)
                #expect(response.status == status)
                let error = try #require(try TestServer.json(response)["error"] as? [String: Any], "\(status)")
                #expect((error["message"] as? String)?.isEmpty == false)
            }
            let typed = try await client.execute(uri: "/v1/screenings", method: .post, headers: TestServer.headers(t.recruiter),
                                                 body: ByteBuffer(string: #"{"id": 5, "received_at": "not a date"}"#))
            let problems = try #require((try TestServer.json(typed)["error"] as? [String: Any])?["problems"] as? [[String: Any]])
            #expect(problems.contains { $0["path"] as? String == "id" })
            #expect(!String(buffer: typed.body).contains("not a date"))
        }
        #expect(try t.store.screeningCount() == 0)
        #expect(try t.store.statsSync().applications == 0)
    }
}

@Suite("vetter serve: access")
struct AccessTests {
    @Test("every route refuses a missing or unknown token and a role below its own", arguments: [
        ("GET", "/v1/screenings", TokenRole.recruiter),
        ("GET", "/v1/screenings/scr_x", TokenRole.recruiter),
        ("POST", "/v1/screenings", TokenRole.recruiter),
        ("GET", "/v1/applications/A/links", TokenRole.security),
        ("GET", "/v1/tokens", TokenRole.admin),
        ("POST", "/v1/tokens", TokenRole.admin),
        ("DELETE", "/v1/tokens/tok_x", TokenRole.admin),
        ("GET", "/v1/feeds", TokenRole.admin),
        ("POST", "/v1/feeds?name=role-test", TokenRole.admin),
        ("DELETE", "/v1/feeds/role-test", TokenRole.admin),
    ])
    func matrix(method: String, path: String, minimum: TokenRole) async throws {
        let t = try TestServer()
        let tokens: [TokenRole: String] = [.recruiter: t.recruiter, .security: t.security, .admin: t.admin]
        try await t.app.test(.router) { client in
            let method: HTTPRequest.Method = method == "GET" ? .get : method == "POST" ? .post : .delete
            let body = method == .post ? ByteBuffer(string: #"{"id": "ROLE-TEST", "role": "recruiter"}"#) : nil
            for token in [nil, "vt_unknown"] as [String?] {
                let response = try await client.execute(uri: path, method: method, headers: TestServer.headers(token), body: body)
                #expect(response.status == .unauthorized, "\(path) with \(token ?? "no token")")
                #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            }
            for role in TokenRole.allCases {
                let response = try await client.execute(uri: path, method: method, headers: TestServer.headers(tokens[role]), body: body)
                if role < minimum {
                    #expect(response.status == .forbidden, "\(path) as \(role)")
                } else {
                    #expect(response.status != .forbidden && response.status != .unauthorized, "\(path) as \(role)")
                }
            }
        }
    }

    @Test("an admin creates and revokes a token; a revoked token is refused")
    func tokenLifecycle() async throws {
        let t = try TestServer()
        try await t.app.test(.router) { client in
            let created = try await client.execute(uri: "/v1/tokens", method: .post, headers: TestServer.headers(t.admin),
                                                   body: ByteBuffer(string: #"{"role": "security", "label": "soc"}"#))
            #expect(created.status == .created)
            let body = try TestServer.json(created)
            let token = try #require(body["token"] as? String)
            let id = try #require(body["id"] as? String)
            let listed = try await client.execute(uri: "/v1/tokens", method: .get, headers: TestServer.headers(t.admin, type: nil))
            #expect(String(buffer: listed.body).contains(id))
            #expect(!String(buffer: listed.body).contains(token))
            #expect(try await client.execute(uri: "/v1/screenings", method: .get, headers: TestServer.headers(token, type: nil)).status == .ok)
            #expect(try await client.execute(uri: "/v1/tokens/\(id)", method: .delete, headers: TestServer.headers(t.admin, type: nil)).status == .noContent)
            #expect(try await client.execute(uri: "/v1/screenings", method: .get, headers: TestServer.headers(token, type: nil)).status == .unauthorized)
            let badRole = try await client.execute(uri: "/v1/tokens", method: .post, headers: TestServer.headers(t.admin), body: ByteBuffer(string: #"{"role": "root"}"#))
            #expect(badRole.status == .badRequest)
        }
        // Only the hash is stored.
        let file = try Data(contentsOf: t.directory.appendingPathComponent("store.sqlite"))
        let wal = (try? Data(contentsOf: t.directory.appendingPathComponent("store.sqlite-wal"))) ?? Data()
        #expect(file.range(of: Data(t.admin.utf8)) == nil && wal.range(of: Data(t.admin.utf8)) == nil)
    }
}

@Suite("vetter serve: webhooks")
struct WebhookTests {
    static let greenhouseBody = #"""
        {"action": "new_candidate_application", "payload": {"application": {"id": 71980812, "applied_at": "2026-10-27T14:44:43Z",
         "jobs": [{"id": 123, "name": "Backend engineer"}],
         "candidate": {"id": 60304594, "first_name": "Jane", "last_name": "Smith",
           "phone_numbers": [{"value": "+1 415 555 0199", "type": "mobile"}],
           "email_addresses": [{"value": "jane.smith@example.com", "type": "personal"}],
           "addresses": [{"value": "123 Test Street\nNew York, NY 10001", "type": "home"}],
           "website_addresses": [], "social_media_addresses": [{"value": "https://github.com/janesmith"}]}}}}
        """#

    static func sign(_ body: String, _ secret: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Data(body.utf8), using: SymmetricKey(data: Data(secret.utf8))).map { String(format: "%02x", $0) }.joined()
    }

    @Test("Greenhouse: a signed new_candidate_application is screened; a bad or missing signature is refused before the store")
    func greenhouse() async throws {
        let t = try TestServer()
        let body = Self.greenhouseBody
        try await t.app.test(.router) { client in
            var bad = TestServer.headers(nil)
            bad[HTTPField.Name("Signature")!] = "sha256 " + Self.sign(body, "wrong-secret")
            let refused = try await client.execute(uri: "/v1/webhooks/greenhouse", method: .post, headers: bad, body: ByteBuffer(string: body))
            #expect(refused.status == .unauthorized)
            #expect((try TestServer.json(refused)["error"] as? [String: Any])?["message"] is String)
            let unsigned = try await client.execute(uri: "/v1/webhooks/greenhouse", method: .post, headers: TestServer.headers(nil), body: ByteBuffer(string: body))
            #expect(unsigned.status == .unauthorized)
            var tampered = TestServer.headers(nil)
            tampered[HTTPField.Name("Signature")!] = "sha256 " + Self.sign(body, TestServer.greenhouseSecret)
            let changed = try await client.execute(uri: "/v1/webhooks/greenhouse", method: .post, headers: tampered, body: ByteBuffer(string: body + " "))
            #expect(changed.status == .unauthorized)
            #expect(try t.store.screeningCount() == 0)

            let accepted = try await client.execute(uri: "/v1/webhooks/greenhouse", method: .post, headers: tampered, body: ByteBuffer(string: body))
            #expect(accepted.status == .created)
            #expect(try TestServer.json(accepted)["application_id"] as? String == "greenhouse-71980812")
            let other = #"{"action": "candidate_stage_change", "payload": {}}"#
            var signed = TestServer.headers(nil)
            signed[HTTPField.Name("Signature")!] = "sha256 " + Self.sign(other, TestServer.greenhouseSecret)
            let ignored = try await client.execute(uri: "/v1/webhooks/greenhouse", method: .post, headers: signed, body: ByteBuffer(string: other))
            #expect(ignored.status == .ok)
            #expect(try TestServer.json(ignored)["status"] as? String == "ignored")
            let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(metrics.contains("vetter_webhook_signature_failures_total 3"))
        }
        #expect(try t.store.screeningCount() == 1)
        let (stored, _) = try #require(try t.store.latestScreening(applicationID: "greenhouse-71980812"))
        #expect(stored.source == "greenhouse")
    }

    @Test("Lever: the signature over token + triggeredAt is checked")
    func lever() async throws {
        let t = try TestServer()
        @Sendable func body(signature: String) -> String {
            #"{"event": "applicationCreated", "triggeredAt": 1761576000000, "token": "abc123", "signature": "\#(signature)", "data": {"opportunityId": "opp-42", "applicationId": "app-1"}}"#
        }
        try await t.app.test(.router) { client in
            let bad = try await client.execute(uri: "/v1/webhooks/lever", method: .post, headers: TestServer.headers(nil),
                                               body: ByteBuffer(string: body(signature: Self.sign("abc1231761576000000", "wrong"))))
            #expect(bad.status == .unauthorized)
            #expect(try t.store.screeningCount() == 0)
            let good = try await client.execute(uri: "/v1/webhooks/lever", method: .post, headers: TestServer.headers(nil),
                                                body: ByteBuffer(string: body(signature: Self.sign("abc1231761576000000", TestServer.leverSecret))))
            #expect(good.status == .created)
            #expect(try TestServer.json(good)["application_id"] as? String == "lever-opp-42")
        }
    }
}

@Suite("vetter serve: review queue")
struct ReviewQueueTests {
    static func csrf(_ html: String) throws -> String {
        let marker = #"name="csrf" value=""#
        let start = try #require(html.range(of: marker)).upperBound
        return String(html[start...].prefix { $0 != "\"" })
    }

    @Test("sign in, see the queue, record a decision with a CSRF token, find it in the audit log")
    func decisionFlow() async throws {
        let t = try TestServer()
        try await t.app.test(.router) { client in
            for name in ["review-onboarding-changes", "escalate-rented-identity", "clear-google-voice"] {
                _ = try await client.execute(uri: "/v1/screenings", method: .post, headers: TestServer.headers(t.recruiter), body: ByteBuffer(bytes: try TestServer.sample(name)))
            }
            let anonymous = try await client.execute(uri: "/queue", method: .get)
            #expect(anonymous.status == .seeOther)
            #expect(anonymous.headers[.location] == "/login")

            let recruiterLogin = try await TestServer.login(client, token: t.recruiter)
            #expect(recruiterLogin.status == .forbidden)
            #expect(TestServer.cookies(recruiterLogin)[Auth.sessionCookie] == nil)
            let wrong = try await TestServer.login(client, token: "vt_nope")
            #expect(wrong.status == .unauthorized)

            let login = try await TestServer.login(client, token: t.security)
            #expect(login.status == .seeOther)
            let setCookie = try #require(login.headers[values: .setCookie].first { $0.hasPrefix(Auth.sessionCookie + "=") })
            #expect(setCookie.contains("HttpOnly"))
            #expect(setCookie.contains("SameSite=Strict"))
            let cookie = String(setCookie.prefix { $0 != ";" })
            let session: HTTPFields = [.cookie: cookie]

            let queue = try await client.execute(uri: "/queue", method: .get, headers: session)
            #expect(queue.status == .ok)
            let html = String(buffer: queue.body)
            let escalate = try #require(html.range(of: "sample-escalate-rented-identity"))
            let review = try #require(html.range(of: "sample-review-onboarding-changes"))
            #expect(escalate.lowerBound < review.lowerBound)  // highest band first
            #expect(!html.contains("sample-clear-google-voice"))
            #expect(!html.contains("<script"))

            let page = try await client.execute(uri: "/queue/applications/sample-review-onboarding-changes", method: .get, headers: session)
            #expect(page.status == .ok)
            let pageHTML = String(buffer: page.body)
            #expect(pageHTML.contains("ONB-SHIP-CHANGED-AFTER-OFFER"))
            #expect(pageHTML.contains("Cleared after verification"))
            let token = try Self.csrf(pageHTML)

            var post = session
            post[.contentType] = "application/x-www-form-urlencoded"
            let forged = try await client.execute(uri: "/queue/applications/sample-review-onboarding-changes/decision", method: .post, headers: post,
                                                  body: ByteBuffer(string: "decision=confirmed_fraud&note=x"))
            #expect(forged.status == .forbidden)
            let recorded = try await client.execute(uri: "/queue/applications/sample-review-onboarding-changes/decision", method: .post, headers: post,
                                                    body: ByteBuffer(string: "csrf=\(token)&decision=cleared_after_verification&note=Address+confirmed+by+video+call"))
            #expect(recorded.status == .seeOther)

            let audit = try await client.execute(uri: "/queue/audit", method: .get, headers: session)
            let auditHTML = String(buffer: audit.body)
            #expect(auditHTML.contains("decision.record"))
            #expect(auditHTML.contains("cleared_after_verification"))
            #expect(!auditHTML.contains("Address confirmed"))   // the note stays on the report page, sealed in the store
            let after = String(buffer: try await client.execute(uri: "/queue/applications/sample-review-onboarding-changes", method: .get, headers: session).body)
            #expect(after.contains("Address confirmed by video call"))
        }
        let securityID = try #require(try t.store.tokens().first { $0.role == .security }).id
        let entry = try #require(try t.store.auditLog().first { $0.action == "decision.record" })
        #expect(entry.actor == securityID)
        #expect(entry.subject == "sample-review-onboarding-changes")
        #expect(try t.store.decisions(applicationID: "sample-review-onboarding-changes").first?.decision == .clearedAfterVerification)
        // Append-only: the store refuses to rewrite history.
        #expect(throws: (any Error).self) { try t.store.write { db in try db.execute(sql: "DELETE FROM audit_log") } }
        #expect(throws: (any Error).self) { try t.store.write { db in try db.execute(sql: "UPDATE audit_log SET actor = 'someone else'") } }
        #expect(try t.store.auditLog().first { $0.action == "decision.record" }?.actor == securityID)
    }

    @Test("reports and decision notes are sealed in the store file")
    func sealed() async throws {
        let t = try TestServer()
        try await t.app.test(.router) { client in
            let response = try await client.execute(uri: "/v1/screenings", method: .post, headers: TestServer.headers(t.recruiter),
                                                    body: ByteBuffer(bytes: try TestServer.sample("review-onboarding-changes")))
            #expect(response.status == .created)
        }
        try t.store.recordDecision(applicationID: "sample-review-onboarding-changes", decision: .needsVerification, note: "call Lena back", actor: "tok_test")
        var bytes = try Data(contentsOf: t.directory.appendingPathComponent("store.sqlite"))
        bytes.append((try? Data(contentsOf: t.directory.appendingPathComponent("store.sqlite-wal"))) ?? Data())
        for raw in ["Industrial Pkwy", "Lena", "lena.fischer@example.com", "555 0166"] {
            #expect(bytes.range(of: Data(raw.utf8)) == nil, "\(raw)")
        }
        #expect(try t.store.decisions(applicationID: "sample-review-onboarding-changes").first?.note == "call Lena back")
    }
}

@Suite("vetter serve: erasure")
struct ErasureTests {
    @Test("store forget also removes the application's screenings")
    func forget() async throws {
        let t = try TestServer()
        try await t.app.test(.router) { client in
            let response = try await client.execute(uri: "/v1/screenings", method: .post, headers: TestServer.headers(t.recruiter),
                                                    body: ByteBuffer(bytes: try TestServer.sample("review-onboarding-changes")))
            #expect(response.status == .created)
        }
        #expect(try t.store.screeningCount() == 1)
        #expect(try t.store.forgetSync(applicationID: "sample-review-onboarding-changes"))
        #expect(try t.store.screeningCount() == 0)
        #expect(try t.store.latestScreening(applicationID: "sample-review-onboarding-changes") == nil)
    }
}

@Suite("vetter serve: live")
struct LiveTests {
    @Test("the real server on a loopback port screens and returns the report")
    func live() async throws {
        let t = try TestServer()
        try await t.app.test(.live) { client in
            let created = try await client.execute(uri: "/v1/screenings", method: .post, headers: TestServer.headers(t.security),
                                                   body: ByteBuffer(bytes: try TestServer.sample("escalate-rented-identity")))
            #expect(created.status == .created)
            let id = try #require(try TestServer.json(created)["id"] as? String)
            let fetched = try await client.execute(uri: "/v1/screenings/\(id)", method: .get, headers: TestServer.headers(t.security, type: nil))
            #expect(fetched.status == .ok)
            #expect(try TestServer.json(fetched)["band"] as? String == "escalate")
            let unauthenticated = try await client.execute(uri: "/v1/screenings/\(id)", method: .get)
            #expect(unauthenticated.status == .unauthorized)
        }
    }
}
