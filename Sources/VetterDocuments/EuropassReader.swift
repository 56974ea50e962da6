import Foundation
import VetterCore

/// Reads Europass CVs: XML v3 (`SkillsPassport`), XML v2 (`europass:learnerinfo`) and the
/// Europass JSON (`{"SkillsPassport": …}`).
public struct EuropassReader: DocumentReader {
    public init() {}

    public func sniff(_ data: Data, filename: String) -> DocumentFormat? {
        let head = String(decoding: data.prefix(4096), as: UTF8.self)
        if head.contains("europass.cedefop.europa.eu/Europass") { return .europass }
        let trimmed = head.drop { $0.isWhitespace || $0 == "\u{FEFF}" }
        if trimmed.hasPrefix("{"), head.contains("\"SkillsPassport\"") { return .europass }
        return nil
    }

    public func read(_ data: Data, filename: String, limits: DocumentLimits) throws(DocumentError) -> ResumeDocument {
        let builder = try Self.build(data, filename: filename)
        var metadata = DocumentMetadata()
        metadata.application = builder.generator
        if let created = builder.created, let p = MetadataDates.iso8601(created) {
            metadata.createdRaw = created; metadata.created = p.date; metadata.createdUTCOffsetMinutes = p.offsetMinutes
        }
        return try builder.builder.document(format: .europass, filename: filename, metadata: metadata)
    }

    struct Built {
        var builder = StructuredBuilder()
        var generator: String?
        var created: String?
    }

    /// The fields of a Europass XML or JSON document.
    static func fields(_ data: Data, filename: String) throws(DocumentError) -> ResumeFields {
        try build(data, filename: filename).builder.fields
    }

    /// Uses the structured Europass fields, keeping spans from the PDF text where the value is found in it.
    static func merge(_ structured: ResumeFields, into textFields: ResumeFields, text: String) -> ResumeFields {
        let ns = text as NSString
        func locate(_ value: String) -> TextSpan? {
            let r = ns.range(of: value)
            guard r.location != NSNotFound else { return nil }
            let line = ns.substring(to: r.location).reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
            return TextSpan(start: r.location, end: r.location + r.length, line: line)
        }
        var f = structured
        f.name = structured.name.map { Extracted($0.value, span: locate($0.value)) } ?? textFields.name
        f.emails = structured.emails.map { Extracted($0.value, span: locate($0.value)) }
        f.phones = structured.phones.map { Extracted($0.value, span: locate($0.value)) }
        f.links = structured.links.isEmpty ? textFields.links : structured.links.map { Extracted($0.value, span: locate($0.value)) }
        f.location = structured.location.map { Extracted($0.value, span: locate($0.value)) } ?? textFields.location
        f.employment = structured.employment.map { var e = $0; e.span = nil; return e }
        f.education = structured.education.map { var e = $0; e.span = nil; return e }
        if f.skills.isEmpty { f.skills = textFields.skills }
        return f
    }

    static func build(_ data: Data, filename: String) throws(DocumentError) -> Built {
        let head = String(decoding: data.prefix(64), as: UTF8.self).drop { $0.isWhitespace || $0 == "\u{FEFF}" }
        if head.hasPrefix("{") { return try buildJSON(data, filename: filename) }
        let root = try LibXML.parseXML(data, filename: filename)
        if root.name == "SkillsPassport" { return buildV3(root) }
        if root.name.lowercased() == "learnerinfo" { return buildV2(root) }
        throw DocumentError(.unsupportedFormat, "\(filename): XML that is not a Europass CV")
    }

    private static func buildV3(_ root: XMLElement) -> Built {
        var b = Built()
        b.generator = root.path("DocumentInfo", "Generator")?.value
        b.created = root.path("DocumentInfo", "CreationDate")?.value
        guard let learner = root.child("LearnerInfo") else { return b }
        let id = learner.child("Identification")
        let name = [id?.path("PersonName", "FirstName")?.value, id?.path("PersonName", "Surname")?.value].compactMap { $0 }
        b.builder.name(name.isEmpty ? nil : name.joined(separator: " "))
        let contact = id?.child("ContactInfo")
        if let address = contact?.path("Address", "Contact") {
            let parts = [address.child("Municipality")?.value, address.path("Country", "Label")?.value ?? address.path("Country", "Code")?.value]
            b.builder.location(parts.compactMap { $0 }.joined(separator: ", "))
        }
        for e in contact?.descendants("Email") ?? [] { b.builder.email(e.child("Contact")?.value) }
        for t in contact?.descendants("Telephone") ?? [] { b.builder.phone(t.child("Contact")?.value) }
        for w in contact?.descendants("Website") ?? [] { b.builder.link(w.child("Contact")?.value) }
        b.builder.section("Work experience")
        for w in learner.descendants("WorkExperience") {
            let period = w.child("Period")
            b.builder.job(
                employer: w.path("Employer", "Name")?.value, title: w.path("Position", "Label")?.value,
                start: PartialDates.europass(year: period?.child("From")?.attributes["year"], month: period?.child("From")?.attributes["month"]),
                end: PartialDates.europass(year: period?.child("To")?.attributes["year"], month: period?.child("To")?.attributes["month"]),
                current: period?.child("Current")?.value == "true")
        }
        b.builder.section("Education")
        for e in learner.descendants("Education") {
            let period = e.child("Period")
            b.builder.school(e.path("Organisation", "Name")?.value, degree: e.child("Title")?.value,
                             start: PartialDates.europass(year: period?.child("From")?.attributes["year"], month: period?.child("From")?.attributes["month"]),
                             end: PartialDates.europass(year: period?.child("To")?.attributes["year"], month: period?.child("To")?.attributes["month"]))
        }
        for s in learner.descendants("Skills").first?.elements ?? [] {
            if let d = s.child("Description")?.value { b.builder.skill(String(d.prefix(80))) }
        }
        return b
    }

