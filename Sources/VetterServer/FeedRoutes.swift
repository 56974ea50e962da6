import Foundation
import Hummingbird
import VetterIntel
import VetterStore

/// Threat-intelligence feeds over HTTP (admin): the same parser and store calls as
/// `vetter feeds import|list|remove`. An import runs in one transaction: a bad file changes nothing.
enum FeedRoutes {
    /// Media types of `POST /v1/feeds`; the parser tells the formats apart by content.
    static let contentTypes = ["application/json", "application/stix+json", "text/plain"]

    static func add(to router: Router<VetterRequestContext>, state: ServerState) {
        let v1 = router.group("v1")

        v1.post("feeds") { request, context -> Response in
            let principal = try await Auth.bearer(request, context, state: state, minimum: .admin)
            let name = request.uri.queryParameters.get("name") ?? ""
            guard validName(name) else {
                return JSONResponse.error(.badRequest, "the name query parameter is required: 1 to 100 letters, digits, '.', '_' or '-', starting with a letter or digit")
            }
            var skipUnsupported = false
            if let text = request.uri.queryParameters.get("skip_unsupported") {
                guard let value = ["true": true, "false": false][text.lowercased()] else {
                    return JSONResponse.error(.badRequest, "skip_unsupported must be true or false")
                }
                skipUnsupported = value
            }
            let body = try await APIRoutes.readBody(request, state: state, contentTypes: contentTypes, limit: state.configuration.maxFeedBytes)
            guard body.readableBytes > 0 else { return JSONResponse.error(.badRequest, "the body is empty: send a STIX bundle, a MISP event or a plain list") }
            let summary: FeedImportSummary
            do {
                summary = try await importFeed(Data(body.readableBytesView), name: name, state: state, parser: FeedParser(skipUnsupported: skipUnsupported))
            } catch let error as FeedImportError {
                // Feed values are public indicators, and the parser's messages name the problem.
                return JSONResponse.error(.badRequest, "the feed could not be imported, nothing changed: \(error.message)")
            } catch {
                state.logger.error("feed import failed", metadata: ["error": "\(type(of: error))"])
                return JSONResponse.error(.serviceUnavailable, "the feed could not be stored; nothing imported")
            }
            try? await state.store.appendAudit(actor: principal.tokenID, action: "feed.import", subject: summary.name,
                                         detail: "\(summary.format), \(summary.stored) indicators")
            state.logger.info("feed imported", metadata: ["feed": "\(summary.name)", "format": "\(summary.format)", "stored": "\(summary.stored)",
                                                          "token_id": "\(principal.tokenID)"])
            let object: [String: Any] = [
                "name": summary.name, "format": summary.format, "stored": summary.stored,
                "skipped": summary.skipped, "notes": summary.notes,
            ]
            return try JSONResponse.make(object, status: .created, headers: [.location: "/v1/feeds/\(summary.name)"])
        }

        v1.get("feeds") { request, context -> Response in
            _ = try await Auth.bearer(request, context, state: state, minimum: .admin)
            let feeds = try await APIRoutes.storeCall { try await state.store.feeds(asOf: Date()) }
            return try JSONResponse.make(["feeds": feeds.map { feed -> [String: Any] in
                ["name": feed.name, "format": feed.format, "source": feed.source, "imported_at": APIRoutes.iso(feed.importedAt),
                 "entries": feed.entries, "expired": feed.expired, "by_kind": feed.byKind]
            }])
        }

        v1.delete("feeds/:name") { request, context -> Response in
            let principal = try await Auth.bearer(request, context, state: state, minimum: .admin)
            let raw = try context.parameters.require("name")
            let name = raw.removingPercentEncoding ?? raw
            guard try await APIRoutes.storeCall({ try await state.store.removeFeed(name: name) }) else {
                return JSONResponse.error(.notFound, "no feed with this name")
            }
            try? await state.store.appendAudit(actor: principal.tokenID, action: "feed.remove", subject: name, detail: "")
            return Response(status: .noContent)
        }
    }

    static func validName(_ name: String) -> Bool {
        guard (1...100).contains(name.count), let first = name.first, first.isASCII, first.isLetter || first.isNumber else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "-") }
    }

    /// The parser reads files (plain lists stream line by line), so the body goes to a private
    /// temporary file named after the feed, which is also the feed's recorded source. SQLite
    /// streams the entries into its transaction; other stores get the parsed feed whole.
    static func importFeed(_ data: Data, name: String, state: ServerState, parser: FeedParser) async throws -> FeedImportSummary {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vetter-feed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("\(name) (HTTP upload)")
        try data.write(to: file)
        return try await FeedImport.run(store: state.store, file: file, name: name, parser: parser)
    }
}
