import Foundation

/// Dates that cannot be right: a role ending before it starts, starting in the future.
public struct ImpossibleDatesIndicator: Indicator {
    public init() {}

    public let descriptor = IndicatorDescriptor(
        code: "TIMELINE-IMPOSSIBLE-DATE",
        title: "Résumé dates that cannot be right",
        category: .timeline,
        defaultPoints: 10,
        strength: .weak,
        inputs: ["résumé employment and education entries with dates"],
        rationale: """
            A role or course that ends before it starts, or starts after today. Fabricated histories are documented \
            (S1: "falsified, but realistic and detailed education and employment history"; S35 describes experience \
            dated before a technology existed). Typing slips cause most cases, so it is weak and the report quotes the line.
            """,
        verify: "Ask the candidate to correct the dates, then verify the role with the employer through an independently found contact.",
        references: [PublicSources.s1, PublicSources.s35]
    )

    public func evaluate(_ context: ScreeningContext) -> IndicatorOutcome {
        guard let resume = context.resume else { return .skipped(reason: context.resumeProblem.map { "résumé not read: \($0)" } ?? "no résumé") }
        let now = context.asOfMonth
        var evidence: [Evidence] = []
        var checked = 0
        let ranges: [(String, String, PartialDate?, PartialDate?, TextSpan?)] =
            resume.fields.employment.enumerated().map { ("resume.employment[\($0)]", $1.label, $1.start, $1.end, $1.span) }
            + resume.fields.education.enumerated().map { ("resume.education[\($0)]", $1.school ?? "education", $1.start, $1.end, $1.span) }
        for (field, label, start, end, span) in ranges {
            guard start != nil || end != nil else { continue }
            checked += 1
            let source = "résumé \(resume.sourceName)" + (span.map { ", line \($0.line)" } ?? "")
            if let start, let end, end.monthIndex(asEnd: true) < start.monthIndex() {
                evidence.append(Evidence(field: field, observed: "\(label): ends \(end) before it starts \(start)", expected: "end after start", source: source))
            }
            if let start, start.monthIndex() > now {
                evidence.append(Evidence(field: field, observed: "\(label): starts \(start), after the screening date", expected: "a start in the past", source: source))
            }
        }
        guard checked > 0 else { return .skipped(reason: "no dated entries in the résumé") }
        guard !evidence.isEmpty else { return .passed() }
        return .fired(explanation: "Some résumé dates cannot be right as written.", evidence: evidence)
    }

    public var examples: [IndicatorExample] {
        [
            IndicatorExample("ends before it starts", fires: true, record: "{}", resumeText: "Experience\nEngineer, Acme   Mar 2021 - Jan 2019\n"),
            IndicatorExample("starts in the future", fires: true, record: "{}", resumeText: "Experience\nEngineer, Acme   Mar 2031 - Present\n"),
            IndicatorExample("ordinary dates", fires: false, record: "{}", resumeText: "Experience\nEngineer, Acme   Mar 2019 - Jan 2021\n"),
        ]
    }
}
