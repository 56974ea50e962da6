import Foundation

/// The network indicators. They read only ``Facts/network``, which an IP-intelligence enricher
/// (`VetterNetwork.IPIntelligenceEnricher`) fills; without it they skip.
public enum NetworkIndicators {
    public static let network: [any Indicator] = [
        IPCountryIndicator(),
        AnonymizerNetworkIndicator(),
        DPRKAddressSpaceIndicator(),
        IPTimeZoneIndicator(),
        MultipleCountriesIndicator(),
        ImpossibleTravelIndicator(),
    ]
}

/// The IP's time zone (from a City database) against the browser's zone at the same event and
/// against the claimed location's zones.
public struct IPTimeZoneIndicator: Indicator {
    public init() {}

    public let descriptor = IndicatorDescriptor(
        code: "NET-IP-TZ-MISMATCH",
        title: "IP time zone differs from the browser zone or the claimed zone",
        category: .network,
        defaultPoints: 10,
        strength: .weak,
        inputs: ["events[].ip (time zone from a City database)", "events[].browser_timezone or utc_offset_minutes", "candidate.address or claimed_timezone"],
        rationale: """
            A browser set to the claimed zone while the connection geolocates many hours away is one of the location \
            inconsistencies DTEX describes (S35); the post-hire pattern of work closer to UTC+9 than the claimed zone is \
            documented by SEAL (S36). UTC offsets at the event's date are compared, not zone names. It fires when at least \
            half of the events with an IP zone disagree with the browser or the claim, and the disagreement is not one \
            trip (within \(Travel.maxDays) days, events from the claimed zone before or after, the browser agreeing with the \
            connection during it). Addresses \
            classed as VPN, hosting, proxy, Tor or mobile and the employer's corporate VPN are left out, because their zone \
            is the exit's. City databases place addresses coarsely: weak.
            """,
        verify: "Ask the candidate where they work from and at what local hours; confirm on a live video call.",
        references: [PublicSources.s35, PublicSources.s36]
    )

    public func evaluate(_ context: ScreeningContext) -> IndicatorOutcome {
        let observed: [NetworkEnrichment.Observation]
        switch NetworkEnrichment.observations(context, needsGeolocation: true) {
        case .failure(let skip): return .skipped(reason: skip.reason)
        case .success(let r): observed = r.all
        }
        let zoned = observed.filter {
            $0.fact.networkClasses.isDisjoint(with: IPCountryIndicator.notLocating) && $0.fact.timeZone.flatMap(TimeZone.init(identifier:)) != nil
        }
        guard !zoned.isEmpty else { return .skipped(reason: "the IP database gives no time zone for the event addresses (a City database is needed)") }
        let claim = context.facts.claimedLocation.flatMap { $0.allowedZones.isEmpty ? nil : $0 }
        var evidence: [Evidence] = []
        var compared = 0
        var mismatchedEvents = Set<Int>()
        var observations: [Travel.Observation] = []
        for o in zoned {
            let ipOffset = TimeZone(identifier: o.fact.timeZone!)!.secondsFromGMT(for: o.event.at) / 60
            let ipShown = "\(o.fact.timeZone!) (\(UTCOffset.format(minutes: ipOffset))) from \(o.fact.ip)"
            var browser: Int?
            if let zone = o.event.browserTimezone { browser = TimeZone(identifier: zone).map { $0.secondsFromGMT(for: o.event.at) / 60 } }
            else { browser = o.event.utcOffsetMinutes }
            guard browser != nil || claim != nil else { continue }
            compared += 1
            let source = "\(o.event.type) event at \(DateParsing.string(o.event.at)); \(o.fact.source)"
            var expected: [String] = []
            if let browser, browser != ipOffset { expected.append("browser offset \(UTCOffset.format(minutes: browser))") }
            if let claim {
                let allowed = claim.allowedOffsets(at: o.event.at)
                if !allowed.contains(ipOffset) {
                    expected.append(allowed.sorted().map { UTCOffset.format(minutes: $0) }.joined(separator: " or ") + " for \(claim.basis)")
                }
            }
            observations.append(Travel.Observation(at: o.event.at, mismatched: !expected.isEmpty, deviceAgrees: browser.map { $0 == ipOffset }))
            if !expected.isEmpty {
                mismatchedEvents.insert(o.index)
                evidence.append(Evidence(field: o.field, observed: ipShown, expected: expected.joined(separator: "; "), source: source))
            }
        }
        guard compared > 0 else { return .skipped(reason: "no browser zone and no claimed zone to compare the IP zone with") }
        guard !mismatchedEvents.isEmpty else { return .passed() }
        guard mismatchedEvents.count * 2 >= compared else {
            return .passed(note: "\(mismatchedEvents.count) of \(compared) events from another zone, consistent with travel")
        }
        if let trip = Travel.trip(observations) {
            return .passed(note: Travel.describe(trip, events: mismatchedEvents.count))
        }
        return .fired(
            explanation: "\(mismatchedEvents.count) of \(compared) events came from IP addresses in a time zone that differs from the browser's or the claimed location's.",
            evidence: evidence
        )
    }

