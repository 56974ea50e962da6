import Foundation

/// The employer, title and place of one role, read from its heading lines ("Acme Corp, Berlin,
/// DE, Software Engineer", "Engineer at Acme", or employer, place and title on lines of their
/// own). Fragments are told apart by what they are made of: a title names a role ("engineer",
/// "accountant", "director"…), an employer often ends with a company word ("Inc.", "Ltd",
/// "Group", "Bank"…), a place is a region code, a country or "Remote". What is left is taken as
/// the employer. These word lists describe résumé layout, not people; nothing here is scored.
struct RoleHeading {
    var employer: String?
    var title: String?
    var location: String?
    /// The heading text read, for context (part-time wording and the like).
    var sources: [String] = []

    // MARK: - Reading lines

    mutating func absorb(_ raw: String) {
        // Brackets emptied by taking the dates out ("Acme (2019 - 2021)").
        let text = Self.trim(Self.emptyBrackets.replacing(in: raw, with: " "))
        guard !text.isEmpty else { return }
        sources.append(text)
        if let at = Self.atPattern.firstRange(in: text) {
            let left = Self.trim(text[..<at.lowerBound]), right = Self.fragments(String(text[at.upperBound...]))
            if title == nil, !left.isEmpty { title = left }
            if employer == nil, let first = right.first { employer = first }
            if location == nil, right.count > 1 { location = right.dropFirst().joined(separator: ", ") }
            return
        }
        let parts = Self.fragments(text)
        guard !parts.isEmpty else { return }
        let titleIndex = Self.titleFragment(in: parts)
        if let titleIndex, title == nil { title = parts[titleIndex] }
        var rest = parts.indices.filter { $0 != titleIndex }.map { parts[$0] }
        guard !rest.isEmpty else { return }
        // A line that is only a place: "Seoul, S.Korea", "New Orleans, LA", "Remote".
        if titleIndex == nil, Self.isPlace(rest) {
            if location == nil { location = rest.joined(separator: ", ") }
            return
        }
        // Trailing place fragments after the employer: "Acme, Springfield, IL".
        var place: [String] = []
        if rest.count > 1, Self.isPlaceToken(rest[rest.count - 1]) {
            place.append(rest.removeLast())
            if rest.count > 1, !Self.hasCompanyWord(rest[rest.count - 1]) { place.insert(rest.removeLast(), at: 0) }
        }
        if location == nil, !place.isEmpty { location = place.joined(separator: ", ") }
        if let company = rest.firstIndex(where: Self.hasCompanyWord) {
            if employer == nil { employer = rest[company] }
            if title == nil, titleIndex == nil, let other = rest.indices.first(where: { $0 != company }) { title = rest[other] }
        } else if titleIndex == nil, rest.count >= 2 {
            // Nothing tells them apart: the common "title, employer" order.
            if title == nil { title = rest[0] }
            if employer == nil { employer = rest[1] }
        } else if employer == nil {
            employer = rest.first
        }
    }

    /// The old reading of a line nothing else recognised: "title, employer".
    mutating func absorbUnlabelled(_ text: String) {
        guard !text.isEmpty else { return }
        sources.append(text)
        if let separator = Self.firstSeparator.firstRange(in: text) {
            title = Self.trim(text[..<separator.lowerBound])
            employer = Self.trim(text[separator.upperBound...])
            if employer?.isEmpty == true { employer = nil }
        } else {
            title = text
        }
        if title?.isEmpty == true { title = nil }
    }

    // MARK: - Which lines are headings

    /// A short line in heading style: not a bullet, not a sentence, mostly capitalised words.
    static func isHeadingLine(_ text: String) -> Bool {
        guard let first = text.first, text.count <= 100 else { return false }
        if "•*▪◦●■○➢✓►-–·".contains(first) || first.isLowercase { return false }
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard words.count <= 12 else { return false }
        if text.allSatisfy({ $0.isNumber || $0 == " " }) { return false }
        if text.hasSuffix("."), !(words.last.map { hasCompanyWord(String($0)) } ?? false), words.count > 3 { return false }
        let significant = words.filter { !smallWords.contains($0.lowercased()) }
        guard significant.count >= 4 else { return true }
        let capitalised = significant.filter { word in
            guard let c = word.first(where: { $0.isLetter }) else { return true }
            return c.isUppercase
        }
        return capitalised.count * 2 >= significant.count
    }

