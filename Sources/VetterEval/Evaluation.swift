import Foundation
import VetterCore

/// One screened applicant: the label (from truth.json) and what the screener said.
public struct ScreenedApplicant: Codable, Sendable {
    public var truth: Truth
    public var score: Double
    public var band: Band
    public var findings: [String]
    /// The points each finding counted, in the order of `findings` (after category caps).
    public var findingPoints: [Double] = []
    /// Findings without evidence (must be none).
    public var findingsWithoutEvidence: Int
    /// Name swaps that changed the score, band or findings: "name: score→score".
    public var swapViolations: [String]
    public var swapsRun: Int
}

/// The metrics of issue 8, computed from screened applicants.
public struct EvaluationResult: Codable, Sendable {
    public struct Rate: Codable, Sendable {
        public var count: Int
        public var of: Int
        public var rate: Double
        /// Wilson 95% interval.
        public var low: Double
        public var high: Double
        init(_ count: Int, _ of: Int) {
            self.count = count
            self.of = of
            rate = of == 0 ? 0 : Double(count) / Double(of)
            let z = 1.96, n = Double(max(of, 1)), p = rate
            let centre = (p + z * z / (2 * n)) / (1 + z * z / n)
            let half = z * ((p * (1 - p) / n + z * z / (4 * n * n)).squareRoot()) / (1 + z * z / n)
            low = of == 0 ? 0 : max(0, centre - half)
            high = of == 0 ? 0 : min(1, centre + half)
        }
    }
    public struct GroupRow: Codable, Sendable {
        public var kind: String  // "name-origin", "situation", "archetype"
        public var group: String
        public var rate: Rate
        /// Rate divided by the overall rate (false-positive rows only); nil when the overall rate
        /// is 0, where the ratio is undefined (0/0) and each group's interval is the bound.
        public var ratio: Double?
        /// One-sided exact binomial p-value of this group's count if its true rate were 1.25× the
        /// overall rate (false-positive rows with an overall rate above 0): small values say the
        /// group is above 1.25× beyond what chance gives a group of its size.
        public var pAbove: Double? = nil
    }
    public struct IndicatorRow: Codable, Sendable {
        public var code: String
        public var onFakes: Rate
        public var onLegitimate: Rate
    }

    public var policy: String
    public var applicants: Int
    public var fakes: Int
    public var legitimate: Int
    public var recallReview: Rate
    public var recallEscalate: Rate
    public var fprReview: Rate
    public var fprEscalate: Rate
    public var precisionReview: Double
    /// Precision at review-or-above if fakes were 2% of applicants (indicators.md §5: 1–5%).
    public var precisionReviewAt2Percent: Double
    /// Recall at the lowest score threshold that keeps the false-positive rate at or below 1%.
    public var recallAt1PercentFPR: Double
    public var thresholdAt1PercentFPR: Double
    public var recallByArchetype: [GroupRow]
    public var fprByNameOrigin: [GroupRow]
    public var fprBySituation: [GroupRow]
    public var indicators: [IndicatorRow]
    public var swapsRun: Int
    public var swapViolations: Int
    public var applicantsWithSwapViolations: [String]
    public var findingsWithoutEvidence: Int
    public var goals: [String: Bool]

