import Foundation
import VetterCore

/// The time budget of one document read. Checked between pages and parts; a reader that runs
/// over gives ``DocumentError/Code/timedOut``.
struct TimeBudget {
    let start = Date()
    let seconds: Double
    let filename: String

    init(_ limits: DocumentLimits, filename: String) {
        self.seconds = limits.timeBudgetSeconds
        self.filename = filename
    }

    func check() throws(DocumentError) {
        if Date().timeIntervalSince(start) > seconds {
            throw DocumentError(.timedOut, "\(filename): reading took longer than the \(Int(seconds))-second budget")
        }
    }
}

enum TextNormalizer {
    /// Normalises extracted text: line endings, no-break spaces, ligatures, trailing blanks, runs
    /// of blank lines. One pass over the scalars (a `replacingOccurrences` per rule, each a
    /// locale-aware search, was most of the time spent on a PDF).
    static func normalize(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var line = String.UnicodeScalarView()
        var blankRun = true  // at the start, blank lines are dropped
        func endLine() {
            while let last = line.last, last == " " || last == "\t" { line.removeLast() }
            if line.isEmpty {
                if !blankRun { out.append("\n"); blankRun = true }
            } else {
                out.append(contentsOf: line)
                out.append("\n")
                blankRun = false
            }
            line.removeAll(keepingCapacity: true)
        }
        var previousCR = false
        for scalar in text.unicodeScalars {
            if previousCR, scalar == "\n" { previousCR = false; continue }
            previousCR = false
            switch scalar.value {
            case 0x0D: endLine(); previousCR = true
            case 0x0A, 0x0C: endLine()
            case 0x00A0, 0x2007, 0x202F: line.append(" ")
            case 0x00AD, 0x200B: break
            case 0x2010, 0x2011: line.append("-")
            case 0xFB00: line.append(contentsOf: "ff".unicodeScalars)
            case 0xFB01: line.append(contentsOf: "fi".unicodeScalars)
            case 0xFB02: line.append(contentsOf: "fl".unicodeScalars)
            case 0xFB03: line.append(contentsOf: "ffi".unicodeScalars)
            case 0xFB04: line.append(contentsOf: "ffl".unicodeScalars)
            default: line.append(scalar)
            }
        }
        endLine()
        return String(out).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Builds a document from extracted text, with the text extractor's fields.
    static func document(format: DocumentFormat, filename: String, text raw: String, metadata: DocumentMetadata,
                         warnings: [String] = []) throws(DocumentError) -> ResumeDocument {
        let text = normalize(raw)
        guard !text.isEmpty else {
            throw DocumentError(.empty, "\(filename): no text could be extracted (an image-only document needs OCR, which is not supported)")
        }
        return ResumeDocument(format: format, sourceName: filename, text: text,
                              fields: TextFieldExtractor().extract(from: text), metadata: metadata, warnings: warnings)
    }
}

/// Dates as written in documents.
enum MetadataDates {
    /// Parses an ISO 8601 date-time as written in OOXML/XMP (`2019-03-04T10:20:30+09:00`, `…Z`, no offset).
    /// Returns the instant (local time taken as UTC when no offset is written) and the offset in minutes
    /// when one is written (`Z` gives 0).
    static func iso8601(_ raw: String) -> (date: Date, offsetMinutes: Int?)? {
        let pattern = #"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$"#
        guard let m = try? NSRegularExpression(pattern: pattern).firstMatch(
            in: raw, range: NSRange(location: 0, length: (raw as NSString).length)) else { return nil }
        let ns = raw as NSString
        func int(_ i: Int) -> Int? { m.range(at: i).location == NSNotFound ? nil : Int(ns.substring(with: m.range(at: i))) }
        var offset: Int?
        if m.range(at: 7).location != NSNotFound {
            let o = ns.substring(with: m.range(at: 7))
            if o == "Z" { offset = 0 } else {
                let digits = o.dropFirst().filter(\.isNumber)
                let h = Int(digits.prefix(2)) ?? 0, mm = Int(digits.suffix(2)) ?? 0
                offset = (o.hasPrefix("-") ? -1 : 1) * (h * 60 + mm)
            }
        }
        return components(int(1), int(2), int(3), int(4), int(5), int(6), offset)
    }

    /// Parses a PDF date (`D:20190304102030+09'00'`, `D:20190304102030Z`, `D:2019030410`).
    static func pdf(_ raw: String) -> (date: Date, offsetMinutes: Int?)? {
        var s = raw.trimmingCharacters(in: .whitespaces)
        if s.hasPrefix("D:") { s.removeFirst(2) }
        let digits = s.prefix { $0.isNumber }
        guard digits.count >= 4 else { return nil }
        let d = Array(digits)
        func part(_ from: Int, _ len: Int) -> Int? { d.count >= from + len ? Int(String(d[from..<from + len])) : nil }
        let rest = s.dropFirst(digits.count)
        var offset: Int?
        if let sign = rest.first {
            if sign == "Z" { offset = 0 } else if sign == "+" || sign == "-" {
                let nums = rest.dropFirst().split(whereSeparator: { !$0.isNumber }).map(String.init)
                let h = nums.first.flatMap { Int($0.prefix(2)) } ?? 0
                let m = nums.count > 1 ? Int(nums[1].prefix(2)) ?? 0 : 0
                offset = (sign == "-" ? -1 : 1) * (h * 60 + m)
            }
        }
        return components(part(0, 4), part(4, 2) ?? 1, part(6, 2) ?? 1, part(8, 2), part(10, 2), part(12, 2), offset)
    }

    private static func components(_ y: Int?, _ mo: Int?, _ d: Int?, _ h: Int?, _ mi: Int?, _ s: Int?, _ offset: Int?) -> (Date, Int?)? {
        guard let y, (1900...2200).contains(y) else { return nil }
        var c = DateComponents()
        c.year = y; c.month = mo ?? 1; c.day = d ?? 1; c.hour = h ?? 0; c.minute = mi ?? 0; c.second = s ?? 0
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(secondsFromGMT: (offset ?? 0) * 60) ?? TimeZone(identifier: "UTC")!
        guard let date = cal.date(from: c) else { return nil }
        return (date, offset)
    }
}
