import Foundation

/// The kind of a résumé document, detected from its content.
public struct DocumentFormat: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let plainText = DocumentFormat(rawValue: "text")
    public static let markdown = DocumentFormat(rawValue: "markdown")
    public static let jsonResume = DocumentFormat(rawValue: "json-resume")
    public static let pdf = DocumentFormat(rawValue: "pdf")
    public static let docx = DocumentFormat(rawValue: "docx")
    public static let html = DocumentFormat(rawValue: "html")
    public static let europass = DocumentFormat(rawValue: "europass")
    public static let hrOpen = DocumentFormat(rawValue: "hr-open")
    public static let wordML = DocumentFormat(rawValue: "word-2003-xml")
    public static let legacyDoc = DocumentFormat(rawValue: "doc")

    public var description: String { rawValue }
}

/// Where in the document's text a value was read: character offsets into
/// ``ResumeDocument/text`` and the 1-based line, so a report can quote it.
public struct TextSpan: Sendable, Equatable, Codable {
    public var start: Int
    public var end: Int
    public var line: Int

    public init(start: Int, end: Int, line: Int) {
        self.start = start
        self.end = end
        self.line = line
    }
}

/// A value read from a document, with where it came from.
public struct Extracted<Value: Sendable & Equatable & Codable>: Sendable, Equatable, Codable {
    public var value: Value
    public var span: TextSpan?

    public init(_ value: Value, span: TextSpan? = nil) {
        self.value = value
        self.span = span
    }
}

/// A year and, when known, a month.
public struct PartialDate: Sendable, Equatable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var year: Int
    public var month: Int?

    public init(year: Int, month: Int? = nil) {
        self.year = year
        self.month = month
    }

    /// Months since year 0, taking a missing month as January for starts and December for ends.
    public func monthIndex(asEnd: Bool = false) -> Int {
        year * 12 + ((month ?? (asEnd ? 12 : 1)) - 1)
    }

    public static func < (lhs: PartialDate, rhs: PartialDate) -> Bool {
        lhs.monthIndex() < rhs.monthIndex()
    }

    public var description: String {
        month.map { String(format: "%04d-%02d", year, $0) } ?? String(year)
    }
}

public struct EmploymentEntry: Sendable, Equatable, Codable {
    public var employer: String?
    public var title: String?
    public var start: PartialDate?
    public var end: PartialDate?
    /// "Present", "current", "now".
    public var isCurrent: Bool
    /// Part-time, freelance, contract or volunteer: overlapping such roles is ordinary.
    public var isPartTime: Bool
    public var span: TextSpan?

    public init(
        employer: String? = nil,
        title: String? = nil,
        start: PartialDate? = nil,
        end: PartialDate? = nil,
        isCurrent: Bool = false,
        isPartTime: Bool = false,
        span: TextSpan? = nil
    ) {
        self.employer = employer
        self.title = title
        self.start = start
        self.end = end
        self.isCurrent = isCurrent
        self.isPartTime = isPartTime
        self.span = span
    }

    /// A short label for evidence: "Title, Employer (2019-03 to 2021-06)".
    public var label: String {
        let who = [title, employer].compactMap { $0 }.joined(separator: ", ")
        let from = start?.description ?? "?"
        let to = isCurrent ? "present" : (end?.description ?? "?")
        return "\(who.isEmpty ? "role" : who) (\(from) to \(to))"
    }
}

public struct EducationEntry: Sendable, Equatable, Codable {
    public var school: String?
    public var degree: String?
    public var start: PartialDate?
    public var end: PartialDate?
    public var span: TextSpan?

    public init(school: String? = nil, degree: String? = nil, start: PartialDate? = nil, end: PartialDate? = nil, span: TextSpan? = nil) {
        self.school = school
        self.degree = degree
        self.start = start
        self.end = end
        self.span = span
    }
}

/// The fields the indicators need, as read from a résumé.
public struct ResumeFields: Sendable, Equatable, Codable {
    public var name: Extracted<String>?
    public var emails: [Extracted<String>] = []
    public var phones: [Extracted<String>] = []
    public var links: [Extracted<String>] = []
    public var location: Extracted<String>?
    public var employment: [EmploymentEntry] = []
    public var education: [EducationEntry] = []
    public var skills: [String] = []

    public init() {}
}

/// What a document file says about itself: kept as evidence, weighed lightly.
public struct DocumentMetadata: Sendable, Equatable, Codable {
    public var title: String?
    public var author: String?
    public var lastModifiedBy: String?
    public var creator: String?
    public var producer: String?
    /// The creation time exactly as written in the file (`D:20240101120000+09'00'`).
    public var createdRaw: String?
    public var created: Date?
    /// The UTC offset written with the creation time, when the file gives one.
    public var createdUTCOffsetMinutes: Int?
    public var modifiedRaw: String?
    public var modified: Date?
    public var modifiedUTCOffsetMinutes: Int?
    public var pageCount: Int?
    public var template: String?
    public var application: String?
    public var revision: Int?
    public var totalEditingMinutes: Int?
    public var languages: [String] = []
    public var embeddedFiles: [String] = []
    public var imageHashes: [String] = []
    /// An identity for the template the file was made from (XMP DocumentID, DOCX template), for reuse checks.
    public var templateIdentity: String?

    public init() {}
}

/// A résumé as read from one document.
public struct ResumeDocument: Sendable, Equatable, Codable {
    public var format: DocumentFormat
    /// The file name or "inline text"; never a full path of the user's machine in reports.
    public var sourceName: String
    public var text: String
    public var fields: ResumeFields
    public var metadata: DocumentMetadata
    public var warnings: [String]
    /// SHA-256 of the file bytes, hex.
    public var sha256: String?

    public init(
        format: DocumentFormat,
        sourceName: String,
        text: String,
        fields: ResumeFields = ResumeFields(),
        metadata: DocumentMetadata = DocumentMetadata(),
        warnings: [String] = [],
        sha256: String? = nil
    ) {
        self.format = format
        self.sourceName = sourceName
        self.text = text
        self.fields = fields
        self.metadata = metadata
        self.warnings = warnings
        self.sha256 = sha256
    }
}
