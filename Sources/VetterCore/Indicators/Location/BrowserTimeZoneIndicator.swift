import Foundation

/// The browser-reported zone or UTC offset against the zones the claimed location allows.
public struct BrowserTimeZoneIndicator: Indicator {
    public init() {}

    public let descriptor = IndicatorDescriptor(
        code: "TZ-BROWSER-MISMATCH",
        title: "Browser time zone differs from the claimed location",
        category: .location,
        defaultPoints: 15,
        strength: .weak,
        inputs: ["events[].browser_timezone or events[].utc_offset_minutes", "candidate.address or candidate.claimed_timezone"],
        rationale: """
            The UTC offset a browser reports at each event is compared with the offsets the claimed home location \
            has on that date (from the tz database; cities and regions narrow countries with several zones). It fires \
            when at least half of the events that carry a zone disagree and the disagreement is not one trip: a trip's \
            events fall within \(Travel.maxDays) days with events from the claimed zone before or after them, and, where \
            the IP database places the connection, the browser agrees with it (the laptop's clock moved with its owner). \
            A browser zone is easy to change and travellers, expats and remote-desktop users differ legitimately: \
            the catalog rates it weak, and the time-zone pattern of workers is documented post-hire (S36, S29). \
            Language and locale are never used.
            """,
        verify: "Ask the candidate where they are working from this week and confirm on a live video call (for example, local weather or time).",
        references: [PublicSources.s36, PublicSources.s29, PublicSources.s35]
    )

    public func evaluate(_ context: ScreeningContext) -> IndicatorOutcome {
        guard let claim = context.facts.claimedLocation, !claim.allowedZones.isEmpty else {
            return .skipped(reason: "no claimed location or time zone")
        }
        let timed = context.application.events.enumerated().filter { $0.element.browserTimezone != nil || $0.element.utcOffsetMinutes != nil }
        guard !timed.isEmpty else { return .skipped(reason: "no event carries a browser time zone or UTC offset") }
        var evidence: [Evidence] = []
        var observations: [Travel.Observation] = []
        for (index, event) in timed {
            let allowed = claim.allowedOffsets(at: event.at)
            let (offset, field, shown): (Int?, String, String)
            if let zone = event.browserTimezone {
                offset = TimeZone(identifier: zone).map { $0.secondsFromGMT(for: event.at) / 60 }
                field = "events[\(index)].browser_timezone"
                shown = zone
            } else {
                offset = event.utcOffsetMinutes
                field = "events[\(index)].utc_offset_minutes"
                shown = ""
            }
            guard let offset, !allowed.contains(offset) else {
                observations.append(Travel.Observation(at: event.at, mismatched: false))
                continue
            }
            // Where the IP database places the connection, when it can (not an exit's location).
            let ipOffset = event.ip.flatMap { context.facts.network[$0.trimmingWhitespace()] }
                .flatMap { $0.networkClasses.isDisjoint(with: NetworkClass.sharedExits) ? $0.timeZone : nil }
                .flatMap(TimeZone.init(identifier:)).map { $0.secondsFromGMT(for: event.at) / 60 }
            observations.append(Travel.Observation(at: event.at, mismatched: true, deviceAgrees: ipOffset.map { $0 == offset }))
            evidence.append(Evidence(
                field: field,
                observed: shown.isEmpty ? UTCOffset.format(minutes: offset) : "\(shown) (\(UTCOffset.format(minutes: offset)))",
                expected: allowed.sorted().map { UTCOffset.format(minutes: $0) }.joined(separator: " or ") + " for \(claim.basis)",
                source: "\(event.type) event at \(DateParsing.string(event.at))"
            ))
        }
        guard !evidence.isEmpty else { return .passed() }
        guard evidence.count * 2 >= timed.count else {
            return .passed(note: "\(evidence.count) of \(timed.count) events from another zone, consistent with travel")
        }
        if let trip = Travel.trip(observations) {
            return .passed(note: Travel.describe(trip, events: evidence.count))
        }
        return .fired(
            explanation: "\(evidence.count) of \(timed.count) events came from a browser set to a time zone that \(claim.basis) does not use.",
            evidence: evidence
        )
    }