    public init(_ rows: [ScreenedApplicant], policy: String) {
        self.policy = policy
        let fakes = rows.filter { $0.truth.label == .fake }, legit = rows.filter { $0.truth.label == .legitimate }
        applicants = rows.count
        self.fakes = fakes.count
        legitimate = legit.count
        recallReview = Rate(fakes.filter { $0.band >= .review }.count, fakes.count)
        recallEscalate = Rate(fakes.filter { $0.band >= .escalate }.count, fakes.count)
        fprReview = Rate(legit.filter { $0.band >= .review }.count, legit.count)
        fprEscalate = Rate(legit.filter { $0.band >= .escalate }.count, legit.count)
        let flagged = rows.filter { $0.band >= .review }
        precisionReview = flagged.isEmpty ? 0 : Double(flagged.filter { $0.truth.label == .fake }.count) / Double(flagged.count)
        let prevalence = 0.02
        let tp = recallReview.rate * prevalence, fp = fprReview.rate * (1 - prevalence)
        precisionReviewAt2Percent = tp + fp == 0 ? 0 : tp / (tp + fp)
        // Recall at 1% FPR: the lowest threshold t with share(legit score >= t) <= 1%.
        let candidates = Set(rows.map(\.score)).sorted()
        var threshold = (legit.map(\.score).max() ?? 0) + 1
        for t in candidates where Double(legit.filter { $0.score >= t }.count) <= 0.01 * Double(legit.count) {
            threshold = t
            break
        }
        thresholdAt1PercentFPR = threshold
        recallAt1PercentFPR = fakes.isEmpty ? 0 : Double(fakes.filter { $0.score >= threshold }.count) / Double(fakes.count)
        recallByArchetype = Dictionary(grouping: fakes, by: \.truth.group).sorted { $0.key < $1.key }.map {
            GroupRow(kind: "archetype", group: $0.key, rate: Rate($0.value.filter { $0.band >= .review }.count, $0.value.count), ratio: nil)
        }
        let overall = fprReview.rate
        func fprRows(_ kind: String, _ key: (ScreenedApplicant) -> String) -> [GroupRow] {
            Dictionary(grouping: legit, by: key).sorted { $0.key < $1.key }.map {
                let rate = Rate($0.value.filter { $0.band >= .review }.count, $0.value.count)
                return GroupRow(kind: kind, group: $0.key, rate: rate, ratio: overall == 0 ? nil : rate.rate / overall,
                                pAbove: overall == 0 ? nil : Self.binomialTail(atLeast: rate.count, of: rate.of, p: min(1, 1.25 * overall)))
            }
        }
        fprByNameOrigin = fprRows("name-origin") { $0.truth.nameOrigin.rawValue }
        fprBySituation = fprRows("situation") { $0.truth.group }
        let codes = Set(rows.flatMap(\.findings)).sorted()
        indicators = codes.map { code in
            IndicatorRow(code: code, onFakes: Rate(fakes.filter { $0.findings.contains(code) }.count, fakes.count),
                         onLegitimate: Rate(legit.filter { $0.findings.contains(code) }.count, legit.count))
        }.sorted { ($0.onFakes.rate - $0.onLegitimate.rate) > ($1.onFakes.rate - $1.onLegitimate.rate) }
        swapsRun = rows.reduce(0) { $0 + $1.swapsRun }
        swapViolations = rows.reduce(0) { $0 + $1.swapViolations.count }
        applicantsWithSwapViolations = rows.filter { !$0.swapViolations.isEmpty }.map { "\($0.truth.id): \($0.swapViolations.joined(separator: "; "))" }
        findingsWithoutEvidence = rows.reduce(0) { $0 + $1.findingsWithoutEvidence }
        // With no false positive at all, "at most 1.25x the overall" holds only if every group is
        // also at 0 (0 <= 1.25 x 0); the ratio itself is undefined and the renderer says so.
        func withinRatio(_ rows: [GroupRow]) -> Bool {
            overall == 0 ? rows.allSatisfy { $0.rate.count == 0 } : rows.allSatisfy { ($0.ratio ?? 0) <= 1.25 }
        }
        goals = [
            "recall at review or above >= 0.9": recallReview.rate >= 0.9,
            "legitimate at review or above <= 2%": fprReview.rate <= 0.02,
            "no name-origin group's FPR above 1.25x overall": withinRatio(fprByNameOrigin),
            "no situation group's FPR above 1.25x overall": withinRatio(fprBySituation),
            "name swap never changes a score": swapViolations == 0,
        ]
        func byFindings(_ rows: [ScreenedApplicant]) -> [MissedRow] {
            Dictionary(grouping: rows) { row in
                row.findings.isEmpty ? "(no finding)" : zip(row.findings, row.findingPoints + Array(repeating: 0, count: max(0, row.findings.count - row.findingPoints.count)))
                    .map { "\($0.0) \(String(format: "%g", $0.1))" }.joined(separator: " + ")
            }.map { MissedRow(findings: $0.key, count: $0.value.count, score: $0.value.first?.score ?? 0,
                              archetypes: Dictionary(grouping: $0.value, by: \.truth.group).mapValues(\.count)) }
                .sorted { ($0.count, $1.findings) > ($1.count, $0.findings) }
        }
        let groups = fprByNameOrigin + fprBySituation
        aboveBeyondChance = groups.filter { ($0.pAbove ?? 1) < Self.chanceCut(groups: groups.count) }.map(\.group)
        missed = byFindings(fakes.filter { $0.band < .review })
        falsePositives = byFindings(legit.filter { $0.band >= .review })
    }

    /// The p-value under which a group counts as above 1.25× beyond chance.
    public static func chanceCut(groups: Int) -> Double { 0.05 / Double(max(groups, 1)) }

    /// P(X ≥ k) for X ~ Binomial(n, p), summed in log space.
    public static func binomialTail(atLeast k: Int, of n: Int, p: Double) -> Double {
        guard k > 0 else { return 1 }
        guard p > 0 else { return 0 }
        guard p < 1 else { return 1 }
        var total = 0.0
        for x in k...n {
            let logTerm = lgamma(Double(n + 1)) - lgamma(Double(x + 1)) - lgamma(Double(n - x + 1)) + Double(x) * log(p) + Double(n - x) * log1p(-p)
            total += exp(logTerm)
        }
        return min(1, total)
    }

    /// Fakes below `review`, grouped by the findings (with the points they counted) they had.
    public struct MissedRow: Codable, Sendable {
        public var findings: String
        public var count: Int
        public var score: Double
        public var archetypes: [String: Int]
    }
    public var missed: [MissedRow] = []
    /// The name-origin and situation groups above 1.25× the overall false-positive rate beyond
    /// chance: `pAbove` under 0.05 divided by the number of groups (Bonferroni).
    public var aboveBeyondChance: [String] = []
    /// Legitimate applicants at `review` or above, grouped the same way (`archetypes` holds their situations).
    public var falsePositives: [MissedRow] = []
}

