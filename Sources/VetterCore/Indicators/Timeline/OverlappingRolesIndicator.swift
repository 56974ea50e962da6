import Foundation

/// Two full-time roles that overlap for months.
public struct OverlappingRolesIndicator: Indicator {
    /// Overlaps shorter than this are notice periods and hand-overs.
    public var toleranceMonths = 3

    public init() {}

    public let descriptor = IndicatorDescriptor(
        code: "TIMELINE-OVERLAP",
        title: "Full-time roles overlap on the résumé",
        category: .timeline,
        defaultPoints: 10,
        strength: .weak,
        inputs: ["résumé employment entries with dates"],
        rationale: """
            Two roles not marked part-time, freelance, contract or volunteer that overlap for more than three months. \
            Holding several jobs at once is documented for DPRK IT workers (S22; S14's Vong held 13), but legitimate \
            overlaps exist (side businesses, notice periods, advisory roles), so it is weak and worded as a question.
            """,
        verify: "Ask the candidate to walk through the overlapping period and confirm both roles with the employers through independently found contacts.",
        references: [PublicSources.s22, PublicSources.s1]
    )

    public func evaluate(_ context: ScreeningContext) -> IndicatorOutcome {
        let (dated, skip) = context.datedEmployment()
        if let skip { return .skipped(reason: skip) }
        let fullTime = dated.filter { !$0.entry.isPartTime }
        let now = context.asOfMonth
        var evidence: [Evidence] = []
        for (i, a) in fullTime.enumerated() {
            for b in fullTime[(i + 1)...] {
                guard let aStart = a.entry.start?.monthIndex(), let bStart = b.entry.start?.monthIndex() else { continue }
                let aEnd = a.entry.isCurrent ? now : (a.entry.end?.monthIndex(asEnd: true) ?? aStart)
                let bEnd = b.entry.isCurrent ? now : (b.entry.end?.monthIndex(asEnd: true) ?? bStart)
                let overlap = min(aEnd, bEnd) - max(aStart, bStart) + 1
                if overlap > toleranceMonths {
                    evidence.append(Evidence(
                        field: "resume.employment[\(a.index)], resume.employment[\(b.index)]",
                        observed: "\(a.entry.label) and \(b.entry.label): \(overlap) months overlap",
                        expected: "at most \(toleranceMonths) months overlap between full-time roles",
                        source: context.resumeSource(a.entry)
                    ))
                }
            }
        }
        guard !evidence.isEmpty else { return .passed() }
        return .fired(explanation: "The résumé lists full-time roles held at the same time for several months.", evidence: evidence)
    }

    public var examples: [IndicatorExample] {
        [
            IndicatorExample("two full-time roles for two years", fires: true, record: "{}", resumeText: """
                Experience
                Senior Engineer, Acme Corp   Jan 2020 - Present
                Lead Developer, Globex   Mar 2021 - Dec 2023
                """),
            IndicatorExample("consecutive roles with a one-month hand-over", fires: false, record: "{}", resumeText: """
                Experience
                Senior Engineer, Acme Corp   Jan 2022 - Present
                Developer, Globex   Mar 2018 - Jan 2022
                """),
            IndicatorExample("freelance beside a full-time job", fires: false, record: "{}", resumeText: """
                Experience
                Senior Engineer, Acme Corp   Jan 2020 - Present
                Freelance developer, self-employed   2019 - 2024
                """),
        ]
    }
}
