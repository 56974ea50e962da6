import Foundation

/// The geolocated country of the event IPs against the claimed country (and the job's country
/// when the job requires residence there). Catalog C2.
public struct IPCountryIndicator: Indicator {
    public init() {}

    /// Classes whose geolocation is an exit's or a carrier's, not the person's.
    static let notLocating: Set<String> = [
        NetworkClass.vpn, NetworkClass.astrillVPN, NetworkClass.tor, NetworkClass.proxy, NetworkClass.hosting,
        NetworkClass.residentialProxy, NetworkClass.mobile,
    ]

    public let descriptor = IndicatorDescriptor(
        code: "NET-IP-COUNTRY-MISMATCH",
        title: "IP addresses geolocate to another country than the claimed one",
        category: .network,
        defaultPoints: 20,
        strength: .moderate,
        inputs: ["events[].ip (geolocated with the configured IP database)", "candidate.address.country", "job.country with job.requires_residence"],
        rationale: """
            DTEX lists "IP addresses that didn't match the claimed location" among the signs of DPRK remote-IT applicants \
            (S35); incident responders found logins from China and laptops online in another state than claimed (S41, S42). \
            The country of each event IP, from the configured .mmdb database, is compared with the claimed country, and \
            with the job's country when the job requires residence. It fires when at least half of the geolocated events \
            disagree and the disagreement is not one trip (events abroad within \(Travel.maxDays) days, events from the \
            claimed country before or after them, and the browser's zone, where given, agreeing with the connection's: \
            catalog C2 names travel as the false positive). Countries only: a mobile carrier whose addresses geolocate to a neighbouring \
            region never counts, and addresses classed as mobile, VPN, hosting, proxy or Tor are left to their own \
            indicator because their location is the exit's. The employer's corporate-VPN egress is never counted. Laptop \
            farms defeat it (S36); travel and geolocation errors cause false positives.
            """,
        verify: "Ask where the candidate was working on the dates shown, and confirm on a live video call; check the address by a verified means before shipping equipment.",
        references: [PublicSources.s35, PublicSources.s36, PublicSources.s41, PublicSources.s42]
    )

    public func evaluate(_ context: ScreeningContext) -> IndicatorOutcome {
        let observed: [NetworkEnrichment.Observation]
        switch NetworkEnrichment.observations(context, needsGeolocation: true) {
        case .failure(let skip): return .skipped(reason: skip.reason)
        case .success(let r): observed = r.all
        }
        var expected: [(country: String, basis: String)] = []
        if let claimed = context.facts.claimedLocation?.country { expected.append((claimed, "claimed country \(claimed)")) }
        if let job = context.application.job, job.requiresResidence == true, let country = job.country, !expected.contains(where: { $0.country == country }) {
            expected.append((country, "job country \(country) (residence required)"))
        }
        guard !expected.isEmpty else { return .skipped(reason: "no claimed country and no residence requirement") }
        let located = observed.filter { $0.fact.country != nil && $0.fact.networkClasses.isDisjoint(with: Self.notLocating) }
        guard !located.isEmpty else {
            return .skipped(reason: observed.isEmpty
                ? "the IP database has no entry for the event addresses"
                : "no event IP geolocates to a residential or fixed network")
        }
        var evidence: [Evidence] = []
        var mismatched = 0
        var observations: [Travel.Observation] = []
        for o in located {
            let misses = expected.filter { $0.country != o.fact.country }
            guard !misses.isEmpty else {
                observations.append(Travel.Observation(at: o.event.at, mismatched: false))
                continue
            }
            observations.append(Travel.Observation(at: o.event.at, mismatched: true, deviceAgrees: Travel.browserAgrees(o)))
            mismatched += 1
            evidence.append(Evidence(
                field: o.field,
                observed: NetworkEnrichment.describe(o.fact),
                expected: misses.map(\.basis).joined(separator: "; "),
                source: "\(o.event.type) event at \(DateParsing.string(o.event.at)); \(o.fact.source)"
            ))
        }
        guard mismatched > 0 else { return .passed() }
        guard mismatched * 2 >= located.count else {
            return .passed(note: "\(mismatched) of \(located.count) geolocated events from another country, consistent with travel")
        }
        if let trip = Travel.trip(observations) {
            return .passed(note: Travel.describe(trip, events: mismatched))
        }
        return .fired(
            explanation: "\(mismatched) of \(located.count) geolocated events came from IP addresses in another country than \(expected.map(\.basis).joined(separator: " and ")).",
            evidence: evidence
        )
    }