/// Text and Markdown renderings of a result.
public enum EvaluationRenderer {
    static func pct(_ r: Double) -> String { String(format: "%.1f%%", r * 100) }
    static func rate(_ r: EvaluationResult.Rate) -> String { "\(pct(r.rate)) (\(r.count)/\(r.of); 95% CI \(pct(r.low))–\(pct(r.high)))" }
    static func ratio(_ r: Double?) -> String { r.map { $0.isFinite ? String(format: "%.2f×", $0) : "∞" } ?? "undefined (0/0)" }

    public static func markdown(_ e: EvaluationResult) -> String {
        var out = "### Detection (policy \(e.policy); \(e.applicants) applicants: \(e.fakes) fake, \(e.legitimate) legitimate)\n\n"
        out += "| metric | value |\n|---|---|\n"
        out += "| recall, fakes at review or above | \(rate(e.recallReview)) |\n"
        out += "| recall, fakes at escalate | \(rate(e.recallEscalate)) |\n"
        out += "| false-positive rate, legitimate at review or above | \(rate(e.fprReview)) |\n"
        out += "| false-positive rate, legitimate at escalate | \(rate(e.fprEscalate)) |\n"
        out += "| precision at review or above (this sample, \(pct(Double(e.fakes) / Double(max(e.applicants, 1)))) fakes) | \(pct(e.precisionReview)) |\n"
        out += "| precision at review or above, re-weighted to 2% fakes | \(pct(e.precisionReviewAt2Percent)) |\n"
        out += "| recall at 1% FPR (score ≥ \(Int(e.thresholdAt1PercentFPR))) | \(pct(e.recallAt1PercentFPR)) |\n\n"
        out += "| fake archetype | recall at review or above |\n|---|---|\n"
        for row in e.recallByArchetype { out += "| \(row.group) | \(rate(row.rate)) |\n" }
        out += "\n### Fairness: false-positive rate (review or above) per group; overall \(pct(e.fprReview.rate))\n\n"
        if e.fprReview.count == 0 {
            out += "No legitimate applicant is at review or above, so each group's ratio to the overall rate is 0/0, undefined; "
            out += "the goal holds only in the sense that every group is at 0, and each group's 95% interval is the bound.\n\n"
        }
        func table(_ title: String, _ rows: [EvaluationResult.GroupRow]) -> String {
            var out = "| \(title) | FPR | ratio to overall | p, above 1.25× by chance |\n|---|---|---|---|\n"
            for row in rows { out += "| \(row.group) | \(rate(row.rate)) | \(ratio(row.ratio)) | \(row.pAbove.map { String(format: "%.3f", $0) } ?? "–") |\n" }
            return out
        }
        out += table("name-origin group", e.fprByNameOrigin)
        out += "\n" + table("situation group", e.fprBySituation)
        if e.fprReview.count > 0 {
            let groups = e.fprByNameOrigin + e.fprBySituation
            let beyond = groups.filter { e.aboveBeyondChance.contains($0.group) }.map { "\($0.group) (p = \(String(format: "%.4f", $0.pAbove ?? 1)))" }
            out += "\nThe last column is the chance that a group of its size reaches its count if its true rate were 1.25× the overall "
            out += "(one-sided exact binomial). Above 1.25× beyond chance (p < 0.05 / \(groups.count) groups, Bonferroni): "
            out += beyond.isEmpty ? "none.\n" : beyond.joined(separator: ", ") + ".\n"
        }
        out += "\nName-swap invariance: \(e.swapsRun) re-screenings under names of other origin groups, \(e.swapViolations) changed the score, band or findings.\n"
        out += "\n### Indicator contribution (share of applicants it fired on)\n\n| indicator | fakes | legitimate |\n|---|---|---|\n"
        for row in e.indicators { out += "| \(row.code) | \(pct(row.onFakes.rate)) (\(row.onFakes.count)) | \(pct(row.onLegitimate.rate)) (\(row.onLegitimate.count)) |\n" }
        if !e.missed.isEmpty {
            out += "\n### Fakes below review, by the findings they had (points counted)\n\n| findings | fakes | score | archetypes |\n|---|---|---|---|\n"
            for row in e.missed {
                let archetypes = row.archetypes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                out += "| \(row.findings) | \(row.count) | \(String(format: "%g", row.score)) | \(archetypes) |\n"
            }
        }
        if !e.falsePositives.isEmpty {
            out += "\n### Legitimate applicants at review or above, by the findings they had (points counted)\n\n| findings | applicants | score | situations |\n|---|---|---|---|\n"
            for row in e.falsePositives {
                let groups = row.archetypes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                out += "| \(row.findings) | \(row.count) | \(String(format: "%g", row.score)) | \(groups) |\n"
            }
        }
        out += "\n### Goals (issue 8)\n\n"
        for (goal, met) in e.goals.sorted(by: { $0.key < $1.key }) { out += "- \(met ? "met" : "**not met**"): \(goal)\n" }
        if !e.applicantsWithSwapViolations.isEmpty {
            out += "\nName swaps that changed a result (first 20):\n\n"
            for line in e.applicantsWithSwapViolations.prefix(20) { out += "- \(line)\n" }
        }
        return out
    }
}