    /// Words a heading leaves in lower case ("Director of Infrastructure").
    static let smallWords: Set<String> = ["of", "and", "the", "for", "in", "at", "de", "&", "to", "a", "an", "on", "with", "y", "und", "et", "du", "la", "le"]

    // MARK: - Fragments

    static let trimmed = CharacterSet.whitespaces.union(CharacterSet(charactersIn: "•|,–—-:·*"))

    static func trim<S: StringProtocol>(_ text: S) -> String {
        String(text).trimmingScalars(in: trimmed)
    }

    /// A heading split at commas, bars, dashes, dots and wide gaps, with company suffixes
    /// ("…, Ltd.") kept with their name and a suffix glued to the next word ("Inc.Seoul") parted.
    static func fragments(_ text: String) -> [String] {
        var t = Self.gluedSuffix.replacing(in: text, with: "$1., ")
        t = Self.separators.replacing(in: t, with: "\u{1F}")
        var parts: [String] = []
        for raw in t.split(separator: "\u{1F}") {
            let part = trim(raw)
            // Durations ("2 years 3 months") say nothing about the employer or the title.
            guard !part.isEmpty, !Self.duration.matches(part)
            else { continue }
            if let last = parts.last, isCompanySuffixOnly(part) {
                parts[parts.count - 1] = last + ", " + part
            } else {
                parts.append(part)
            }
        }
        return parts
    }

    static func titleFragment(in parts: [String]) -> Int? {
        parts.firstIndex { part in
            !hasCompanyWord(part) && titleWords.matches(part)
        }
    }

