import Foundation
import Testing
import VetterCore
import VetterEval
import VetterNetwork
import VetterTesting

/// A small seeded population through the real pipeline. Metric values are not pinned: the
/// tests assert what holds by construction (determinism, labels, invariants).
struct EvaluationTests {
    static let size = 200

    @Test func generatorIsDeterministicForASeed() {
        let a = PopulationGenerator(seed: 42, size: Self.size).generate()
        let b = PopulationGenerator(seed: 42, size: Self.size).generate()
        let c = PopulationGenerator(seed: 43, size: Self.size).generate()
        #expect(a.map(\.truth) == b.map(\.truth))
        #expect(a.map { $0.render().record } == b.map { $0.render().record })
        #expect(a.map { $0.render().resume } == b.map { $0.render().resume })
        #expect(a.map { $0.render().record } != c.map { $0.render().record })
    }

    @Test func labelsAreBalancedAsDocumented() {
        let drafts = PopulationGenerator(seed: 42, size: Self.size, fakeShare: 0.2).generate()
        #expect(drafts.count == Self.size)
        #expect(drafts.filter { $0.truth.label == .fake }.count == 40)
        #expect(Set(drafts.map(\.truth.id)).count == Self.size)
        let fakeGroups = Set(drafts.filter { $0.truth.label == .fake }.map(\.truth.group))
        #expect(fakeGroups == Set(Archetype.allCases.map(\.rawValue)), "every fake archetype is represented")
        let situations = Set(drafts.filter { $0.truth.label == .legitimate }.map(\.truth.group))
        #expect(situations == Set(Situation.allCases.map(\.rawValue)), "every situation is represented")
        #expect(Set(drafts.map(\.truth.resumeFormat)) == ["txt", "pdf", "md", "jsonresume", "docx"])
    }

    /// Every record decodes, contains only documentation addresses, and no truth label.
    @Test func recordsAreValidAndCarryNoLabels() throws {
        for draft in PopulationGenerator(seed: 42, size: Self.size).generate() {
            let rendered = draft.render()
            let decoded = ApplicationDecoder().decode(rendered.record)
            #expect(decoded.application != nil, "\(draft.truth.id): \(decoded.problems)")
            #expect(decoded.unknownKeys.isEmpty)
            let text = String(decoding: rendered.record, as: UTF8.self)
            for label in ["fake", "legitimate", draft.truth.group, draft.truth.nameOrigin.rawValue] where label.count > 3 {
                #expect(!text.contains("\"\(label)\""), "\(draft.truth.id) leaks \(label)")
            }
            for email in decoded.application?.candidate.emails ?? [] {
                #expect(email.hasSuffix("@example.com") || email.hasSuffix("@example.org") || email.hasSuffix("@example.net"))
            }
        }
    }

    /// The 10,000-applicant population of the README's table (seed 8), decoded once.
    static let readmePopulation: [(truth: Truth, application: Application)] = PopulationGenerator(seed: 8, size: 10_000).generate().map {
        ($0.truth, ApplicationDecoder().decode($0.render().record).application!)
    }

    /// A legitimate applicant's referees have contacts of their own. A referee who happened to
    /// share the applicant's name used to get the applicant's own email (two such applicants in
    /// the README's population were flagged for it).
    @Test func legitimateReferencesAreNobodysOwnContacts() {
        let own = Set(Self.readmePopulation.flatMap { $0.application.candidate.emails.map { $0.lowercased() } + $0.application.candidate.phones })
        var checked = 0
        for (truth, application) in Self.readmePopulation where truth.label == .legitimate {
            for reference in application.references {
                #expect(!own.contains(reference.email?.lowercased() ?? ""), "\(truth.id): referee email is an applicant's")
                #expect(!own.contains(reference.phone ?? ""), "\(truth.id): referee phone is an applicant's")
                checked += 1
            }
        }
        #expect(checked > 5000)
    }

    /// A legitimate traveller is never seen from two networks (home and abroad) less than a
    /// day apart: each way the journey takes a day. Without it, events abroad in the evening and
    /// at home the next morning came about 11 hours apart, faster than the flight.
    @Test func travellersTakeADayToTravel() {
        var trips = 0
        for (truth, application) in Self.readmePopulation where truth.group == Situation.traveller.rawValue {
            let located = application.events.filter { $0.ip != nil }.sorted { $0.at < $1.at }
            for (a, b) in zip(located, located.dropFirst()) where a.ip != b.ip {
                trips += 1
                #expect(b.at.timeIntervalSince(a.at) >= 22 * 3600, "\(truth.id): \(a.type) → \(b.type)")
            }
        }
        #expect(trips > 100)
    }

