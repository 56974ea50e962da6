import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import VetterCore
@testable import VetterServer
@testable import VetterStore
import VetterTesting

/// A multipart/form-data body built by hand, as curl -F or a browser sends it.
struct MultipartBody {
    struct Part {
        var name: String
        var filename: String?
        var contentType: String?
        var data: Data
    }

    var boundary = "----vetter-test-\(UUID().uuidString)"
    var parts: [Part] = []

    var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    mutating func add(_ name: String, _ data: Data, filename: String? = nil, contentType: String? = nil) {
        parts.append(Part(name: name, filename: filename, contentType: contentType, data: data))
    }

    mutating func add(_ name: String, _ text: String, contentType: String? = "application/json") {
        add(name, Data(text.utf8), contentType: contentType)
    }

    func data(preamble: String = "", closed: Bool = true) -> Data {
        var out = Data(preamble.utf8)
        for part in parts {
            var head = "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(part.name)\""
            if let filename = part.filename { head += "; filename=\"\(filename)\"" }
            head += "\r\n"
            if let type = part.contentType { head += "Content-Type: \(type)\r\n" }
            out.append(Data((head + "\r\n").utf8))
            out.append(part.data)
            out.append(Data("\r\n".utf8))
        }
        if closed { out.append(Data("--\(boundary)--\r\n".utf8)) }
        return out
    }

    func headers(_ token: String) -> HTTPFields {
        [.authorization: "Bearer \(token)", .contentType: contentType]
    }
}

enum Upload {
    static var resumes: URL { Fixtures.corpus.appendingPathComponent("resumes") }
    static var ioc: URL { Fixtures.corpus.appendingPathComponent("ioc") }

    /// A record whose name differs from the résumé's header, so that ID-NAME-MISMATCH needs the résumé.
    static func record(_ id: String, name: String = "Priya Raman") -> String {
        #"{"id": "\#(id)", "candidate": {"name": "\#(name)", "emails": ["priya.raman@example.org"]}}"#
    }

    static func report(_ response: TestResponse) throws -> [String: Any] {
        try #require(try TestServer.json(response)["report"] as? [String: Any])
    }

    static func inputs(_ report: [String: Any]) -> [String] {
        ((report["coverage"] as? [String: Any])?["inputs"] as? [String]) ?? []
    }

    static func check(_ report: [String: Any], _ code: String) -> String? {
        (((report["coverage"] as? [String: Any])?["checks"] as? [[String: Any]]) ?? []).first { $0["code"] as? String == code }?["status"] as? String
    }

    static func finding(_ report: [String: Any], _ code: String) -> [String: Any]? {
        ((report["findings"] as? [[String: Any]]) ?? []).first { $0["id"] as? String == code }
    }

    static func message(_ response: TestResponse) throws -> String {
        try #require((try TestServer.json(response)["error"] as? [String: Any])?["message"] as? String)
    }
}

@Suite("vetter serve: multipart parser")
struct MultipartParserTests {
    @Test("parts, file names and types are read; the preamble and epilogue are ignored; CRLF inside a part is kept")
    func parse() throws {
        let body = "preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"application\"\r\nContent-Type: application/json; charset=utf-8\r\n\r\n{\"id\": \"A\"}\r\n"
            + "--XyZ\r\ncontent-disposition: form-data; name=\"resume\"; filename=\"a \\\"b\\\"; c.PDF\"\r\n\r\nline 1\r\n--XyZnot a boundary\r\nline 3\r\n--XyZ--\r\nepilogue"
        let parts = try Multipart.parse(Data(body.utf8), boundary: "XyZ")
        #expect(parts.map(\.name) == ["application", "resume"])
        #expect(parts[0].contentType == "application/json")
        #expect(String(decoding: parts[0].body, as: UTF8.self) == "{\"id\": \"A\"}")
        #expect(parts[1].filename == "a \"b\"; c.PDF")
        #expect(parts[1].contentType == nil)
        #expect(String(decoding: parts[1].body, as: UTF8.self) == "line 1\r\n--XyZnot a boundary\r\nline 3")
        #expect(ResumeUpload.filename(parts[1].filename) == "resume.pdf")
        #expect(ResumeUpload.filename("Jane Smith CV") == "resume")
        #expect(ResumeUpload.filename("cv.tar.gz/../x y") == "resume")
    }

