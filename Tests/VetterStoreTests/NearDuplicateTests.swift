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

    @Test("the contact header is left out of the compared text, in ASCII and in other scripts", arguments: [
        ("Jane Smith", "jane.smith@example.com", "+1 415 555 0132"),
        ("José Müller-Łukasz", "jose.muller@example.de", "+49 30 901820"),
        ("Nguyễn Thị Hương", "huong@example.vn", "+84 24 3825 7777"),
    ])
    func contactHeaderRemoved(name: String, email: String, phone: String) throws {
        let text = """
            \(name.uppercased())
            Email: \(email.uppercased()) | Berlin
            Tel. \(phone)
            Built billing systems for a logistics firm, 2019 to 2024.
            Led a team of four engineers on payments.
            """
        let app = application("C-1", name: name, emails: [email], phones: [phone])
        let content = IdentityRecord.contentText(ResumeDocument(format: .plainText, sourceName: "t", text: text), application: app)
        #expect(content == "Built billing systems for a logistics firm, 2019 to 2024.\nLed a team of four engineers on payments.")
        // Another person's contact lines stay.
        let other = application("C-2", name: "Kim Park", emails: ["kim@example.org"], phones: ["+1 212 555 0199"])
        #expect(IdentityRecord.contentText(ResumeDocument(format: .plainText, sourceName: "t", text: text), application: other) == text)
    }

    @Test("the ranked signature equals the scanning one, however many shingles are common", arguments: [0.0, 0.05, 0.3, 0.7, 0.95, 1.0])
    func rankedSignatureMatchesScan(commonFraction: Double) throws {
        var state: UInt64 = 7 &+ UInt64(commonFraction * 1000)
        func next() -> UInt64 { state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407; return MinHash.mix(state) }
        for size in [1, 3, 9, 40, 300] {
            let pool = (0..<size).map { _ in next() }
            let common = Set(pool.filter { _ in Double(next() % 1000) / 1000 < commonFraction })
            var askedScan: [Set<UInt64>] = [], askedRanked: [Set<UInt64>] = []
            let scan = MinHash.signature(pool) { askedScan.append($0); return $0.intersection(common) }
            let ranked = MinHash.signature(ranking: MinHashRanking(pool)) { askedRanked.append($0); return $0.intersection(common) }
            #expect(scan?.signature == ranked?.signature, "pool of \(size), \(common.count) common")
            #expect(scan?.excluded == ranked?.excluded)
            #expect(askedScan == askedRanked)
        }
    }

    @Test("each function's ranked list is the pool's least values, in order")
    func rankedListsAreTheLeastValues() {
        var state: UInt64 = 11
        func next() -> UInt64 { state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407; return MinHash.mix(state) }
        for size in [1, 5, 8, 9, 300] {
            let pool = (0..<size).map { _ in next() }
            let ranking = MinHashRanking(pool)
            for f in 0..<MinHash.functions {
                let expected = pool.sorted { MinHash.value($0, f) < MinHash.value($1, f) }.prefix(MinHashRanking.depth)
                #expect(Array(ranking.ranked[(f * MinHashRanking.depth)..<(f * MinHashRanking.depth + ranking.count)]) == Array(expected), "pool of \(size), function \(f)")
            }
        }
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

    @Test("the ASCII fast paths give the same words and shingle hashes as the general path")
    func asciiFastPath() {
        func referenceHashes(_ words: [Substring], seed: UInt64) -> Set<UInt64> {
            let wordHashes = words.map { word -> UInt64 in
                var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ seed
                for scalar in word.lowercased().unicodeScalars { h = (h ^ UInt64(scalar.value)) &* 0x0000_0100_0000_01b3 }
                return MinHash.mix(h)
            }
            var out: Set<UInt64> = []
            for start in 0...(words.count - 4) {
                var h = seed
                for offset in 0..<4 { h = MinHash.mix(h &+ wordHashes[start + offset] &* UInt64(offset + 1)) }
                out.insert(h)
            }
            return out
        }
        let ascii = "Led the R&D team: 12 engineers, C++/Go; migrated 3 PostgreSQL clusters -- zero downtime.\r\nAWS, GCP & on-prem "
            + SyntheticText.resume(seed: 8, count: 40)
        let general = ascii.split(whereSeparator: { !($0.isLetter || $0.isNumber) })
        #expect(Shingles.words(ascii) == general)
        #expect(Set(Shingles.hashes(general, seed: 77).keys) == referenceHashes(general, seed: 77))
        // Case does not matter; non-ASCII text takes the general path and mixes with ASCII words.
        #expect(Set(Shingles.hashes(Shingles.words(ascii.uppercased()), seed: 77).keys) == referenceHashes(general, seed: 77))
        let accented = "Développé une plateforme de paiement à Montréal pour 2 000 clients ÉLÈVE naïve café"
        #expect(Shingles.words(accented) == accented.split(whereSeparator: { !($0.isLetter || $0.isNumber) }))
        #expect(Set(Shingles.hashes(Shingles.words(accented), seed: 5).keys) == referenceHashes(Shingles.words(accented), seed: 5))
        #expect(Shingles.words(accented).contains("Développé"))
    }

    @Test("a look-up reads only the most recent applications of each bucket, the copy sharing most buckets first")
    func boundedCandidates() throws {
        let t = try TempStore()
        t.store.commonShingleMinimum = 10_000  // nothing becomes common: every copy lands in the same 24 buckets
        t.store.maxPerBucket = 6
        let text = SyntheticText.resume(seed: 42)
        for i in 1...20 { _ = try t.record(application("D-\(i)", name: "Person \(i)"), resume: text) }
        let record = IdentityRecord.make(application: application("D-new", name: "Someone Else"),
                                         resume: ResumeDocument(format: .plainText, sourceName: "t", text: text), key: t.key)
        let signature = try #require(MinHash.signature(Array(record.shingles.keys)) { _ in [] })
        let found = try t.store.pool.read { db in
            try t.store.nearDuplicates(db, signature: signature.signature, excluded: [], excludingID: "D-new")
        }
        // 20 identical résumés fill every bucket; only the 6 most recent are read, oldest first among equals.
        #expect(found.map(\.0.externalID) == (15...20).map { "D-\($0)" })
        #expect(found.allSatisfy { $0.1 == 1.0 })
        // With the default bound all 20 are found.
        t.store.maxPerBucket = 32
        let all = try t.store.pool.read { db in
            try t.store.nearDuplicates(db, signature: signature.signature, excluded: [], excludingID: "D-new")
        }
        #expect(all.count == 20)
    }

    @Test("stopping a comparison early gives the verdict of the full comparison", arguments: [0.0, 0.1, 0.4])
    func earlyStopAgreesWithFullComparison(commonFraction: Double) {
        var state: UInt64 = 99 &+ UInt64(commonFraction * 100)
        func next() -> UInt64 { state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407; return MinHash.mix(state) }
        var agreedAbove = 0
        for round in 0..<2_000 {
            let a = (0..<MinHash.functions).map { _ in next() % 500 }
            let keep = Double(round % 101) / 100  // share of positions copied from a: 0 to 100 %
            let b = a.map { Double(next() % 1000) / 1000 < keep ? $0 : next() % 500 }
            let common = Set((0..<500 as Range<UInt64>).filter { _ in Double(next() % 1000) / 1000 < commonFraction })
            let full = MinHash.compare(a, b, common: common)
            let fullVerdict = full.map { $0.similarity >= MinHash.threshold } ?? false
            let early = MinHash.compare(a, b, common: common, atLeast: MinHash.threshold)
            #expect((early != nil) == fullVerdict, "round \(round)")
            if let early, let full {
                #expect(early.similarity == full.similarity && early.shared == full.shared)
                agreedAbove += 1
            }
        }
        #expect(agreedAbove > 50)  // the sample reaches the threshold often enough to mean something
    }

    @Test("a signature with too few usable positions matches nothing, so its look-up is skipped", arguments: [0.0, 0.5, 0.78, 0.9, 1.0])
    func incomparableSignaturesMatchNothing(commonFraction: Double) {
        var state: UInt64 = 7 &+ UInt64(commonFraction * 100)
        func next() -> UInt64 { state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407; return MinHash.mix(state) }
        var skipped = 0, kept = 0
        for round in 0..<2_000 {
            let a = (0..<MinHash.functions).map { _ in next() % 300 }
            let keep = Double(round % 101) / 100
            let b = a.map { Double(next() % 1000) / 1000 < keep ? $0 : next() % 300 }
            let common = Set((0..<300 as Range<UInt64>).filter { _ in Double(next() % 1000) / 1000 < commonFraction })
            if MinHash.comparable(a, common: common) {
                // The bound is exact: a comparable signature is found identical to itself.
                #expect(MinHash.compare(a, a, common: common)?.similarity == 1, "round \(round)")
                kept += 1
            } else {
                // Whatever the other signature, the comparison finds nothing.
                #expect(MinHash.compare(a, b, common: common) == nil, "round \(round)")
                #expect(MinHash.compare(a, a, common: common) == nil, "round \(round)")
                skipped += 1
            }
        }
        // Each case is exercised where it should be: nothing is skipped with few common shingles,
        // everything when (nearly) all are common, and both near the boundary (a quarter of the
        // positions usable, at 75 % common).
        switch commonFraction {
        case 0.0, 0.5: #expect(skipped == 0 && kept == 2_000)
        case 0.9, 1.0: #expect(skipped == 2_000)
        default: #expect(skipped > 100 && kept > 100)
        }
    }

    @Test("a résumé of template text only is not looked up, and the findings are those of a full look-up")
    func templateOnlyResumeSkipsLookup() throws {
        let t = try TempStore()
        t.store.commonShingleMinimum = 5
        let template = SyntheticText.resume(seed: 4242, count: 200)
        for seed in 1...25 {
            _ = try t.record(application("B-\(seed)", name: "Person \(seed)"), resume: template)
        }
        // Every shingle of the template is now common: the signature has no usable position.
        let record = IdentityRecord.make(application: application("B-new", name: "Someone Else"),
                                         resume: ResumeDocument(format: .plainText, sourceName: "t", text: template), key: t.key)
        let (signature, excluded) = try t.store.pool.write { db in
            try t.store.signature(db, record, sketch: try SketchBuffer(db, frequentMinimum: t.store.commonShingleMinimum))!
        }
        #expect(!MinHash.comparable(signature, common: excluded))
        // Comparing against every stored signature by hand finds nothing either.
        let stored = try t.store.pool.read { db in try Data.fetchAll(db, sql: "SELECT signature FROM application WHERE signature IS NOT NULL") }
        #expect(stored.count == 25)
        #expect(stored.compactMap(MinHash.decode).allSatisfy { MinHash.compare(signature, $0, common: excluded, atLeast: MinHash.threshold) == nil })
        let matches = try t.record(application("B-new", name: "Someone Else"), resume: template, record: false)
        #expect(!matches.contains { $0.kind == "resume-near-duplicate" })
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
        // Stored signatures are little-endian 64-bit values, one after another.
        #expect([UInt8](MinHash.encode([1, 0x0102_0304_0506_0708] + Array(repeating: 0, count: MinHash.functions - 2)).prefix(16))
                == [1, 0, 0, 0, 0, 0, 0, 0, 8, 7, 6, 5, 4, 3, 2, 1])
    }
}
