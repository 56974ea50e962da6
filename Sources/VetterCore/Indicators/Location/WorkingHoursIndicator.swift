import Foundation

/// The local time of candidate-initiated events under the claimed zone.
public struct WorkingHoursIndicator: Indicator {
    /// Fewer events than this say nothing about a daily rhythm.
    public var minimumEvents = 4
    /// Share of events in the night (`nightStart`–`nightEnd` local) that makes it fire.
    public var nightShare = 0.6
    /// The night: 22:00 to 06:00 local, an eight-hour period that contains midnight to 05:00
    /// (the ILO Night Work Convention's definition of night work). An ordinary working day on a
    /// clock 10–15 hours ahead falls in the claimed location's evening and night, not only after
    /// midnight; counting from midnight saw only half of it.
    public var nightStart = 22
    public var nightEnd = 6

    public init() {}

    public let descriptor = IndicatorDescriptor(
        code: "HOURS-NIGHT-PATTERN",
        title: "Candidate activity falls in the claimed location's night",
        category: .location,
        defaultPoints: 10,
        strength: .weak,
        inputs: ["events[] started by the candidate (at least 4)", "candidate.address or candidate.claimed_timezone"],
        rationale: """
            Events the candidate starts at a time of their choosing (submitting, assessments, replies, forms) are \
            placed on the claimed location's clock. When most fall in the night there (22:00 to 06:00, a period that \
            contains midnight to 05:00 as the ILO's definition of night work does), the report also \
            gives the UTC offset under which the same events fit an ordinary day. Activity aligned to another zone \
            is a documented post-hire pattern (S36; S29's hire worked nights to appear on US daytime). Night-shift \
            workers, carers and people on flexible hours trigger it legitimately, so it is weak and never decisive.
            """,
        verify: "Ask about the candidate's usual working hours and availability for core hours; confirm at a live call.",
        references: [PublicSources.s36, PublicSources.s29]
    )

    public func evaluate(_ context: ScreeningContext) -> IndicatorOutcome {
        guard let claim = context.facts.claimedLocation, !claim.allowedZones.isEmpty else {
            return .skipped(reason: "no claimed location or time zone")
        }
        let events = context.application.events.enumerated().filter { $0.element.isCandidateInitiated }
        guard events.count >= minimumEvents else {
            return .skipped(reason: "\(events.count) candidate-initiated events; \(minimumEvents) are needed")
        }
        let zones = claim.allowedZones.compactMap { TimeZone(identifier: $0) }
        var night: [Evidence] = []
        for (index, event) in events {
            let hours = zones.map { zone -> Int in
                var calendar = Calendar(identifier: .gregorian)
                calendar.timeZone = zone
                return calendar.component(.hour, from: event.at)
            }
            guard hours.allSatisfy({ $0 >= nightStart || $0 < nightEnd }), let zone = zones.first else { continue }
            night.append(Evidence(
                field: "events[\(index)].at",
                observed: DateParsing.local(event.at, in: zone),
                expected: "between \(String(format: "%02d", nightEnd)):00 and \(String(format: "%02d", nightStart)):00 local time",
                source: "\(event.type) event"
            ))
        }
        let share = Double(night.count) / Double(events.count)
        guard share >= nightShare else { return .passed() }
        let fit = Self.bestFitOffset(events.map(\.element.at))
        return .fired(
            explanation: "\(night.count) of \(events.count) candidate-initiated events happened between \(String(format: "%02d", nightStart)):00 and \(String(format: "%02d", nightEnd)):00 at \(claim.basis); they fit an ordinary day at \(UTCOffset.format(minutes: fit * 60)).",
            evidence: night + [Evidence(
                field: "events[].at",
                observed: "best-fitting offset \(UTCOffset.format(minutes: fit * 60))",
                expected: claim.allowedOffsets(at: events[0].element.at).sorted().map { UTCOffset.format(minutes: $0) }.joined(separator: " or "),
                source: "\(events.count) candidate-initiated events"
            )]
        )
    }