    public var examples: [IndicatorExample] {
        let austin = #""candidate": {"address": {"city": "Austin", "region": "TX", "country": "US"}}"#
        return [
            IndicatorExample("browser says Chicago, IP in Shanghai", fires: true, record: """
                {\(austin), "events": [{"type": "application_submitted", "at": "2026-10-01T14:03:00Z", "ip": "198.51.100.7", "browser_timezone": "America/Chicago"}]}
                """, facts: NetworkEnrichment.example([NetworkEnrichment.fact("198.51.100.7", "CN", zone: "Asia/Shanghai")])),
            IndicatorExample("claims Austin, no browser zone, IP zone Asia/Vladivostok", fires: true, record: """
                {\(austin), "events": [{"type": "application_submitted", "at": "2026-10-01T14:03:00Z", "ip": "203.0.113.40"}]}
                """, facts: NetworkEnrichment.example([NetworkEnrichment.fact("203.0.113.40", "RU", zone: "Asia/Vladivostok")])),
            IndicatorExample("IP zone America/Chicago, browser America/Chicago", fires: false, record: """
                {\(austin), "events": [{"type": "application_submitted", "at": "2026-10-01T14:03:00Z", "ip": "203.0.113.1", "browser_timezone": "America/Chicago"}]}
                """, facts: NetworkEnrichment.example([NetworkEnrichment.fact("203.0.113.1", "US", zone: "America/Chicago")])),
            IndicatorExample("same offset, other zone name (Mexico City in winter)", fires: false, record: """
                {\(austin), "events": [{"type": "application_submitted", "at": "2026-12-01T14:03:00Z", "ip": "203.0.113.41", "browser_timezone": "America/Chicago"}]}
                """, facts: NetworkEnrichment.example([NetworkEnrichment.fact("203.0.113.41", "US", zone: "America/Mexico_City")])),
            IndicatorExample("hard negative: corporate VPN egress in Dublin", fires: false, record: """
                {\(austin), "events": [{"type": "assessment_completed", "at": "2026-10-03T15:00:00Z", "ip": "192.0.2.10", "browser_timezone": "America/Chicago"}]}
                """, facts: NetworkEnrichment.example([NetworkEnrichment.fact("192.0.2.10", "IE", zone: "Europe/Dublin", classes: [NetworkClass.corporateVPN])])),
            IndicatorExample("hard negative: a trip covering three of four events, browser and connection in Manila, home afterwards", fires: false, record: """
                {\(austin), "events": [
                  {"type": "application_submitted", "at": "2026-10-01T02:03:00Z", "ip": "192.0.2.80", "browser_timezone": "Asia/Manila"},
                  {"type": "assessment_completed", "at": "2026-10-02T03:00:00Z", "ip": "192.0.2.80", "browser_timezone": "Asia/Manila"},
                  {"type": "email_reply", "at": "2026-10-04T04:00:00Z", "ip": "192.0.2.80", "browser_timezone": "Asia/Manila"},
                  {"type": "onboarding_form", "at": "2026-10-20T16:00:00Z", "ip": "203.0.113.1", "browser_timezone": "America/Chicago"}]}
                """, facts: NetworkEnrichment.example([NetworkEnrichment.fact("203.0.113.1", "US", zone: "America/Chicago"),
                                                        NetworkEnrichment.fact("192.0.2.80", "PH", zone: "Asia/Manila")])),
            IndicatorExample("persistent: the connection in Vladivostok from application to onboarding", fires: true, record: """
                {\(austin), "events": [
                  {"type": "application_submitted", "at": "2026-10-01T02:03:00Z", "ip": "203.0.113.70", "browser_timezone": "America/Chicago"},
                  {"type": "assessment_completed", "at": "2026-10-09T03:00:00Z", "ip": "203.0.113.70", "browser_timezone": "America/Chicago"},
                  {"type": "onboarding_form", "at": "2026-10-22T16:00:00Z", "ip": "203.0.113.70", "browser_timezone": "America/Chicago"}]}
                """, facts: NetworkEnrichment.example([NetworkEnrichment.fact("203.0.113.70", "RU", zone: "Asia/Vladivostok")])),
            IndicatorExample("hard negative: one trip of three events", fires: false, record: """
                {\(austin), "events": [
                  {"type": "application_submitted", "at": "2026-10-01T14:03:00Z", "ip": "203.0.113.1", "browser_timezone": "America/Chicago"},
                  {"type": "email_reply", "at": "2026-10-05T09:00:00Z", "ip": "192.0.2.77", "browser_timezone": "Europe/Lisbon"},
                  {"type": "onboarding_form", "at": "2026-10-09T16:00:00Z", "ip": "203.0.113.1", "browser_timezone": "America/Chicago"}]}
                """, facts: NetworkEnrichment.example([NetworkEnrichment.fact("203.0.113.1", "US", zone: "America/Chicago"), NetworkEnrichment.fact("192.0.2.77", "PT", zone: "Europe/Lisbon")])),
        ]
    }
}