    static func runner(_ directory: URL, store: Bool, swaps: Int = 2) throws -> EvaluationRunner {
        let reference = try ReferenceData.load(configDirectory: Fixtures.config)
        let geo = directory.appendingPathComponent("geoip")
        let network = try IPIntelligenceEnricher.configured(
            geoip: [geo.appendingPathComponent("eval-city.mmdb").path, geo.appendingPathComponent("eval-anonymous.mmdb").path],
            configDirectory: Fixtures.config)
        let policy = try Policy.load(contentsOf: Fixtures.config.appendingPathComponent("policy.yaml"), catalog: .core)
        var runner = EvaluationRunner(policy: policy, enrichers: [ReferenceEnricher(reference: reference), network], swapsPerApplicant: swaps)
        runner.useStore = store
        return runner
    }

    /// The whole small population through the real pipeline with the generated IP databases:
    /// findings carry evidence, and without the identity store no name swap changes any result.
    @Test func nameSwapInvarianceHoldsForEveryApplicant() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vetter-eval-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try PopulationGenerator(seed: 7, size: Self.size).write(to: directory)
        let rows = try await Self.runner(directory, store: false).run(population: directory)
        #expect(rows.count == Self.size)
        #expect(rows.allSatisfy { $0.findingsWithoutEvidence == 0 })
        #expect(rows.allSatisfy { $0.swapsRun == 2 })
        let violations = rows.flatMap { row in row.swapViolations.map { "\(row.truth.id) (\(row.truth.group)): \($0)" } }
        #expect(violations.isEmpty, "name swaps changed results: \(violations.prefix(10))")
        // Some fakes are flagged by the application-level indicators alone.
        #expect(rows.contains { $0.truth.label == .fake && $0.band >= .review })
    }

    /// A PDF résumé is the plain-text résumé's lines set by cairo: through poppler and the parser
    /// it must give every applicant the same score and findings as the text file did. Under
    /// name swaps too (the test above runs PDFs, as the default population has them).
    @Test func pdfResumesReadAsTheirText() async throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("vetter-eval-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        let withPDF = base.appendingPathComponent("pdf"), withoutPDF = base.appendingPathComponent("text")
        let drafts = try PopulationGenerator(seed: 7, size: Self.size, pdfShare: 1).write(to: withPDF)
        _ = try PopulationGenerator(seed: 7, size: Self.size, pdfShare: 0).write(to: withoutPDF)
        let pdfs = drafts.filter { $0.truth.resumeFormat == "pdf" }.count
        #expect(pdfs > Self.size / 5, "\(pdfs) PDF résumés")
        let pdfFile = try #require(try FileManager.default.contentsOfDirectory(atPath: withPDF.appendingPathComponent("resumes").path).first { $0.hasSuffix(".pdf") })
        #expect(try Data(contentsOf: withPDF.appendingPathComponent("resumes/\(pdfFile)")).starts(with: Data("%PDF-".utf8)))
        let a = try await Self.runner(withPDF, store: false, swaps: 0).run(population: withPDF)
        let b = try await Self.runner(withoutPDF, store: false, swaps: 0).run(population: withoutPDF)
        #expect(a.count == b.count)
        for (x, y) in zip(a, b) {
            #expect(x.score == y.score && x.findings == y.findings, "\(x.truth.id) (\(x.truth.resumeFormat)): \(x.findings) against \(y.findings)")
        }
    }

    /// With the identity store, reuse across the population is found (operators' personas link),
    /// and a name swap can change only the reuse findings, which by design compare names
    /// ("shared under a different name"; Docs/evaluation.md).
    @Test func identityStoreRunLinksOperatorsAndOnlyReuseDependsOnNames() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vetter-eval-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try PopulationGenerator(seed: 7, size: Self.size).write(to: directory)
        let rows = try await Self.runner(directory, store: true).run(population: directory)
        #expect(rows.allSatisfy { $0.findingsWithoutEvidence == 0 })
        let operatorRows = rows.filter { $0.truth.group == "persona-operator" }
        #expect(!operatorRows.isEmpty)
        #expect(operatorRows.contains { $0.findings.contains { $0.hasPrefix("REUSE-") } })
        for row in rows {
            for violation in row.swapViolations {
                let changed = violation.split(separator: "[").last.map { $0.dropLast() }.map { $0.split(separator: ",").map(String.init) } ?? []
                #expect(changed.allSatisfy { $0.hasPrefix("REUSE-") }, "\(row.truth.id): \(violation)")
            }
        }
        let result = EvaluationResult(rows, policy: "default")
        #expect(result.fakes + result.legitimate == Self.size)
        #expect((0...1).contains(result.recallAt1PercentFPR))
    }

    /// Rows built from JSON (the shape `--rows-out` writes).
    static func rows(_ specs: [(label: String, group: String, origin: String, band: String, score: Double, findings: [String])]) throws -> [ScreenedApplicant] {
        let objects: [[String: Any]] = specs.enumerated().map { index, spec in
            ["truth": ["id": "t-\(index)", "label": spec.label, "group": spec.group, "nameOrigin": spec.origin, "resumeFormat": "txt"],
             "score": spec.score, "band": spec.band, "findings": spec.findings, "findingPoints": spec.findings.map { _ in spec.score / Double(max(spec.findings.count, 1)) },
             "findingsWithoutEvidence": 0, "swapViolations": [String](), "swapsRun": 0]
        }
        return try JSONDecoder().decode([ScreenedApplicant].self, from: JSONSerialization.data(withJSONObject: objects))
    }

    /// With no false positive the ratio to the overall rate is 0/0: reported as undefined, not as
    /// 1.00x, and the fairness goal holds only because every group is at 0.
    @Test func fairnessRatioIsUndefinedWithoutFalsePositives() throws {
        let clean = EvaluationResult(try Self.rows([
            ("legitimate", "local", "anglo", "clear", 0, []), ("legitimate", "night-shift", "korean", "clear", 10, ["HOURS-NIGHT-PATTERN"]),
            ("fake", "off-hours", "german", "clear", 10, ["HOURS-NIGHT-PATTERN"]), ("fake", "off-hours", "german", "clear", 10, ["HOURS-NIGHT-PATTERN"]),
            ("fake", "vpn-egress", "german", "review", 30, ["NET-ANONYMIZER", "INT-CAMERA-OFF"]),
        ]), policy: "t")
        #expect(clean.fprReview.count == 0)
        #expect((clean.fprByNameOrigin + clean.fprBySituation).allSatisfy { $0.ratio == nil })
        #expect(clean.goals["no situation group's FPR above 1.25x overall"] == true)
        #expect(EvaluationRenderer.markdown(clean).contains("undefined (0/0)"))
        // The missed fakes are grouped by what they had.
        #expect(clean.missed.count == 1)
        #expect(clean.missed.first?.count == 2)
        #expect(clean.missed.first?.findings == "HOURS-NIGHT-PATTERN 10")
        #expect(clean.missed.first?.archetypes == ["off-hours": 2])

        let skewed = EvaluationResult(try Self.rows([
            ("legitimate", "local", "anglo", "clear", 0, []), ("legitimate", "local", "anglo", "clear", 0, []),
            ("legitimate", "night-shift", "korean", "review", 25, ["HOURS-NIGHT-PATTERN"]), ("legitimate", "local", "korean", "clear", 0, []),
            ("fake", "vpn-egress", "german", "review", 30, ["NET-ANONYMIZER"]),
        ]), policy: "t")
        // Overall 1/4; korean 1/2 is 2x, anglo 0/2 is 0x.
        #expect(skewed.fprByNameOrigin.first { $0.group == "korean" }?.ratio == 2)
        #expect(skewed.fprByNameOrigin.first { $0.group == "anglo" }?.ratio == 0)
        #expect(skewed.goals["no name-origin group's FPR above 1.25x overall"] == false)
        #expect(skewed.missed.isEmpty)
        // The false positive is listed with what it had, and each group carries its p-value.
        #expect(skewed.falsePositives.map(\.findings) == ["HOURS-NIGHT-PATTERN 25"])
        #expect(skewed.falsePositives.first?.archetypes == ["night-shift": 1])
        // korean: 1 of 2 at a null rate of 1.25 x 1/4: P(X >= 1) = 1 - (1 - 5/16)^2.
        let korean = try #require(skewed.fprByNameOrigin.first { $0.group == "korean" }?.pAbove)
        #expect(abs(korean - (1 - (11.0 / 16) * (11.0 / 16))) < 1e-12)
        #expect(skewed.fprByNameOrigin.first { $0.group == "anglo" }?.pAbove == 1)
        #expect(clean.fprByNameOrigin.allSatisfy { $0.pAbove == nil })
        #expect(skewed.aboveBeyondChance.isEmpty, "one of two is not beyond chance")
        // 20 of 20 night-shift workers at review against none of 60 locals: overall 1/4, and
        // P(20 of 20 | 5/16) is far below 0.05 / 3 groups.
        let concentrated = EvaluationResult(try Self.rows(
            Array(repeating: ("legitimate", "night-shift", "anglo", "review", 25, ["HOURS-NIGHT-PATTERN"]), count: 20)
                + Array(repeating: ("legitimate", "local", "anglo", "clear", 0, []), count: 60)), policy: "t")
        #expect(concentrated.aboveBeyondChance == ["night-shift"])
        #expect(EvaluationRenderer.markdown(concentrated).contains("Bonferroni): night-shift (p = 0.0000)."))
    }

    /// The exact binomial tail against values worked by hand.
    @Test func binomialTailMatchesHandValues() {
        #expect(abs(EvaluationResult.binomialTail(atLeast: 8, of: 10, p: 0.5) - 56.0 / 1024) < 1e-12)
        #expect(abs(EvaluationResult.binomialTail(atLeast: 1, of: 3, p: 0.1) - (1 - 0.729)) < 1e-12)
        #expect(EvaluationResult.binomialTail(atLeast: 0, of: 5, p: 0.3) == 1)
        #expect(EvaluationResult.binomialTail(atLeast: 2, of: 5, p: 0) == 0)
        #expect(abs(EvaluationResult.binomialTail(atLeast: 600, of: 1000, p: 0.5) - 1.364e-10) < 1e-12)
    }

    /// Location checks come from a random stream of their own: at any rate the population is the
    /// one without them plus `observations.location_check`, and at rate 0 there are none.
    @Test func locationChecksChangeNothingElse() throws {
        let without = PopulationGenerator(seed: 42, size: Self.size, locationCheckRate: 0).generate()
        let with = PopulationGenerator(seed: 42, size: Self.size, locationCheckRate: 0.5).generate()
        #expect(without.map(\.truth) == with.map(\.truth))
        func stripped(_ draft: Draft) throws -> String {
            var record = try #require(try JSONSerialization.jsonObject(with: draft.render().record) as? [String: Any])
            let events = (record["events"] as? [[String: Any]] ?? []).map { event -> [String: Any] in
                guard var observations = event["observations"] as? [String: Any] else { return event }
                observations["location_check"] = nil
                var event = event
                event["observations"] = observations
                return event
            }
            record["events"] = events
            return String(decoding: try JSONSerialization.data(withJSONObject: record, options: [.sortedKeys]), as: UTF8.self)
        }
        #expect(try without.map(stripped) == with.map(stripped))
        #expect(without.allSatisfy { !String(decoding: $0.render().record, as: UTF8.self).contains("location_check") })
        #expect(with.map { $0.render().resume } == without.map { $0.render().resume })
    }

    /// In the README's population, about half the interviews carry a check; fakes fail about half
    /// of theirs and legitimate applicants about 2% (5% for recent immigrants), as documented.
    @Test func locationCheckSharesAreAsDocumented() {
        var interviews = 0, checked = 0
        var outcomes: [String: (failed: Int, of: Int)] = [:]
        for (truth, application) in Self.readmePopulation {
            for event in application.events where event.type == "interview" {
                interviews += 1
                guard let check = event.observations?.locationCheck else { continue }
                checked += 1
                let key = truth.label == .fake ? "fake" : truth.group == Situation.recentImmigrant.rawValue ? "immigrant" : "legitimate"
                outcomes[key, default: (0, 0)].of += 1
                if check == .failed { outcomes[key, default: (0, 0)].failed += 1 }
            }
        }
        func share(_ key: String) -> Double { Double(outcomes[key]?.failed ?? 0) / Double(max(outcomes[key]?.of ?? 0, 1)) }
        #expect(interviews == 10_000)
        #expect((4_700...5_300).contains(checked), "\(checked) of \(interviews) interviews checked")
        #expect((0.43...0.57).contains(share("fake")))
        #expect((0.01...0.03).contains(share("legitimate")))
        #expect((0.02...0.09).contains(share("immigrant")))
    }
}
