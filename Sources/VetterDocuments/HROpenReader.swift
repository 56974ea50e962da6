import Foundation
import VetterCore

/// Reads HR Open Standards 4.x Candidate JSON (`person`, `profiles[].employment`, `education`).
public struct HROpenReader: DocumentReader {
    public init() {}

    public func sniff(_ data: Data, filename: String) -> DocumentFormat? {
        let head = String(decoding: data.prefix(8192), as: UTF8.self)
        guard head.drop(while: { $0.isWhitespace || $0 == "\u{FEFF}" }).hasPrefix("{") else { return nil }
        return head.contains("\"person\"") && (head.contains("\"documentId\"") || head.contains("\"profiles\"")) ? .hrOpen : nil
    }

    public func read(_ data: Data, filename: String, limits: DocumentLimits) throws(DocumentError) -> ResumeDocument {
        guard let any = try? JSONSerialization.jsonObject(with: data), let root = any as? [String: Any],
              let person = root["person"] as? [String: Any] else {
            throw DocumentError(.corrupt, "\(filename): not a valid HR Open Candidate JSON document")
        }
        var b = StructuredBuilder()
        let name = person["name"] as? [String: Any]
        let given = [name?["given"] as? String, name?["family"] as? String].compactMap { $0 }
        b.name(given.count == 2 ? given.joined(separator: " ") : name?["formattedName"] as? String)
        let comm = person["communication"] as? [String: Any]
        if let address = (comm?["address"] as? [[String: Any]])?.first {
            let region = (address["countrySubDivisions"] as? [[String: Any]])?.first?["value"] as? String
            b.location([address["city"] as? String, region, address["countryCode"] as? String].compactMap { $0 }.joined(separator: ", "))
        }
        for e in comm?["email"] as? [[String: Any]] ?? [] { b.email(e["address"] as? String) }
        for p in comm?["phone"] as? [[String: Any]] ?? [] {
            b.phone((p["formattedNumber"] as? String) ?? (p["number"] as? String)
                ?? [p["countryDialing"] as? String, p["areaDialing"] as? String, p["dialNumber"] as? String].compactMap { $0 }.joined(separator: " ").trimmed)
        }
        for w in comm?["web"] as? [[String: Any]] ?? [] { b.link(w["url"] as? String) }
        var warnings: [String] = []
        b.section("Employment")
        for profile in root["profiles"] as? [[String: Any]] ?? [] {
            for job in profile["employment"] as? [[String: Any]] ?? [] {
                let histories = job["positionHistories"] as? [[String: Any]] ?? []
                let title = histories.first?["title"] as? String ?? job["title"] as? String
                b.job(employer: (job["organization"] as? [String: Any])?["name"] as? String, title: title,
                      start: PartialDates.iso(job["start"] as? String), end: PartialDates.iso(job["end"] as? String),
                      current: job["current"] as? Bool ?? false)
            }
            b.section("Education")
            for edu in profile["education"] as? [[String: Any]] ?? [] {
                let degree = (edu["educationDegrees"] as? [[String: Any]])?.first?["name"] as? String
                b.school((edu["institution"] as? [String: Any])?["name"] as? String, degree: degree,
                         start: PartialDates.iso(edu["start"] as? String), end: PartialDates.iso(edu["end"] as? String))
            }
            for skill in profile["competencies"] as? [[String: Any]] ?? [] { b.skill(skill["name"] as? String) }
            for a in profile["attachments"] as? [[String: Any]] ?? [] where a["content"] != nil {
                warnings.append("the record carries an embedded attachment (\((a["id"] as? [String: Any])?["value"] as? String ?? "unnamed")); read it separately")
            }
        }
        return try b.document(format: .hrOpen, filename: filename, warnings: warnings)
    }
}
