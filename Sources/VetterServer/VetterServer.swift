import Foundation
import Hummingbird
import Logging
import VetterCore
import VetterStore

/// Settings of `vetter serve`.
public struct ServerConfiguration: Sendable {
    /// Loopback by default: put a TLS-terminating proxy in front for anything else.
    public var host: String
    public var port: Int
    /// Largest request body accepted (JSON records, webhook deliveries, forms).
    public var maxBodyBytes: Int
    /// Largest feed accepted by `POST /v1/feeds` (admin): STIX bundles run larger than records.
    public var maxFeedBytes: Int
    /// Greenhouse's webhook secret key; without it the Greenhouse receiver answers 404.
    public var greenhouseSecret: String?
    /// Lever's webhook signature token; without it the Lever receiver answers 404.
    public var leverSecret: String?
    /// Mark the session cookie `Secure` (behind HTTPS).
    public var secureCookies: Bool
    /// How long a browser session lasts.
    public var sessionLifetime: TimeInterval

    public init(host: String = "127.0.0.1", port: Int = 8080, maxBodyBytes: Int = 1 << 20, maxFeedBytes: Int = 32 << 20,
                greenhouseSecret: String? = nil, leverSecret: String? = nil, secureCookies: Bool = false,
                sessionLifetime: TimeInterval = 8 * 3600) {
        self.host = host
        self.port = port
        self.maxBodyBytes = maxBodyBytes
        self.maxFeedBytes = maxFeedBytes
        self.greenhouseSecret = greenhouseSecret
        self.leverSecret = leverSecret
        self.secureCookies = secureCookies
        self.sessionLifetime = sessionLifetime
    }
}

/// The stores `vetter serve` needs, as one: identity checks and links (``IdentityStore``),
/// threat-intelligence feeds (``ThreatFeedStore``) and the review records (``ReviewStore``).
/// ``SQLiteIdentityStore`` is all three, and so is the PostgreSQL store, which the command line
/// links in (this module does not depend on it).
public typealias ServerStore = IdentityStore & ThreatFeedStore & ReviewStore

/// Everything the routes share.
public struct ServerState: Sendable {
    public let screener: Screener
    public let store: any ServerStore
    public let configuration: ServerConfiguration
    public let metrics: ServerMetrics
    public let sessions: SessionStore
    public let logger: Logger

    public init(screener: Screener, store: any ServerStore, configuration: ServerConfiguration, logger: Logger) {
        self.screener = screener
        self.store = store
        self.configuration = configuration
        self.metrics = ServerMetrics()
        self.sessions = SessionStore(lifetime: configuration.sessionLifetime)
        self.logger = logger
    }

    /// Screens an application and stores the report. The identity-store enricher (when the
    /// screener has one) records the application in the same store.
    func screenAndStore(_ application: VetterCore.Application, source: String, actor: String) async throws -> (StoredScreening, Report) {
        let (stored, report, _) = try await screenAndStore(application, resume: nil, source: source, actor: actor)
        return (stored, report)
    }

    /// As above, with an uploaded résumé read by the screener's readers. A résumé that cannot be
    /// read does not stop the screening: the report's coverage says so and the warnings
    /// (content-free, as the readers' messages are) are returned.
    func screenAndStore(_ application: VetterCore.Application, resume: ResumeUpload?, source: String,
                        actor: String) async throws -> (StoredScreening, Report, [String]) {
        metrics.screeningStarted()
        defer { metrics.screeningFinished() }
        let outcome: Screener.Outcome
        if let resume {
            outcome = await screener.screen(application, resumeData: resume.data, filename: resume.filename, recordName: source)
        } else {
            outcome = await screener.screen(application, baseDirectory: nil, recordName: source)
        }
        let warnings = outcome.warnings.map { $0.hasPrefix("\(source): ") ? String($0.dropFirst(source.count + 2)) : $0 }
        let id = "scr_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        do {
            try await store.saveScreening(id: id, report: outcome.report, receivedAt: application.receivedAt, source: source, actor: actor)
        } catch {
            logger.error("storing a screening failed", metadata: ["error": "\(type(of: error))"])
            throw HTTPError(.internalServerError, message: "the screening could not be stored")
        }
        metrics.screened(band: outcome.report.band)
        let read: (StoredScreening, Report)?
        do { read = try await store.screening(id: id) } catch {
            logger.error("reading a screening back failed", metadata: ["error": "\(type(of: error))"])
            throw HTTPError(.serviceUnavailable, message: "the store is unavailable")
        }
        guard let found = read else {
            throw HTTPError(.internalServerError, message: "the screening could not be read back")
        }
        return (found.0, found.1, warnings)
    }
}

/// A résumé file uploaded with a record (`multipart/form-data`).
struct ResumeUpload: Sendable {
    var data: Data
    /// `resume` plus the upload's extension: the uploaded name may hold the candidate's name,
    /// and this one ends up in messages and in the report's coverage.
    var filename: String