    public var examples: [IndicatorExample] {
        let austin = #""candidate": {"address": {"city": "Austin", "region": "TX", "country": "US"}}"#
        return [
            IndicatorExample("claims Austin, all events from China", fires: true, record: """
                {\(austin), "events": [
                  {"type": "application_submitted", "at": "2026-10-01T14:03:00Z", "ip": "198.51.100.7"},
                  {"type": "assessment_completed", "at": "2026-10-03T02:11:00Z", "ip": "198.51.100.8"}]}
                """, facts: NetworkEnrichment.example([NetworkEnrichment.fact("198.51.100.7", "CN"), NetworkEnrichment.fact("198.51.100.8", "CN")])),
            IndicatorExample("job requires UK residence, candidate claims UK, IPs in Russia", fires: true, record: """
                {"job": {"country": "GB", "requires_residence": true}, "candidate": {"address": {"city": "London", "country": "GB"}},
                 "events": [{"type": "application_submitted", "at": "2026-10-01T14:03:00Z", "ip": "203.0.113.9"}]}
                """, facts: NetworkEnrichment.example([NetworkEnrichment.fact("203.0.113.9", "RU")])),
            IndicatorExample("job requires US residence, no address, IP in Laos", fires: true, record: """
                {"job": {"country": "US", "requires_residence": true},
                 "events": [{"type": "application_submitted", "at": "2026-10-01T14:03:00Z", "ip": "203.0.113.10"}]}
                """, facts: NetworkEnrichment.example([NetworkEnrichment.fact("203.0.113.10", "LA")])),
            IndicatorExample("hard negative: corporate VPN egress listed by the employer", fires: false, record: """
                {\(austin), "events": [
                  {"type": "assessment_completed", "at": "2026-10-03T15:00:00Z", "ip": "192.0.2.10"}]}
                """, facts: NetworkEnrichment.example([NetworkEnrichment.fact("192.0.2.10", "IE", classes: [NetworkClass.corporateVPN])])),
            IndicatorExample("hard negative: mobile carrier geolocating to a neighbouring region (Oklahoma)", fires: false, record: """
                {\(austin), "events": [{"type": "application_submitted", "at": "2026-10-01T14:03:00Z", "ip": "203.0.113.20"}]}
                """, facts: NetworkEnrichment.example([{ var x = NetworkEnrichment.fact("203.0.113.20", "US", classes: [NetworkClass.mobile]); x.region = "OK"; return x }()])),
            IndicatorExample("hard negative: mobile carrier across a border (Mexico) while claiming Texas", fires: false, record: """
                {\(austin), "events": [{"type": "application_submitted", "at": "2026-10-01T14:03:00Z", "ip": "203.0.113.21"}]}
                """, facts: NetworkEnrichment.example([NetworkEnrichment.fact("203.0.113.21", "MX", classes: [NetworkClass.mobile])])),
            IndicatorExample("hard negative: one trip abroad among four events", fires: false, record: """
                {\(austin), "events": [
                  {"type": "application_submitted", "at": "2026-10-01T14:03:00Z", "ip": "203.0.113.1"},
                  {"type": "assessment_completed", "at": "2026-10-02T15:00:00Z", "ip": "203.0.113.1"},
                  {"type": "email_reply", "at": "2026-10-05T09:00:00Z", "ip": "192.0.2.77"},
                  {"type": "onboarding_form", "at": "2026-10-09T16:00:00Z", "ip": "203.0.113.1"}]}
                """, facts: NetworkEnrichment.example([NetworkEnrichment.fact("203.0.113.1", "US"), NetworkEnrichment.fact("192.0.2.77", "PT")])),
            IndicatorExample("hard negative: a week abroad covering most events, the browser in the same zone, home afterwards", fires: false, record: """
                {\(austin), "events": [
                  {"type": "application_submitted", "at": "2026-10-01T14:03:00Z", "ip": "192.0.2.77", "browser_timezone": "Europe/Lisbon"},
                  {"type": "assessment_completed", "at": "2026-10-02T15:00:00Z", "ip": "192.0.2.77", "browser_timezone": "Europe/Lisbon"},
                  {"type": "email_reply", "at": "2026-10-05T09:00:00Z", "ip": "192.0.2.77", "browser_timezone": "Europe/Lisbon"},
                  {"type": "onboarding_form", "at": "2026-10-20T16:00:00Z", "ip": "203.0.113.1", "browser_timezone": "America/Chicago"}]}
                """, facts: NetworkEnrichment.example([NetworkEnrichment.fact("203.0.113.1", "US", zone: "America/Chicago"),
                                                        NetworkEnrichment.fact("192.0.2.77", "PT", zone: "Europe/Lisbon")])),
            IndicatorExample("the same days abroad with the browser still on Austin's clock: not a trip", fires: true, record: """
                {\(austin), "events": [
                  {"type": "application_submitted", "at": "2026-10-01T14:03:00Z", "ip": "192.0.2.77", "browser_timezone": "America/Chicago"},
                  {"type": "assessment_completed", "at": "2026-10-02T15:00:00Z", "ip": "192.0.2.77", "browser_timezone": "America/Chicago"},
                  {"type": "email_reply", "at": "2026-10-05T09:00:00Z", "ip": "192.0.2.77", "browser_timezone": "America/Chicago"},
                  {"type": "onboarding_form", "at": "2026-10-20T16:00:00Z", "ip": "203.0.113.1", "browser_timezone": "America/Chicago"}]}
                """, facts: NetworkEnrichment.example([NetworkEnrichment.fact("203.0.113.1", "US", zone: "America/Chicago"),
                                                        NetworkEnrichment.fact("192.0.2.77", "PT", zone: "Europe/Lisbon")])),
            IndicatorExample("no IP database configured", fires: false, record: """
                {\(austin), "events": [{"type": "application_submitted", "at": "2026-10-01T14:03:00Z", "ip": "198.51.100.7"}]}
                """),
        ]
    }
}
