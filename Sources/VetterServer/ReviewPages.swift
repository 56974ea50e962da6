import Foundation
import HTTPTypes
import Hummingbird
import VetterCore
import VetterStore

/// The review queue for security teams: server-rendered HTML, no JavaScript, forms with CSRF tokens.
enum ReviewPages {
    static func add(to router: Router<VetterRequestContext>, state: ServerState) {
        router.get("/") { _, _ -> Response in redirect("/queue") }

        router.get("login") { _, _ -> Response in
            loginPage(message: nil, state: state)
        }

        router.post("login") { request, context -> Response in
            let form = try await readForm(request, state: state)
            // The signed double-submit token comes first: a forged or stale form never reaches the token store.
            guard state.sessions.verifyLogin(field: form["csrf"], cookie: request.cookies[Auth.loginCSRFCookie]?.value) else {
                Auth.refuse(state, context, status: 403, reason: "login with a missing or wrong CSRF token")
                return loginPage(message: "The sign-in form expired or did not come from this site; sign in again.", status: .forbidden, state: state)
            }
            let secret = form["token"]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            guard !secret.isEmpty, let token = try await APIRoutes.storeCall({ try await state.store.token(secret: secret) }) else {
                Auth.refuse(state, context, status: 401, reason: "login with an unknown token")
                return loginPage(message: "That token is unknown or revoked.", status: .unauthorized, state: state)
            }
            let principal = Principal(tokenID: token.id, role: token.role)
            guard principal.role >= .security else {
                Auth.refuse(state, context, status: 403, reason: "login below the security role", tokenID: token.id)
                return loginPage(message: "The review queue needs a security or admin token.", status: .forbidden, state: state)
            }
            let (id, _) = state.sessions.create(principal)
            var response = redirect("/queue")
            response.setCookie(Cookie(name: Auth.sessionCookie, value: id, maxAge: Int(state.configuration.sessionLifetime), path: "/",
                                      secure: state.configuration.secureCookies, httpOnly: true, sameSite: .strict))
            response.setCookie(Cookie(name: Auth.loginCSRFCookie, value: "", maxAge: 0, path: "/login",
                                      secure: state.configuration.secureCookies, httpOnly: true, sameSite: .strict))
            return response
        }

        router.post("logout") { request, context -> Response in
            let (sessionID, session) = try sessionFor(request, context, state: state)
            let form = try await readForm(request, state: state)
            try checkCSRF(form, session, state, context)
            state.sessions.end(sessionID)
            var response = redirect("/login")
            response.setCookie(Cookie(name: Auth.sessionCookie, value: "", maxAge: 0, path: "/", httpOnly: true, sameSite: .strict))
            return response
        }

        router.get("queue") { request, context -> Response in
            let (_, session) = try sessionFor(request, context, state: state)
            let showAll = request.uri.queryParameters.get("all") == "1"
            let bands: Set<Band>? = showAll ? nil : [.review, .escalate]
            let items = try await APIRoutes.storeCall { try await state.store.screenings(bands: bands, since: nil, latestPerApplication: true, limit: 1000) }
                .sorted { a, b in a.band != b.band ? a.band > b.band : (a.receivedAt ?? a.createdAt) < (b.receivedAt ?? b.createdAt) }
            return html(page(title: "Review queue", session: session, body: queue(items, showAll: showAll)))
        }

        router.get("queue/applications/:id") { request, context -> Response in
            let (_, session) = try sessionFor(request, context, state: state)
            let id = try context.parameters.require("id")
            guard let found = try await APIRoutes.storeCall({ try await state.store.latestScreening(applicationID: id) }) else {
                return html(page(title: "Not found", session: session, body: "<p>No screening of this application.</p>"), status: .notFound)
            }
            let (stored, report) = found
            let links = try await APIRoutes.storeCall { try await state.store.links(applicationID: id) }
            let decisions = try await APIRoutes.storeCall { try await state.store.decisions(applicationID: id) }
            return html(page(title: "Application \(id)", session: session,
                             body: reportPage(stored, report, links: links, decisions: decisions, csrf: session.csrf)))
        }

        router.post("queue/applications/:id/decision") { request, context -> Response in
            let (_, session) = try sessionFor(request, context, state: state)
            let id = try context.parameters.require("id")
            let form = try await readForm(request, state: state)
            try checkCSRF(form, session, state, context)
            guard let decision = form["decision"].flatMap(ReviewDecision.init(rawValue:)) else {
                return html(page(title: "Bad request", session: session, body: "<p>Choose one of the decisions.</p>"), status: .badRequest)
            }
            let note = form["note"]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            guard note.count <= 4000 else {
                return html(page(title: "Bad request", session: session, body: "<p>The note is longer than 4,000 characters.</p>"), status: .badRequest)
            }
            guard try await APIRoutes.storeCall({ try await state.store.latestScreening(applicationID: id) }) != nil else {
                return html(page(title: "Not found", session: session, body: "<p>No screening of this application.</p>"), status: .notFound)
            }
            try await APIRoutes.storeCall { try await state.store.recordDecision(applicationID: id, decision: decision, note: note, actor: session.principal.tokenID) }
            return redirect("/queue/applications/\(percentEncode(id))")
        }

        router.get("queue/audit") { request, context -> Response in
            let (_, session) = try sessionFor(request, context, state: state)
            let entries = try await APIRoutes.storeCall { try await state.store.auditLog(limit: 500) }
            return html(page(title: "Audit log", session: session, body: auditPage(entries)))
        }
    }

