import Crypto
import Foundation
import VetterCore
import VetterStore

/// One escalated application to share: what its report said, and its identifiers.
public struct ExportItem: Sendable {
    public var applicationID: String
    public var band: String
    public var score: Double
    public var findingCodes: [String]
    public var generatedAt: Date
    /// STIX indicator ids named by INTEL-FEED-MATCH evidence (`object indicator--…`).
    public var feedObjectIDs: [String]
    /// Normalised identifiers: (`email` | `ip` | `github` | `linkedin` | `phone`, value).
    public var identifiers: [(kind: String, value: String)]
}

/// STIX 2.1 and MISP exports of escalated applications. By default every identifier (and
/// the application id) is replaced by `sha256:` + the hex SHA-256 of `kind:normalised value`,
/// so a partner can test their own values without receiving ours; `clear` writes the values.
public enum IntelExport {
    public struct Problem: Error, CustomStringConvertible {
        public var description: String
    }

    /// Escalated reports of a `vetter.report/v1` JSON-lines file, joined with their records.
    public static func items(reportsJSONL: Data, applications: [Application]) throws -> [ExportItem] {
        let byID = Dictionary(applications.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var out: [ExportItem] = []
        let iso = ISO8601DateFormatter()
        for (number, document) in topLevelObjects(reportsJSONL).enumerated() {
            guard let object = try? JSONSerialization.jsonObject(with: document) as? [String: Any],
                  object["schema"] as? String == "vetter.report/v1", let id = object["application_id"] as? String,
                  let band = object["band"] as? String else {
                throw Problem(description: "report \(number + 1): not a vetter.report/v1 report")
            }
            guard band == "escalate" else { continue }
            guard let application = byID[id] else {
                throw Problem(description: "report \(number + 1): no application record given for this report")
            }
            let findings = object["findings"] as? [[String: Any]] ?? []
            var feedObjects: [String] = []
            for finding in findings where finding["id"] as? String == "INTEL-FEED-MATCH" {
                for evidence in finding["evidence"] as? [[String: Any]] ?? [] {
                    guard let source = evidence["source"] as? String, let range = source.range(of: "object indicator--") else { continue }
                    let tail = source[range.lowerBound...].dropFirst("object ".count)
                    let id = String(tail.prefix { $0.isLetter || $0.isNumber || $0 == "-" })
                    if id.count == "indicator--".count + 36 { feedObjects.append(id) }
                }
            }
            out.append(ExportItem(
                applicationID: id, band: band, score: object["score"] as? Double ?? 0,
                findingCodes: findings.compactMap { $0["id"] as? String },
                generatedAt: (object["generated_at"] as? String).flatMap { iso.date(from: $0) } ?? Date(),
                feedObjectIDs: Array(Set(feedObjects)).sorted(), identifiers: identifiers(application)))
        }
        return out
    }

    /// The top-level JSON objects of a file: JSON Lines, or pretty-printed reports appended
    /// one after another (`vetter screen --format json >> results.json`).
    static func topLevelObjects(_ data: Data) -> [Data] {
        var out: [Data] = []
        var depth = 0, inString = false, escaped = false
        var start: Int?
        for (index, byte) in data.enumerated() {
            if inString {
                if escaped { escaped = false } else if byte == 0x5c { escaped = true } else if byte == 0x22 { inString = false }
                continue
            }
            switch byte {
            case 0x22: inString = true
            case 0x7b:
                if depth == 0 { start = index }
                depth += 1
            case 0x7d:
                depth -= 1
                if depth == 0, let begin = start { out.append(data.subdata(in: data.startIndex + begin..<data.startIndex + index + 1)) }
            default: break
            }
        }
        if depth != 0 { out.append(Data("unterminated".utf8)) }
        return out
    }

    public static func identifiers(_ application: Application) -> [(kind: String, value: String)] {
        var out: [(String, String)] = []
        var seen: Set<String> = []
        func add(_ kind: String, _ value: String?) {
            guard let value, !value.isEmpty, seen.insert(kind + ":" + value).inserted else { return }
            out.append((kind, value))
        }
        for email in application.candidate.emails { add("email", Normalise.email(email)) }
        for phone in application.candidate.phones { add("phone", Normalise.phone(phone).first { $0.hasPrefix("+") }) }
        for link in application.candidate.links + application.candidate.profiles.compactMap(\.url) {
            if let (kind, handle) = IntelValues.profile(link.contains("://") ? link : "https://" + link) { add(kind, handle) }
        }
        for profile in application.candidate.profiles {
            let kind = profile.kind.lowercased()
            if let handle = profile.handle, kind == "github" || kind == "linkedin" { add(kind, IntelValues.handle(handle)) }
        }
        for event in application.events {
            if let ip = event.ip?.trimmingCharacters(in: .whitespaces).lowercased(), IntelValues.addressBytes(ip) != nil { add("ip", ip) }
        }
        return out
    }

    public static func hashed(_ kind: String, _ value: String) -> String {
        "sha256:" + SHA256.hash(data: Data("\(kind):\(value)".utf8)).map { String(format: "%02x", $0) }.joined()
    }

    static func timestamp(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: date)
    }

