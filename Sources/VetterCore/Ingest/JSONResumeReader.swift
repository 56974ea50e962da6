import Foundation

/// Reads JSON Resume documents (https://jsonresume.org/schema, v1).
public struct JSONResumeReader: DocumentReader {
    public init() {}

    public func sniff(_ data: Data, filename: String) -> DocumentFormat? {
        guard let first = data.first(where: { ![0x20, 0x0A, 0x0D, 0x09].contains($0) }), first == UInt8(ascii: "{") else { return nil }
        guard let value = try? JSONValue.parse(data), case .object(let object) = value else { return nil }
        let markers = ["basics", "work", "education", "skills"]
        return object["schema"] == nil && markers.contains(where: { object[$0] != nil }) ? .jsonResume : nil
    }

    public func read(_ data: Data, filename: String, limits: DocumentLimits) throws(DocumentError) -> ResumeDocument {
        let value: JSONValue
        do { value = try JSONValue.parse(data) } catch {
            throw DocumentError(.corrupt, "\(filename): \(error.message)")
        }
        return try document(from: value, sourceName: filename)
    }

    /// Builds a document from an inline JSON Resume object.
    public func document(from value: JSONValue, sourceName: String) throws(DocumentError) -> ResumeDocument {
        guard case .object = value else { throw DocumentError(.corrupt, "\(sourceName): a JSON Resume must be an object") }
        var fields = ResumeFields()
        var lines: [String] = []
        let basics = value["basics"]
        if let name = basics?["name"]?.stringValue {
            fields.name = Extracted(name)
            lines.append(name)
        }
        if let label = basics?["label"]?.stringValue { lines.append(label) }
        if let email = basics?["email"]?.stringValue {
            fields.emails.append(Extracted(email))
            lines.append(email)
        }
        if let phone = basics?["phone"]?.stringValue {
            fields.phones.append(Extracted(phone))
            lines.append(phone)
        }
        for key in ["url", "website"] {
            if let url = basics?[key]?.stringValue { fields.links.append(Extracted(url)) }
        }
        if case .array(let profiles)? = basics?["profiles"] {
            for profile in profiles {
                if let url = profile["url"]?.stringValue {
                    fields.links.append(Extracted(url))
                } else if let network = profile["network"]?.stringValue?.lowercased(), let user = profile["username"]?.stringValue {
                    if network.contains("github") { fields.links.append(Extracted("https://github.com/\(user)")) }
                    if network.contains("linkedin") { fields.links.append(Extracted("https://www.linkedin.com/in/\(user)")) }
                }
            }
        }
        if let location = basics?["location"] {
            let parts = ["city", "region", "countryCode"].compactMap { location[$0]?.stringValue }
            if !parts.isEmpty {
                fields.location = Extracted(parts.joined(separator: ", "))
                lines.append(parts.joined(separator: ", "))
            }
        }
        if let summary = basics?["summary"]?.stringValue { lines.append(summary) }
        if case .array(let work)? = value["work"] {
            for job in work {
                let employer = job["name"]?.stringValue ?? job["company"]?.stringValue
                let title = job["position"]?.stringValue
                let endText = job["endDate"]?.stringValue
                let entry = EmploymentEntry(
                    employer: employer,
                    title: title,
                    start: job["startDate"]?.stringValue.flatMap(Self.partialDate),
                    end: endText.flatMap(Self.partialDate),
                    isCurrent: endText == nil || endText?.isEmpty == true || endText?.lowercased() == "present",
                    isPartTime: [title, job["summary"]?.stringValue].compactMap { $0 }.contains { TextFieldExtractor.mentionsPartTime($0) }
                )
                fields.employment.append(entry)
                lines.append(entry.label)
                if let summary = job["summary"]?.stringValue { lines.append(summary) }
                if case .array(let highlights)? = job["highlights"] {
                    lines.append(contentsOf: highlights.compactMap(\.stringValue))
                }
            }
        }
        if case .array(let education)? = value["education"] {
            for school in education {
                let entry = EducationEntry(
                    school: school["institution"]?.stringValue,
                    degree: [school["studyType"]?.stringValue, school["area"]?.stringValue].compactMap { $0 }.joined(separator: ", "),
                    start: school["startDate"]?.stringValue.flatMap(Self.partialDate),
                    end: school["endDate"]?.stringValue.flatMap(Self.partialDate)
                )
                fields.education.append(entry)
                lines.append([entry.degree, entry.school].compactMap { $0 }.joined(separator: ", "))
            }
        }
        if case .array(let skills)? = value["skills"] {
            for skill in skills {
                if let name = skill["name"]?.stringValue { fields.skills.append(name) }
                if case .array(let keywords)? = skill["keywords"] { fields.skills.append(contentsOf: keywords.compactMap(\.stringValue)) }
            }
            if !fields.skills.isEmpty { lines.append(fields.skills.joined(separator: ", ")) }
        }
        return ResumeDocument(format: .jsonResume, sourceName: sourceName, text: lines.joined(separator: "\n"), fields: fields)
    }

    /// `2013-12-01`, `2013-12`, `2013`.
    static func partialDate(_ text: String) -> PartialDate? {
        let parts = text.split(separator: "-").map(String.init)
        guard let year = parts.first.flatMap(Int.init), (1900...2200).contains(year) else { return nil }
        let month = parts.count > 1 ? Int(parts[1]) : nil
        return PartialDate(year: year, month: month.flatMap { (1...12).contains($0) ? $0 : nil })
    }
}