    @Test("the boundary comes from the Content-Type, quoted or not")
    func boundary() throws {
        #expect(try Multipart.boundary(contentType: "multipart/form-data; boundary=abc") == "abc")
        #expect(try Multipart.boundary(contentType: "Multipart/Form-Data; charset=utf-8; boundary=\"a b;c\"") == "a b;c")
        for bad in ["multipart/form-data", "multipart/form-data; boundary=", "multipart/mixed; boundary=abc",
                    "multipart/form-data; boundary=" + String(repeating: "x", count: 71)] {
            #expect(throws: MultipartError.self, "\(bad)") { try Multipart.boundary(contentType: bad) }
        }
    }

    @Test("malformed bodies are refused with a message", arguments: [
        ("no boundary in the body", "hello"),
        ("no closing boundary", "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue"),
        ("headers never end", "--B\r\nContent-Disposition: form-data; name=\"a\""),
        ("no disposition", "--B\r\nContent-Type: text/plain\r\n\r\nx\r\n--B--"),
        ("not form-data", "--B\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n--B--"),
        ("no parts", "--B--"),
        ("only a look-alike of the boundary", "--Bxx\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--Bxx--"),
    ])
    func malformed(label: String, body: String) {
        #expect(throws: MultipartError.self, "\(label)") { try Multipart.parse(Data(body.utf8), boundary: "B") }
    }
}

@Suite("vetter serve: résumé uploads")
struct ResumeUploadTests {
    @Test("a text résumé from the corpus is read with the record: the name on it is compared")
    func textResume() async throws {
        let t = try TestServer(maxBodyBytes: 1 << 20)
        let resume = try Data(contentsOf: Upload.resumes.appendingPathComponent("hackmyresume-expected-modern/resume.txt"))
        var builder = MultipartBody()
        builder.add("application", Upload.record("UP-TXT"))
        builder.add("resume", resume, filename: "Jane Fullstacker resume.txt", contentType: "text/plain")
        let form = builder
        try await t.app.test(.router) { client in
            // The same record without the résumé: the name check has nothing to compare.
            let alone = try await client.execute(uri: "/v1/screenings", method: .post, headers: TestServer.headers(t.security),
                                                 body: ByteBuffer(string: Upload.record("UP-TXT-ALONE")))
            #expect(alone.status == .created)
            #expect(Upload.check(try Upload.report(alone), "ID-NAME-MISMATCH") == "skipped")

            let response = try await client.execute(uri: "/v1/screenings", method: .post, headers: form.headers(t.security), body: ByteBuffer(data: form.data()))
            #expect(response.status == .created)
            let body = try TestServer.json(response)
            #expect(body["application_id"] as? String == "UP-TXT")
            #expect(body["warnings"] == nil)
            let report = try Upload.report(response)
            #expect(Upload.inputs(report).contains { $0.hasPrefix("Résumé read: resume.txt") })
            let finding = try #require(Upload.finding(report, "ID-NAME-MISMATCH"))
            let evidence = try #require((finding["evidence"] as? [[String: Any]])?.first)
            #expect(evidence["observed"] as? String == "Jane Q. Fullstacker")
            #expect(evidence["field"] as? String == "resume.name")
            // The uploaded file name (which may carry the candidate's name) is not echoed.
            #expect(!String(buffer: response.body).contains("Jane Fullstacker resume"))
        }
        #expect(try t.store.screeningCount() == 2)
    }

    @Test("a PDF résumé from the corpus is read by the PDF reader; recruiters see the verification step")
    func pdfResume() async throws {
        let t = try TestServer(maxBodyBytes: 1 << 20)
        let pdf = try Data(contentsOf: Upload.resumes.appendingPathComponent("resume-matcher-legacy-fictional/john_doe.pdf"))
        #expect(pdf.starts(with: Array("%PDF".utf8)))
        try await t.app.test(.router) { client in
            var form = MultipartBody()
            form.add("application", Upload.record("UP-PDF"))
            form.add("resume", pdf, filename: "Priya_Raman_CV.pdf", contentType: "application/pdf")
            let response = try await client.execute(uri: "/v1/screenings", method: .post, headers: form.headers(t.security), body: ByteBuffer(data: form.data()))
            #expect(response.status == .created)
            let report = try Upload.report(response)
            #expect(Upload.inputs(report).contains { $0.hasPrefix("Résumé read: resume.pdf") })
            let finding = try #require(Upload.finding(report, "ID-NAME-MISMATCH"))
            let observed = try #require((finding["evidence"] as? [[String: Any]])?.first?["observed"] as? String)
            #expect(observed.lowercased() == "john doe")
            #expect(!String(buffer: response.body).contains("Priya_Raman_CV"))

            // The name on the résumé matches: the same check passes.
            var same = MultipartBody()
            same.add("application", Upload.record("UP-PDF-SAME", name: "John Doe"), contentType: nil)
            same.add("resume", pdf, filename: "cv.pdf")
            let recruiter = try await client.execute(uri: "/v1/screenings", method: .post, headers: same.headers(t.recruiter), body: ByteBuffer(data: same.data()))
            #expect(recruiter.status == .created)
            let id = try #require(try TestServer.json(recruiter)["id"] as? String)
            #expect(try TestServer.json(recruiter)["report"] == nil)
            let stored = try #require(try t.store.screening(id: id))
            #expect(stored.1.coverage.checks.first { $0.code == "ID-NAME-MISMATCH" }?.status == .passed)
        }
    }

