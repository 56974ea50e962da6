import Crypto
import Foundation
import Hummingbird
import Synchronization
import VetterCore
import VetterStore
import Logging

/// Bearer tokens for the API, sessions (HttpOnly cookie + CSRF token) for the review pages.
enum Auth {
    static let sessionCookie = "vetter_session"
    static let loginCSRFCookie = "vetter_login_csrf"

    /// The caller of an API route: `Authorization: Bearer TOKEN`. 401 without a valid token,
    /// 403 when the token's role is below `minimum`. Refusals are logged with the route only.
    static func bearer(_ request: Request, _ context: VetterRequestContext, state: ServerState, minimum: TokenRole) async throws -> Principal {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            refuse(state, context, status: 401, reason: "no bearer token")
            throw HTTPError(.unauthorized, headers: [.wwwAuthenticate: "Bearer realm=\"vetter\""], message: "a bearer token is required (Authorization: Bearer TOKEN)")
        }
        let secret = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        let token: StoredToken?
        do { token = try await state.store.token(secret: secret) } catch {
            throw HTTPError(.serviceUnavailable, message: "the token store is unavailable")
        }
        guard let token else {
            refuse(state, context, status: 401, reason: "unknown or revoked token")
            throw HTTPError(.unauthorized, headers: [.wwwAuthenticate: "Bearer realm=\"vetter\", error=\"invalid_token\""], message: "the bearer token is unknown or revoked")
        }
        let principal = Principal(tokenID: token.id, role: token.role)
        try require(principal, minimum, state, context)
        return principal
    }

    static func require(_ principal: Principal, _ minimum: TokenRole, _ state: ServerState, _ context: VetterRequestContext) throws {
        guard principal.role >= minimum else {
            refuse(state, context, status: 403, reason: "role \(principal.role.rawValue) below \(minimum.rawValue)", tokenID: principal.tokenID)
            throw HTTPError(.forbidden, message: "this route needs the \(minimum.rawValue) role or above")
        }
    }

    /// Logs a refusal: route, status, reason and token id; never the token, body or client details.
    static func refuse(_ state: ServerState, _ context: VetterRequestContext, status: Int, reason: String, tokenID: String? = nil) {
        state.metrics.refused(status: status)
        var metadata: Logger.Metadata = ["route": "\(context.endpointPath ?? "unmatched")", "status": "\(status)", "reason": "\(reason)"]
        if let tokenID { metadata["token_id"] = "\(tokenID)" }
        state.logger.notice("request refused", metadata: metadata)
    }

    static func constantTimeEqual(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }

    static func randomToken(bytes: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<bytes).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }
}

/// Browser sessions, in memory (a restart logs everyone out). The cookie holds a random id;
/// each session has its own CSRF token, checked on every form post.
public final class SessionStore: Sendable {
    public struct Session: Sendable {
        public var principal: Principal
        public var csrf: String
        public var expires: Date
    }

    let lifetime: TimeInterval
    let sessions = Mutex<[String: Session]>([:])
    /// Signs the login form's CSRF tokens; per process, like the sessions.
    let loginKey = SymmetricKey(size: .bits256)
    /// How long a login form's CSRF token stays valid.
    static let loginTokenLifetime: TimeInterval = 3600

    init(lifetime: TimeInterval) { self.lifetime = lifetime }

    // MARK: - The login form's CSRF token
    //
    // No session exists before sign-in, so the login form uses a signed double-submit token:
    // `ISSUED.NONCE.HMAC` (HMAC-SHA256 of `login|ISSUED|NONCE` with a key only this process
    // holds), sent both in a hidden field and in an HttpOnly, SameSite=Strict cookie scoped to
    // /login. POST /login needs the two to be equal, correctly signed and under an hour old: a
    // cross-site form can neither read the cookie nor make a token that verifies.

    func loginToken(now: Date = Date()) -> String {
        let payload = "\(Int(now.timeIntervalSince1970)).\(Auth.randomToken(bytes: 16))"
        return payload + "." + loginMAC(payload)
    }

    func verifyLogin(field: String?, cookie: String?, now: Date = Date()) -> Bool {
        guard let field, let cookie, !field.isEmpty, Auth.constantTimeEqual(Array(field.utf8), Array(cookie.utf8)) else { return false }
        let parts = field.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let issued = Int(parts[0]) else { return false }
        let age = now.timeIntervalSince1970 - Double(issued)
        guard age >= -60, age <= Self.loginTokenLifetime else { return false }
        return Auth.constantTimeEqual(Array(loginMAC("\(parts[0]).\(parts[1])").utf8), Array(parts[2].utf8))
    }

