import Foundation

/// Events from a VPN, hosting/VPS, proxy or Tor network; stronger for Astrill VPN. Catalog C1.
public struct AnonymizerNetworkIndicator: Indicator {
    public init() {}

    static let anonymizing: Set<String> = [
        NetworkClass.vpn, NetworkClass.astrillVPN, NetworkClass.tor, NetworkClass.proxy, NetworkClass.hosting,
        NetworkClass.residentialProxy,
    ]
    /// The variant of a VPN, hosting, proxy or Tor network that is not Astrill (the catalog rates
    /// it weak). Its points are the policy's `indicators.NET-ANONYMIZER.variants.generic`.
    public static let genericVariant = "generic"
    /// Default points of the generic variant: as much as the other weak location inconsistencies
    /// (a browser zone, 15), so that under the default bands (review at 25) it stays below `review`
    /// alone and reaches it with one independent inconsistency.
    public static let genericDefaultPoints = 15

    public let descriptor = IndicatorDescriptor(
        code: "NET-ANONYMIZER",
        title: "Network origin could not be verified (VPN, hosting, proxy or Tor)",
        category: .network,
        defaultPoints: 20,
        strength: .moderate,
        inputs: ["events[].ip", "network classes from Config/network/networks.tsv, a Tor exit list, an anonymous-IP database"],
        rationale: """
            Advisories say the workers "use virtual private networks (VPNs), virtual private servers (VPSs), or… third-country \
            IP addresses" (S1). Astrill VPN is the provider named by Mandiant, Secureworks and LevelBlue (S22, S34, S41, S42); \
            a match on it carries the full points (moderate). Any other VPN, hosting/VPS, proxy or Tor network is the \
            `generic` variant, \(genericDefaultPoints) points by default (the policy's \
            `indicators.NET-ANONYMIZER.variants.generic`), as much as the other weak location checks: Red Canary notes VPN use is "not \
            inherently malicious" (S43) and practitioners warn that contractors and travelling staff dominate such alerts \
            (S52), so under the default bands a VPN alone, such as another employer's corporate VPN, never reaches review; \
            with a second, independent inconsistency (camera off, a browser zone or working hours elsewhere, a shipping \
            address that is not the home) it does. The address of such an exit is shared by its users: the identity store \
            does not record it, so it never links applicants and the VPN is not counted twice. Astrill is widely used \
            legitimately, especially in and near China. The employer's own corporate-VPN egress never counts. The finding \
            states only that the network origin could not be verified.
            """,
        verify: "Ask the candidate to join a live video call without a VPN, or to explain the VPN use; confirm location by a verified means (for example, equipment delivered to a verified address).",
        references: [PublicSources.s1, PublicSources.s22, PublicSources.s34, PublicSources.s41, PublicSources.s42, PublicSources.s43, PublicSources.s52],
        variants: [genericVariant: genericDefaultPoints]
    )

    public func evaluate(_ context: ScreeningContext) -> IndicatorOutcome {
        let observed: [NetworkEnrichment.Observation]
        let corporate: Int
        switch NetworkEnrichment.observations(context, needsGeolocation: false) {
        case .failure(let skip): return .skipped(reason: skip.reason)
        case .success(let r): (observed, corporate) = (r.all, r.corporate)
        }
        guard !observed.isEmpty else {
            return corporate > 0 ? .passed(note: "\(corporate) events from the employer's corporate VPN egress") : .skipped(reason: "no network data for the event addresses")
        }
        let hits = observed.filter { !$0.fact.networkClasses.isDisjoint(with: Self.anonymizing) }
        guard !hits.isEmpty else { return .passed() }
        let astrill = hits.filter {
            $0.fact.networkClasses.contains(NetworkClass.astrillVPN) || ($0.fact.asOrganization?.localizedCaseInsensitiveContains("astrill") ?? false)
        }
        let evidence = hits.map { o in
            Evidence(
                field: o.field,
                observed: NetworkEnrichment.describe(o.fact),
                expected: "a residential, mobile or employer network",
                source: "\(o.event.type) event at \(DateParsing.string(o.event.at)); \(o.fact.source)"
            )
        }
        let kinds = Set(hits.flatMap { $0.fact.networkClasses.intersection(Self.anonymizing) }).sorted().joined(separator: ", ")
        if !astrill.isEmpty {
            return .fired(
                explanation: "Network origin could not be verified: \(astrill.count) of \(observed.count) events came through Astrill VPN, the VPN provider named in public advisories on remote IT-worker schemes.",
                evidence: evidence
            )
        }
        return .fired(
            explanation: "Network origin could not be verified: \(hits.count) of \(observed.count) events came from a \(kinds) network.",
            evidence: evidence,
            variant: Self.genericVariant
        )
    }