    static let emptyBrackets = Pattern(#"[(\[]\s*[)\]]"#, mayMatch: Pattern.containsAny("(["))
    // "at" in any case: no other letter folds to a or t, and a UTF-8 sequence holds no ASCII byte.
    static let atPattern = Pattern(#"\s+(?:at|@)\s+"#, caseInsensitive: true, mayMatch: { text in
        var previous: UInt8 = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: "@") || ((byte | 0x20) == UInt8(ascii: "t") && (previous | 0x20) == UInt8(ascii: "a")) { return true }
            previous = byte
        }
        return false
    })
    static let firstSeparator = Pattern(#"\s*(,|\||—|–| - )\s*"#)
    static let gluedSuffix = Pattern(#"\b(Inc|Ltd|Corp|Co|LLC|GmbH|PLC)\.(?=\p{Lu})"#, mayMatch: Pattern.containsAny("."))
    // In ASCII text a match needs ",", "|", a tab, two white-space bytes in a row, or " - ";
    // the other separators and Unicode spaces are not ASCII.
    static let separators = Pattern(#"\s*(?:,|\||·|•|—|–|\s-\s|\t|\s{2,})\s*"#, mayMatch: { text in
        func space(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }
        var before: UInt8 = 0x41, previous: UInt8 = 0x41
        for byte in text.utf8 {
            if byte >= 0x80 || byte == UInt8(ascii: ",") || byte == UInt8(ascii: "|") || byte == 0x09 { return true }
            if space(byte), space(previous) { return true }
            if space(byte), previous == UInt8(ascii: "-"), space(before) { return true }
            before = previous
            previous = byte
        }
        return false
    })
    // Starts with a digit: an ASCII first byte that is not 0-9 rules it out (`\d` is any Unicode digit).
    static let duration = Pattern(#"^\d+\s*(?:years?|yrs?|months?|mos?)\b"#, caseInsensitive: true, mayMatch: { text in
        guard let first = text.utf8.first else { return false }
        return first >= 0x80 || (first >= 0x30 && first <= 0x39)
    })
    static let parenthetical = Pattern(#"\([^)]*\)"#, mayMatch: Pattern.containsAny("("))
    // Two capitals and nothing else ("$" also allows a final line break).
    static let regionCode = Pattern(#"^[A-Z]{2}$"#, mayMatch: { text in
        let count = text.utf8.count
        return count >= 2 && count <= 5
    })
    static let titleWords = Pattern(titlePattern, caseInsensitive: true, mayMatch: mayHoldTitleWord)
    /// Words that name a role. A heading fragment holding one (or its plural, or "co-founder")
    /// is the title.
    static let titleWordList: [String] = [
        "engineer", "developer", "programmer", "manager", "director", "accountant", "technician", "analyst",
        "coordinator", "consultant", "specialist", "designer", "architect", "scientist", "intern", "assistant",
        "associate", "administrator", "officer", "lead", "head", "president", "vp", "founder", "cto", "ceo", "cfo",
        "coo", "cio", "owner", "representative", "clerk", "supervisor", "executive", "researcher", "professor",
        "lecturer", "teacher", "tutor", "nurse", "attorney", "lawyer", "paralegal", "editor", "writer", "trainee",
        "apprentice", "agent", "advisor", "adviser", "recruiter", "member", "sre", "fellow", "contractor",
        "freelancer", "secretary", "receptionist", "cashier", "operator", "planner", "strategist", "producer",
        "auditor", "bookkeeper", "controller", "instructor", "mentor", "partner", "principal", "chief", "staff"
    ]
    static let titlePattern = #"\b(?:"# + titleWordList.joined(separator: "|") + #"|co-?founder)s?\b"#
    /// The title words as runs of word bytes, for the prefilter; with "cofounder" (`co-?founder`:
    /// "co-founder" holds the run "founder", a title word of its own).
    static let titleWordSet = Set((titleWordList + ["cofounder"]).map { Array($0.utf8) })

    /// Prefilter for ``titleWords``: in ASCII text, ICU's `\b` falls between `[A-Za-z0-9_]` and
    /// anything else, and only ASCII letters fold to ASCII letters; so a match is a run of word
    /// bytes that is, in lower case, a title word or its plural. In other text the pattern runs.
    static func mayHoldTitleWord(_ text: String) -> Bool {
        func isTitle(_ word: [UInt8]) -> Bool {
            titleWordSet.contains(word) || (word.last == UInt8(ascii: "s") && titleWordSet.contains(Array(word.dropLast())))
        }
        var word: [UInt8] = []
        for byte in text.utf8 {
            if byte >= 0x80 { return true }
            if (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F {
                word.append(TextSearch.asciiLowercased(byte))
            } else if !word.isEmpty {
                if isTitle(word) { return true }
                word.removeAll(keepingCapacity: true)
            }
        }
        return !word.isEmpty && isTitle(word)
    }

    static let companyWords: Set<String> = [
        "inc", "llc", "llp", "ltd", "limited", "corp", "corporation", "co", "company", "gmbh", "ag", "sa", "sas", "plc", "pty",
        "bv", "nv", "kk", "ab", "oy", "srl", "spa", "group", "holdings", "bank", "university", "college", "school", "hospital",
        "clinic", "labs", "lab", "laboratory", "laboratories", "technologies", "technology", "tech", "systems", "solutions",
        "software", "consulting", "partners", "agency", "studio", "studios", "institute", "foundation", "association",
        "ministry", "department", "services", "media", "networks", "ventures", "capital", "financial", "management", "dental",
        "engineering", "industries", "international", "enterprises", "communications", "insurance", "pharmaceuticals",
    ]

    /// The fragment's last word (parenthetical aside) is a company word.
    static func hasCompanyWord(_ text: String) -> Bool {
        let bare = parenthetical.replacing(in: text, with: "")
        let words = bare.split(whereSeparator: { !$0.isLetter })
        guard words.count >= 1, let last = words.last else { return false }
        if words.count == 1, !["inc", "llc", "ltd", "gmbh", "plc"].contains(last.lowercased()) { return false }
        return companyWords.contains(last.lowercased())
    }

    static func isCompanySuffixOnly(_ text: String) -> Bool {
        ["inc", "inc.", "llc", "ltd", "ltd.", "limited", "corp", "corp.", "co.", "gmbh", "ag", "s.a.", "plc", "pty ltd", "pty. ltd."]
            .contains(text.lowercased())
    }

    // MARK: - Places

    static func isPlace(_ parts: [String]) -> Bool {
        if parts.count == 1 { return isPlaceToken(parts[0]) }
        return parts.count == 2 && isPlaceToken(parts[1]) && !parts.contains(where: hasCompanyWord)
    }

    static func isPlaceToken(_ text: String) -> Bool {
        if regionCode.matches(text) { return true }
        let lower = text.lowercased()
        if ["remote", "hybrid", "onsite", "on-site", "worldwide", "usa", "u.s.", "u.s.a.", "us", "uk", "u.k.", "uae",
            "s.korea", "s. korea", "south korea"].contains(lower) { return true }
        return countryNames.contains(lower)
    }

    static let countryNames: Set<String> = {
        let english = Locale(identifier: "en_US")
        return Set(Locale.Region.isoRegions.compactMap { english.localizedString(forRegionCode: $0.identifier)?.lowercased() })
    }()
}
