import Foundation
import Testing
import VetterCore
@testable import VetterStore

@Suite("Near-duplicate résumés (MinHash + LSH)")
struct NearDuplicateTests {
    @Test("an edited copy under another name is found with its shared passages; an unrelated résumé is not")
    func nearDuplicate() throws {
        let t = try TempStore()
        let original = SyntheticText.resume(seed: 1)
        for seed in 2...40 { _ = try t.record(application("U-\(seed)", name: "Person \(seed)"), resume: SyntheticText.resume(seed: UInt64(seed))) }
        _ = try t.record(application("R-1", name: "Jane Smith"), resume: original)
        let copy = SyntheticText.edited(original, fraction: 0.015, seed: 99)
        let matches = try t.record(application("R-2", name: "Kim Park"), resume: copy)
        let match = try #require(matches.first { $0.kind == "resume-near-duplicate" })
        #expect(match.otherApplicationID == "R-1")
        #expect(match.differentIdentity)
        #expect(match.similarity >= 0.8)
        #expect(!match.sharedPassages.isEmpty)
        #expect(match.sharedPassages.allSatisfy { copy.contains($0.replacingOccurrences(of: "…", with: "")) })
        #expect(matches.filter { $0.kind == "resume-near-duplicate" }.count == 1)
        // Unrelated text.
        let unrelated = try t.record(application("R-3", name: "Lee Wong"), resume: SyntheticText.resume(seed: 1234), record: false)
        #expect(unrelated.isEmpty)
    }

    @Test("a half-rewritten résumé is below the threshold")
    func belowThreshold() throws {
        let t = try TempStore()
        let original = SyntheticText.resume(seed: 5)
        _ = try t.record(application("R-1", name: "Jane Smith"), resume: original)
        let rewritten = SyntheticText.edited(original, fraction: 0.25, seed: 3)
        #expect(try t.record(application("R-2", name: "Kim Park"), resume: rewritten).filter { $0.kind == "resume-near-duplicate" }.isEmpty)
    }

    @Test("shared template boilerplate does not make different résumés near-duplicates")
    func boilerplate() throws {
        let t = try TempStore()
        t.store.commonShingleMinimum = 5
        // A long template paragraph and skills list shared by every résumé, then 60 words of the person's own.
        let template = SyntheticText.resume(seed: 777, count: 240)
        var fired: [String] = []
        for seed in 1...30 {
            let text = template + " " + SyntheticText.resume(seed: UInt64(seed) * 1000, count: 60)
            let matches = try t.record(application("T-\(seed)", name: "Person \(seed)"), resume: text)
            fired += matches.filter { $0.kind == "resume-near-duplicate" }.map { "T-\(seed)~\($0.otherApplicationID)" }
        }
        // The first few, before the template is known to be common, may match; later ones must not.
        let late = fired.filter { Int($0.split(separator: "~")[0].dropFirst(2))! > 10 }
        #expect(late.isEmpty, "late matches: \(late)")
        #expect(try t.store.statsSync().commonShingles > 0)
        // A real copy is still found among them.
        let copy = template + " " + SyntheticText.resume(seed: 30 * 1000, count: 60)
        let matches = try t.record(application("T-copy", name: "Other Name"), resume: SyntheticText.edited(copy, fraction: 0.005, seed: 4), record: false)
        #expect(matches.contains { $0.kind == "resume-near-duplicate" && $0.otherApplicationID == "T-30" })
    }

    @Test("MinHash estimates Jaccard similarity")
    func estimate() {
        let a = Array(0..<1000).map { MinHash.mix(UInt64($0)) }
        let b = Array(100..<1100).map { MinHash.mix(UInt64($0)) }  // Jaccard 900/1100 = 0.82
        let sa = MinHash.signature(a) { _ in [] }!.signature
        let sb = MinHash.signature(b) { _ in [] }!.signature
        let (similarity, _) = MinHash.compare(sa, sb, common: [])!
        #expect(abs(similarity - 0.82) < 0.1)
        #expect(MinHash.decode(MinHash.encode(sa)) == sa)
    }
}
