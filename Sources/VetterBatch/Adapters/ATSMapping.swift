import Foundation
import VetterCore

/// Helpers shared by the ATS adapters.
enum MappingSupport {
    static func string(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let s)?:
            let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
            return t.isEmpty ? nil : t
        case .number(let n)?:
            return n.rounded() == n && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        default: return nil
        }
    }

    static func array(_ value: JSONValue?) -> [JSONValue] {
        if case .array(let items)? = value { return items }
        return []
    }

    static func isEmpty(_ value: JSONValue?) -> Bool {
        switch value {
        case nil, .null?: return true
        case .string(let s)?: return s.trimmingCharacters(in: .whitespaces).isEmpty
        case .array(let a)?: return a.isEmpty
        case .object(let o)?: return o.isEmpty
        default: return false
        }
    }

    /// Keys of `object` holding data that were not mapped, as `prefix.key` (custom fields one by one).
    static func unmapped(_ value: JSONValue?, prefix: String, mapped: Set<String>, expand: Set<String> = ["custom_fields", "keyed_custom_fields"]) -> [String] {
        guard case .object(let o)? = value else { return [] }
        var out: [String] = []
        for (key, child) in o where !mapped.contains(key) && !isEmpty(child) {
            if expand.contains(key), case .object(let inner) = child {
                out.append(contentsOf: inner.filter { !isEmpty($0.value) }.keys.map { "\(prefix)\(key).\($0)" })
            } else {
                out.append("\(prefix)\(key)")
            }
        }
        return out.sorted()
    }

    /// Splits profile URLs into `profiles` (GitHub, LinkedIn, …) and plain links.
    static func linksAndProfiles(_ urls: [String]) -> (links: [JSONValue], profiles: [JSONValue]) {
        var links: [JSONValue] = [], profiles: [JSONValue] = []
        for url in urls {
            let lower = url.lowercased()
            let kind = ["github.com": "github", "linkedin.com": "linkedin", "gitlab.com": "gitlab", "stackoverflow.com": "stackoverflow"]
                .first { lower.contains($0.key) }?.value
            if let kind {
                profiles.append(.object(["kind": .string(kind), "url": .string(url)]))
            } else {
                links.append(.string(url))
            }
        }
        return (links, profiles)
    }

    /// Finds a saved attachment: `DIR/OWNER/FILE`, then `DIR/FILE`; the path relative to DIR.
    static func attachment(_ filename: String?, owner: String?, in directory: URL?) -> String? {
        guard let filename, let directory else { return nil }
        let name = (filename as NSString).lastPathComponent
        guard !name.isEmpty, name != "..", name != "." else { return nil }
        var candidates: [String] = []
        if let owner { candidates.append("\(owner)/\(name)") }
        candidates.append(name)
        return candidates.first { FileManager.default.isReadableFile(atPath: directory.appendingPathComponent($0).path) }
    }

    static func object(_ pairs: [(String, JSONValue?)]) -> JSONValue {
        var o: [String: JSONValue] = [:]
        for (k, v) in pairs { if let v, !isEmpty(v) { o[k] = v } }
        return .object(o)
    }

    static func strings(_ values: [String]) -> JSONValue? { values.isEmpty ? nil : .array(values.map(JSONValue.string)) }
}

/// Greenhouse: Harvest candidates (with their applications) and webhook bodies.
public enum GreenhouseMapper {
    static let candidateKeys: Set<String> = [
        "id", "first_name", "last_name", "email_addresses", "phone_numbers", "addresses", "website_addresses",
        "social_media_addresses", "attachments", "applications", "application_ids",
        // Administrative fields with no bearing on a screening.
        "created_at", "updated_at", "last_activity", "is_private", "photo_url", "can_email", "url", "linked_user_ids",
    ]
    static let applicationKeys: Set<String> = [
        "id", "candidate_id", "applied_at", "jobs", "candidate", "attachments",
        "last_activity_at", "status", "prospect", "rejected_at", "rejection_reason", "rejection_details",
    ]

