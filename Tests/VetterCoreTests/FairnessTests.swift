import Foundation
import Testing
import VetterCore
import VetterTesting

/// The same application under names from many origins gets the same score, band and findings.
struct FairnessTests {
    static let names = [
        "Nguyễn Thị Minh Khai", "Oluwaseun Adeyemi", "José María García", "Zhang Wei", "Kim Min-jun",
        "Aarav Sharma", "Fatima Al-Sayed", "Siobhán O'Connor", "Olga Kuznetsova", "Mateus Silva",
        "Yuki Tanaka", "Ahmed Hassan", "John Smith", "Kwame Mensah", "Ana Lucía Quispe",
    ]

    /// Replaces the candidate's name everywhere it stands for the candidate: the record, the
    /// résumé, interview display names and the payee that match the old name.
    static func renamed(_ application: Application, resumeText: String?, to name: String) -> Application {
        var copy = application
        guard let old = application.candidate.name else { return copy }
        copy.candidate.name = name
        for index in copy.events.indices {
            if let display = copy.events[index].observations?.displayName, NameMatching.isConsistent(old, display) {
                copy.events[index].observations?.displayName = name
            }
        }
        if let holder = copy.onboarding?.payment?.accountHolder, NameMatching.isConsistent(old, holder) {
            copy.onboarding?.payment?.accountHolder = name
        }
        if let resumeText {
            let replaced = resumeText.replacingOccurrences(of: old, with: name)
            if case .path(let path) = application.resume, path.hasSuffix(".json"), let value = try? JSONValue.parse(Data(replaced.utf8)) {
                copy.resume = .jsonResume(value)
            } else {
                copy.resume = .text(replaced)
            }
        }
        return copy
    }

    @Test(arguments: Fixtures.sampleApplications())
    func nameSwapDoesNotChangeTheScore(_ sample: String) async throws {
        let url = Fixtures.samples.appendingPathComponent("applications").appendingPathComponent(sample)
        let application = try #require(ApplicationDecoder().decode(try Data(contentsOf: url)).application)
        var resumeText: String?
        switch application.resume {
        case .path(let path): resumeText = try String(contentsOf: url.deletingLastPathComponent().appendingPathComponent(path), encoding: .utf8)
        case .text(let text): resumeText = text
        default: resumeText = nil
        }
        let screener = try Fixtures.screener()
        let baseline = await screener.screen(Self.renamed(application, resumeText: resumeText, to: application.candidate.name ?? ""),
                                             baseDirectory: url.deletingLastPathComponent()).report
        let original = try await screener.screen(fileAt: url).report
        #expect(baseline.score == original.score, "rewriting the résumé inline changed the score")
        for name in Self.names {
            let report = await screener.screen(Self.renamed(application, resumeText: resumeText, to: name),
                                               baseDirectory: url.deletingLastPathComponent()).report
            #expect(report.score == baseline.score, "\(sample) under \(name)")
            #expect(report.band == baseline.band)
            #expect(report.findings.map(\.id) == baseline.findings.map(\.id))
        }
    }

    /// No indicator reads language, locale or user-agent language headers.
    @Test func acceptLanguageNeverChangesTheScore() async throws {
        let url = Fixtures.samples.appendingPathComponent("applications/clear-local-engineer.json")
        var application = try #require(ApplicationDecoder().decode(try Data(contentsOf: url)).application)
        let screener = try Fixtures.screener()
        let before = await screener.screen(application, baseDirectory: url.deletingLastPathComponent()).report
        for index in application.events.indices { application.events[index].acceptLanguage = "ko-KR,ko;q=0.9,zh-CN;q=0.8" }
        let after = await screener.screen(application, baseDirectory: url.deletingLastPathComponent()).report
        #expect(before.score == after.score)
        #expect(before.findings.map(\.id) == after.findings.map(\.id))
    }
}
