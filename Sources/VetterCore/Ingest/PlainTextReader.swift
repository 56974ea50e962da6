import Foundation

/// Reads plain-text and Markdown résumés.
public struct PlainTextReader: DocumentReader {
    public init() {}

    public func sniff(_ data: Data, filename: String) -> DocumentFormat? {
        guard !data.contains(0), let text = String(data: data, encoding: .utf8) else { return nil }
        let lower = filename.lowercased()
        if lower.hasSuffix(".md") || lower.hasSuffix(".markdown") || text.hasPrefix("# ") || text.contains("\n## ") {
            return .markdown
        }
        return .plainText
    }

    public func read(_ data: Data, filename: String, limits: DocumentLimits) throws(DocumentError) -> ResumeDocument {
        guard let format = sniff(data, filename: filename), let raw = String(data: data, encoding: .utf8) else {
            throw DocumentError(.unreadable, "\(filename): not valid UTF-8 text")
        }
        var text = raw.withLFLineEnds()
        if format == .markdown { text = Self.stripMarkdown(text) }
        guard !text.trimmingWhitespaceAndNewlines().isEmpty else {
            throw DocumentError(.empty, "\(filename): the résumé has no text")
        }
        return ResumeDocument(format: format, sourceName: filename, text: text, fields: TextFieldExtractor().extract(from: text))
    }

    /// Removes Markdown markup that would hide values: heading marks, emphasis, link syntax.
    static func stripMarkdown(_ text: String) -> String {
        var lines: [String] = []
        for line in text.components(separatedBy: "\n") {
            var l = line
            while l.hasPrefix("#") { l.removeFirst() }
            l = l.replacingOccurrences(of: "**", with: "").replacingOccurrences(of: "__", with: "")
            // [label](url) → label url
            l = l.replacingOccurrences(of: #"\[([^\]]*)\]\(([^)]*)\)"#, with: "$1 $2", options: .regularExpression)
            if l.hasPrefix("- ") || l.hasPrefix("* ") { l = "• " + l.dropFirst(2) }
            lines.append(l.trimmingWhitespace())
        }
        return lines.joined(separator: "\n")
    }
}