/// Three or more countries across one application's event IPs. Catalog C3.
public struct MultipleCountriesIndicator: Indicator {
    public init() {}
    static let threshold = 3

    public let descriptor = IndicatorDescriptor(
        code: "NET-MULTI-COUNTRY",
        title: "Event IP addresses in several countries",
        category: .network,
        defaultPoints: 15,
        strength: .moderate,
        inputs: ["events[].ip (country from the configured IP database)"],
        rationale: """
            The 2022 advisory lists "multiple logins into one account from various IP addresses in a relatively short period \
            of time, especially if the IP addresses are associated with different countries" (S1, restated in S6). It fires \
            when the events of one application come from \(threshold) or more countries; a home country and one trip (two \
            countries) never fire. VPN exits count, since hopping between exits is the pattern described; the employer's \
            corporate VPN does not. Frequent travellers and shared offices trigger it legitimately.
            """,
        verify: "Ask the candidate to account for the locations and dates; confirm identity and location on a live video call.",
        references: [PublicSources.s1, PublicSources.s6]
    )

    public func evaluate(_ context: ScreeningContext) -> IndicatorOutcome {
        let observed: [NetworkEnrichment.Observation]
        switch NetworkEnrichment.observations(context, needsGeolocation: true) {
        case .failure(let skip): return .skipped(reason: skip.reason)
        case .success(let r): observed = r.all
        }
        let located = observed.filter { $0.fact.country != nil }
        guard !located.isEmpty else { return .skipped(reason: "the IP database gives no country for the event addresses") }
        var firstByCountry: [String: NetworkEnrichment.Observation] = [:]
        for o in located where firstByCountry[o.fact.country!] == nil { firstByCountry[o.fact.country!] = o }
        guard firstByCountry.count >= Self.threshold else {
            return .passed(note: firstByCountry.count > 1 ? "\(firstByCountry.count) countries, consistent with one trip" : nil)
        }
        let ordered = firstByCountry.values.sorted { $0.event.at < $1.event.at }
        let span = (located.last!.event.at.timeIntervalSince(located.first!.event.at) / 86_400).rounded(.up)
        return .fired(
            explanation: "The events of this application came from IP addresses in \(firstByCountry.count) countries (\(ordered.map { $0.fact.country! }.joined(separator: ", "))) within \(Int(max(1, span))) days.",
            evidence: ordered.map { o in
                Evidence(field: o.field, observed: NetworkEnrichment.describe(o.fact), expected: nil,
                         source: "\(o.event.type) event at \(DateParsing.string(o.event.at)); \(o.fact.source)")
            }
        )
    }

