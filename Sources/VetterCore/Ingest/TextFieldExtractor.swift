import Foundation

/// Extracts name, contact details, links, employment and education from résumé text.
///
/// Every value keeps the span of text it came from. Offsets are UTF-16 code units into
/// the text, lines are 1-based.
public struct TextFieldExtractor: Sendable {
    public init() {}

    private struct Line {
        var text: String
        var number: Int
        var offset: Int
    }

    public func extract(from text: String) -> ResumeFields {
        var fields = ResumeFields()
        let ns = text as NSString
        let lines = Self.lines(of: text)

        fields.emails = Self.matches(.email, in: lines).map { Extracted(ns.substring(with: $0), span: span($0, lines)) }
        fields.links = Self.matches(.link, in: lines).map {
            Extracted(ns.substring(with: $0).trimmingCharacters(in: Self.linkTrim), span: span($0, lines))
        }
        fields.phones = Self.matches(.phone, in: lines).compactMap { range in
            let value = ns.substring(with: range).trimmingWhitespace()
            let digits = value.filter(\.isNumber)
            guard (8...15).contains(digits.count), !Self.looksLikeDates(value) else { return nil }
            // A bare number needs a phone-like shape (a + prefix, or at least 10 digits).
            guard value.hasPrefix("+") || digits.count >= 10 else { return nil }
            return Extracted(value, span: span(range, lines))
        }
        fields.name = name(in: lines)
        fields.location = location(in: lines)

        let sections = Self.sections(lines)
        var employmentLines = sections.filter { $0.kind == .experience }.flatMap(\.lines)
        if employmentLines.isEmpty {
            employmentLines = sections.filter { $0.kind == .other || $0.kind == .header }.flatMap(\.lines)
                .filter { !Self.mentionsEducation($0.text) }
        }
        fields.employment = employment(in: employmentLines)
        fields.education = education(in: sections.filter { $0.kind == .education }.flatMap(\.lines))
        fields.skills = Self.skills(in: sections.filter { $0.kind == .skills }.flatMap(\.lines).map(\.text))
        return fields
    }

    private static func skills(in lines: [String]) -> [String] {
        var skills: [String] = []
        for line in lines {
            let cleaned = line.replacingOccurrences(of: "•", with: "")
            for part in cleaned.split(whereSeparator: { ",;|".contains($0) }) {
                var item = part.trimmingWhitespace()
                if let colon = item.lastIndex(of: ":") {
                    item = String(item[item.index(after: colon)...]).trimmingWhitespace()
                }
                if !item.isEmpty, item.count < 40 { skills.append(item) }
            }
        }
        return skills
    }

    // MARK: - Lines and spans

    /// The lines of `components(separatedBy: "\n")` as it splits here: on "\n" characters, so a
    /// "\r\n" (one character) does not end a line. Without a "\r" in the text every "\n" is a
    /// character of its own, and the text is split on its bytes, which is faster.
    private static func lines(of text: String) -> [Line] {
        let parts = text.newlineSeparatedLines()
        var result: [Line] = []
        result.reserveCapacity(parts.count)
        var offset = 0
        for (index, part) in parts.enumerated() {
            let line = String(part)
            result.append(Line(text: line, number: index + 1, offset: offset))
            offset += line.utf16.count + 1
        }
        return result
    }

    /// The texts and UTF-16 offsets of the lines (tests).
    static func lineTexts(of text: String) -> [(String, Int)] { lines(of: text).map { ($0.text, $0.offset) } }

    private func span(_ range: NSRange, _ lines: [Line]) -> TextSpan {
        let line = lines.last(where: { $0.offset <= range.location })?.number ?? 1
        return TextSpan(start: range.location, end: range.location + range.length, line: line)
    }

    private func span(of line: Line) -> TextSpan {
        TextSpan(start: line.offset, end: line.offset + (line.text as NSString).length, line: line.number)
    }

    // MARK: - Patterns