    @Test("an unreadable résumé does not stop the screening: the coverage and a warning say so, as with vetter screen")
    func unreadableResume() async throws {
        let t = try TestServer()
        let cases: [(String, Data, String)] = [
            ("corrupt PDF", Data("%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage".utf8), "UP-BAD-PDF"),
            ("binary", Data((0..<2048).map { UInt8(truncatingIfNeeded: $0 &* 7) }), "UP-BINARY"),
        ]
        try await t.app.test(.router) { client in
            for (label, data, id) in cases {
                var form = MultipartBody()
                form.add("application", Upload.record(id))
                form.add("resume", data, filename: "Priya Raman.pdf", contentType: "application/pdf")
                let recruiter = try await client.execute(uri: "/v1/screenings", method: .post, headers: form.headers(t.recruiter), body: ByteBuffer(data: form.data()))
                #expect(recruiter.status == .created, "\(label)")
                let body = try TestServer.json(recruiter)
                let warnings = try #require(body["warnings"] as? [String], "\(label)")
                #expect(warnings.count == 1)
                #expect(warnings.first?.hasPrefix("resume: ") == true, "\(warnings)")
                #expect(warnings.first?.hasSuffix("screened without it") == true, "\(warnings)")
                #expect(!String(buffer: recruiter.body).contains("Priya Raman.pdf"))
                let screening = try #require(body["id"] as? String)
                let full = try await client.execute(uri: "/v1/screenings/\(screening)", method: .get, headers: TestServer.headers(t.security, type: nil))
                let report = try Upload.report(full)
                #expect(Upload.inputs(report).contains { $0.hasPrefix("Résumé could not be read: resume.pdf") }, "\(label)")
                #expect(Upload.check(report, "ID-NAME-MISMATCH") == "skipped")
            }
        }
        #expect(try t.store.screeningCount() == 2)
    }

