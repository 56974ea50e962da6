import Foundation
import Testing
@testable import VetterCore

/// A pattern's prefilter may only rule out text the regular expression cannot match.
struct PatternPrefilterTests {
    static let patterns: [(String, Pattern)] = [
        ("emptyBrackets", RoleHeading.emptyBrackets), ("atPattern", RoleHeading.atPattern), ("gluedSuffix", RoleHeading.gluedSuffix),
        ("duration", RoleHeading.duration), ("parenthetical", RoleHeading.parenthetical), ("regionCode", RoleHeading.regionCode),
        ("separators", RoleHeading.separators), ("titleWords", RoleHeading.titleWords),
    ]

    /// Pieces of headings, and characters a case-insensitive or Unicode-aware engine treats
    /// specially: other spaces and digits, line ends, letters whose case folds to ASCII.
    static let pieces = ["Acme", " ", "  ", "\t", "\u{A0}", "\u{2003}", "at", "AT", "aT", "@", "(", ")", "[", "]", "( )", "Inc.", "Ltd.Seoul",
                         "Co.", "Berlin", "2", "12", "٣", "५", "years", "YRS", "mos", "months", "ſ", "\u{212A}", "CA", "NY", "\n", "\r\n",
                         "\u{2028}", "\u{85}", "é", ".", ",", "–", "Engineer", "x", "ａｔ", "-", " - ", "|", "·", "\u{0B}", "engineers", "Co", "co-", "founder",
                         "FOUNDERS", "cofounder", "_", "lead", "s", "Director", "'", "vp", "Staff", "9", "chiefs", "ſ", "teacher", "mentor"]

    @Test(arguments: patterns.map(\.0))
    func prefilterNeverHidesAMatch(_ name: String) throws {
        let pattern = try #require(Self.patterns.first { $0.0 == name }?.1)
        let mayMatch = try #require(pattern.mayMatch)
        var rng = FastParsingTests.SplitMix(state: UInt64(name.utf8.count) &* 7919)
        var matched = 0, ruledOut = 0
        var texts = ["CA", "CA\n", "CA\u{2028}", "NY\r\n", "Acme at Berlin", "Acme @ Berlin", "Acme (2019 – 2021)", "Samsung Co.Seoul", "3 years", "٣ years",
                     "Co-Founder", "co-founders", "cofounder", "Senior Engineer", "engineer_1", "engineers'", "Acme - Berlin", "Acme  Berlin", "Acme\u{0B} x"]
        for _ in 0..<20_000 { texts.append((0..<Int.random(in: 0...4, using: &rng)).map { _ in Self.pieces.randomElement(using: &rng)! }.joined()) }
        for text in texts {
            let byEngine = pattern.regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
            if byEngine { matched += 1 }
            if !mayMatch(text) {
                ruledOut += 1
                #expect(!byEngine, "\(name) prefilter ruled out \(text.unicodeScalars.map(\.value)), which the pattern matches")
            }
            #expect(pattern.matches(text) == byEngine)
        }
        // The texts exercise both sides.
        #expect(matched > 20 && ruledOut > 20, "\(name): matched \(matched), ruled out \(ruledOut)")
    }
}
