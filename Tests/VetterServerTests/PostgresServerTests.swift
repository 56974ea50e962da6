import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import VetterCore
import VetterIntel
@testable import VetterServer
import VetterStore
import VetterStorePostgres
import VetterTesting

/// `vetter serve --store postgres://…`: the server over the PostgreSQL store, as the command
/// line builds it (identity checks, feeds and review records all in PostgreSQL). Runs when
/// `VETTER_TEST_POSTGRES_URL` names a server, in its own database.
@Suite("vetter serve: PostgreSQL store", .serialized,
       .enabled(if: ProcessInfo.processInfo.environment["VETTER_TEST_POSTGRES_URL"] != nil, "VETTER_TEST_POSTGRES_URL not set"))
struct PostgresServerTests {
    struct Server {
        let store: PostgresIdentityStore
        let state: ServerState
        let recruiter: (id: String, token: String)
        let security: (id: String, token: String)
        let admin: (id: String, token: String)

        var app: some ApplicationProtocol {
            Hummingbird.Application(router: VetterServer.router(state: state), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        }
    }

    static let key = try! IdentityKey(material: String(repeating: "cd", count: 32))

    func fresh() async throws -> Server {
        let url = try await PostgresIdentityStore.testDatabase(url: ProcessInfo.processInfo.environment["VETTER_TEST_POSTGRES_URL"] ?? "",
                                                                name: "vetter_test_server")
        try await PostgresIdentityStore.dropEverything(url: url)
        let store = try await PostgresIdentityStore(url: url, key: Self.key)
        var screener = try Fixtures.screener()
        screener.readers = .all
        screener.enrichers.append(IdentityStoreEnricher(store: store, key: Self.key, record: true))
        screener.enrichers.append(IntelEnricher(store: store))
        let state = ServerState(screener: screener, store: store, configuration: ServerConfiguration(port: 0, maxBodyBytes: 64 * 1024),
                                logger: VetterServer.logger(level: "critical"))
        return Server(store: store, state: state,
                      recruiter: try await store.createToken(role: .recruiter, label: "test recruiter", actor: "test"),
                      security: try await store.createToken(role: .security, label: "test security", actor: "test"),
                      admin: try await store.createToken(role: .admin, label: "test admin", actor: "test"))
    }

    @Test("a token screens an application, security records a decision in the queue, and both are in the audit log")
    func screenDecideAudit() async throws {
        let t = try await fresh()
        defer { t.store.close() }
        let application = "sample-review-onboarding-changes"
        try await t.app.test(.router) { client in
            let created = try await client.execute(uri: "/v1/screenings", method: .post, headers: TestServer.headers(t.recruiter.token),
                                                   body: ByteBuffer(bytes: try TestServer.sample("review-onboarding-changes")))
            #expect(created.status == .created)
            let body = try TestServer.json(created)
            #expect(body["band"] as? String == "review")
            #expect(body["report"] == nil)
            let id = try #require(body["id"] as? String)
            _ = try await client.execute(uri: "/v1/screenings", method: .post, headers: TestServer.headers(t.recruiter.token),
                                         body: ByteBuffer(bytes: try TestServer.sample("clear-google-voice")))

            let full = try await client.execute(uri: "/v1/screenings/\(id)", method: .get, headers: TestServer.headers(t.security.token, type: nil))
            #expect(full.status == .ok)
            #expect(String(buffer: full.body).contains("Industrial Pkwy"))   // opened from the sealed report
            let listed = try await client.execute(uri: "/v1/screenings?band=review", method: .get, headers: TestServer.headers(t.security.token, type: nil))
            let screenings = try #require(try TestServer.json(listed)["screenings"] as? [[String: Any]])
            #expect(screenings.map { $0["id"] as? String } == [id])

            // The review queue: sign in, the queue, the report page, a decision with its CSRF token.
            let login = try await TestServer.login(client, token: t.security.token)
            #expect(login.status == .seeOther)
            let cookie = try #require(login.headers[values: .setCookie].first { $0.hasPrefix(Auth.sessionCookie + "=") }).prefix { $0 != ";" }
            let session: HTTPFields = [.cookie: String(cookie)]
            let queue = String(buffer: try await client.execute(uri: "/queue", method: .get, headers: session).body)
            #expect(queue.contains(application) && !queue.contains("sample-clear-google-voice"))
            let page = try await client.execute(uri: "/queue/applications/\(application)", method: .get, headers: session)
            #expect(page.status == .ok)
            let csrf = try ReviewQueueTests.csrf(String(buffer: page.body))
            var post = session
            post[.contentType] = "application/x-www-form-urlencoded"
            let recorded = try await client.execute(uri: "/queue/applications/\(application)/decision", method: .post, headers: post,
                                                    body: ByteBuffer(string: "csrf=\(csrf)&decision=confirmed_fraud&note=Reference+did+not+answer"))
            #expect(recorded.status == .seeOther)
            let after = String(buffer: try await client.execute(uri: "/queue/applications/\(application)", method: .get, headers: session).body)
            #expect(after.contains("Reference did not answer"))
            let audit = String(buffer: try await client.execute(uri: "/queue/audit", method: .get, headers: session).body)
            #expect(audit.contains("decision.record") && audit.contains("confirmed_fraud") && !audit.contains("Reference did not answer"))

            // Security sees the decision in the API's list.
            let decided = try await client.execute(uri: "/v1/screenings?band=review", method: .get, headers: TestServer.headers(t.security.token, type: nil))
            #expect((try TestServer.json(decided)["screenings"] as? [[String: Any]])?.first?["decision"] as? String == "confirmed_fraud")
        }
        let log = try await t.store.auditLog(limit: 100)
        let screening = try #require(log.first { $0.action == "screening.create" && $0.subject == application })
        #expect(screening.actor == t.recruiter.id && screening.detail.contains("band review"))
        let decision = try #require(log.first { $0.action == "decision.record" })
        #expect(decision.actor == t.security.id && decision.subject == application && decision.detail == "confirmed_fraud (with a note)")
        #expect(try await t.store.decisions(applicationID: application).first?.note == "Reference did not answer")
        // Nothing readable of the report or the note in the database.
        let dump = try await t.store.dumpAllText()
        for raw in ["Industrial Pkwy", "700 SW 5th Ave", "Reference did not answer", t.recruiter.token] {
            #expect(!dump.contains(raw), "\(raw)")
        }
        // Append-only on PostgreSQL: the triggers refuse, the entries stay.
        for statement in ["UPDATE vetter_audit_log SET actor = 'someone else'", "DELETE FROM vetter_audit_log", "TRUNCATE vetter_audit_log"] {
            await #expect(throws: StoreError.self, "\(statement)") { try await t.store.executeForTesting(statement) }
        }
        #expect(try await t.store.auditLog(limit: 100) == log)
    }