    @Test("bad multipart requests get a 4xx with a clear message and never reach the store")
    func badMultipart() async throws {
        let t = try TestServer(maxBodyBytes: 4096)
        let record = Upload.record("UP-BAD")
        let resume = Data("Priya Raman\npriya.raman@example.org\n".utf8)
        typealias Case = (label: String, headers: HTTPFields?, body: Data, status: HTTPResponse.Status, message: String)
        var cases: [Case] = []
        func add(_ label: String, _ status: HTTPResponse.Status, _ message: String, headers: HTTPFields? = nil, closed: Bool = true,
                 _ parts: [(String, Data, String?, String?)]) {
            var body = MultipartBody()
            for (name, data, filename, type) in parts { body.add(name, data, filename: filename, contentType: type) }
            cases.append((label, headers, body.data(closed: closed), status, message))
        }
        let json = "application/json"
        let app = ("application", Data(record.utf8), nil as String?, json as String?)
        let file = ("resume", resume, "r.txt" as String?, nil as String?)
        cases.append(("no boundary", [.contentType: "multipart/form-data"], Data("x".utf8), .badRequest, "no boundary"))
        add("boundary not in the body", .badRequest, "does not contain the boundary", headers: [.contentType: "multipart/form-data; boundary=nothere"], [app])
        add("no closing boundary", .badRequest, "closing boundary", closed: false, [app, file])
        add("missing application", .badRequest, "\"application\" (the JSON record) is missing", [file])
        add("missing resume", .badRequest, "\"resume\" (the résumé file) is missing", [app])
        add("two applications", .badRequest, "\"application\" appears more than once", [app, app, file])
        add("two résumés", .badRequest, "\"resume\" appears more than once", [app, file, file])
        add("another part", .badRequest, "unexpected multipart part \"photo\"", [app, file, ("photo", resume, "p.jpg", "image/jpeg")])
        add("empty résumé", .badRequest, "\"resume\" is empty", [app, ("resume", Data(), "", nil)])
        add("application is a PDF", .unsupportedMediaType, "must be the JSON record", [("application", Data("%PDF-1.4".utf8), nil, "application/pdf"), file])
        add("malformed record", .badRequest, "the application record is malformed", [("application", Data(#"{"id": 5"#.utf8), nil, json), file])
        add("a résumé in the record too", .badRequest, "the application record is malformed",
            [("application", Data(#"{"id": "X", "resume": {"text": "Priya"}}"#.utf8), nil, json), file])
        add("a path", .badRequest, "the application record is malformed",
            [("application", Data(#"{"id": "X", "resume": {"path": "/etc/passwd"}}"#.utf8), nil, json), file])
        add("too large", .contentTooLarge, "larger than 4096 bytes", [app, ("resume", Data(repeating: 0x41, count: 8192), "r.txt", nil)])
        cases.append(("wrong request type", [.contentType: "multipart/mixed; boundary=x"], Data("--x--".utf8), .unsupportedMediaType,
                      "application/json or multipart/form-data"))
        let all = cases
        try await t.app.test(.router) { client in
            for (label, override, data, status, expected) in all {
                var headers = TestServer.headers(t.recruiter, type: nil)
                if let override { for field in override { headers[field.name] = field.value } }
                if headers[.contentType] == nil {
                    // The boundary the builder used: read it back from the body's first line.
                    let first = String(decoding: data.prefix { $0 != 13 }, as: UTF8.self)
                    headers[.contentType] = "multipart/form-data; boundary=\(first.dropFirst(2))"
                }
                let response = try await client.execute(uri: "/v1/screenings", method: .post, headers: headers, body: ByteBuffer(data: data))
                #expect(response.status == status, "\(label)")
                let message = try Upload.message(response)
                #expect(message.contains(expected), "\(label): \(message)")
                #expect(!message.contains("Priya"), "\(label)")
            }
        }
        #expect(try t.store.screeningCount() == 0)
        #expect(try t.store.statsSync().applications == 0)
    }
}

@Suite("vetter serve: feeds")
struct FeedRouteTests {
    static let bundle = """
        {"type": "bundle", "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d", "objects": [
          {"type": "indicator", "spec_version": "2.1", "id": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
           "created": "2026-01-10T00:00:00Z", "modified": "2026-01-10T00:00:00Z", "name": "persona email",
           "pattern": "[email-addr:value = 'persona.test@feed-example.net']", "pattern_type": "stix", "valid_from": "2026-01-10T00:00:00Z"}]}
        """

    @Test("an admin imports, lists and removes feeds; the feeds are matched when screening; a bad file changes nothing")
    func lifecycle() async throws {
        let t = try TestServer()
        let list = try Data(contentsOf: Upload.ioc.appendingPathComponent("zscaler-threatlabz/wagemole_emails.txt"))
        let admin = try #require(try t.store.tokens().first { $0.role == .admin }).id
        try await t.app.test(.router) { client in
            let imported = try await client.execute(uri: "/v1/feeds?name=wagemole-emails", method: .post,
                                                    headers: TestServer.headers(t.admin, type: "text/plain"), body: ByteBuffer(data: list))
            #expect(imported.status == .created)
            let summary = try TestServer.json(imported)
            #expect(summary["name"] as? String == "wagemole-emails")
            #expect(summary["format"] as? String == "list")
            #expect(summary["stored"] as? Int == 32)
            #expect(imported.headers[.location] == "/v1/feeds/wagemole-emails")

            let stix = try await client.execute(uri: "/v1/feeds?name=inline-stix", method: .post,
                                                headers: TestServer.headers(t.admin, type: "application/stix+json;version=2.1"), body: ByteBuffer(string: Self.bundle))
            #expect(stix.status == .created)
            #expect(try TestServer.json(stix)["format"] as? String == "stix-2.1")
            #expect(try TestServer.json(stix)["stored"] as? Int == 1)

            let listed = try await client.execute(uri: "/v1/feeds", method: .get, headers: TestServer.headers(t.admin, type: nil))
            #expect(listed.status == .ok)
            let feeds = try #require(try TestServer.json(listed)["feeds"] as? [[String: Any]])
            #expect(feeds.map { $0["name"] as? String } == ["inline-stix", "wagemole-emails"])
            #expect((feeds[1]["by_kind"] as? [String: Int])?["email"] == 32)

            // The server screens against the imported feeds.
            let record = #"{"id": "FEED-HIT", "candidate": {"name": "Sam Doe", "emails": ["persona.test@feed-example.net"]}}"#
            let screened = try await client.execute(uri: "/v1/screenings", method: .post, headers: TestServer.headers(t.security), body: ByteBuffer(string: record))
            #expect(screened.status == .created)
            #expect(Upload.finding(try Upload.report(screened), "INTEL-FEED-MATCH") != nil)

            // Bad files: the parser's message, and the feed of that name is untouched.
            let bad: [(String, String, String)] = [
                ("application/json", #"{"type": "indicator", "id": "indicator--1", "pattern": "[x]"}"#, "a single STIX object, not a bundle"),
                ("application/json", #"{"type": "bundle", "objects": [ "#, "malformed JSON"),
                ("application/json", #"{"hello": "world"}"#, "neither a STIX bundle"),
                ("text/plain", "\u{0}\u{1}binary", "binary content"),
            ]
            for (type, body, expected) in bad {
                let response = try await client.execute(uri: "/v1/feeds?name=wagemole-emails", method: .post,
                                                        headers: TestServer.headers(t.admin, type: type), body: ByteBuffer(string: body))
                #expect(response.status == .badRequest, "\(expected)")
                let message = try Upload.message(response)
                #expect(message.contains(expected), "\(message)")
                #expect(message.contains("nothing changed"))
            }
            let galaxy = try Data(contentsOf: Upload.ioc.appendingPathComponent("misp-galaxy/threat-actor.json"))
            let refusedGalaxy = try await client.execute(uri: "/v1/feeds?name=wagemole-emails", method: .post,
                                                         headers: TestServer.headers(t.admin), body: ByteBuffer(data: galaxy))
            #expect(refusedGalaxy.status == .badRequest)
            #expect(try Upload.message(refusedGalaxy).contains("MISP galaxy cluster file"))
            #expect(try t.store.feeds().first { $0.name == "wagemole-emails" }?.entries == 32)

            // Bad requests.
            for (uri, type, status) in [("/v1/feeds", "text/plain", HTTPResponse.Status.badRequest),
                                        ("/v1/feeds?name=../etc", "text/plain", .badRequest),
                                        ("/v1/feeds?name=ok&skip_unsupported=maybe", "text/plain", .badRequest),
                                        ("/v1/feeds?name=ok", "application/pdf", .unsupportedMediaType)] {
                let response = try await client.execute(uri: uri, method: .post, headers: TestServer.headers(t.admin, type: type), body: ByteBuffer(data: list))
                #expect(response.status == status, "\(uri)")
                #expect(try !Upload.message(response).isEmpty)
            }
            let empty = try await client.execute(uri: "/v1/feeds?name=ok", method: .post, headers: TestServer.headers(t.admin, type: "text/plain"), body: ByteBuffer())
            #expect(empty.status == .badRequest)
            #expect(try t.store.feeds().map(\.name) == ["inline-stix", "wagemole-emails"])

            let removed = try await client.execute(uri: "/v1/feeds/wagemole-emails", method: .delete, headers: TestServer.headers(t.admin, type: nil))
            #expect(removed.status == .noContent)
            let again = try await client.execute(uri: "/v1/feeds/wagemole-emails", method: .delete, headers: TestServer.headers(t.admin, type: nil))
            #expect(again.status == .notFound)
            #expect(try t.store.feeds().map(\.name) == ["inline-stix"])
        }
        let audit = try t.store.auditLog().filter { $0.action.hasPrefix("feed.") }
        #expect(Set(audit.map(\.action)) == ["feed.import", "feed.remove"])
        #expect(audit.allSatisfy { $0.actor == admin })
        #expect(audit.filter { $0.action == "feed.import" }.count == 2)
    }

    @Test("recruiter and security tokens are refused (403) and change nothing; no token gets 401")
    func roles() async throws {
        let t = try TestServer()
        let list = try Data(contentsOf: Upload.ioc.appendingPathComponent("zscaler-threatlabz/wagemole_githubs.txt"))
        try await t.app.test(.router) { client in
            let first = try await client.execute(uri: "/v1/feeds?name=githubs", method: .post, headers: TestServer.headers(t.admin, type: "text/plain"), body: ByteBuffer(data: list))
            #expect(first.status == .created)
            for token in [t.recruiter, t.security] {
                let post = try await client.execute(uri: "/v1/feeds?name=other", method: .post, headers: TestServer.headers(token, type: "text/plain"), body: ByteBuffer(data: list))
                #expect(post.status == .forbidden)
                #expect(try Upload.message(post).contains("admin"))
                #expect(try await client.execute(uri: "/v1/feeds", method: .get, headers: TestServer.headers(token, type: nil)).status == .forbidden)
                #expect(try await client.execute(uri: "/v1/feeds/githubs", method: .delete, headers: TestServer.headers(token, type: nil)).status == .forbidden)
            }
            let anonymous = try await client.execute(uri: "/v1/feeds?name=other", method: .post, headers: TestServer.headers(nil, type: "text/plain"), body: ByteBuffer(data: list))
            #expect(anonymous.status == .unauthorized)
        }
        let feeds = try t.store.feeds()
        #expect(feeds.map(\.name) == ["githubs"])
        #expect(feeds.first?.entries == 11)
    }
}

@Suite("vetter serve: login CSRF")
struct LoginCSRFTests {
    static let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    @Test("the login form carries a token in a hidden field and in an HttpOnly SameSite=Strict cookie scoped to /login")
    func loginForm() async throws {
        let t = try TestServer()
        try await t.app.test(.router) { client in
            let page = try await client.execute(uri: "/login", method: .get)
            #expect(page.status == .ok)
            let field = try ReviewQueueTests.csrf(String(buffer: page.body))
            let setCookie = try #require(page.headers[values: .setCookie].first { $0.hasPrefix(Auth.loginCSRFCookie + "=") })
            #expect(setCookie.hasPrefix("\(Auth.loginCSRFCookie)=\(field);"))
            #expect(setCookie.contains("HttpOnly"))
            #expect(setCookie.contains("SameSite=Strict"))
            #expect(setCookie.contains("Path=/login"))
            #expect(t.state.sessions.verifyLogin(field: field, cookie: field))
            // Each form gets its own token.
            let other = try ReviewQueueTests.csrf(String(buffer: try await client.execute(uri: "/login", method: .get).body))
            #expect(other != field)
        }
    }

    @Test("a sign-in without the token, with a wrong one, or with one that is forged or stale is refused before the token is checked")
    func refused() async throws {
        let t = try TestServer()
        let other = try TestServer()
        let valid = t.state.sessions.loginToken()
        let parts = valid.split(separator: ".")
        let forged = "\(parts[0]).\(parts[1]).\(String(repeating: "0", count: 64))"
        let foreign = other.state.sessions.loginToken()
        let stale = t.state.sessions.loginToken(now: Date().addingTimeInterval(-7200))
        let cases: [(String, String?, String?)] = [
            ("no token at all", nil, nil),
            ("field without cookie", valid, nil),
            ("cookie without field", nil, valid),
            ("field and cookie differ", valid, t.state.sessions.loginToken()),
            ("forged signature", forged, forged),
            ("another server's token", foreign, foreign),
            ("stale", stale, stale),
        ]
        try await t.app.test(.router) { client in
            for (label, field, cookie) in cases {
                var headers = Self.form
                if let cookie { headers[.cookie] = "\(Auth.loginCSRFCookie)=\(cookie)" }
                let body = (field.map { "csrf=\($0)&" } ?? "") + "token=\(t.security)"
                let response = try await client.execute(uri: "/login", method: .post, headers: headers, body: ByteBuffer(string: body))
                #expect(response.status == .forbidden, "\(label)")
                #expect(TestServer.cookies(response)[Auth.sessionCookie] == nil, "\(label)")
                #expect(String(buffer: response.body).contains("did not come from this site"), "\(label)")
            }
            // The same security token with the form's own token signs in.
            let login = try await TestServer.login(client, token: t.security)
            #expect(login.status == .seeOther)
            #expect(login.headers[.location] == "/queue")
            #expect(TestServer.cookies(login)[Auth.sessionCookie]?.isEmpty == false)
        }
        let metrics = t.state.metrics.prometheusText(screeningsStored: 0)
        #expect(metrics.contains("vetter_auth_refused_total{status=\"403\"} \(cases.count)"))
    }
}