    // MARK: - Sessions and forms

    struct LoginRequired: Error, HTTPResponseError {
        var status: HTTPResponse.Status { .seeOther }
        func response(from request: Request, context: some RequestContext) throws -> Response { redirect("/login") }
    }

    static func sessionFor(_ request: Request, _ context: VetterRequestContext, state: ServerState) throws -> (String, SessionStore.Session) {
        guard let id = request.cookies[Auth.sessionCookie]?.value, let session = state.sessions.session(id) else {
            Auth.refuse(state, context, status: 401, reason: "no session")
            throw LoginRequired()
        }
        try Auth.require(session.principal, .security, state, context)
        return (id, session)
    }

    static func checkCSRF(_ form: [String: String], _ session: SessionStore.Session, _ state: ServerState, _ context: VetterRequestContext) throws {
        guard let token = form["csrf"], Auth.constantTimeEqual(Array(token.utf8), Array(session.csrf.utf8)) else {
            Auth.refuse(state, context, status: 403, reason: "missing or wrong CSRF token", tokenID: session.principal.tokenID)
            throw HTTPError(.forbidden, message: "the form's CSRF token is missing or wrong; reload the page and try again")
        }
    }

    static func readForm(_ request: Request, state: ServerState) async throws -> [String: String] {
        let body = try await APIRoutes.readBody(request, state: state, contentTypes: ["application/x-www-form-urlencoded"])
        return parseForm(String(buffer: body))
    }