    /// `resume.pdf` for `Jane Smith CV.PDF`; `resume` when there is no usable extension. The
    /// extension is kept because some readers use it (Markdown).
    static func filename(_ uploaded: String?) -> String {
        guard let uploaded, let dot = uploaded.lastIndex(of: ".") else { return "resume" }
        let ext = uploaded[uploaded.index(after: dot)...].lowercased()
        guard (1...8).contains(ext.count), ext.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { return "resume" }
        return "resume.\(ext)"
    }
}

public enum VetterServer {
    /// The router: API under /v1, webhooks, the review queue, /health and /metrics.
    public static func router(state: ServerState) -> Router<VetterRequestContext> {
        let router = Router(context: VetterRequestContext.self)
        router.add(middleware: RequestLogMiddleware(state: state))
        router.get("/health") { _, _ -> Response in
            try JSONResponse.make(["status": "ok"])
        }
        router.get("/metrics") { _, _ -> Response in
            let stored = (try? await state.store.screeningCount()) ?? -1
            let text = state.metrics.prometheusText(screeningsStored: stored)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                             body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        APIRoutes.add(to: router, state: state)
        WebhookRoutes.add(to: router, state: state)
        FeedRoutes.add(to: router, state: state)
        ReviewPages.add(to: router, state: state)
        return router
    }

    public static func application(state: ServerState) -> some ApplicationProtocol {
        Hummingbird.Application(
            router: router(state: state),
            configuration: .init(address: .hostname(state.configuration.host, port: state.configuration.port), serverName: "vetter"),
            logger: state.logger
        )
    }
}

/// The request context: the caller, once authenticated.
public struct VetterRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var principal: Principal?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        principal = nil
    }
}

/// Who is calling: a token id and its role, never the token.
public struct Principal: Sendable, Equatable {
    public var tokenID: String
    public var role: TokenRole
}

/// JSON bodies and JSON errors.
enum JSONResponse {
    static func make(_ object: Any, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// `{"error": {"status": 400, "message": "…", "problems": [{"path": …, "message": …}]}}`.
    static func error(_ status: HTTPResponse.Status, _ message: String, problems: [FieldProblem] = []) -> Response {
        var error: [String: Any] = ["status": status.code, "message": message]
        if !problems.isEmpty { error["problems"] = problems.map { ["path": $0.path, "message": $0.message] } }
        return (try? make(["error": error], status: status))
            ?? Response(status: status, body: .init(byteBuffer: ByteBuffer(string: message)))
    }
}

/// Structured request logs: method, route, status, duration, caller's token id and role.
/// Never bodies, query values or headers (which may carry personal data or secrets).
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = VetterRequestContext
    let state: ServerState

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var status: HTTPResponse.Status = .internalServerError
        defer {
            let elapsed = ContinuousClock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let route = context.endpointPath ?? "unmatched"
            state.metrics.request(route: route, status: status.code, seconds: seconds)
            var metadata: Logger.Metadata = ["method": "\(request.method.rawValue)", "route": "\(route)", "status": "\(status.code)",
                                             "ms": "\(Int(seconds * 1000))"]
            if status.code == 401 || status.code == 403 { metadata["refused"] = "true" }
            state.logger.info("request", metadata: metadata)
        }
        do {
            let response = try await next(request, context)
            status = response.status
            return response
        } catch let error as HTTPError {
            status = error.status
            // Unmatched routes and other bare errors get a JSON body too.
            if error.body == nil {
                return JSONResponse.error(error.status, error.status == .notFound ? "no such route" : error.status.reasonPhrase.lowercased())
            }
            throw error
        }
    }
}

extension VetterServer {
    /// A logger writing one line per event with key=value metadata to standard error.
    public static func logger(level: String = "info") -> Logger {
        var logger = Logger(label: "vetter.serve")
        logger.logLevel = Logger.Level(rawValue: level) ?? .info
        return logger
    }

    /// Runs until SIGTERM or SIGINT; on either, stops accepting connections and lets in-flight
    /// requests (and so their screenings) finish before returning.
    public static func run(screener: Screener, store: any ServerStore, configuration: ServerConfiguration, logLevel: String = "info") async throws {
        let logger = logger(level: logLevel)
        let state = ServerState(screener: screener, store: store, configuration: configuration, logger: logger)
        logger.info("vetter serve starting", metadata: ["host": "\(configuration.host)", "port": "\(configuration.port)",
                                                        "greenhouse": "\(configuration.greenhouseSecret != nil)", "lever": "\(configuration.leverSecret != nil)"])
        try await application(state: state).runService(gracefulShutdownSignals: [.sigterm, .sigint])
        logger.info("vetter serve stopped", metadata: ["in_flight": "\(state.metrics.inFlight)"])
    }
}