    public var examples: [IndicatorExample] {
        let austin = #""candidate": {"address": {"city": "Austin", "region": "TX", "country": "US"}}"#
        return [
            IndicatorExample("browser in Shanghai, claims Austin", fires: true, record: """
                {\(austin), "events": [
                  {"type": "application_submitted", "at": "2026-10-01T14:03:00Z", "browser_timezone": "Asia/Shanghai"},
                  {"type": "assessment_completed", "at": "2026-10-03T02:11:00Z", "browser_timezone": "Asia/Shanghai"}]}
                """),
            IndicatorExample("offset only, +09:00 against Austin", fires: true, record: """
                {\(austin), "events": [{"type": "application_submitted", "at": "2026-10-01T14:03:00Z", "utc_offset_minutes": 540}]}
                """),
            IndicatorExample("browser in Chicago zone, claims Austin", fires: false, record: """
                {\(austin), "events": [{"type": "application_submitted", "at": "2026-10-01T14:03:00Z", "browser_timezone": "America/Chicago"}]}
                """),
            IndicatorExample("one event of four while travelling", fires: false, record: """
                {\(austin), "events": [
                  {"type": "application_submitted", "at": "2026-10-01T14:03:00Z", "browser_timezone": "America/Chicago"},
                  {"type": "assessment_completed", "at": "2026-10-02T15:00:00Z", "browser_timezone": "America/Chicago"},
                  {"type": "email_reply", "at": "2026-10-05T09:00:00Z", "browser_timezone": "Europe/Lisbon"},
                  {"type": "onboarding_form", "at": "2026-10-09T16:00:00Z", "browser_timezone": "America/Chicago"}]}
                """),
            IndicatorExample("hard negative: a five-day trip covering most of the process, home before and after", fires: false, record: """
                {\(austin), "events": [
                  {"type": "application_submitted", "at": "2026-10-01T14:03:00Z", "browser_timezone": "Europe/London"},
                  {"type": "assessment_completed", "at": "2026-10-02T15:00:00Z", "browser_timezone": "Europe/London"},
                  {"type": "email_reply", "at": "2026-10-05T09:00:00Z", "browser_timezone": "Europe/London"},
                  {"type": "interview", "at": "2026-10-09T16:00:00Z", "browser_timezone": "America/Chicago"},
                  {"type": "onboarding_form", "at": "2026-10-20T16:00:00Z", "browser_timezone": "America/Chicago"}]}
                """),
            IndicatorExample("persistent: every event but the last from Shanghai over three weeks", fires: true, record: """
                {\(austin), "events": [
                  {"type": "application_submitted", "at": "2026-10-01T02:03:00Z", "browser_timezone": "Asia/Shanghai"},
                  {"type": "assessment_completed", "at": "2026-10-08T03:00:00Z", "browser_timezone": "Asia/Shanghai"},
                  {"type": "email_reply", "at": "2026-10-21T04:00:00Z", "browser_timezone": "Asia/Shanghai"},
                  {"type": "onboarding_form", "at": "2026-10-24T16:00:00Z", "browser_timezone": "America/Chicago"}]}
                """),
            IndicatorExample("a short 'trip' whose connection stays in Texas: the browser zone is not where the device is", fires: true, record: """
                {\(austin), "events": [
                  {"type": "application_submitted", "at": "2026-10-01T14:03:00Z", "browser_timezone": "Asia/Shanghai", "ip": "203.0.113.1"},
                  {"type": "assessment_completed", "at": "2026-10-02T15:00:00Z", "browser_timezone": "Asia/Shanghai", "ip": "203.0.113.1"},
                  {"type": "onboarding_form", "at": "2026-10-09T16:00:00Z", "browser_timezone": "America/Chicago", "ip": "203.0.113.1"}]}
                """, facts: NetworkEnrichment.example([NetworkEnrichment.fact("203.0.113.1", "US", zone: "America/Chicago")])),
            IndicatorExample("Arizona has no summer time; the offset is that of Phoenix", fires: false, record: """
                {"candidate": {"address": {"city": "Phoenix", "region": "AZ", "country": "US"}},
                 "events": [{"type": "application_submitted", "at": "2026-07-01T18:00:00Z", "utc_offset_minutes": -420}]}
                """),
            IndicatorExample("no zone data", fires: false, record: #"{\#(austin), "events": [{"type": "application_submitted", "at": "2026-10-01T14:03:00Z"}]}"#),
        ]
    }
}