    static func parseForm(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String { String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            guard let key = parts.first else { continue }
            result[decode(key)] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return result
    }

    // MARK: - HTML

    /// HTML escaping, shared with the reports' HTML renderer.
    static func escape(_ text: String) -> String { HTMLRenderer.escape(text) }

    static func percentEncode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#"))) ?? text
    }

    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [
            .contentType: "text/html; charset=utf-8",
            .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
            HTTPField.Name("X-Content-Type-Options")!: "nosniff",
            .cacheControl: "no-store",
        ], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }

    static let style = """
        body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1d232b;background:#f6f7f9}
        header{background:#1d232b;color:#fff;padding:10px 24px;display:flex;gap:20px;align-items:center}
        header a{color:#fff}header form{margin-left:auto}main{padding:16px 24px;max-width:1100px}
        table{border-collapse:collapse;width:100%;background:#fff}th,td{border-bottom:1px solid #dde;padding:6px 10px;text-align:left;vertical-align:top}
        .band{font-weight:700;padding:2px 8px;border-radius:4px;font-size:13px}.escalate{background:#fde2e1;color:#8a1c14}
        .review{background:#fff1cc;color:#7a5300}.clear{background:#e3f4e6;color:#1e6b2f}
        .finding{background:#fff;border:1px solid #dde;border-radius:6px;padding:10px 14px;margin:10px 0}
        .notice{background:#eef3fb;border-left:4px solid #4a78c2;padding:8px 12px}.muted{color:#667}
        textarea{width:100%;min-height:70px}fieldset{background:#fff;border:1px solid #dde}
        """

    static func page(title: String, session: SessionStore.Session?, body: String) -> String {
        var nav = ""
        if let session {
            nav = """
                <a href="/queue">Queue</a><a href="/queue?all=1">All screenings</a><a href="/queue/audit">Audit log</a>
                <form method="post" action="/logout"><input type="hidden" name="csrf" value="\(escape(session.csrf))">
                <span class="muted">\(escape(session.principal.role.rawValue)) · \(escape(session.principal.tokenID))</span>
                <button type="submit">Sign out</button></form>
                """
        }
        return """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
            <title>\(escape(title)) · Vetter</title><style>\(style)</style></head>
            <body><header><strong>Vetter</strong>\(nav)</header><main><h1>\(escape(title))</h1>\(body)</main></body></html>
            """
    }

    /// The sign-in page with a fresh CSRF token, in the form and in a cookie scoped to /login.
    static func loginPage(message: String?, status: HTTPResponse.Status = .ok, state: ServerState) -> Response {
        let csrf = state.sessions.loginToken()
        var response = html(page(title: "Sign in", session: nil, body: loginForm(message: message, csrf: csrf)), status: status)
        response.setCookie(Cookie(name: Auth.loginCSRFCookie, value: csrf, maxAge: Int(SessionStore.loginTokenLifetime), path: "/login",
                                  secure: state.configuration.secureCookies, httpOnly: true, sameSite: .strict))
        return response
    }

    static func loginForm(message: String?, csrf: String) -> String {
        (message.map { "<p class=\"band escalate\">\(escape($0))</p>" } ?? "") + """
            <form method="post" action="/login"><input type="hidden" name="csrf" value="\(escape(csrf))"><p><label>API token (security or admin role)<br>
            <input type="password" name="token" size="70" autocomplete="off" required></label></p>
            <p><button type="submit">Sign in</button></p></form>
            <p class="muted">Create a token with <code>vetter tokens create --role security</code>.</p>
            """
    }

    static func band(_ band: Band) -> String { "<span class=\"band \(band.rawValue)\">\(band.rawValue.uppercased())</span>" }

    static func date(_ date: Date?) -> String {
        guard let date else { return "unknown" }
        let formatter = ISO8601DateFormatter()
        return escape(formatter.string(from: date).replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: " UTC"))
    }

    static func queue(_ items: [StoredScreening], showAll: Bool) -> String {
        var out = "<p class=\"notice\">\(escape(showAll ? "Every application's latest screening." : "Applications flagged review or escalate, highest band first, then the longest waiting.")) Vetter never decides: each decision below is a person's.</p>"
        guard !items.isEmpty else { return out + "<p>Nothing to review.</p>" }
        out += "<table><thead><tr><th>Band</th><th>Score</th><th>Application</th><th>Received</th><th>Screened</th><th>Source</th><th>Decision</th></tr></thead><tbody>"
        for item in items {
            out += "<tr><td>\(band(item.band))</td><td>\(Int(item.score))</td>"
            out += "<td><a href=\"/queue/applications/\(escape(percentEncode(item.applicationID)))\">\(escape(item.applicationID))</a></td>"
            out += "<td>\(date(item.receivedAt))</td><td>\(date(item.createdAt))</td><td>\(escape(item.source))</td>"
            out += "<td>\(item.decision.map { escape($0.label) } ?? "<span class=\"muted\">none yet</span>")</td></tr>"
        }
        return out + "</tbody></table>"
    }

    static func reportPage(_ stored: StoredScreening, _ report: Report, links: LinkReport?, decisions: [StoredDecision], csrf: String) -> String {
        var out = "<p>\(band(report.band)) score \(Int(report.score)) (review at \(Int(report.thresholds.review)), escalate at \(Int(report.thresholds.escalate))) · screened \(date(stored.createdAt)) via \(escape(stored.source)) · screening <code>\(escape(stored.id))</code></p>"
        out += "<p class=\"notice\">\(escape(Report.notice))</p><h2>Findings</h2>"
        if report.findings.isEmpty { out += "<p>No indicator fired.</p>" }
        for finding in report.findings {
            out += "<div class=\"finding\"><strong>[\(Int(finding.points)) pts] \(escape(finding.id)) · \(escape(finding.title))</strong> <span class=\"muted\">\(escape(finding.category.rawValue)), \(escape(finding.strength.rawValue))</span>"
            out += "<p>\(escape(finding.explanation))</p><ul>"
            for evidence in finding.evidence { out += "<li>\(escape(evidenceText(evidence)))</li>" }
            out += "</ul><p><strong>Verify:</strong> \(escape(finding.verify))</p></div>"
        }
        out += "<h2>Linked applications</h2>"
        if let links, !links.linked.isEmpty {
            out += "<table><thead><tr><th>Application</th><th>Received</th><th>Hops</th><th>Shared</th><th>Reached from</th><th>Name</th></tr></thead><tbody>"
            for link in links.linked {
                out += "<tr><td><a href=\"/queue/applications/\(escape(percentEncode(link.applicationID)))\">\(escape(link.applicationID))</a></td><td>\(date(link.receivedAt))</td><td>\(link.distance)</td>"
                out += "<td>\(escape(link.via.joined(separator: ", ")))</td><td>\(escape(link.reachedFrom))</td><td>\(link.differentIdentity ? "different name" : "consistent name")</td></tr>"
            }
            out += "</tbody></table><p class=\"muted\">Links are facts to verify: families, agencies and shared offices also share details.</p>"
        } else {
            out += "<p>None in the identity store.</p>"
        }
        out += "<h2>Decision</h2>"
        out += "<form method=\"post\" action=\"/queue/applications/\(escape(percentEncode(stored.applicationID)))/decision\"><fieldset><input type=\"hidden\" name=\"csrf\" value=\"\(escape(csrf))\">"
        for decision in ReviewDecision.allCases {
            out += "<label><input type=\"radio\" name=\"decision\" value=\"\(decision.rawValue)\" required> \(escape(decision.label))</label><br>"
        }
        out += "<p><label>Note (kept sealed in the store)<br><textarea name=\"note\" maxlength=\"4000\"></textarea></label></p><button type=\"submit\">Record decision</button></fieldset></form>"
        if !decisions.isEmpty {
            out += "<h3>Earlier decisions</h3><table><thead><tr><th>When</th><th>Decision</th><th>By (token)</th><th>Note</th></tr></thead><tbody>"
            for d in decisions {
                out += "<tr><td>\(date(d.at))</td><td>\(escape(d.decision.label))</td><td>\(escape(d.actor))</td><td>\(escape(d.note ?? ""))</td></tr>"
            }
            out += "</tbody></table>"
        }
        out += "<h2>Coverage</h2><ul>"
        for input in report.coverage.inputs { out += "<li>\(escape(input))</li>" }
        let skipped = report.coverage.checks.filter { $0.status == .skipped }
        if !skipped.isEmpty { out += "<li>Not checked: \(escape(skipped.map(\.code).joined(separator: ", ")))</li>" }
        out += "</ul><p class=\"muted\">Policy \(escape(report.policy.name)) v\(escape(report.policy.version)) · vetter \(escape(report.toolVersion))</p>"
        return out
    }

    static func evidenceText(_ evidence: Evidence) -> String {
        "\(evidence.field): \(evidence.observed)" + (evidence.expected.map { "; expected \($0)" } ?? "") + " [\(evidence.source)]"
    }

    static func auditPage(_ entries: [AuditEntry]) -> String {
        var out = "<p class=\"notice\">Append-only: the store refuses to change or delete entries. Actors are token ids.</p>"
        out += "<table><thead><tr><th>#</th><th>When</th><th>Actor</th><th>Action</th><th>Subject</th><th>Detail</th></tr></thead><tbody>"
        for e in entries {
            out += "<tr><td>\(e.id)</td><td>\(date(e.at))</td><td>\(escape(e.actor))</td><td>\(escape(e.action))</td><td>\(escape(e.subject))</td><td>\(escape(e.detail))</td></tr>"
        }
        return out + "</tbody></table>"
    }
}