    private static func buildV2(_ root: XMLElement) -> Built {
        var b = Built()
        b.created = root.path("docinfo", "issuedate")?.value
        let id = root.child("identification")
        let name = [id?.child("firstname")?.value, id?.child("lastname")?.value].compactMap { $0 }
        b.builder.name(name.isEmpty ? nil : name.joined(separator: " "))
        let contact = id?.child("contactinfo")
        if let address = contact?.child("address") {
            b.builder.location([address.child("municipality")?.value, address.path("country", "label")?.value].compactMap { $0 }.joined(separator: ", "))
        }
        b.builder.email(contact?.child("email")?.value)
        b.builder.phone(contact?.child("telephone")?.value)
        b.builder.phone(contact?.child("mobile")?.value)
        func date(_ e: XMLElement?) -> PartialDate? {
            PartialDates.europass(year: e?.child("year")?.value, month: e?.child("month")?.value)
        }
        b.builder.section("Work experience")
        for w in root.descendants("workexperience") {
            let end = date(w.path("period", "to"))
            b.builder.job(employer: w.path("employer", "name")?.value, title: w.path("position", "label")?.value,
                          start: date(w.path("period", "from")), end: end, current: end == nil)
        }
        b.builder.section("Education")
        for e in root.descendants("education") {
            b.builder.school(e.path("organisation", "name")?.value, degree: e.child("title")?.value,
                             start: date(e.path("period", "from")), end: date(e.path("period", "to")))
        }
        return b
    }

    private static func buildJSON(_ data: Data, filename: String) throws(DocumentError) -> Built {
        guard let any = try? JSONSerialization.jsonObject(with: data), let root = (any as? [String: Any])?["SkillsPassport"] as? [String: Any] else {
            throw DocumentError(.corrupt, "\(filename): not a valid Europass JSON document")
        }
        var b = Built()
        let info = root["DocumentInfo"] as? [String: Any]
        b.generator = info?["Generator"] as? String
        b.created = info?["CreationDate"] as? String
        let learner = root["LearnerInfo"] as? [String: Any] ?? [:]
        let id = learner["Identification"] as? [String: Any]
        let person = id?["PersonName"] as? [String: Any]
        let name = [person?["FirstName"] as? String, person?["Surname"] as? String].compactMap { $0 }
        b.builder.name(name.isEmpty ? nil : name.joined(separator: " "))
        let contact = id?["ContactInfo"] as? [String: Any]
        if let addr = (contact?["Address"] as? [String: Any])?["Contact"] as? [String: Any] {
            let country = addr["Country"] as? [String: Any]
            b.builder.location([addr["Municipality"] as? String, country?["Label"] as? String].compactMap { $0 }.joined(separator: ", "))
        }
        b.builder.email((contact?["Email"] as? [String: Any])?["Contact"] as? String)
        for t in contact?["Telephone"] as? [[String: Any]] ?? [] { b.builder.phone(t["Contact"] as? String) }
        for w in contact?["Website"] as? [[String: Any]] ?? [] { b.builder.link(w["Contact"] as? String) }
        func date(_ d: Any?) -> PartialDate? {
            guard let d = d as? [String: Any] else { return nil }
            let y = (d["Year"] as? Int).map(String.init) ?? (d["Year"] as? String)
            let m = (d["Month"] as? Int).map(String.init) ?? (d["Month"] as? String)
            return PartialDates.europass(year: y, month: m)
        }
        b.builder.section("Work experience")
        for w in learner["WorkExperience"] as? [[String: Any]] ?? [] {
            let period = w["Period"] as? [String: Any]
            b.builder.job(employer: (w["Employer"] as? [String: Any])?["Name"] as? String,
                          title: (w["Position"] as? [String: Any])?["Label"] as? String,
                          start: date(period?["From"]), end: date(period?["To"]), current: period?["Current"] as? Bool ?? false)
        }
        b.builder.section("Education")
        for e in learner["Education"] as? [[String: Any]] ?? [] {
            let period = e["Period"] as? [String: Any]
            b.builder.school((e["Organisation"] as? [String: Any])?["Name"] as? String, degree: e["Title"] as? String,
                             start: date(period?["From"]), end: date(period?["To"]))
        }
        return b
    }
}