    public var examples: [IndicatorExample] {
        let austin = #""candidate": {"address": {"city": "Austin", "region": "TX", "country": "US"}}"#
        return [
            IndicatorExample("China, Russia and the US in three days", fires: true, record: """
                {\(austin), "events": [
                  {"type": "application_submitted", "at": "2026-10-01T14:03:00Z", "ip": "198.51.100.7"},
                  {"type": "assessment_completed", "at": "2026-10-02T02:11:00Z", "ip": "203.0.113.9"},
                  {"type": "email_reply", "at": "2026-10-03T16:00:00Z", "ip": "203.0.113.1"}]}
                """, facts: NetworkEnrichment.example([NetworkEnrichment.fact("198.51.100.7", "CN"), NetworkEnrichment.fact("203.0.113.9", "RU"), NetworkEnrichment.fact("203.0.113.1", "US")])),
            IndicatorExample("hard negative: home and one trip", fires: false, record: """
                {\(austin), "events": [
                  {"type": "application_submitted", "at": "2026-10-01T14:03:00Z", "ip": "203.0.113.1"},
                  {"type": "email_reply", "at": "2026-10-05T09:00:00Z", "ip": "192.0.2.77"},
                  {"type": "onboarding_form", "at": "2026-10-09T16:00:00Z", "ip": "203.0.113.1"}]}
                """, facts: NetworkEnrichment.example([NetworkEnrichment.fact("203.0.113.1", "US"), NetworkEnrichment.fact("192.0.2.77", "PT")])),
            IndicatorExample("hard negative: corporate VPN egress in two other countries", fires: false, record: """
                {\(austin), "events": [
                  {"type": "application_submitted", "at": "2026-10-01T14:03:00Z", "ip": "203.0.113.1"},
                  {"type": "assessment_completed", "at": "2026-10-02T15:00:00Z", "ip": "192.0.2.10"},
                  {"type": "interview", "at": "2026-10-03T15:00:00Z", "ip": "192.0.2.11"}]}
                """, facts: NetworkEnrichment.example([
                    NetworkEnrichment.fact("203.0.113.1", "US"), NetworkEnrichment.fact("192.0.2.10", "IE", classes: [NetworkClass.corporateVPN]),
                    NetworkEnrichment.fact("192.0.2.11", "DE", classes: [NetworkClass.corporateVPN]),
                ])),
        ]
    }
}

/// Consecutive events further apart than a plane could travel in the time between them.
public struct ImpossibleTravelIndicator: Indicator {
    public init() {}
    /// Airliner cruise speed.
    static let speedKmPerHour = 900.0
    /// Slack for geolocation error (city databases place addresses tens to hundreds of km off) and airport time.
    static let slackKm = 500.0

    public let descriptor = IndicatorDescriptor(
        code: "NET-IMPOSSIBLE-TRAVEL",
        title: "Events further apart than a plane could travel",
        category: .network,
        defaultPoints: 20,
        strength: .moderate,
        inputs: ["events[].at", "events[].ip (coordinates from a City database)"],
        rationale: """
            The catalog's check for C2 is "impossible travel between consecutive events" (S35, S42: logins from China, then the \
            US). For consecutive events whose IPs a City database places at coordinates, the great-circle distance minus \
            \(Int(slackKm)) km of slack for geolocation error is compared with \(Int(speedKmPerHour)) km/h times the hours \
            between them. A real trip, however long, fits. VPN, hosting, proxy, Tor and mobile addresses and the employer's \
            corporate VPN are left out, since their coordinates are the exit's; geolocation errors remain a false-positive cause.
            """,
        verify: "Ask the candidate where they were at each of the two events; a VPN switched on for one of them is a common benign explanation.",
        references: [PublicSources.s35, PublicSources.s42, PublicSources.s1]
    )

