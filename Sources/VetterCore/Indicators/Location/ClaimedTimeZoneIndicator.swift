import Foundation

/// The candidate's stated time zone against the zones of their stated address.
public struct ClaimedTimeZoneIndicator: Indicator {
    public init() {}

    public let descriptor = IndicatorDescriptor(
        code: "TZ-CLAIM-INCONSISTENT",
        title: "Stated time zone does not fit the stated address",
        category: .location,
        defaultPoints: 10,
        strength: .weak,
        inputs: ["candidate.claimed_timezone", "candidate.address"],
        rationale: """
            Two things the candidate stated should agree: the time zone given on the application and the zones the \
            home address uses. A mismatch is often a form-filling slip or a recent move, so it weighs little; it \
            matters when it agrees with other location findings. S1 lists inconsistent claimed work locations as a red flag.
            """,
        verify: "Ask the candidate to confirm their home address and the hours they will work.",
        references: [PublicSources.s1]
    )

    public func evaluate(_ context: ScreeningContext) -> IndicatorOutcome {
        guard let stated = context.application.candidate.claimedTimezone, let zone = TimeZone(identifier: stated) else {
            return .skipped(reason: "no stated time zone")
        }
        guard let claim = context.facts.claimedLocation, claim.field != "candidate.claimed_timezone", !claim.allowedZones.isEmpty else {
            return .skipped(reason: "no address with a country")
        }
        let at = context.application.receivedAt ?? context.asOf
        let allowed = claim.allowedOffsets(at: at)
        let offset = zone.secondsFromGMT(for: at) / 60
        if allowed.contains(offset) { return .passed() }
        return .fired(
            explanation: "The stated time zone \(stated) is not used at the stated address (\(claim.basis)).",
            evidence: [Evidence(
                field: "candidate.claimed_timezone",
                observed: "\(stated) (\(UTCOffset.format(minutes: offset)))",
                expected: allowed.sorted().map { UTCOffset.format(minutes: $0) }.joined(separator: " or ") + " for \(claim.basis)",
                source: "application record"
            )]
        )
    }

    public var examples: [IndicatorExample] {
        [
            IndicatorExample("claims Asia/Tokyo, lives in Austin", fires: true, record: """
                {"candidate": {"claimed_timezone": "Asia/Tokyo", "address": {"city": "Austin", "region": "TX", "country": "US"}}}
                """),
            IndicatorExample("claims America/Chicago, lives in Austin", fires: false, record: """
                {"candidate": {"claimed_timezone": "America/Chicago", "address": {"city": "Austin", "region": "TX", "country": "US"}}}
                """),
            IndicatorExample("claims Europe/Berlin, lives in Paris (same offset)", fires: false, record: """
                {"candidate": {"claimed_timezone": "Europe/Berlin", "address": {"city": "Paris", "country": "FR"}}}
                """),
        ]
    }
}
