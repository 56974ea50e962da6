import Foundation
import VetterCore

/// Reads HTML résumés with libxml2's HTML parser (never fetches anything, recovers broken markup).
/// When the page carries an h-resume (microformats2) or hResume (classic) item, its properties fill
/// the fields; otherwise the visible text goes through the text extractor.
public struct HTMLReader: DocumentReader {
    public init() {}

    public func sniff(_ data: Data, filename: String) -> DocumentFormat? {
        let head = String(decoding: data.prefix(4096), as: UTF8.self).lowercased()
        let tags = ["<!doctype html", "<html", "<body", "<div", "<p ", "<p>", "<head", "<meta", "<section", "<article"]
        guard head.drop(while: { $0.isWhitespace || $0 == "\u{FEFF}" }).hasPrefix("<") else { return nil }
        return tags.contains(where: head.contains) && !head.contains("<w:worddocument") ? .html : nil
    }

    public func read(_ data: Data, filename: String, limits: DocumentLimits) throws(DocumentError) -> ResumeDocument {
        let root = try LibXML.parseHTML(data, filename: filename)
        var metadata = DocumentMetadata()
        metadata.title = root.descendants("title").first?.value
        if let lang = root.attributes["lang"] { metadata.languages.append(lang) }
        for meta in root.descendants("meta") {
            switch meta.attributes["name"]?.lowercased() {
            case "author": metadata.author = meta.attributes["content"]?.trimmed
            case "generator": metadata.creator = meta.attributes["content"]?.trimmed; metadata.application = metadata.creator
            default: break
            }
        }
        let text = Self.visibleText(root)
        var document = try TextNormalizer.document(format: .html, filename: filename, text: text, metadata: metadata)
        if let resume = Self.findResume(root) {
            let micro = Self.microformatFields(resume, text: document.text)
            if micro.name != nil { document.fields.name = micro.name }
            if !micro.emails.isEmpty { document.fields.emails = micro.emails }
            if !micro.phones.isEmpty { document.fields.phones = micro.phones }
            if micro.location != nil { document.fields.location = micro.location }
            if !micro.employment.isEmpty { document.fields.employment = micro.employment }
            if !micro.education.isEmpty { document.fields.education = micro.education }
            if !micro.skills.isEmpty { document.fields.skills = micro.skills }
            document.warnings.append("fields taken from the h-resume microformat")
        }
        return document
    }

    static let blocks: Set<String> = ["p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
                                      "header", "footer", "ul", "ol", "table", "dd", "dt", "hr", "address", "blockquote", "pre", "main", "aside"]

    static func visibleText(_ root: XMLElement) -> String {
        var out = ""
        func walk(_ e: XMLElement) {
            if ["script", "style", "noscript", "template", "head", "svg"].contains(e.name) { return }
            if blocks.contains(e.name), !out.hasSuffix("\n") { out += "\n" }
            for c in e.children {
                switch c {
                case .text(let t): out += t.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\t", with: " ")
                case .element(let el): walk(el)
                }
            }
            if e.name == "td" || e.name == "th" { out += "\t" }
            if blocks.contains(e.name), !out.hasSuffix("\n") { out += "\n" }
        }
        walk(root)
        // Collapse runs of spaces inside lines.
        return out.components(separatedBy: "\n").map {
            $0.replacingOccurrences(of: #" {2,}"#, with: " ", options: .regularExpression).trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }

    // MARK: - Microformats

    static func classes(_ e: XMLElement) -> Set<String> {
        Set((e.attributes["class"] ?? "").split(whereSeparator: \.isWhitespace).map(String.init))
    }

    static func findResume(_ root: XMLElement) -> XMLElement? {
        if !classes(root).isDisjoint(with: ["h-resume", "hresume"]) { return root }
        return root.descendants().first { !classes($0).isDisjoint(with: ["h-resume", "hresume"]) }
    }

    /// Descendants carrying one of `names` as a class, not looking inside nested microformat roots.
    static func properties(_ e: XMLElement, _ names: Set<String>) -> [XMLElement] {
        var result: [XMLElement] = []
        func walk(_ x: XMLElement) {
            for c in x.elements {
                let cls = classes(c)
                if !cls.isDisjoint(with: names) { result.append(c) }
                let isRoot = cls.contains { $0.hasPrefix("h-") } || !cls.isDisjoint(with: ["vcard", "vevent", "hresume"])
                if !isRoot { walk(c) }
            }
        }
        walk(e)
        return result
    }

    static func value(_ e: XMLElement) -> String? {
        if let dt = e.attributes["datetime"]?.trimmed { return dt }
        if e.name == "abbr", let t = e.attributes["title"]?.trimmed { return t }
        if let href = e.attributes["href"], href.lowercased().hasPrefix("mailto:") { return String(href.dropFirst(7)) }
        if let href = e.attributes["href"], href.lowercased().hasPrefix("tel:") { return String(href.dropFirst(4)) }
        return e.value?.replacingOccurrences(of: #"\s+"#, with: " ", options: .regularExpression)
    }

    static func first(_ e: XMLElement, _ names: Set<String>) -> String? { properties(e, names).lazy.compactMap(value).first }

    static func microformatFields(_ resume: XMLElement, text: String) -> ResumeFields {
        let ns = text as NSString
        func span(_ v: String) -> TextSpan? {
            let r = ns.range(of: v)
            guard r.location != NSNotFound else { return nil }
            let line = ns.substring(to: r.location).reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
            return TextSpan(start: r.location, end: r.location + r.length, line: line)
        }
        var f = ResumeFields()
        let contacts = properties(resume, ["p-contact", "contact"])
        let name = first(resume, ["p-name"]) ?? contacts.lazy.compactMap { first($0, ["fn", "p-name"]) }.first
        f.name = name.map { Extracted($0, span: span($0)) }
        for c in contacts {
            for v in properties(c, ["u-email", "email"]).compactMap(value) where !f.emails.contains(where: { $0.value == v }) {
                f.emails.append(Extracted(v, span: span(v)))
            }
            for v in properties(c, ["p-tel", "tel"]).compactMap(value) where !f.phones.contains(where: { $0.value == v }) {
                f.phones.append(Extracted(v, span: span(v)))
            }
            let place = [first(c, ["p-locality", "locality"]), first(c, ["p-region", "region"]), first(c, ["p-country-name", "country-name"])]
                .compactMap { $0 }
            if f.location == nil, !place.isEmpty { f.location = Extracted(place.joined(separator: ", "), span: nil) }
        }
        for x in properties(resume, ["p-experience", "experience"]) {
            let end = first(x, ["dt-end", "dtend"])
            f.employment.append(EmploymentEntry(
                employer: first(x, ["p-org", "org"]) ?? first(x, ["p-name"]),
                title: first(x, ["p-title", "title", "p-job-title"]),
                start: PartialDates.iso(first(x, ["dt-start", "dtstart"])),
                end: PartialDates.iso(end),
                isCurrent: end == nil,
                span: (x.value).flatMap { span(String($0.prefix(40))) }))
        }
        for x in properties(resume, ["p-education", "education"]) {
            f.education.append(EducationEntry(
                school: first(x, ["p-org", "org"]) ?? first(x, ["p-name", "fn"]),
                degree: first(x, ["p-description", "description"]),
                start: PartialDates.iso(first(x, ["dt-start", "dtstart"])),
                end: PartialDates.iso(first(x, ["dt-end", "dtend"]))))
        }
        f.skills = properties(resume, ["p-skill", "skill"]).compactMap(value)
        return f
    }
}
