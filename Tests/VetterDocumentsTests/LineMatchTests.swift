import Foundation
import Testing
@testable import VetterCore
import VetterDocuments

/// `TextFieldExtractor` runs its email, link and phone patterns only on the lines that can hold a
/// match; the ranges must be exactly those of one run over the whole text, apart from phone-pattern
/// matches of fewer than eight digits, which the extractor discards anyway.
@Suite("Résumé fields: per-line pattern runs equal whole-text runs")
struct LineMatchTests {
    /// The matches the extractor can keep.
    static func kept(_ pattern: TextFieldExtractor.WholeTextPattern, _ ranges: [NSRange], in text: String) -> [NSRange] {
        guard pattern == .phone else { return ranges }
        let ns = text as NSString
        return ranges.filter { ns.substring(with: $0).unicodeScalars.filter { $0.properties.numericType == .decimal }.count >= 8 }
    }

    static func agree(_ pattern: TextFieldExtractor.WholeTextPattern, in text: String) -> (Bool, whole: Int) {
        let whole = kept(pattern, TextFieldExtractor.wholeTextMatches(pattern, in: text), in: text)
        return (kept(pattern, TextFieldExtractor.lineMatches(pattern, in: text), in: text) == whole, whole.count)
    }

    static let edgeCases = [
        "",
        "\n\n",
        "jane.doe+cv@example.co.uk\nwww.example.org/path and WWW.EXAMPLE.ORG, wWw.x.io",
        "Call +1 (206) 555-0198 or (+82) 10-1234-5678\r\nfax 020 7946 0958\r\n",
        "https://github.com/jane\nlinkedin.com/in/jane-doe) (gitlab.com/x).\nhttp://a.b/c?d=e",
        "digits across lines 1234\n5678 9012 and 12345678 / 2019-2021 / 03/2019 – 04/2020",
        "Arabic-Indic ٠١٢٣٤٥٦٧٨٩ and Devanagari ०१२३४५६७८९ digits; +٩٦٦ ٥٠ ١٢٣ ٤٥٦٧",
        "ww.example.com wwww.example.com w.w.w. example@ @example.com a@b.c ab@cd.ef",
        "Café Zoë — résumé 📞 +44 7700 900123 ✉️ zoë@example.com 🌐 https://zoë.example/ünï",
        "/+1 206 555 0198/ x+12065550198y 206.555.0198 (206)555-0198",
        "\u{2028}+1 206 555 0198\u{2029}mail@example.com\u{85}www.example.com",
    ]

    static func corpusTexts() throws -> [(String, String)] {
        guard Corpus.available else { return [] }
        let files = FileManager.default.enumerator(at: Corpus.resumes, includingPropertiesForKeys: nil)!
            .compactMap { $0 as? URL }
            .filter { ["pdf", "docx", "html", "txt", "md", "json", "xml", "tex"].contains($0.pathExtension.lowercased()) }
            .sorted { $0.path < $1.path }
        return files.compactMap { url in
            if let document = try? DocumentReaders.all.read(contentsOf: url) { return (url.lastPathComponent, document.text) }
            return (try? String(contentsOf: url, encoding: .utf8)).map { (url.lastPathComponent, $0) }
        }
    }

    @Test("made-up edge cases: line breaks, non-ASCII digits, URLs at line ends, CRLF", arguments: edgeCases)
    func edgeCase(text: String) {
        for pattern in TextFieldExtractor.WholeTextPattern.allCases {
            #expect(Self.agree(pattern, in: text).0, "\(pattern)")
        }
    }

    @Test("every corpus résumé's text")
    func corpus() throws {
        #expect(Corpus.available, "the corpus is expected at \(Corpus.resumes.path)")
        let texts = try Self.corpusTexts()
        #expect(texts.count >= 20)
        var found = 0
        for (name, text) in texts {
            for pattern in TextFieldExtractor.WholeTextPattern.allCases {
                let (same, count) = Self.agree(pattern, in: text)
                #expect(same, "\(name): \(pattern)")
                found += count
            }
        }
        #expect(found > 50)  // the texts hold addresses, links and numbers to compare
    }

    @Test("a line the date-range pattern matches always passes the four-digit check before it")
    func dateRangeCheck() throws {
        var lines = Self.edgeCases.flatMap { $0.split(separator: "\n").map(String.init) }
        lines += ["Mar 2019 - Present", "03/2019 – 04/2020", "2019-03 to 2020", "٢٠١٩ - ٢٠٢١", "Jan ２０１９ - now", "19 - 2020", "201 - 2020"]
        for (_, text) in try Self.corpusTexts() { lines += text.split(separator: "\n").map(String.init) }
        var matched = 0
        for line in lines {
            let found = TextFieldExtractor.dateRangePattern.firstMatch(in: line, range: NSRange(location: 0, length: line.utf16.count)) != nil
            if found {
                matched += 1
                #expect(TextFieldExtractor.mayHoldDateRange(line), "\(line)")
            }
        }
        #expect(matched > 100)
    }

    @Test("lines are those of components(separatedBy: \"\\n\") on this platform, CRLF texts included, with their UTF-16 offsets")
    func linesAsFoundationSplitsThem() throws {
        let texts = Self.edgeCases + ["a\r\nb\r\n\r\nc", "\r\n", "é\n😀\r\nz", "no break"] + (try Self.corpusTexts()).map(\.1)
        for text in texts {
            let expected = text.components(separatedBy: "\n")
            let got = TextFieldExtractor.lineTexts(of: text)
            #expect(got.map(\.0) == expected)
            var offset = 0
            var offsets: [Int] = []
            for line in expected { offsets.append(offset); offset += (line as NSString).length + 1 }
            #expect(got.map(\.1) == offsets)
        }
    }
}