    /// One record per application of a Harvest candidate.
    public static func harvest(candidate: JSONValue, attachments: URL? = nil) -> [MappedRecord] {
        MappingSupport.array(candidate["applications"]).map { application in
            map(candidate: candidate, application: application, attachments: attachments, candidatePrefix: "candidate.", applicationPrefix: "application.")
        }
    }

    /// A webhook body. Only `new_candidate_application` carries an application to screen.
    public static func webhook(_ body: JSONValue, attachments: URL? = nil) -> Result<MappedRecord, MappingError> {
        let action = MappingSupport.string(body["action"]) ?? "(none)"
        guard action == "new_candidate_application" else {
            return .failure(MappingError("Greenhouse webhook action \(action) is not an application to screen (expected new_candidate_application)"))
        }
        guard let application = body["payload"]?["application"], case .object = application,
              let candidate = application["candidate"], case .object = candidate else {
            return .failure(MappingError("Greenhouse webhook: payload.application.candidate missing"))
        }
        var record = map(candidate: candidate, application: application, attachments: attachments,
                         candidatePrefix: "payload.application.candidate.", applicationPrefix: "payload.application.")
        record.adapter = "greenhouse-webhook"
        return .success(record)
    }

    static func map(candidate: JSONValue, application: JSONValue, attachments: URL?, candidatePrefix: String, applicationPrefix: String) -> MappedRecord {
        let s = MappingSupport.self
        let candidateID = s.string(candidate["id"])
        let applicationID = s.string(application["id"])
        let id = "greenhouse-" + (applicationID ?? candidateID.map { "candidate-\($0)" } ?? "unknown")
        var unmapped: [String] = []

        let name = [s.string(candidate["first_name"]), s.string(candidate["last_name"])].compactMap { $0 }.joined(separator: " ")
        let emails = s.array(candidate["email_addresses"]).compactMap { s.string($0["value"]) }
        var phones: [String] = []
        for phone in s.array(candidate["phone_numbers"]) {
            if s.string(phone["type"]) == "skype" { unmapped.append("\(candidatePrefix)phone_numbers[skype]"); continue }
            if let value = s.string(phone["value"]) { phones.append(value) }
        }
        let addresses = s.array(candidate["addresses"])
        let home = addresses.first { s.string($0["type"]) == "home" } ?? addresses.first
        let address = home.flatMap { s.string($0["value"]) }.map { JSONValue.object(["lines": .array([.string($0)])]) }
        if addresses.count > 1 { unmapped.append("\(candidatePrefix)addresses[1...]") }
        let urls = (s.array(candidate["website_addresses"]) + s.array(candidate["social_media_addresses"])).compactMap { s.string($0["value"]) }
        let (links, profiles) = MappingSupport.linksAndProfiles(urls)

        let job = s.array(application["jobs"]).first
        if s.array(application["jobs"]).count > 1 { unmapped.append("\(applicationPrefix)jobs[1...]") }
        let jobValue = job.map { j in
            s.object([("id", s.string(j["id"]).map(JSONValue.string)), ("title", s.string(j["name"]).map(JSONValue.string))])
        }
        if let job { unmapped += s.unmapped(job, prefix: "\(applicationPrefix)jobs[0].", mapped: ["id", "name", "status", "created_at", "opened_at", "closed_at", "requisition_id", "job_post_id"]) }

        // The résumé: the newest attachment of type resume, on the application or the candidate.
        let files = s.array(application["attachments"]) + s.array(candidate["attachments"])
        let resumes = files.filter { s.string($0["type"]) == "resume" }
            .sorted { (s.string($0["created_at"]) ?? "") > (s.string($1["created_at"]) ?? "") }
        var resume: JSONValue?
        if let file = resumes.first {
            if let local = s.string(file["path"]) {
                resume = .object(["path": .string(local)])
            } else if let path = s.attachment(s.string(file["filename"]), owner: candidateID, in: attachments) {
                resume = .object(["path": .string(path)])
            } else {
                unmapped.append("\(candidatePrefix)attachments[resume] (no local copy found; save attachments under --attachments-dir/CANDIDATE_ID/)")
            }
        }
        if files.contains(where: { s.string($0["type"]) != "resume" }) { unmapped.append("\(candidatePrefix)attachments[other types]") }

        unmapped += s.unmapped(candidate, prefix: candidatePrefix, mapped: candidateKeys)
        unmapped += s.unmapped(application, prefix: applicationPrefix, mapped: applicationKeys)

        let record = s.object([
            ("schema", .string("vetter.application/v1")),
            ("id", .string(id)),
            ("received_at", s.string(application["applied_at"]).map(JSONValue.string)),
            ("job", jobValue),
            ("candidate", s.object([
                ("name", name.isEmpty ? nil : .string(name)),
                ("emails", s.strings(emails)),
                ("phones", s.strings(phones)),
                ("address", address),
                ("links", links.isEmpty ? nil : .array(links)),
                ("profiles", profiles.isEmpty ? nil : .array(profiles)),
            ])),
            ("resume", resume),
        ])
        return MappedRecord(record: record, unmapped: unmapped.sorted(), adapter: "greenhouse-harvest")
    }
}

