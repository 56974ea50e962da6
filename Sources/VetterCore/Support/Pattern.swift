import Foundation

/// A regular expression compiled once (compiling one per call, as `range(of:options:
/// .regularExpression)` does, cost more than the matching when reading a document's lines).
/// `NSRegularExpression` is immutable and safe to share between threads.
struct Pattern: @unchecked Sendable {
    let regex: NSRegularExpression
    /// A byte-level test that is false only for text the pattern cannot match (for example: no
    /// "(" in the text, for a pattern that needs one). Text it rules out is never handed to the
    /// regular-expression engine, whose set-up per call cost more than the matching for the
    /// short heading fragments these run on. `PatternPrefilterTests` checks each one.
    let mayMatch: (@Sendable (String) -> Bool)?

    init(_ pattern: String, caseInsensitive: Bool = false, mayMatch: (@Sendable (String) -> Bool)? = nil) {
        regex = try! NSRegularExpression(pattern: pattern, options: caseInsensitive ? [.caseInsensitive] : [])
        self.mayMatch = mayMatch
    }

    func firstRange(in text: String) -> Range<String.Index>? {
        if let mayMatch, !mayMatch(text) { return nil }
        return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)).flatMap { Range($0.range, in: text) }
    }

    func matches(_ text: String) -> Bool { firstRange(in: text) != nil }

    /// Every match in the text, with its capture groups.
    func allMatches(in text: String) -> [NSTextCheckingResult] {
        if let mayMatch, !mayMatch(text) { return [] }
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text))
    }

    func replacing(in text: String, with template: String) -> String {
        if let mayMatch, !mayMatch(text) { return text }
        return regex.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: template)
    }

    /// Prefilter: the text holds one of these ASCII bytes (a pattern that needs one of them).
    static func containsAny(_ bytes: StaticString) -> @Sendable (String) -> Bool {
        let set = UnsafeBufferPointer(start: bytes.utf8Start, count: bytes.utf8CodeUnitCount).map { $0 }
        return { text in text.utf8.contains(where: set.contains) }
    }
}

extension StringProtocol where UTF8View: BidirectionalCollection {
    /// `trimmingCharacters(in: .whitespaces)`, answered at once when the text starts and ends
    /// with a printable ASCII character (nothing to trim), which is nearly always, and otherwise
    /// without the trip through NSString (which copied a whole résumé text twice).
    func trimmingWhitespace() -> String {
        Self.printableASCIIEnds(self) ? String(self) : String(self).trimmingScalars(in: .whitespaces)
    }

    /// `trimmingCharacters(in: .whitespacesAndNewlines)`, in the same way.
    func trimmingWhitespaceAndNewlines() -> String {
        Self.printableASCIIEnds(self) ? String(self) : String(self).trimmingScalars(in: .whitespacesAndNewlines)
    }

    private static func printableASCIIEnds(_ text: Self) -> Bool {
        guard let first = text.utf8.first, let last = text.utf8.last else { return false }
        return (0x21...0x7E).contains(first) && (0x21...0x7E).contains(last)
    }
}

extension String {
    /// `trimmingCharacters(in: set)` for a set of BMP characters (every set this is used with),
    /// without the trip through NSString: the result is the same.
    func trimmingScalars(in set: CharacterSet) -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !set.contains($0) }),
              let last = scalars.lastIndex(where: { !set.contains($0) }) else { return "" }
        if first == scalars.startIndex, last == scalars.index(before: scalars.endIndex) { return self }
        return String(scalars[first...last])
    }

    /// The text with "\r\n" line ends as "\n", as plain-text résumés are read (a heading such
    /// as "Experience\r" is not recognised).
    func withLFLineEnds() -> String {
        utf8.contains(0x0D) ? replacingOccurrences(of: "\r\n", with: "\n") : self
    }

    /// `split(separator: "\n", omittingEmptySubsequences: false)`: the lines between "\n"
    /// characters (a "\r\n" is one character and does not end a line). Without a "\r" in the
    /// text every "\n" is a character of its own, and the text is split on its bytes instead of
    /// its characters, which is several times faster.
    public func newlineSeparatedLines() -> [Substring] {
        if utf8.contains(0x0D) { return split(separator: "\n", omittingEmptySubsequences: false) }
        var lines: [Substring] = []
        let bytes = utf8
        var start = bytes.startIndex
        while let newline = bytes[start...].firstIndex(of: 0x0A) {
            lines.append(self[start..<newline])
            start = bytes.index(after: newline)
        }
        lines.append(self[start...])
        return lines
    }
}

/// Byte-level text searches that stand in for a regular expression or Foundation search where
/// they give the same answer.
public enum TextSearch {
    /// A-Z as a-z, every other byte as it is: `lowercased()` of ASCII text, byte by byte.
    @inlinable
    public static func asciiLowercased(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }

    /// The text's bytes lower-cased, or nil when the text is not all ASCII (where lower-casing
    /// and case-insensitive matching involve more than A-Z).
    /// Inlinable so that callers in other modules get it specialised (a generic call goes
    /// through value witnesses for every byte).
    @inlinable
    public static func asciiLowercasedBytes<S: StringProtocol>(_ text: S) -> [UInt8]? {
        let utf8 = text.utf8
        var ascii = true
        let out = [UInt8](unsafeUninitializedCapacity: utf8.count) { buffer, count in
            count = 0
            for byte in utf8 {
                if byte >= 0x80 { ascii = false; return }
                buffer[count] = asciiLowercased(byte)
                count += 1
            }
        }
        return ascii ? out : nil
    }

    /// Whether `pattern` occurs in `text`, byte for byte (`memchr` finds each candidate first
    /// byte). For ASCII this finds what a string search finds, without the locale-aware search.
    public static func bytes(_ text: [UInt8], contain pattern: [UInt8]) -> Bool {
        guard !pattern.isEmpty else { return true }
        guard text.count >= pattern.count else { return false }
        return text.withUnsafeBufferPointer { t in
            pattern.withUnsafeBufferPointer { p in
                let base = t.baseAddress!, last = t.count - p.count
                var i = 0
                while i <= last, let hit = memchr(base + i, Int32(p[0]), last - i + 1) {
                    let at = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - base
                    if memcmp(base + at, p.baseAddress!, p.count) == 0 { return true }
                    i = at + 1
                }
                return false
            }
        }
    }
}
