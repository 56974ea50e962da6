import Foundation
import Testing
@testable import VetterCore

/// The batch fast paths (a hand-written JSON reader, ISO 8601 without a formatter) must give
/// exactly what Foundation gives, or step aside for it.
struct FastParsingTests {
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test func jsonValuesMatchJSONDecoder() throws {
        let documents = [
            #"{"a":1,"b":[true,false,null],"c":"x\"y\\z\/\n\t\u00e9\ud83d\ude00","d":-12.5e3,"e":{},"f":[]}"#,
            #"  [0, -1, 1.5, 1e-7, 123456789012345678901234567890, 0.1, 3.14159265358979323846]  "#,
            #"{"schema":"vetter.application/v1","id":"a-1","candidate":{"name":"Zoë Ünal","emails":["z@example.com"]}}"#,
            #""plain string""#, "true", "null", "42", #"{"nested":{"deeper":{"deepest":["é", "\u0000", "tab\there"]}}}"#,
        ]
        for text in documents {
            let data = Data(text.utf8)
            let expected = try JSONDecoder().decode(JSONValue.self, from: data)
            #expect(try JSONValue.parse(data) == expected, "\(text)")
        }
    }

    @Test func randomJSONMatchesJSONDecoder() throws {
        var rng = SplitMix(state: 42)
        func value(_ depth: Int) -> String {
            switch Int.random(in: 0..<(depth > 3 ? 4 : 6), using: &rng) {
            case 0: return ["true", "false", "null"].randomElement(using: &rng)!
            case 1: return String(Double.random(in: -1e6...1e6, using: &rng))
            case 2: return String(Int.random(in: -100_000...100_000, using: &rng))
            case 3:
                let pieces = ["a", "é", "\\n", "\\\"", "\\u00e9", "\\ud834\\udd1e", " ", "日本", "\\/"]
                return "\"" + (0..<Int.random(in: 0...6, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined() + "\""
            case 4: return "[" + (0..<Int.random(in: 0...4, using: &rng)).map { _ in value(depth + 1) }.joined(separator: ", ") + "]"
            default:
                return "{" + (0..<Int.random(in: 0...4, using: &rng)).map { "\"k\($0)\": " + value(depth + 1) }.joined(separator: ",") + "}"
            }
        }
        for _ in 0..<500 {
            let data = Data(value(0).utf8)
            #expect(try JSONValue.parse(data) == JSONDecoder().decode(JSONValue.self, from: data))
        }
    }

    @Test func malformedJSONStillFails() {
        for text in [#"{"a":1,}"#, #"{"a" 1}"#, "[1 2]", #"{"a":01}"#, #""\ud800""#, "[1e999]", #"{"a":1}x"#, "tru", #"{"a":"b"#, "-", "1.", #"{"a":1,"a":2}"#] {
            let data = Data(text.utf8)
            let decoderAccepts = (try? JSONDecoder().decode(JSONValue.self, from: data)) != nil
            let accepted = (try? JSONValue.parse(data)) != nil
            #expect(accepted == decoderAccepts, "\(text)")
        }
    }

    @Test func iso8601MatchesTheFormatter() {
        let internet = ISO8601DateFormatter()
        internet.formatOptions = [.withInternetDateTime]
        var rng = SplitMix(state: 7)
        var samples = ["2026-10-01T14:03:00Z", "2024-02-29T23:59:59+14:00", "2023-02-29T10:00:00Z", "1999-12-31T00:00:00-05:30",
                       "2026-13-01T00:00:00Z", "2026-10-01T24:00:00Z", "2026-10-01t14:03:00z", "2026-10-01T14:03:00", "1600-03-01T00:00:00Z",
                       "2100-01-01T00:00:00Z", "2026-10-01T14:03:00+00:00", "2026-10-01T14:03:00-00:00"]
        for _ in 0..<2_000 {
            let year = Int.random(in: 1600...2400, using: &rng), month = Int.random(in: 1...12, using: &rng)
            let day = Int.random(in: 1...31, using: &rng), hour = Int.random(in: 0...23, using: &rng)
            let minute = Int.random(in: 0...59, using: &rng), second = Int.random(in: 0...59, using: &rng)
            let zone = ["Z", "+01:00", "-08:00", "+05:45", "-12:00", "+14:00"].randomElement(using: &rng)!
            samples.append(String(format: "%04d-%02d-%02dT%02d:%02d:%02d", year, month, day, hour, minute, second) + zone)
        }
        for text in samples {
            let expected = internet.date(from: text)
            let got = DateParsing.iso8601(text)
            if let expected {
                #expect(got == expected, "\(text)")
            } else {
                // Only the fractional-seconds form may still read it.
                let fractional = ISO8601DateFormatter()
                fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
                #expect(got == fractional.date(from: text), "\(text)")
            }
        }
    }

    @Test func trimmingMatchesFoundation() {
        // Letters, ASCII and Unicode spaces and line breaks, a combining accent, an emoji, a
        // zero-width space (not whitespace) and punctuation of the heading/label sets.
        let alphabet: [String] = ["a", "Z", " ", "\t", "\n", "\r", "\r\n", "\u{A0}", "\u{2003}", "\u{3000}", "\u{85}", "\u{2028}",
                                  "\u{200B}", "e\u{301}", "\u{301}", "😀", "é", ":", "#", "•", "-", "(", "–", "—", "·", "|", ",", ")"]
        let extra = CharacterSet.whitespaces.union(CharacterSet(charactersIn: ":#•-=_*"))
        var rng = SplitMix(state: 11)
        for _ in 0..<3_000 {
            let text = (0..<Int.random(in: 0...8, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }.joined()
            #expect(text.trimmingWhitespace() == text.trimmingCharacters(in: .whitespaces), "\(text.unicodeScalars.map(\.value))")
            #expect(text.trimmingWhitespaceAndNewlines() == text.trimmingCharacters(in: .whitespacesAndNewlines), "\(text.unicodeScalars.map(\.value))")
            #expect(text.trimmingScalars(in: extra) == text.trimmingCharacters(in: extra), "\(text.unicodeScalars.map(\.value))")
            #expect(RoleHeading.trim(text) == text.trimmingCharacters(in: RoleHeading.trimmed), "\(text.unicodeScalars.map(\.value))")
            let sub = text.dropFirst()
            #expect(sub.trimmingWhitespace() == sub.trimmingCharacters(in: .whitespaces))
        }
    }

    /// A work event's IP field is found on bytes; the answer is Foundation's substring search's.
    @Test func workEventFieldsMatchSubstringSearch() {
        let parts = ["events[", "3", "](", "(", ")", ".ip", "onboarding", "onboarding_form", "first_login", "vpn_login", "application_submitted", "é", "x"]
        var rng = SplitMix(state: 17)
        var fields = ["events[7](onboarding_form).ip", "events[0](application_submitted).ip", "events[2](vpn_login).ipx", "onboarding.shippingAddress.line1", "candidate.address"]
        for _ in 0..<3_000 { fields.append((0..<Int.random(in: 0...6, using: &rng)).map { _ in parts.randomElement(using: &rng)! }.joined()) }
        for field in fields {
            let byFoundation = field.hasPrefix("onboarding.shippingAddress")
                || (field.hasPrefix("events[") && field.hasSuffix(".ip") && ReuseFields.workEventTypes.contains { field.contains("(\($0)") })
            #expect(ReuseFields.isOnboarding(field) == byFoundation, "\(field)")
        }
        #expect(ReuseFields.isWorkEventIP("events[7](onboarding_form).ip"))
        #expect(!ReuseFields.isWorkEventIP("events[0](application_submitted).ip"))
    }

    /// The byte prefilter before the years-of-experience pattern never hides a match.
    @Test func experienceClaimPrefilterHidesNoMatch() {
        let parts = ["12", "+", " ", "years", "Years", "YEARS", "yrs", "Yrs.", "of", " of ", "experience", "Experience", "EXPERIENCE",
                     "professional", "ſ", "yeaſ", "\u{212A}", "x", "\n", "5 ", "é"]
        var rng = SplitMix(state: 23)
        var matched = 0, pruned = 0
        for _ in 0..<4_000 {
            // Random pieces around a claim put together from variants (some with "ſ", which a
            // case-insensitive pattern matches for "s").
            let noise = { (0..<Int.random(in: 0...4, using: &rng)).map { _ in parts.randomElement(using: &rng)! }.joined() }
            let claim = [["12", "5", "", "x"], ["+", ""], [" ", "", "\n"], ["years", "Years", "YRS", "yrs.", "yeaſ", "yrſ", "yers"], [" ", "\t", ""],
                         ["of ", "", "OF "], ["", "professional ", "hands-on "], ["experience", "Experience", "EXPERIENCE", "experienſe", "expérience", "experiance"]]
                .map { $0.randomElement(using: &rng)! }.joined()
            let text = noise() + claim + noise()
            let pattern = ExperienceExceedsCareerIndicator.claimPattern
            let matches = pattern.regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
            #expect(pattern.allMatches(in: text).isEmpty == !matches)
            if matches { matched += 1; #expect(ExperienceExceedsCareerIndicator.mayClaim(text), "\(text)") }
            if !ExperienceExceedsCareerIndicator.mayClaim(text) { pruned += 1 }
        }
        #expect(matched > 200 && pruned > 100, "matched \(matched), pruned \(pruned)")
        #expect(ExperienceExceedsCareerIndicator.mayClaim("12 YRS. OF EXPERIENCE"))
        #expect(!ExperienceExceedsCareerIndicator.mayClaim("Experience\nAcme 2019-2021"))
        // Not ASCII: always handed to the engine.
        #expect(ExperienceExceedsCareerIndicator.mayClaim("café, no claim"))
    }

    /// Place names are folded on their bytes when ASCII; the result is Foundation's folding's.
    @Test func placeFoldingMatchesFoundation() {
        let parts = ["San", " ", "  ", "-", "'", "O'Fallon", "ST.", "Winston-Salem", "x", "Ä", "\t", "é", "Z", "9", "#"]
        var rng = SplitMix(state: 29)
        for _ in 0..<3_000 {
            let text = (0..<Int.random(in: 0...7, using: &rng)).map { _ in parts.randomElement(using: &rng)! }.joined()
            #expect(ReferenceData.fold(text) == ReferenceData.foldingWithFoundation(text), "\(text)")
        }
        #expect(ReferenceData.fold(" Winston-Salem ") == "winston salem")
    }

    @Test func newlineSplitMatchesCharacterSplit() {
        let alphabet: [String] = ["a", "\n", "\r", "\r\n", "\n\u{301}", "é", "😀", " ", "\u{2028}"]
        var rng = SplitMix(state: 5)
        for _ in 0..<3_000 {
            let text = (0..<Int.random(in: 0...10, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }.joined()
            #expect(text.newlineSeparatedLines() == text.split(separator: "\n", omittingEmptySubsequences: false), "\(text.unicodeScalars.map(\.value))")
        }
    }
}