    static let emailPattern = try! NSRegularExpression(pattern: #"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}"#)
    static let linkPattern = try! NSRegularExpression(
        pattern: #"(?:https?://|www\.|(?:[a-z]{2,3}\.)?linkedin\.com/|github\.com/|gitlab\.com/)[^\s<>"]+"#,
        options: [.caseInsensitive]
    )
    // Phone numbers stay on one line; "(+82) 10-…" keeps its parenthesised country code.
    static let phonePattern = try! NSRegularExpression(pattern: #"(?<![\w/])(?:\(\+\d{1,3}\)[ \t]*|\+?\(?)\d[\d \t().\-]{6,}\d(?![\w/])"#)

    private static let linkTrim = CharacterSet(charactersIn: ".,;)")

    /// The whole-text patterns. None of them can match across a line break (their character
    /// classes exclude "\n"), so each runs only on the lines that can hold a match: a line with
    /// an "@" for an email, a "/" or "www." for a link, eight decimal digits for a phone (fewer
    /// are discarded below). The ranges are those of one run over the whole text (a test
    /// compares both on the corpus and on made-up edge cases).
    enum WholeTextPattern: CaseIterable {
        case email, link, phone

        var regex: NSRegularExpression {
            switch self {
            case .email: TextFieldExtractor.emailPattern
            case .link: TextFieldExtractor.linkPattern
            case .phone: TextFieldExtractor.phonePattern
            }
        }

        func mayMatch(_ line: String) -> Bool {
            switch self {
            case .email:
                return line.utf8.contains(UInt8(ascii: "@"))
            case .link:
                // Every alternative has a "/" ("https://", "linkedin.com/"…) or is "www." (any case).
                var w = 0
                for byte in line.utf8 {
                    switch byte {
                    case UInt8(ascii: "/"): return true
                    case UInt8(ascii: "w"), UInt8(ascii: "W"): w += 1
                    case UInt8(ascii: "."): if w >= 3 { return true }; w = 0
                    default: w = 0
                    }
                }
                return false
            case .phone:
                // `\d` is any decimal digit (Unicode Nd), and a kept number has at least 8.
                var digits = 0
                for scalar in line.unicodeScalars where TextFieldExtractor.isDecimalDigit(scalar) {
                    digits += 1
                    if digits >= 8 { return true }
                }
                return false
            }
        }
    }

    private static func matches(_ pattern: WholeTextPattern, in lines: [Line]) -> [NSRange] {
        var ranges: [NSRange] = []
        for line in lines where pattern.mayMatch(line.text) {
            for match in pattern.regex.matches(in: line.text, range: NSRange(location: 0, length: line.text.utf16.count)) {
                ranges.append(NSRange(location: line.offset + match.range.location, length: match.range.length))
            }
        }
        return ranges
    }

    /// One run of `pattern` over the whole text: what ``matches(_:in:)`` must equal (tests).
    static func wholeTextMatches(_ pattern: WholeTextPattern, in text: String) -> [NSRange] {
        pattern.regex.matches(in: text, range: NSRange(location: 0, length: (text as NSString).length)).map(\.range)
    }

    static func lineMatches(_ pattern: WholeTextPattern, in text: String) -> [NSRange] {
        matches(pattern, in: lines(of: text))
    }

    private static let dateLike = [
        Pattern(#"^\(?(19|20)\d{2}\)?\s*[-–.]\s*\(?(19|20)\d{2}\)?$"#), Pattern(#"^\d{1,2}[./-]\d{4}"#), Pattern(#"^(19|20)\d{2}[./-]\d{1,2}"#),
    ]
    private static let nameLabel = Pattern(#"^(name)\s*:\s*"#, caseInsensitive: true)
    private static let locationLabel = Pattern(#"^(location|address|based in)\s*:\s*"#, caseInsensitive: true)
    private static let year = Pattern(#"\b(19|20)\d{2}\b"#)

    private static func looksLikeDates(_ value: String) -> Bool {
        Self.dateLike.contains { $0.matches(value) }
    }

    // MARK: - Name and location

    private func name(in lines: [Line]) -> Extracted<String>? {
        for line in lines.prefix(8) {
            var candidate = line.text.trimmingWhitespace()
            if let label = Self.nameLabel.firstRange(in: candidate) {
                candidate = String(candidate[label.upperBound...])
            }
            guard !candidate.isEmpty else { continue }
            let words = candidate.split(separator: " ")
            let letters = candidate.filter { $0.isLetter || $0 == " " || $0 == "-" || $0 == "." || $0 == "'" }
            let lower = candidate.lowercased()
            guard (2...5).contains(words.count), candidate.count <= 60, letters.count == candidate.count,
                  !["resume", "résumé", "curriculum", "vitae", "cv"].contains(where: { lower.contains($0) }),
                  Self.sectionKind(candidate) == nil else { continue }
            return Extracted(candidate, span: span(of: line))
        }
        return nil
    }

    private func location(in lines: [Line]) -> Extracted<String>? {
        for line in lines.prefix(12) {
            let text = line.text.trimmingWhitespace()
            if let label = Self.locationLabel.firstRange(in: text) {
                return Extracted(String(text[label.upperBound...]), span: span(of: line))
            }
        }
        return nil
    }

    // MARK: - Sections

    private enum SectionKind { case header, experience, education, skills, other }

    private struct Section {
        var kind: SectionKind
        var lines: [Line]
    }

    // Built once: sectionKind runs on every line.
    private static let headingTrim = CharacterSet.whitespaces.union(CharacterSet(charactersIn: ":#•-=_*"))
    private static let experienceHeadings: Set<String> = ["experience", "work experience", "professional experience", "employment",
                                                          "employment history", "work history", "career history", "relevant experience"]
    private static let educationHeadings: Set<String> = ["education", "education and training", "academic background", "qualifications"]
    private static let skillsHeadings: Set<String> = ["skills", "technical skills", "core skills", "technologies", "skills and tools"]
    private static let otherHeadings: Set<String> = ["projects", "summary", "profile", "certifications", "awards", "publications", "languages",
                                                     "interests", "references", "volunteering", "volunteer experience", "about", "objective", "contact"]

    private static func sectionKind(_ text: String) -> SectionKind? {
        let t = text.trimmingScalars(in: headingTrim).lowercased()
        guard !t.isEmpty, t.count <= 40 else { return nil }
        if experienceHeadings.contains(t) { return .experience }
        if educationHeadings.contains(t) { return .education }
        if skillsHeadings.contains(t) { return .skills }
        if otherHeadings.contains(t) { return .other }
        return nil
    }

    private static func sections(_ lines: [Line]) -> [Section] {
        var sections = [Section(kind: .header, lines: [])]
        for line in lines {
            if let kind = sectionKind(line.text) {
                sections.append(Section(kind: kind, lines: []))
            } else if !line.text.trimmingWhitespace().isEmpty {
                sections[sections.count - 1].lines.append(line)
            }
        }
        return sections
    }

    static func mentionsEducation(_ text: String) -> Bool {
        educationWords.matches(text)
    }

    private static let educationWords = Pattern(#"\b(university|college|school|institute|b\.?sc|m\.?sc|bachelor|master|ph\.?d|degree|diploma)\b"#, caseInsensitive: true)
    private static let partTimeWords = Pattern(#"\b(part[- ]time|freelance|freelancer|contractor|contract|volunteer|self[- ]employed|side project|adjunct|moonlighting)\b"#, caseInsensitive: true)

    /// Part-time, freelance, contract or volunteer roles, which may overlap others.
    public static func mentionsPartTime(_ text: String) -> Bool {
        partTimeWords.matches(text)
    }

    // MARK: - Date ranges

    private static let month = #"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|jun(?:e)?|jul(?:y)?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"#
    private static let datePoint = #"(?:\#(month)\s+\d{4}|\d{1,2}/\d{4}|\d{4}[-/.]\d{1,2}|\d{4})"#
    static let dateRangePattern = try! NSRegularExpression(
        pattern: #"(\#(datePoint))\s*(?:-|–|—|to|until|till)\s*(\#(datePoint)|present|current|now|today|ongoing)"#,
        options: [.caseInsensitive]
    )

    /// Parses one end of a range ("Mar 2019", "03/2019", "2019-03", "2019").
    static func partialDate(_ text: String) -> PartialDate? {
        let t = text.lowercased().trimmingWhitespace()
        let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        if let index = months.firstIndex(where: { t.hasPrefix($0) }),
           let year = Int(t.split(separator: " ").last.map(String.init) ?? "") {
            return PartialDate(year: year, month: index + 1)
        }
        let numbers = t.split(whereSeparator: { "/-.".contains($0) }).compactMap { Int($0) }
        if numbers.count == 2 {
            let (year, month) = numbers[0] > 31 ? (numbers[0], numbers[1]) : (numbers[1], numbers[0])
            return PartialDate(year: year, month: month)
        }
        if numbers.count == 1 { return PartialDate(year: numbers[0]) }
        return nil
    }

    private struct RangeMatch {
        var start: PartialDate?
        var end: PartialDate?
        var isCurrent: Bool
        var remainder: String
    }

    /// What `\d` matches (Unicode Nd), answered without a property look-up for ASCII.
    @inline(__always) static func isDecimalDigit(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x80 ? (0x30...0x39).contains(scalar.value) : scalar.properties.numericType == .decimal
    }

    /// Whether a line has four decimal digits in a row, as every date of ``dateRangePattern``
    /// has (a year): lines without one are not run through the pattern.
    static func mayHoldDateRange(_ line: String) -> Bool {
        var run = 0
        for scalar in line.unicodeScalars {
            if isDecimalDigit(scalar) {
                run += 1
                if run == 4 { return true }
            } else {
                run = 0
            }
        }
        return false
    }

    private func dateRange(in line: String) -> RangeMatch? {
        guard Self.mayHoldDateRange(line) else { return nil }
        let ns = line as NSString
        guard let match = Self.dateRangePattern.firstMatch(in: line, range: NSRange(location: 0, length: ns.length)) else { return nil }
        let endText = ns.substring(with: match.range(at: 2))
        let isCurrent = ["present", "current", "now", "today", "ongoing"].contains(endText.lowercased())
        let remainder = ns.replacingCharacters(in: match.range, with: " ")
        return RangeMatch(
            start: Self.partialDate(ns.substring(with: match.range(at: 1))),
            end: isCurrent ? nil : Self.partialDate(endText),
            isCurrent: isCurrent,
            remainder: remainder
        )
    }

    private static let labelTrim = CharacterSet.whitespaces.union(CharacterSet(charactersIn: "•|,–—-:()·*"))

    private static func cleanLabel(_ text: String) -> String {
        text.trimmingScalars(in: labelTrim)
    }

    /// Employment entries: one per date range in the experience section. The employer and title
    /// come from the range's own line and the short heading lines around it (a role's heading
    /// often spans several lines: employer, place, title, dates, in varying order), never from
    /// bullet points or sentences.
    private func employment(in lines: [Line]) -> [EmploymentEntry] {
        let dated: [(index: Int, range: RangeMatch)] = lines.indices.compactMap { i in dateRange(in: lines[i].text).map { (i, $0) } }
        var entries: [EmploymentEntry] = []
        for (k, item) in dated.enumerated() {
            let (index, range) = item
            let previousDated = k > 0 ? dated[k - 1].index : -1
            let nextDated = k + 1 < dated.count ? dated[k + 1].index : lines.count
            var heading = RoleHeading()
            heading.absorb(RoleHeading.trim(range.remainder))
            // Heading lines before the dates, nearest first, until an employer is known.
            var j = index - 1
            var taken = 0
            while j > previousDated, taken < 3, heading.employer == nil || heading.title == nil {
                let text = lines[j].text.trimmingWhitespace()
                guard RoleHeading.isHeadingLine(text) else { break }
                let hadEmployer = heading.employer != nil
                heading.absorb(RoleHeading.trim(text))
                taken += 1
                j -= 1
                if !hadEmployer, heading.employer != nil { break }
            }
            // A title line right after the dates (some layouts put it there).
            var after = index + 1
            while heading.title == nil, after < nextDated, after <= index + 2 {
                let text = lines[after].text.trimmingWhitespace()
                guard RoleHeading.isHeadingLine(text), RoleHeading.titleFragment(in: RoleHeading.fragments(text)) != nil else { break }
                heading.absorb(RoleHeading.trim(text))
                after += 1
            }
            if heading.title == nil, heading.employer == nil, index > 0 {
                // Nothing recognisable: the previous line, split as "title, employer".
                heading.absorbUnlabelled(Self.cleanLabel(lines[index - 1].text))
            }
            let context = ([lines[index].text] + heading.sources).joined(separator: " ")
            entries.append(EmploymentEntry(
                employer: heading.employer,
                title: heading.title,
                start: range.start,
                end: range.end,
                isCurrent: range.isCurrent,
                isPartTime: Self.mentionsPartTime(context),
                span: span(of: lines[index])
            ))
        }
        return entries
    }


    private func education(in lines: [Line]) -> [EducationEntry] {
        var entries: [EducationEntry] = []
        for (index, line) in lines.enumerated() {
            if let range = dateRange(in: line.text) {
                var label = Self.cleanLabel(range.remainder)
                if label.isEmpty, index > 0 { label = Self.cleanLabel(lines[index - 1].text) }
                entries.append(EducationEntry(school: label.isEmpty ? nil : label, start: range.start, end: range.end, span: span(of: line)))
            } else if Self.mentionsEducation(line.text),
                      let year = Self.year.firstRange(in: line.text) {
                let end = Int(line.text[year])
                entries.append(EducationEntry(school: Self.cleanLabel(line.text), end: end.map { PartialDate(year: $0) }, span: span(of: line)))
            }
        }
        return entries
    }
}