    public var examples: [IndicatorExample] {
        let austin = #""candidate": {"address": {"city": "Austin", "region": "TX", "country": "US"}}"#
        return [
            IndicatorExample("interview through an Astrill VPN exit", fires: true, record: """
                {\(austin), "events": [{"type": "interview", "at": "2025-06-10T15:00:00Z", "ip": "142.214.202.2"}]}
                """, facts: NetworkEnrichment.example([NetworkEnrichment.fact("142.214.202.2", "US", classes: [NetworkClass.vpn, NetworkClass.astrillVPN])])),
            IndicatorExample("application from a hosting provider (VPS)", fires: true, record: """
                {\(austin), "events": [{"type": "application_submitted", "at": "2026-10-01T14:03:00Z", "ip": "198.51.100.50"}]}
                """, facts: NetworkEnrichment.example([NetworkEnrichment.fact("198.51.100.50", "US", asn: 14061, org: "DIGITALOCEAN-ASN", classes: [NetworkClass.hosting])])),
            IndicatorExample("Tor exit", fires: true, record: """
                {\(austin), "events": [{"type": "application_submitted", "at": "2026-10-01T14:03:00Z", "ip": "198.51.100.60"}]}
                """, facts: NetworkEnrichment.example([NetworkEnrichment.fact("198.51.100.60", "DE", classes: [NetworkClass.tor])])),
            IndicatorExample("hard negative: corporate VPN egress listed by the employer (also a hosting ASN)", fires: false, record: """
                {\(austin), "events": [{"type": "assessment_completed", "at": "2026-10-03T15:00:00Z", "ip": "192.0.2.10"}]}
                """, facts: NetworkEnrichment.example([NetworkEnrichment.fact("192.0.2.10", "US", asn: 16509, classes: [NetworkClass.hosting, NetworkClass.corporateVPN])])),
            IndicatorExample("residential ISP", fires: false, record: """
                {\(austin), "events": [{"type": "application_submitted", "at": "2026-10-01T14:03:00Z", "ip": "203.0.113.1"}]}
                """, facts: NetworkEnrichment.example([NetworkEnrichment.fact("203.0.113.1", "US", asn: 64496, org: "Example Cable")])),
            IndicatorExample("hard negative: mobile carrier", fires: false, record: """
                {\(austin), "events": [{"type": "application_submitted", "at": "2026-10-01T14:03:00Z", "ip": "203.0.113.20"}]}
                """, facts: NetworkEnrichment.example([NetworkEnrichment.fact("203.0.113.20", "US", classes: [NetworkClass.mobile])])),
        ]
    }
}

/// Events from DPRK address space (175.45.176.0/22, AS131279) or geolocated to KP. Catalog C4.
public struct DPRKAddressSpaceIndicator: Indicator {
    public init() {}

    public let descriptor = IndicatorDescriptor(
        code: "NET-DPRK-ADDRESS",
        title: "IP address in DPRK address space (investigate, not proof)",
        category: .network,
        defaultPoints: 40,
        strength: .strong,
        inputs: ["events[].ip", "Config/network/networks.tsv (175.45.176.0/22, AS131279)", "the IP database's country"],
        rationale: """
            DPRK's announced address space is small: the netblock 175.45.176.0/22 (STAR-KP) and Star JV's AS131279 (S44). \
            A connection from it is strong but almost never seen, because the workers operate from China, Russia, Laos and \
            elsewhere (S1, S13). Trend Micro cautions that "some IP space registered for use in North Korea is actually \
            being used by VPN providers that apparently want to trick Geo IP services" (S44): treat a match as a reason to \
            investigate, not as proof. Upstream transit ASNs (AS4837, AS20485) are never used.
            """,
        verify: "Escalate to security before any further contact; check the address against current routing data (whois, BGP) and the other events' addresses.",
        references: [PublicSources.s44, PublicSources.s1, PublicSources.s13]
    )

    public func evaluate(_ context: ScreeningContext) -> IndicatorOutcome {
        let observed: [NetworkEnrichment.Observation]
        switch NetworkEnrichment.observations(context, needsGeolocation: false) {
        case .failure(let skip): return .skipped(reason: skip.reason)
        case .success(let r): observed = r.all
        }
        let hits = observed.filter { $0.fact.networkClasses.contains(NetworkClass.dprk) || $0.fact.asn == 131279 || $0.fact.country == "KP" }
        guard !hits.isEmpty else { return observed.isEmpty ? .skipped(reason: "no network data for the event addresses") : .passed() }
        return .fired(
            explanation: "\(hits.count) of \(observed.count) events came from the state-assigned address space listed in the catalog (175.45.176.0/22, AS131279) or an address geolocated to country KP; investigate, this is not proof: such space has been used by VPN providers.",
            evidence: hits.map { o in
                Evidence(field: o.field, observed: NetworkEnrichment.describe(o.fact), expected: nil,
                         source: "\(o.event.type) event at \(DateParsing.string(o.event.at)); \(o.fact.source)")
            }
        )
    }

    public var examples: [IndicatorExample] {
        let austin = #""candidate": {"address": {"city": "Austin", "region": "TX", "country": "US"}}"#
        return [
            IndicatorExample("address in 175.45.176.0/22", fires: true, record: """
                {\(austin), "events": [{"type": "application_submitted", "at": "2026-10-01T14:03:00Z", "ip": "175.45.178.1"}]}
                """, facts: NetworkEnrichment.example([NetworkEnrichment.fact("175.45.178.1", "KP", asn: 131279, classes: [NetworkClass.dprk])])),
            IndicatorExample("ASN 131279 without a country", fires: true, record: """
                {\(austin), "events": [{"type": "application_submitted", "at": "2026-10-01T14:03:00Z", "ip": "198.51.100.99"}]}
                """, facts: NetworkEnrichment.example([NetworkEnrichment.fact("198.51.100.99", nil, asn: 131279)])),
            IndicatorExample("China Unicom transit ASN is not DPRK space", fires: false, record: """
                {\(austin), "events": [{"type": "application_submitted", "at": "2026-10-01T14:03:00Z", "ip": "198.51.100.98"}]}
                """, facts: NetworkEnrichment.example([NetworkEnrichment.fact("198.51.100.98", "CN", asn: 4837, org: "CHINA UNICOM China169 Backbone")])),
            IndicatorExample("South Korean address", fires: false, record: """
                {\(austin), "events": [{"type": "application_submitted", "at": "2026-10-01T14:03:00Z", "ip": "203.0.113.30"}]}
                """, facts: NetworkEnrichment.example([NetworkEnrichment.fact("203.0.113.30", "KR")])),
        ]
    }
}