    @Test("tokens over HTTP, links from the identity store, feeds imported and matched, all in PostgreSQL")
    func tokensLinksFeeds() async throws {
        let t = try await fresh()
        defer { t.store.close() }
        try await t.app.test(.router) { client in
            let made = try await client.execute(uri: "/v1/tokens", method: .post, headers: TestServer.headers(t.admin.token),
                                                body: ByteBuffer(string: #"{"role": "recruiter", "label": "ATS"}"#))
            #expect(made.status == .created)
            let token = try #require(try TestServer.json(made)["token"] as? String)
            let tokenID = try #require(try TestServer.json(made)["id"] as? String)
            let record = #"{"id": "PG-1", "candidate": {"name": "Sam Doe", "emails": ["persona.test@feed-example.net"], "phones": ["+1 512 555 0100"]}}"#
            #expect(try await client.execute(uri: "/v1/screenings", method: .post, headers: TestServer.headers(token), body: ByteBuffer(string: record)).status == .created)
            let revoked = try await client.execute(uri: "/v1/tokens/\(tokenID)", method: .delete, headers: TestServer.headers(t.admin.token, type: nil))
            #expect(revoked.status == .noContent)
            #expect(try await client.execute(uri: "/v1/screenings", method: .get, headers: TestServer.headers(token, type: nil)).status == .unauthorized)

            // The identity store on PostgreSQL links a second application by its phone.
            let second = #"{"id": "PG-2", "candidate": {"name": "Kim Park", "phones": ["+1 512 555 0100"]}}"#
            #expect(try await client.execute(uri: "/v1/screenings", method: .post, headers: TestServer.headers(t.recruiter.token), body: ByteBuffer(string: second)).status == .created)
            let links = try await client.execute(uri: "/v1/applications/PG-2/links", method: .get, headers: TestServer.headers(t.security.token, type: nil))
            #expect(links.status == .ok)
            #expect((try TestServer.json(links)["linked"] as? [[String: Any]])?.map { $0["application_id"] as? String } == ["PG-1"])

            // A feed imported over HTTP lands in PostgreSQL and is matched.
            let imported = try await client.execute(uri: "/v1/feeds?name=inline-stix", method: .post,
                                                    headers: TestServer.headers(t.admin.token, type: "application/stix+json"),
                                                    body: ByteBuffer(string: FeedRouteTests.bundle))
            #expect(imported.status == .created)
            #expect(try await t.store.feeds(asOf: Date()).map(\.name) == ["inline-stix"])
            let again = #"{"id": "PG-3", "candidate": {"name": "Sam Doe", "emails": ["persona.test@feed-example.net"]}}"#
            let screened = try await client.execute(uri: "/v1/screenings", method: .post, headers: TestServer.headers(t.security.token), body: ByteBuffer(string: again))
            #expect(Upload.finding(try Upload.report(screened), "INTEL-FEED-MATCH") != nil)
            let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(metrics.contains("vetter_screenings_stored 3"))
        }
        let actions = try await t.store.auditLog(limit: 100).map(\.action)
        #expect(actions.filter { $0 == "token.create" }.count == 4 && actions.contains("token.revoke") && actions.contains("feed.import"))
    }
}
