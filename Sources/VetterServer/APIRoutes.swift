import Foundation
import Hummingbird
import VetterCore
import VetterStore

/// The JSON API under /v1 (described in Config/openapi.yaml).
enum APIRoutes {
    static func add(to router: Router<VetterRequestContext>, state: ServerState) {
        let v1 = router.group("v1")

        v1.post("screenings") { request, context -> Response in
            let principal = try await Auth.bearer(request, context, state: state, minimum: .recruiter)
            let body = try await readBody(request, state: state, contentTypes: ["application/json", "multipart/form-data"])
            let (application, resume) = try screeningInput(body, contentType: request.headers[.contentType] ?? "")
            let (stored, report, warnings) = try await state.screenAndStore(application, resume: resume, source: "api", actor: principal.tokenID)
            var object = try view(stored, report, role: principal.role)
            if !warnings.isEmpty { object["warnings"] = warnings }
            return try JSONResponse.make(object, status: .created, headers: [.location: "/v1/screenings/\(stored.id)"])
        }

        v1.get("screenings/:id") { request, context -> Response in
            let principal = try await Auth.bearer(request, context, state: state, minimum: .recruiter)
            let id = try context.parameters.require("id")
            guard let found = try await storeCall({ try await state.store.screening(id: id) }) else {
                return JSONResponse.error(.notFound, "no screening with this id")
            }
            let (stored, report) = found
            return try JSONResponse.make(view(stored, report, role: principal.role))
        }

        v1.get("screenings") { request, context -> Response in
            let principal = try await Auth.bearer(request, context, state: state, minimum: .recruiter)
            var bands: Set<Band>?
            if let text = request.uri.queryParameters.get("band"), !text.isEmpty {
                var parsed = Set<Band>()
                for part in text.split(separator: ",") {
                    guard let band = Band(rawValue: String(part)) else {
                        return JSONResponse.error(.badRequest, "band must be clear, review or escalate (comma-separated for several)")
                    }
                    parsed.insert(band)
                }
                bands = parsed
            }
            var since: Date?
            if let text = request.uri.queryParameters.get("since"), !text.isEmpty {
                guard let date = parseDate(text) else {
                    return JSONResponse.error(.badRequest, "since must be an ISO 8601 date (2026-11-01) or date-time (2026-11-01T00:00:00Z)")
                }
                since = date
            }
            var limit = 100
            if let text = request.uri.queryParameters.get("limit") {
                guard let value = Int(text), (1...1000).contains(value) else { return JSONResponse.error(.badRequest, "limit must be 1 to 1000") }
                limit = value
            }
            let list = try await storeCall { try await state.store.screenings(bands: bands, since: since, latestPerApplication: false, limit: limit) }
            return try JSONResponse.make(["screenings": list.map { summary($0, role: principal.role) }])
        }

        v1.get("applications/:id/links") { request, context -> Response in
            _ = try await Auth.bearer(request, context, state: state, minimum: .security)
            let id = try context.parameters.require("id")
            guard let report = try await storeCall({ try await state.store.links(applicationID: id) }) else {
                return JSONResponse.error(.notFound, "this application is not in the identity store")
            }
            return try JSONResponse.make(links(report))
        }

        // Token management (admin).
        v1.get("tokens") { request, context -> Response in
            _ = try await Auth.bearer(request, context, state: state, minimum: .admin)
            let tokens = try await storeCall { try await state.store.tokens() }
            return try JSONResponse.make(["tokens": tokens.map { token -> [String: Any] in
                var object: [String: Any] = ["id": token.id, "role": token.role.rawValue, "label": token.label, "created_at": iso(token.createdAt)]
                if let revoked = token.revokedAt { object["revoked_at"] = iso(revoked) }
                return object
            }])
        }
        v1.post("tokens") { request, context -> Response in
            let principal = try await Auth.bearer(request, context, state: state, minimum: .admin)
            let body = try await readBody(request, state: state, contentTypes: ["application/json"])
            guard let object = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any] else {
                return JSONResponse.error(.badRequest, "the body must be a JSON object: {\"role\": \"recruiter|security|admin\", \"label\": \"…\"}")
            }
            guard let roleText = object["role"] as? String, let role = TokenRole(rawValue: roleText) else {
                return JSONResponse.error(.badRequest, "role must be recruiter, security or admin")
            }
            let label = (object["label"] as? String) ?? ""
            guard label.count <= 200 else { return JSONResponse.error(.badRequest, "label is longer than 200 characters") }
            let (id, token) = try await storeCall { try await state.store.createToken(role: role, label: label, actor: principal.tokenID) }
            return try JSONResponse.make(["id": id, "role": role.rawValue, "label": label, "token": token], status: .created)
        }
        v1.delete("tokens/:id") { request, context -> Response in
            let principal = try await Auth.bearer(request, context, state: state, minimum: .admin)
            let id = try context.parameters.require("id")
            guard try await storeCall({ try await state.store.revokeToken(id: id, actor: principal.tokenID) }) else {
                return JSONResponse.error(.notFound, "no active token with this id")
            }
            return Response(status: .noContent)
        }
    }

    // MARK: - Input

    /// The body, after checking its content type and size (413 when larger than the limit).
    /// `limit` defaults to the server's body-size limit.
    static func readBody(_ request: Request, state: ServerState, contentTypes: [String], limit: Int? = nil) async throws -> ByteBuffer {
        let limit = limit ?? state.configuration.maxBodyBytes
        let type = request.headers[.contentType]?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard let type, contentTypes.contains(type) else {
            throw HTTPError(.unsupportedMediaType, message: "the content type must be \(contentTypes.joined(separator: " or "))")
        }
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw HTTPError(.contentTooLarge, message: "the body is larger than \(limit) bytes")
        }
        do {
            return try await request.body.collect(upTo: limit)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw HTTPError(.contentTooLarge, message: "the body is larger than \(limit) bytes")
        }
    }

    /// The record of `POST /v1/screenings` and, for `multipart/form-data`, the résumé file: a part
    /// `application` (the JSON record) and a part `resume` (the file, read by the screener's
    /// document readers, the set `vetter screen` uses). Each part exactly once; nothing else.
    static func screeningInput(_ body: ByteBuffer, contentType: String) throws -> (VetterCore.Application, ResumeUpload?) {
        guard Multipart.parseHeaderValue(contentType).value == "multipart/form-data" else {
            return (try decodeRecord(body), nil)
        }
        let parts: [MultipartPart]
        do {
            parts = try Multipart.parse(Data(body.readableBytesView), boundary: try Multipart.boundary(contentType: contentType))
        } catch {
            throw HTTPError(.badRequest, message: "malformed multipart/form-data body: \(error.message)")
        }
        var byName: [String: MultipartPart] = [:]
        for part in parts {
            guard ["application", "resume"].contains(part.name) else {
                throw HTTPError(.badRequest, message: "unexpected multipart part \"\(String(part.name.prefix(40)))\": send only \"application\" (the JSON record) and \"resume\" (the file)")
            }
            guard byName[part.name] == nil else {
                throw HTTPError(.badRequest, message: "the multipart part \"\(part.name)\" appears more than once; send it once")
            }
            byName[part.name] = part
        }
        guard let record = byName["application"] else {
            throw HTTPError(.badRequest, message: "the multipart part \"application\" (the JSON record) is missing")
        }
        if let type = record.contentType, !["application/json", "text/plain", "application/octet-stream"].contains(type) {
            throw HTTPError(.unsupportedMediaType, message: "the multipart part \"application\" must be the JSON record (application/json), not \(String(type.prefix(60)))")
        }
        guard let file = byName["resume"] else {
            throw HTTPError(.badRequest, message: "the multipart part \"resume\" (the résumé file) is missing; without a file, send the record as application/json")
        }
        guard !file.body.isEmpty else {
            throw HTTPError(.badRequest, message: "the multipart part \"resume\" is empty (no file chosen?)")
        }
        let application = try decodeRecord(ByteBuffer(bytes: record.body))
        if application.resume != nil {
            throw RecordError(problems: [FieldProblem(path: "resume", message: "the record gives a résumé and so does the \"resume\" part; send one of them")])
        }
        return (application, ResumeUpload(data: file.body, filename: ResumeUpload.filename(file.filename)))
    }

    /// A `vetter.application/v1` record; every problem is returned with its JSON path (never a value).
    static func decodeRecord(_ body: ByteBuffer) throws -> VetterCore.Application {
        let decoded = ApplicationDecoder().decode(Data(body.readableBytesView))
        guard let application = decoded.application else {
            throw RecordError(problems: decoded.problems)
        }
        if case .path = application.resume {
            throw RecordError(problems: [FieldProblem(path: "resume.path", message: "file paths are not accepted over HTTP; send the résumé as resume.text or a JSON Resume")])
        }
        return application
    }

    struct RecordError: Error, HTTPResponseError {
        var problems: [FieldProblem]
        var status: HTTPResponse.Status { .badRequest }
        func response(from request: Request, context: some RequestContext) throws -> Response {
            JSONResponse.error(.badRequest, "the application record is malformed (\(problems.count) problem\(problems.count == 1 ? "" : "s"))", problems: problems)
        }
    }

    /// A store call; any failure is a 503 whose message says nothing of the store's error.
    static func storeCall<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch { throw HTTPError(.serviceUnavailable, message: "the store is unavailable") }
    }

    static func parseDate(_ text: String) -> Date? {
        if let date = ISO8601DateFormatter().date(from: text) { return date }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter.date(from: text)
    }

    static func iso(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }

    // MARK: - Output by role

    /// The recommended verification steps, one per finding, highest points first.
    static func verificationSteps(_ report: Report) -> [[String: Any]] {
        report.findings.map { ["indicator": $0.id, "title": $0.title, "verify": $0.verify] }
    }

    /// Recruiters see the band and the verification steps; security and admin the full report.
    static func view(_ stored: StoredScreening, _ report: Report, role: TokenRole) throws -> [String: Any] {
        var object = summary(stored, role: role)
        object["verification_steps"] = verificationSteps(report)
        object["notice"] = Report.notice
        if role >= .security {
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            object["report"] = try JSONSerialization.jsonObject(with: try encoder.encode(report))
        }
        return object
    }

    static func summary(_ stored: StoredScreening, role: TokenRole) -> [String: Any] {
        var object: [String: Any] = [
            "id": stored.id, "application_id": stored.applicationID, "band": stored.band.rawValue,
            "created_at": iso(stored.createdAt), "source": stored.source,
        ]
        if let received = stored.receivedAt { object["received_at"] = iso(received) }
        if role >= .security {
            object["score"] = stored.score
            if let decision = stored.decision { object["decision"] = decision.rawValue }
        }
        return object
    }

    static func links(_ report: LinkReport) -> [String: Any] {
        func date(_ d: Date?) -> Any { d.map { String(iso($0).prefix(10)) } ?? NSNull() }
        return [
            "application_id": report.applicationID, "received_at": date(report.receivedAt), "truncated": report.truncated,
            "linked": report.linked.map {
                ["application_id": $0.applicationID, "received_at": date($0.receivedAt), "distance": $0.distance,
                 "via": $0.via, "reached_from": $0.reachedFrom, "different_identity": $0.differentIdentity] as [String: Any]
            },
        ]
    }
}
