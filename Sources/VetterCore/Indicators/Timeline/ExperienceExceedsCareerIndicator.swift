import Foundation

/// A claimed number of years of experience longer than the dated career.
public struct ExperienceExceedsCareerIndicator: Indicator {
    /// Slack for rounding and undated early work.
    public var toleranceYears = 2

    public init() {}

    public let descriptor = IndicatorDescriptor(
        code: "TIMELINE-EXPERIENCE-EXCEEDS",
        title: "Claimed experience is longer than the career on the résumé",
        category: .timeline,
        defaultPoints: 10,
        strength: .weak,
        inputs: ["résumé text (\"N years of experience\")", "résumé employment entries with dates"],
        rationale: """
            The largest "N years of experience" in the résumé is compared with the time since the earliest dated role. \
            Inflated histories are documented (S1; S32 on big-name employers listed to inflate experience). Undated early \
            work, internships and summaries written for an older résumé cause legitimate gaps, so two years of slack are \
            allowed and it is weak.
            """,
        verify: "Ask the candidate to account for the earlier years and verify the earliest role independently.",
        references: [PublicSources.s1, PublicSources.s32]
    )

    /// "12+ years of experience", compiled once.
    static let claimPattern = Pattern(
        #"(\d{1,2})\+?\s*(?:years|yrs)\.?\s+(?:of\s+)?(?:professional\s+|industry\s+|hands-on\s+|commercial\s+)?experience"#,
        caseInsensitive: true, mayMatch: mayClaim)

    /// Whether ``claimPattern`` can match: in ASCII text a match holds "years" or "yrs" and
    /// "experience", in some mix of cases (in other text, case folding can match other letters,
    /// such as "ſ" for "s", so the pattern is always run). Most résumés state no years, and this
    /// answers for them without the regular-expression engine.
    @Sendable static func mayClaim(_ text: String) -> Bool {
        guard let lower = TextSearch.asciiLowercasedBytes(text) else { return true }
        return TextSearch.bytes(lower, contain: claimWords.experience)
            && (TextSearch.bytes(lower, contain: claimWords.yrs) || TextSearch.bytes(lower, contain: claimWords.years))
    }

    static let claimWords = (experience: Array("experience".utf8), yrs: Array("yrs".utf8), years: Array("years".utf8))

    public func evaluate(_ context: ScreeningContext) -> IndicatorOutcome {
        let (dated, skip) = context.datedEmployment()
        if let skip { return .skipped(reason: skip) }
        guard let text = context.resume?.text else { return .skipped(reason: "no résumé") }
        let ns = text as NSString
        let claims = Self.claimPattern.allMatches(in: text).compactMap { Int(ns.substring(with: $0.range(at: 1))) }
        guard let claimed = claims.max() else { return .skipped(reason: "the résumé states no number of years of experience") }
        guard let earliest = dated.compactMap({ $0.entry.start?.monthIndex() }).min() else { return .skipped(reason: "no dated roles") }
        let careerYears = Double(context.asOfMonth - earliest) / 12
        guard Double(claimed) > careerYears + Double(toleranceYears) else { return .passed() }
        return .fired(
            explanation: "The résumé claims \(claimed) years of experience, but its earliest dated role began \(String(format: "%.1f", careerYears)) years ago.",
            evidence: [Evidence(
                field: "resume.text",
                observed: "\(claimed) years of experience",
                expected: "at most about \(Int(careerYears.rounded(.up)) + toleranceYears) years (earliest role \(PartialDate(year: earliest / 12, month: earliest % 12 + 1)))",
                source: "résumé \(context.resume?.sourceName ?? "")"
            )]
        )
    }

    public var examples: [IndicatorExample] {
        [
            IndicatorExample("claims 12 years, earliest role 2021", fires: true, record: "{}", resumeText: """
                Summary
                Engineer with 12+ years of experience in distributed systems.
                Experience
                Engineer, Acme   Jan 2021 - Present
                """),
            IndicatorExample("claims 8 years, earliest role 2017", fires: false, record: "{}", resumeText: """
                Summary
                Engineer with 8 years of experience.
                Experience
                Engineer, Acme   Jan 2017 - Present
                """),
        ]
    }
}