    public func evaluate(_ context: ScreeningContext) -> IndicatorOutcome {
        let observed: [NetworkEnrichment.Observation]
        switch NetworkEnrichment.observations(context, needsGeolocation: true) {
        case .failure(let skip): return .skipped(reason: skip.reason)
        case .success(let r): observed = r.all
        }
        let placed = observed.filter {
            $0.fact.latitude != nil && $0.fact.longitude != nil && $0.fact.networkClasses.isDisjoint(with: IPCountryIndicator.notLocating)
        }
        guard placed.count >= 2 else { return .skipped(reason: "fewer than two events with IP coordinates (a City database is needed)") }
        var evidence: [Evidence] = []
        for (a, b) in zip(placed, placed.dropFirst()) {
            let km = NetworkEnrichment.distanceKm(a.fact.latitude!, a.fact.longitude!, b.fact.latitude!, b.fact.longitude!)
            let hours = b.event.at.timeIntervalSince(a.event.at) / 3600
            guard km - Self.slackKm > Self.speedKmPerHour * hours else { continue }
            evidence.append(Evidence(
                field: "\(a.field), \(b.field)",
                observed: "\(Int(km.rounded())) km in \(String(format: "%.1f", hours)) h: \(NetworkEnrichment.describe(a.fact)) then \(NetworkEnrichment.describe(b.fact))",
                expected: "at most \(Int(Self.speedKmPerHour)) km/h plus \(Int(Self.slackKm)) km",
                source: "\(a.event.type) at \(DateParsing.string(a.event.at)), \(b.event.type) at \(DateParsing.string(b.event.at)); \(b.fact.source)"
            ))
        }
        guard !evidence.isEmpty else { return .passed() }
        return .fired(
            explanation: "\(evidence.count) pair(s) of consecutive events came from places further apart than a plane could travel in the time between them.",
            evidence: evidence
        )
    }

    public var examples: [IndicatorExample] {
        let austin = #""candidate": {"address": {"city": "Austin", "region": "TX", "country": "US"}}"#
        return [
            IndicatorExample("Austin then Shenyang two hours later", fires: true, record: """
                {\(austin), "events": [
                  {"type": "application_submitted", "at": "2026-10-01T14:00:00Z", "ip": "203.0.113.1"},
                  {"type": "assessment_completed", "at": "2026-10-01T16:00:00Z", "ip": "198.51.100.7"}]}
                """, facts: NetworkEnrichment.example([NetworkEnrichment.fact("203.0.113.1", "US", lat: 30.27, lon: -97.74), NetworkEnrichment.fact("198.51.100.7", "CN", lat: 41.8, lon: 123.4)])),
            IndicatorExample("hard negative: one trip, Austin to Lisbon over three days", fires: false, record: """
                {\(austin), "events": [
                  {"type": "application_submitted", "at": "2026-10-01T14:00:00Z", "ip": "203.0.113.1"},
                  {"type": "email_reply", "at": "2026-10-04T09:00:00Z", "ip": "192.0.2.77"},
                  {"type": "onboarding_form", "at": "2026-10-09T16:00:00Z", "ip": "203.0.113.1"}]}
                """, facts: NetworkEnrichment.example([NetworkEnrichment.fact("203.0.113.1", "US", lat: 30.27, lon: -97.74), NetworkEnrichment.fact("192.0.2.77", "PT", lat: 38.72, lon: -9.14)])),
            IndicatorExample("hard negative: Austin and Dallas an hour apart (geolocation slack)", fires: false, record: """
                {\(austin), "events": [
                  {"type": "application_submitted", "at": "2026-10-01T14:00:00Z", "ip": "203.0.113.1"},
                  {"type": "assessment_completed", "at": "2026-10-01T15:00:00Z", "ip": "203.0.113.2"}]}
                """, facts: NetworkEnrichment.example([NetworkEnrichment.fact("203.0.113.1", "US", lat: 30.27, lon: -97.74), NetworkEnrichment.fact("203.0.113.2", "US", lat: 32.78, lon: -96.8)])),
            IndicatorExample("hard negative: corporate VPN egress in Frankfurt between home events", fires: false, record: """
                {\(austin), "events": [
                  {"type": "application_submitted", "at": "2026-10-01T14:00:00Z", "ip": "203.0.113.1"},
                  {"type": "assessment_completed", "at": "2026-10-01T15:00:00Z", "ip": "192.0.2.10"},
                  {"type": "interview", "at": "2026-10-01T16:00:00Z", "ip": "203.0.113.1"}]}
                """, facts: NetworkEnrichment.example([
                    NetworkEnrichment.fact("203.0.113.1", "US", lat: 30.27, lon: -97.74),
                    NetworkEnrichment.fact("192.0.2.10", "DE", lat: 50.11, lon: 8.68, classes: [NetworkClass.corporateVPN]),
                ])),
        ]
    }
}
