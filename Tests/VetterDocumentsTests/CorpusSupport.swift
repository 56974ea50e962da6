import Foundation
import Testing
import VetterCore
@testable import VetterDocuments

/// The public corpus, read in place from `../shared/corpus/resumes/` relative to the repository root.
enum Corpus {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let resumes = repoRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus/resumes")
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func url(_ relative: String) -> URL { resumes.appendingPathComponent(relative) }

    static func read(_ relative: String) throws -> ResumeDocument {
        try DocumentReaders.all.read(contentsOf: url(relative))
    }

    static func data(_ relative: String) throws -> Data { try Data(contentsOf: url(relative)) }

    static var available: Bool { FileManager.default.fileExists(atPath: resumes.path) }
}

/// Comparison helpers for fields read from different renderings.
enum Compare {
    static func digits(_ s: String) -> String { s.filter(\.isNumber) }
    static func folded(_ s: String) -> String {
        s.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            .components(separatedBy: CharacterSet.letters.inverted).filter { !$0.isEmpty }.joined(separator: " ")
    }
    /// Phone numbers equal when one's digits end the other's (country code written or not).
    static func samePhone(_ a: String, _ b: String) -> Bool {
        let x = digits(a), y = digits(b)
        guard x.count >= 7, y.count >= 7 else { return false }
        return x.hasSuffix(y) || y.hasSuffix(x)
    }
}