    /// The whole-hour offset under which most events fall between 07:00 and 23:00.
    static func bestFitOffset(_ dates: [Date]) -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        let utcHours = dates.map { calendar.component(.hour, from: $0) }
        return (-12...14).max { a, b in
            let scoreA = utcHours.filter { (7..<23).contains((($0 + a) % 24 + 24) % 24) }.count
            let scoreB = utcHours.filter { (7..<23).contains((($0 + b) % 24 + 24) % 24) }.count
            return scoreA == scoreB ? abs(a) > abs(b) : scoreA < scoreB
        } ?? 0
    }

    public var examples: [IndicatorExample] {
        let austin = #""candidate": {"address": {"city": "Austin", "region": "TX", "country": "US"}}"#
        return [
            IndicatorExample("all replies between 01:00 and 04:00 in Austin", fires: true, record: """
                {\(austin), "events": [
                  {"type": "application_submitted", "at": "2026-10-01T07:10:00Z"},
                  {"type": "assessment_started", "at": "2026-10-02T08:00:00Z"},
                  {"type": "assessment_completed", "at": "2026-10-02T09:30:00Z"},
                  {"type": "email_reply", "at": "2026-10-04T06:45:00Z"},
                  {"type": "onboarding_form", "at": "2026-10-07T08:20:00Z"}]}
                """),
            IndicatorExample("office hours in Austin", fires: false, record: """
                {\(austin), "events": [
                  {"type": "application_submitted", "at": "2026-10-01T15:10:00Z"},
                  {"type": "assessment_started", "at": "2026-10-02T18:00:00Z"},
                  {"type": "assessment_completed", "at": "2026-10-02T19:30:00Z"},
                  {"type": "email_reply", "at": "2026-10-04T02:45:00Z"},
                  {"type": "onboarding_form", "at": "2026-10-07T21:20:00Z"}]}
                """),
            IndicatorExample("late evening and night in Austin (22:30 to 03:00): a working day on a clock far ahead", fires: true, record: """
                {\(austin), "events": [
                  {"type": "application_submitted", "at": "2026-10-01T03:30:00Z"},
                  {"type": "assessment_started", "at": "2026-10-02T04:10:00Z"},
                  {"type": "assessment_completed", "at": "2026-10-03T06:00:00Z"},
                  {"type": "email_reply", "at": "2026-10-04T08:00:00Z"},
                  {"type": "email_reply", "at": "2026-10-05T15:00:00Z"}]}
                """),
            IndicatorExample("evenings up to 21:59 in Austin are not night", fires: false, record: """
                {\(austin), "events": [
                  {"type": "application_submitted", "at": "2026-10-01T02:10:00Z"},
                  {"type": "assessment_started", "at": "2026-10-02T02:30:00Z"},
                  {"type": "assessment_completed", "at": "2026-10-02T02:50:00Z"},
                  {"type": "email_reply", "at": "2026-10-04T02:15:00Z"},
                  {"type": "onboarding_form", "at": "2026-10-07T15:00:00Z"}]}
                """),
            IndicatorExample("too few events to say anything", fires: false, record: """
                {\(austin), "events": [{"type": "application_submitted", "at": "2026-10-01T07:10:00Z"}, {"type": "email_reply", "at": "2026-10-04T06:45:00Z"}]}
                """),
            IndicatorExample("scheduled interviews at night do not count", fires: false, record: """
                {\(austin), "events": [
                  {"type": "interview", "at": "2026-10-01T07:10:00Z"}, {"type": "interview", "at": "2026-10-02T08:00:00Z"},
                  {"type": "interview", "at": "2026-10-03T08:00:00Z"}, {"type": "offer_signed", "at": "2026-10-04T06:45:00Z"}]}
                """),
        ]
    }
}