/// Lever opportunities (timestamps in epoch milliseconds).
public enum LeverMapper {
    static let mappedKeys: Set<String> = [
        "id", "name", "emails", "phones", "links", "location", "createdAt", "applications",
        "updatedAt", "lastInteractionAt", "lastAdvancedAt", "urls", "isAnonymized", "confidentiality", "snoozedUntil",
    ]

    public static func opportunity(_ value: JSONValue, attachments: URL? = nil) -> Result<MappedRecord, MappingError> {
        let s = MappingSupport.self
        guard case .object = value, let opportunityID = s.string(value["id"]) else {
            return .failure(MappingError("Lever opportunity: id missing"))
        }
        var unmapped = s.unmapped(value, prefix: "", mapped: mappedKeys)
        let emails = s.array(value["emails"]).compactMap { s.string($0) }
        let phones = s.array(value["phones"]).compactMap { s.string($0["value"]) ?? s.string($0) }
        let (links, profiles) = s.linksAndProfiles(s.array(value["links"]).compactMap { s.string($0) })
        var receivedAt: JSONValue?
        if case .number(let ms)? = value["createdAt"] {
            receivedAt = .string(DateParsing.string(Date(timeIntervalSince1970: ms / 1000)))
        } else if let text = s.string(value["createdAt"]) {
            receivedAt = .string(text)
        }
        // Applications are ids or objects with a posting; the first posting is the job.
        let applications = s.array(value["applications"])
        let posting = applications.lazy.compactMap { s.string($0["posting"]) }.first
        if applications.count > 1 { unmapped.append("applications[1...]") }
        var resume: JSONValue?
        if let directory = attachments {
            let folder = directory.appendingPathComponent(opportunityID)
            if let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path).filter({ !$0.hasPrefix(".") }).sorted(), let first = names.first {
                resume = .object(["path": .string("\(opportunityID)/\(first)")])
            }
        }
        let record = s.object([
            ("schema", .string("vetter.application/v1")),
            ("id", .string("lever-\(opportunityID)")),
            ("received_at", receivedAt),
            ("job", posting.map { .object(["id": .string($0)]) }),
            ("candidate", s.object([
                ("name", s.string(value["name"]).map(JSONValue.string)),
                ("emails", s.strings(emails)),
                ("phones", s.strings(phones)),
                ("address", s.string(value["location"]).map { JSONValue.object(["lines": .array([.string($0)])]) }),
                ("links", links.isEmpty ? nil : .array(links)),
                ("profiles", profiles.isEmpty ? nil : .array(profiles)),
            ])),
            ("resume", resume),
        ])
        return .success(MappedRecord(record: record, unmapped: unmapped.sorted(), adapter: "lever"))
    }
}

/// Why a record could not be mapped (names fields, never values).
public struct MappingError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
