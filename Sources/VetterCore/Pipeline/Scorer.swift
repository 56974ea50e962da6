import Foundation

/// Turns indicator outcomes into findings and a score under a policy.
public struct Scorer: Sendable {
    public var policy: Policy

    public init(policy: Policy) {
        self.policy = policy
    }

    public struct Result: Sendable {
        public var score: Double
        public var band: Band
        public var findings: [Finding]
        public var categories: [CategoryTotal]
        public var checks: [CoverageEntry]
    }

    /// Scores outcomes. Within a category, points are granted to the findings in descending
    /// order until the category's cap is reached, so every counted point belongs to a finding.
    public func score(_ outcomes: [(descriptor: IndicatorDescriptor, outcome: IndicatorOutcome?)]) -> Result {
        var findings: [Finding] = []
        var checks: [CoverageEntry] = []
        for (descriptor, outcome) in outcomes {
            guard let outcome else {
                checks.append(CoverageEntry(code: descriptor.code, status: .disabled, reason: "switched off by the policy"))
                continue
            }
            switch outcome {
            case .fired(let explanation, let evidence, let scale, let variant):
                let points = (policy.points(for: descriptor, variant: variant) * min(max(scale, 0), 1) * 10).rounded() / 10
                findings.append(Finding(
                    id: descriptor.code, title: descriptor.title, category: descriptor.category, points: points,
                    policyPoints: points, strength: descriptor.strength, evidence: evidence, explanation: explanation,
                    verify: descriptor.verify, references: descriptor.references
                ))
                checks.append(CoverageEntry(code: descriptor.code, status: .fired, reason: nil))
            case .passed(let note):
                checks.append(CoverageEntry(code: descriptor.code, status: .passed, reason: note))
            case .skipped(let reason):
                checks.append(CoverageEntry(code: descriptor.code, status: .skipped, reason: reason))
            }
        }
        findings.sort { ($0.policyPoints, $1.id) > ($1.policyPoints, $0.id) }
        var categories: [CategoryTotal] = []
        for category in Set(findings.map(\.category)).sorted() {
            let cap = policy.categoryCaps[category]
            var remaining = cap ?? .infinity
            var raw = 0.0
            for index in findings.indices where findings[index].category == category {
                raw += findings[index].policyPoints
                let granted = min(findings[index].policyPoints, remaining)
                findings[index].points = granted
                remaining -= granted
            }
            categories.append(CategoryTotal(category: category, raw: raw, cap: cap, points: min(raw, cap ?? raw)))
        }
        let score = categories.reduce(0) { $0 + $1.points }
        return Result(score: score, band: policy.band(for: score), findings: findings, categories: categories, checks: checks)
    }
}
