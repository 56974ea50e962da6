import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import VetterCore
import VetterStore

/// Receivers for ATS webhooks. They authenticate by signature (an ATS cannot send our bearer
/// tokens), and screen on arrival. A bad signature is refused before the body is parsed.
enum WebhookRoutes {
    static func add(to router: Router<VetterRequestContext>, state: ServerState) {
        // Greenhouse: `Signature: sha256 HEX`, HMAC-SHA256 of the entire body with the secret key.
        router.post("v1/webhooks/greenhouse") { request, context -> Response in
            guard let secret = state.configuration.greenhouseSecret else {
                return JSONResponse.error(.notFound, "the Greenhouse receiver is not enabled on this server (serve --greenhouse-secret-file)")
            }
            let body = try await APIRoutes.readBody(request, state: state, contentTypes: ["application/json"])
            let bytes = Data(body.readableBytesView)
            guard let header = request.headers[HTTPField.Name("Signature")!], verifyGreenhouse(signature: header, body: bytes, secret: secret) else {
                state.metrics.signatureFailure()
                Auth.refuse(state, context, status: 401, reason: "bad or missing Greenhouse signature")
                return JSONResponse.error(.unauthorized, "the Signature header is missing or does not match the body (expected: sha256 HEX of HMAC-SHA256 with the shared secret)")
            }
            guard let object = try? JSONSerialization.jsonObject(with: bytes) as? [String: Any] else {
                return JSONResponse.error(.badRequest, "the body is not a JSON object")
            }
            let action = object["action"] as? String ?? ""
            guard action == "new_candidate_application" else {
                return try JSONResponse.make(["status": "ignored", "action": action])
            }
            let application: VetterCore.Application
            do { application = try greenhouseApplication(object) } catch let error as WebhookPayloadError {
                return JSONResponse.error(.badRequest, error.message)
            }
            let (stored, _) = try await state.screenAndStore(application, source: "greenhouse", actor: "webhook:greenhouse")
            return try JSONResponse.make(["status": "screened", "screening_id": stored.id, "application_id": stored.applicationID,
                                          "band": stored.band.rawValue], status: .created)
        }

        // Lever: the body carries `token`, `triggeredAt` and `signature`, the HMAC-SHA256 of
        // token + triggeredAt with the webhook's signature token.
        router.post("v1/webhooks/lever") { request, context -> Response in
            guard let secret = state.configuration.leverSecret else {
                return JSONResponse.error(.notFound, "the Lever receiver is not enabled on this server (serve --lever-secret-file)")
            }
            let body = try await APIRoutes.readBody(request, state: state, contentTypes: ["application/json"])
            guard let object = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any] else {
                return JSONResponse.error(.badRequest, "the body is not a JSON object")
            }
            guard verifyLever(object, secret: secret) else {
                state.metrics.signatureFailure()
                Auth.refuse(state, context, status: 401, reason: "bad or missing Lever signature")
                return JSONResponse.error(.unauthorized, "the signature is missing or does not match token + triggeredAt")
            }
            let event = object["event"] as? String ?? ""
            guard event == "applicationCreated" else { return try JSONResponse.make(["status": "ignored", "event": event]) }
            guard let data = object["data"] as? [String: Any],
                  let opportunity = (data["opportunityId"] as? String) ?? (data["candidateId"] as? String), !opportunity.isEmpty else {
                return JSONResponse.error(.badRequest, "data.opportunityId is missing")
            }
            let received = number(object["triggeredAt"]).map { Date(timeIntervalSince1970: $0 / 1000) }
            let application = VetterCore.Application(id: "lever-\(opportunity)", receivedAt: received)
            let (stored, _) = try await state.screenAndStore(application, source: "lever", actor: "webhook:lever")
            return try JSONResponse.make(["status": "screened", "screening_id": stored.id, "application_id": stored.applicationID,
                                          "band": stored.band.rawValue], status: .created)
        }
    }

    static func hmacHex(_ message: Data, secret: String) -> String {
        HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Array(secret.utf8))).map { String(format: "%02x", $0) }.joined()
    }

    static func verifyGreenhouse(signature header: String, body: Data, secret: String) -> Bool {
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "sha256" else { return false }
        let expected = hmacHex(body, secret: secret)
        return Auth.constantTimeEqual(Array(expected.utf8), Array(parts[1].trimmingCharacters(in: .whitespaces).lowercased().utf8))
    }

    static func verifyLever(_ object: [String: Any], secret: String) -> Bool {
        guard let token = object["token"] as? String, let signature = object["signature"] as? String else { return false }
        guard let triggered = idString(object["triggeredAt"]) else { return false }
        let expected = hmacHex(Data((token + triggered).utf8), secret: secret)
        return Auth.constantTimeEqual(Array(expected.utf8), Array(signature.lowercased().utf8))
    }

    struct WebhookPayloadError: Error { var message: String }

    /// A JSON id or timestamp as text: integers without a decimal point.
    static func idString(_ value: Any?) -> String? {
        switch value {
        case let text as String: return text
        case let int as Int: return String(int)
        case let int as Int64: return String(int)
        case let double as Double: return double == double.rounded() && abs(double) < 1e18 ? String(Int64(double)) : String(double)
        case let number as NSNumber: return number.stringValue
        default: return nil
        }
    }

    static func number(_ value: Any?) -> Double? {
        switch value {
        case let int as Int: return Double(int)
        case let int as Int64: return Double(int)
        case let double as Double: return double
        case let number as NSNumber: return number.doubleValue
        case let text as String: return Double(text)
        default: return nil
        }
    }

    /// A Greenhouse `new_candidate_application` payload as a `vetter.application/v1` record.
    /// Attachments are URLs to Greenhouse's storage: they are not fetched (Vetter runs offline).
    static func greenhouseApplication(_ object: [String: Any]) throws -> VetterCore.Application {
        guard let payload = object["payload"] as? [String: Any], let app = payload["application"] as? [String: Any] else {
            throw WebhookPayloadError(message: "payload.application is missing")
        }
        guard let id = idString(app["id"]), !id.isEmpty else {
            throw WebhookPayloadError(message: "payload.application.id is missing")
        }
        let candidate = app["candidate"] as? [String: Any] ?? [:]
        func values(_ key: String) -> [String] {
            (candidate[key] as? [[String: Any]] ?? []).compactMap { $0["value"] as? String }.filter { !$0.isEmpty }
        }
        let name = [candidate["first_name"] as? String, candidate["last_name"] as? String].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        let addresses = candidate["addresses"] as? [[String: Any]] ?? []
        let home = addresses.first { ($0["type"] as? String) == "home" } ?? addresses.first
        let address = (home?["value"] as? String).map {
            PostalAddress(lines: $0.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) })
        }
        var job: Job?
        if let first = (app["jobs"] as? [[String: Any]])?.first {
            job = Job(id: idString(first["id"]), title: first["name"] as? String)
        }
        let applied = (app["applied_at"] as? String).flatMap { ISO8601DateFormatter().date(from: $0) }
        return VetterCore.Application(
            id: "greenhouse-\(id)", receivedAt: applied, job: job,
            candidate: Candidate(name: name.isEmpty ? nil : name, emails: values("email_addresses"), phones: values("phone_numbers"),
                                 address: address, links: values("website_addresses") + values("social_media_addresses")))
    }
}
