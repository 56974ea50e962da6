import Foundation

/// The network classes an IP-intelligence enricher writes into ``NetworkFact/networkClasses``.
public enum NetworkClass {
    public static let hosting = "hosting"
    public static let vpn = "vpn"
    /// Astrill VPN, the provider named in the catalog (C1).
    public static let astrillVPN = "astrill-vpn"
    public static let tor = "tor"
    public static let proxy = "proxy"
    public static let residentialProxy = "residential-proxy"
    public static let dprk = "dprk"
    public static let mobile = "mobile"
    /// The employer's own VPN egress: never evidence against a candidate.
    public static let corporateVPN = "corporate-vpn"

    /// Networks whose addresses many unrelated people share by design: anonymizing exits,
    /// hosting, mobile-carrier NAT and corporate VPN egress. Two applicants on one of these
    /// addresses are not linked by it (the identity store does not record them).
    public static let sharedExits: Set<String> = [vpn, astrillVPN, tor, proxy, hosting, residentialProxy, mobile, corporateVPN]
}

/// Shared by the network indicators and the enricher that feeds them.
public enum NetworkEnrichment {
    /// The name the IP-intelligence enricher records in ``Facts/enrichersRun``.
    public static let enricherName = "ip-intelligence"
    /// Recorded instead when no geolocation database is configured: only the classification data
    /// (DPRK ranges, VPN/hosting lists, Tor exits, an ASN database) was applied.
    public static let classificationOnlyName = "ip-classification"

    /// One event with an IP and what the database said about it.
    public struct Observation: Sendable {
        public var index: Int
        public var event: Event
        public var fact: NetworkFact
        public var field: String { "events[\(index)].ip" }
    }

    /// The events that carry an IP with a network fact, in time order, leaving out the employer's
    /// corporate-VPN egress. Returns a skip reason when the inputs are not there.
    public static func observations(_ context: ScreeningContext, needsGeolocation: Bool) -> Result<(all: [Observation], corporate: Int), Skip> {
        let ran = context.facts.enrichersRun
        if needsGeolocation {
            guard ran.contains(enricherName) else {
                return .failure(Skip(reason: "no IP geolocation database configured"))
            }
        } else {
            guard ran.contains(enricherName) || ran.contains(classificationOnlyName) else {
                return .failure(Skip(reason: "IP intelligence not configured"))
            }
        }
        let withIP = context.application.events.enumerated().filter { $0.element.ip.map { !$0.isEmpty } ?? false }
        guard !withIP.isEmpty else { return .failure(Skip(reason: "no event carries an IP address")) }
        var result: [Observation] = []
        var corporate = 0
        for (index, event) in withIP {
            guard let ip = event.ip, let fact = context.facts.network[ip.trimmingWhitespace()] else { continue }
            if fact.networkClasses.contains(NetworkClass.corporateVPN) { corporate += 1; continue }
            result.append(Observation(index: index, event: event, fact: fact))
        }
        result.sort { $0.event.at < $1.event.at }
        return .success((result, corporate))
    }

    public struct Skip: Error, Sendable { public var reason: String }

    /// Great-circle distance in kilometres.
    public static func distanceKm(_ lat1: Double, _ lon1: Double, _ lat2: Double, _ lon2: Double) -> Double {
        let r = 6371.0
        let p1 = lat1 * .pi / 180, p2 = lat2 * .pi / 180
        let dp = (lat2 - lat1) * .pi / 180, dl = (lon2 - lon1) * .pi / 180
        let a = sin(dp / 2) * sin(dp / 2) + cos(p1) * cos(p2) * sin(dl / 2) * sin(dl / 2)
        return 2 * r * asin(min(1, sqrt(a)))
    }

    /// "203.0.113.7 (US, AS64500 Example, GeoLite2-City built 2024-06-18)".
    public static func describe(_ fact: NetworkFact) -> String {
        var parts: [String] = []
        if let country = fact.country { parts.append([country, fact.region, fact.city].compactMap { $0 }.joined(separator: " ")) }
        if let asn = fact.asn { parts.append("AS\(asn)" + (fact.asOrganization.map { " \($0)" } ?? "")) }
        if !fact.networkClasses.isEmpty { parts.append(fact.networkClasses.sorted().joined(separator: "/")) }
        return "\(fact.ip) (\(parts.joined(separator: ", ")))"
    }

    /// A JSON record fragment and facts for examples: events with the given IPs.
    static func example(_ facts: [NetworkFact]) -> @Sendable (inout Facts) -> Void {
        { f in
            f.enrichersRun.insert(enricherName)
            for fact in facts { f.network[fact.ip] = fact }
        }
    }

    static func fact(_ ip: String, _ country: String?, zone: String? = nil, lat: Double? = nil, lon: Double? = nil,
                     asn: Int? = nil, org: String? = nil, classes: Set<String> = []) -> NetworkFact {
        var f = NetworkFact(ip: ip, source: "example database built 2026-11-01")
        f.country = country
        f.timeZone = zone
        f.latitude = lat
        f.longitude = lon
        f.asn = asn
        f.asOrganization = org
        f.networkClasses = classes
        return f
    }
}

extension PublicSources {
    public static let s13 = SourceReference(
        id: "S13", title: "U.S. DOJ, coordinated actions against DPRK remote IT worker schemes, 30 Jun 2025", url: nil
    )
    public static let s41 = SourceReference(
        id: "S41", title: "Mandiant Defender's Advantage podcast, Responding to a DPRK ITW Incident, 19 May 2025",
        url: "https://pod.wave.co/podcast/the-defenders-advantage-podcast/responding-to-a-dprk-itw-incident"
    )
    public static let s42 = SourceReference(
        id: "S42", title: "LevelBlue SpiderLabs, How LevelBlue OTX and Cybereason XDR Detected a North Korea-Linked Remote IT Worker",
        url: "https://dev.lazarus.day/reports/how-levelblue-otx-and-cybereason-xdr-detected-a-north-korea-linked-remote-it-worker-vvWUk/"
    )
    public static let s43 = SourceReference(
        id: "S43", title: "Red Canary, 2025 Threat Detection Report (DPRK insider section)",
        url: "https://www.thinkbymore.com/doc/2025-threat-detection-report"
    )
    public static let s44 = SourceReference(
        id: "S44", title: "DPRK internet space: Team Cymru (2022), Trend Micro (2017), APNIC/RIPE Labs (2015), The Register (2017)",
        url: "https://www.team-cymru.com/post/insight-into-north-korean-internet-outages"
    )
    public static let s52 = SourceReference(
        id: "S52", title: "trackr.live, Detecting DPRK IT Worker Infiltration (2026; practitioner opinion, low authority)",
        url: "https://www.trackr.live/2026/05/20/dprk-it-worker-infiltration-detection/"
    )
}