    /// UUIDv5 in the STIX namespace over the canonical JSON of an SCO's id-contributing properties.
    static func scoID(_ type: String, _ properties: [String: String]) -> String {
        let namespace: [UInt8] = [0x00, 0xab, 0xed, 0xb4, 0xaa, 0x42, 0x46, 0x6c, 0x9c, 0x01, 0xfe, 0xd2, 0x33, 0x15, 0xa9, 0xb7]
        let body = "{" + properties.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\"\($0.value)\"" }.joined(separator: ",") + "}"
        var digest = Array(Insecure.SHA1.hash(data: Data(namespace + Array(body.utf8))).prefix(16))
        digest[6] = (digest[6] & 0x0f) | 0x50
        digest[8] = (digest[8] & 0x3f) | 0x80
        let hex = digest.map { String(format: "%02x", $0) }.joined()
        let parts = [hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4), hex.dropFirst(16).prefix(4), hex.dropFirst(20)]
        return "\(type)--" + parts.joined(separator: "-")
    }

    static func uuid() -> String { UUID().uuidString.lowercased() }

    static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
    }

    /// A STIX 2.1 bundle: the producer identity; per application an indicator over its
    /// identifiers, the observed-data of those identifiers, and a sighting; plus a sighting of
    /// each feed indicator named by INTEL-FEED-MATCH.
    public static func stix(_ items: [ExportItem], clear: Bool, now: Date = Date()) -> [String: Any] {
        let created = timestamp(now)
        let identityID = "identity--" + uuid()
        var objects: [[String: Any]] = [[
            "type": "identity", "spec_version": "2.1", "id": identityID, "created": created, "modified": created,
            "name": "Vetter screener", "identity_class": "system",
        ]]
        for item in items {
            let reference = clear ? item.applicationID : hashed("application", item.applicationID)
            let seen = timestamp(item.generatedAt)
            var scoRefs: [String] = []
            var comparisons: [String] = []
            for (kind, value) in item.identifiers {
                var sco: [String: Any]
                let comparison: String
                if clear && kind == "email" {
                    sco = ["type": "email-addr", "value": value]
                    comparison = "email-addr:value = '\(escape(value))'"
                } else if clear && kind == "ip" {
                    let type = value.contains(":") ? "ipv6-addr" : "ipv4-addr"
                    sco = ["type": type, "value": value]
                    comparison = "\(type):value = '\(escape(value))'"
                } else {
                    let id = clear ? value : hashed(kind, value)
                    sco = ["type": "user-account", "user_id": id, "account_type": clear ? kind : "vetter-hashed-\(kind)"]
                    comparison = "user-account:user_id = '\(escape(id))'"
                }
                let type = sco["type"] as! String
                let contributing = type == "user-account"
                    ? ["account_type": sco["account_type"] as! String, "user_id": sco["user_id"] as! String]
                    : ["value": sco["value"] as! String]
                sco["id"] = scoID(type, contributing)
                sco["spec_version"] = "2.1"
                if !scoRefs.contains(sco["id"] as! String) {
                    objects.append(sco)
                    scoRefs.append(sco["id"] as! String)
                }
                comparisons.append(comparison)
            }
            let description = "Application \(reference) escalated by Vetter (score \(Int(item.score))): \(item.findingCodes.joined(separator: ", ")). A fact to verify, not an accusation."
            var sightingOf: [String] = item.feedObjectIDs
            if !comparisons.isEmpty {
                let indicatorID = "indicator--" + uuid()
                objects.append([
                    "type": "indicator", "spec_version": "2.1", "id": indicatorID, "created": created, "modified": created,
                    "created_by_ref": identityID, "name": "Identifiers of escalated application \(reference)",
                    "description": description, "indicator_types": ["anomalous-activity"],
                    "pattern": "[" + comparisons.joined(separator: " OR ") + "]", "pattern_type": "stix", "valid_from": seen,
                ])
                sightingOf.insert(indicatorID, at: 0)
            }
            var observedRefs: [String] = []
            if !scoRefs.isEmpty {
                let observedID = "observed-data--" + uuid()
                objects.append([
                    "type": "observed-data", "spec_version": "2.1", "id": observedID, "created": created, "modified": created,
                    "created_by_ref": identityID, "first_observed": seen, "last_observed": seen, "number_observed": 1,
                    "object_refs": scoRefs,
                ])
                observedRefs = [observedID]
            }
            for target in sightingOf {
                var sighting: [String: Any] = [
                    "type": "sighting", "spec_version": "2.1", "id": "sighting--" + uuid(), "created": created, "modified": created,
                    "created_by_ref": identityID, "sighting_of_ref": target, "where_sighted_refs": [identityID],
                    "first_seen": seen, "last_seen": seen, "count": 1, "description": description,
                ]
                if !observedRefs.isEmpty { sighting["observed_data_refs"] = observedRefs }
                objects.append(sighting)
            }
        }
        return ["type": "bundle", "id": "bundle--" + uuid(), "objects": objects]
    }

    /// A MISP event with one attribute per identifier (hashed values as `text`), commented with
    /// the application reference, its score and finding codes.
    public static func misp(_ items: [ExportItem], clear: Bool, now: Date = Date()) -> [String: Any] {
        let day = String(timestamp(now).prefix(10))
        var attributes: [[String: Any]] = []
        let types = ["email": "email-src", "ip": "ip-src", "github": "github-username", "phone": "phone-number", "linkedin": "text"]
        for item in items {
            let reference = clear ? item.applicationID : hashed("application", item.applicationID)
            let comment = "application \(reference), score \(Int(item.score)): \(item.findingCodes.joined(separator: ", "))"
            for (kind, value) in item.identifiers {
                var attribute: [String: Any] = ["uuid": uuid(), "to_ids": false, "distribution": "0",
                                                "timestamp": String(Int(item.generatedAt.timeIntervalSince1970))]
                if clear {
                    attribute["type"] = types[kind] ?? "text"
                    attribute["value"] = kind == "linkedin" ? "linkedin:\(value)" : value
                    attribute["comment"] = comment
                } else {
                    attribute["type"] = "text"
                    attribute["value"] = hashed(kind, value)
                    attribute["comment"] = "SHA-256 of \(kind):normalised value; \(comment)"
                }
                attributes.append(attribute)
            }
        }
        return ["Event": [
            "uuid": uuid(), "info": "Vetter: \(items.count) escalated application(s)", "date": day,
            "threat_level_id": "2", "analysis": "1", "distribution": "0", "published": false,
            "timestamp": String(Int(now.timeIntervalSince1970)), "Attribute": attributes,
        ] as [String: Any]]
    }
}
