import Foundation

extension Report {
    /// The report as one line of compact JSON: byte for byte what `JSONEncoder` writes with
    /// `[.sortedKeys, .withoutEscapingSlashes]` and `.iso8601` dates, written directly.
    ///
    /// A batch writes one of these per application; through `JSONEncoder` (which builds a tree of
    /// boxed values, sorts every object's keys and then writes them) that was 6.6% of a batch's
    /// CPU. `ReportJSONLineTests` compares the two on the samples' reports and on generated ones
    /// with every optional field set and every character class a string can need escaped, so a
    /// field added to a report type without being added here fails there.
    public func jsonLine() -> String {
        var w = JSONLineWriter()
        w.bytes.reserveCapacity(4096)
        w.open()
        w.key("application_id"); w.string(applicationID)
        w.key("band"); w.string(band.rawValue)
        w.key("categories"); w.array(categories) { w, c in
            w.open()
            if let cap = c.cap { w.key("cap"); w.number(cap) }
            w.key("category"); w.string(c.category.rawValue)
            w.key("points"); w.number(c.points)
            w.key("raw"); w.number(c.raw)
            w.close()
        }
        w.key("coverage")
        w.open()
        w.key("checks"); w.array(coverage.checks) { w, c in
            w.open()
            w.key("code"); w.string(c.code)
            if let reason = c.reason { w.key("reason"); w.string(reason) }
            w.key("status"); w.string(c.status.rawValue)
            w.close()
        }
        w.key("inputs"); w.array(coverage.inputs) { w, s in w.string(s) }
        w.close()
        w.key("findings"); w.array(findings) { w, f in
            w.open()
            w.key("category"); w.string(f.category.rawValue)
            w.key("evidence"); w.array(f.evidence) { w, e in
                w.open()
                if let expected = e.expected { w.key("expected"); w.string(expected) }
                w.key("field"); w.string(e.field)
                w.key("observed"); w.string(e.observed)
                w.key("source"); w.string(e.source)
                w.close()
            }
            w.key("explanation"); w.string(f.explanation)
            w.key("id"); w.string(f.id)
            w.key("points"); w.number(f.points)
            w.key("policy_points"); w.number(f.policyPoints)
            w.key("references"); w.array(f.references) { w, r in
                w.open()
                w.key("id"); w.string(r.id)
                w.key("title"); w.string(r.title)
                if let url = r.url { w.key("url"); w.string(url) }
                w.close()
            }
            w.key("strength"); w.string(f.strength.rawValue)
            w.key("title"); w.string(f.title)
            w.key("verify"); w.string(f.verify)
            w.close()
        }
        w.key("generated_at"); w.string(JSONLineWriter.iso8601(generatedAt))
        w.key("notice"); w.string(notice)
        w.key("policy")
        w.open()
        w.key("digest"); w.string(policy.digest)
        w.key("name"); w.string(policy.name)
        w.key("version"); w.string(policy.version)
        w.close()
        w.key("schema"); w.string(schema)
        w.key("score"); w.number(score)
        w.key("thresholds")
        w.open()
        w.key("escalate"); w.number(thresholds.escalate)
        w.key("review"); w.number(thresholds.review)
        w.close()
        w.key("tool_version"); w.string(toolVersion)
        w.close()
        return String(decoding: w.bytes, as: UTF8.self)
    }
}

/// Compact JSON written straight into bytes, escaping as `JSONEncoder` does with
/// `.withoutEscapingSlashes`: `"` and `\`, the control characters (`\b \f \n \r \t`, the rest as
/// `\u00XX` in lower-case hex), and nothing else (so a line never holds a raw newline).
struct JSONLineWriter {
    var bytes: [UInt8] = []
    /// Whether the next member or element is the first of its container.
    private var first = true

    mutating func open() {
        bytes.append(UInt8(ascii: "{"))
        first = true
    }

    mutating func close() {
        bytes.append(UInt8(ascii: "}"))
        first = false
    }

    /// A member's key (known not to need escaping) and its colon.
    mutating func key(_ name: StaticString) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    mutating func array<C: Collection>(_ elements: C, _ element: (inout JSONLineWriter, C.Element) -> Void) {
        bytes.append(UInt8(ascii: "["))
        var firstElement = true
        for value in elements {
            if !firstElement { bytes.append(UInt8(ascii: ",")) }
            firstElement = false
            element(&self, value)
        }
        bytes.append(UInt8(ascii: "]"))
        first = false
    }

    /// As `JSONEncoder` writes a finite `Double`: its `description`, without a trailing `.0`.
    mutating func number(_ value: Double) {
        if value.isFinite, value == value.rounded(), abs(value) < 1e15 {
            // An integral value: the digits of the integer (`description` gives "25.0").
            bytes.append(contentsOf: String(Int64(value)).utf8)
            if value == 0, value.sign == .minus { bytes.insert(UInt8(ascii: "-"), at: bytes.count - 1) }
            return
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        bytes.append(contentsOf: text.utf8)
    }

    mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var mark = 0
            for i in 0..<utf8.count {
                let byte = utf8[i]
                guard byte < 0x20 || byte == 0x22 || byte == 0x5C else { continue }
                if i > mark { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[mark..<i])) }
                mark = i + 1
                bytes.append(UInt8(ascii: "\\"))
                switch byte {
                case 0x22: bytes.append(UInt8(ascii: "\""))
                case 0x5C: bytes.append(UInt8(ascii: "\\"))
                case 0x08: bytes.append(UInt8(ascii: "b"))
                case 0x0C: bytes.append(UInt8(ascii: "f"))
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                default:
                    let hex: [UInt8] = Array("0123456789abcdef".utf8)
                    bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
                }
            }
            if utf8.count > mark { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[mark..<utf8.count])) }
        }
        bytes.append(UInt8(ascii: "\""))
        first = false
    }

    /// `yyyy-MM-ddTHH:mm:ssZ` in UTC, the seconds rounded down, as `JSONEncoder`'s `.iso8601`.
    static func iso8601(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let year = Int(parts.tm_year) + 1900
        let yearText = year < 1000 ? String(repeating: "0", count: 4 - String(year).count) + String(year) : String(year)
        return "\(yearText)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }
}
