import Foundation
import VetterCore

/// Builds the text of a structured résumé (Europass, HR Open, h-resume) while filling fields,
/// so every field keeps the span of its line in that text.
struct StructuredBuilder {
    private(set) var text = ""
    private var line = 1
    var fields = ResumeFields()

    /// Appends a line and returns its span.
    @discardableResult
    mutating func append(_ s: String) -> TextSpan {
        let clean = s.replacingOccurrences(of: "\n", with: " ")
        let start = (text as NSString).length
        text += clean + "\n"
        let span = TextSpan(start: start, end: start + (clean as NSString).length, line: line)
        line += 1
        return span
    }

    mutating func name(_ value: String?) {
        guard let v = value?.trimmed, fields.name == nil else { return }
        fields.name = Extracted(v, span: append(v))
    }

    mutating func email(_ value: String?) {
        guard let v = value?.trimmed, !fields.emails.contains(where: { $0.value == v }) else { return }
        fields.emails.append(Extracted(v, span: append(v)))
    }

    mutating func phone(_ value: String?) {
        guard let v = value?.trimmed, !fields.phones.contains(where: { $0.value == v }) else { return }
        fields.phones.append(Extracted(v, span: append(v)))
    }

    mutating func link(_ value: String?) {
        guard let v = value?.trimmed, !fields.links.contains(where: { $0.value == v }) else { return }
        fields.links.append(Extracted(v, span: append(v)))
    }

    mutating func location(_ value: String?) {
        guard let v = value?.trimmed, fields.location == nil else { return }
        fields.location = Extracted(v, span: append(v))
    }

    mutating func section(_ title: String) { append(""); append(title) }

    mutating func job(employer: String?, title: String?, start: PartialDate?, end: PartialDate?, current: Bool, extra: String? = nil) {
        var entry = EmploymentEntry(employer: employer?.trimmed, title: title?.trimmed, start: start, end: end, isCurrent: current)
        let label = [entry.title, entry.employer].compactMap { $0 }.joined(separator: ", ")
        let dates = "\(start?.description ?? "?") - \(current ? "Present" : (end?.description ?? "?"))"
        entry.span = append("\(label)   \(dates)")
        entry.isPartTime = TextFieldExtractor.mentionsPartTime(label + " " + (extra ?? ""))
        if let extra = extra?.trimmed { append(extra) }
        fields.employment.append(entry)
    }

    mutating func school(_ school: String?, degree: String?, start: PartialDate?, end: PartialDate?) {
        let label = [degree?.trimmed, school?.trimmed].compactMap { $0 }.joined(separator: ", ")
        let span = append("\(label)   \(start?.description ?? "") - \(end?.description ?? "")")
        fields.education.append(EducationEntry(school: school?.trimmed, degree: degree?.trimmed, start: start, end: end, span: span))
    }

    mutating func skill(_ value: String?) {
        guard let v = value?.trimmed, !fields.skills.contains(v) else { return }
        fields.skills.append(v)
    }

    /// The résumé document built so far.
    func document(format: DocumentFormat, filename: String, metadata: DocumentMetadata = DocumentMetadata(),
                  warnings: [String] = []) throws(DocumentError) -> ResumeDocument {
        guard fields.name != nil || !fields.emails.isEmpty || !fields.employment.isEmpty else {
            throw DocumentError(.empty, "\(filename): the \(format) document has no name, contact or employment")
        }
        return ResumeDocument(format: format, sourceName: filename, text: text, fields: fields, metadata: metadata, warnings: warnings)
    }
}

extension String {
    /// Trimmed, or nil when blank.
    var trimmed: String? {
        let t = trimmingCharacters(in: .whitespacesAndNewlines)
        return t.isEmpty ? nil : t
    }
}

enum PartialDates {
    /// "2019", "2019-03", "2019-03-04", "2019-03-04T…" → PartialDate.
    static func iso(_ s: String?) -> PartialDate? {
        guard let s = s?.trimmed else { return nil }
        let parts = s.prefix(10).split(separator: "-").compactMap { Int($0) }
        guard let y = parts.first, (1900...2200).contains(y) else { return nil }
        return PartialDate(year: y, month: parts.count > 1 && (1...12).contains(parts[1]) ? parts[1] : nil)
    }

    /// Europass `year="2002" month="--08"`.
    static func europass(year: String?, month: String?) -> PartialDate? {
        guard let y = year.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }) else { return nil }
        let m = month.flatMap { Int($0.filter(\.isNumber)) }
        return PartialDate(year: y, month: m.flatMap { (1...12).contains($0) ? $0 : nil })
    }
}