    func loginMAC(_ payload: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Data("login|\(payload)".utf8), using: loginKey).map { String(format: "%02x", $0) }.joined()
    }

    func create(_ principal: Principal) -> (id: String, session: Session) {
        let id = Auth.randomToken()
        let session = Session(principal: principal, csrf: Auth.randomToken(), expires: Date().addingTimeInterval(lifetime))
        sessions.withLock { all in
            let now = Date()
            all = all.filter { $0.value.expires > now }
            all[id] = session
        }
        return (id, session)
    }

    func session(_ id: String) -> Session? {
        sessions.withLock { all in
            guard let session = all[id] else { return nil }
            guard session.expires > Date() else { all[id] = nil; return nil }
            return session
        }
    }

    func end(_ id: String) { sessions.withLock { _ = $0.removeValue(forKey: id) } }
}

/// Counters in the Prometheus text format.
public final class ServerMetrics: Sendable {
    struct State {
        var requests: [String: Int] = [:]   // "route|status"
        var durationSum: [String: Double] = [:]
        var durationBuckets: [String: [Int]] = [:]
        var screenings: [String: Int] = [:]
        var inFlight = 0
        var refused: [Int: Int] = [:]
        var webhookSignatureFailures = 0
    }
    static let buckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
    let state = Mutex(State())

    func request(route: String, status: Int, seconds: Double) {
        state.withLock { s in
            s.requests["\(route)|\(status)", default: 0] += 1
            s.durationSum[route, default: 0] += seconds
            var counts = s.durationBuckets[route] ?? Array(repeating: 0, count: Self.buckets.count + 1)
            for (i, bound) in Self.buckets.enumerated() where seconds <= bound { counts[i] += 1 }
            counts[Self.buckets.count] += 1
            s.durationBuckets[route] = counts
        }
    }
    func screeningStarted() { state.withLock { $0.inFlight += 1 } }
    func screeningFinished() { state.withLock { $0.inFlight -= 1 } }
    func screened(band: Band) { state.withLock { $0.screenings[band.rawValue, default: 0] += 1 } }
    func refused(status: Int) { state.withLock { $0.refused[status, default: 0] += 1 } }
    func signatureFailure() { state.withLock { $0.webhookSignatureFailures += 1 } }

    public var inFlight: Int { state.withLock { $0.inFlight } }

    func prometheusText(screeningsStored: Int) -> String {
        let s = state.withLock { $0 }
        func label(_ value: String) -> String {
            value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
        }
        var out = ""
        out += "# HELP vetter_http_requests_total HTTP requests by route and status.\n# TYPE vetter_http_requests_total counter\n"
        for (key, count) in s.requests.sorted(by: { $0.key < $1.key }) {
            let parts = key.split(separator: "|", maxSplits: 1).map(String.init)
            out += "vetter_http_requests_total{route=\"\(label(parts[0]))\",status=\"\(parts[1])\"} \(count)\n"
        }
        out += "# HELP vetter_http_request_duration_seconds Request durations by route.\n# TYPE vetter_http_request_duration_seconds histogram\n"
        for (route, counts) in s.durationBuckets.sorted(by: { $0.key < $1.key }) {
            for (i, bound) in Self.buckets.enumerated() {
                out += "vetter_http_request_duration_seconds_bucket{route=\"\(label(route))\",le=\"\(bound)\"} \(counts[i])\n"
            }
            out += "vetter_http_request_duration_seconds_bucket{route=\"\(label(route))\",le=\"+Inf\"} \(counts[Self.buckets.count])\n"
            out += "vetter_http_request_duration_seconds_sum{route=\"\(label(route))\"} \(s.durationSum[route] ?? 0)\n"
            out += "vetter_http_request_duration_seconds_count{route=\"\(label(route))\"} \(counts[Self.buckets.count])\n"
        }
        out += "# HELP vetter_screenings_total Screenings completed by this process, by band.\n# TYPE vetter_screenings_total counter\n"
        for band in ["clear", "review", "escalate"] { out += "vetter_screenings_total{band=\"\(band)\"} \(s.screenings[band] ?? 0)\n" }
        out += "# HELP vetter_screenings_in_flight Screenings running now.\n# TYPE vetter_screenings_in_flight gauge\nvetter_screenings_in_flight \(s.inFlight)\n"
        out += "# HELP vetter_screenings_stored Screenings in the store.\n# TYPE vetter_screenings_stored gauge\nvetter_screenings_stored \(screeningsStored)\n"
        out += "# HELP vetter_auth_refused_total Requests refused for authentication (401) or role (403).\n# TYPE vetter_auth_refused_total counter\n"
        for status in [401, 403] { out += "vetter_auth_refused_total{status=\"\(status)\"} \(s.refused[status] ?? 0)\n" }
        out += "# HELP vetter_webhook_signature_failures_total Webhook deliveries refused for a bad signature.\n# TYPE vetter_webhook_signature_failures_total counter\nvetter_webhook_signature_failures_total \(s.webhookSignatureFailures)\n"
        return out
    }
}
