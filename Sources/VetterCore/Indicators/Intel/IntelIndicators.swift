import Foundation

extension IndicatorCatalog {
    /// The threat-intelligence findings. They read ``Facts/intel``, filled by the feed enricher
    /// (module VetterIntel, `screen --store`); without it they are skipped.
    public static let intel: [any Indicator] = [IntelFeedMatchIndicator(), IntelFrontCompanyIndicator()]
}

enum Intel {
    static let enricherName = "threat-intel"
    static let skipReason = "no threat-intelligence feeds consulted (screen --store with imported feeds)"

    static func notConsulted(_ context: ScreeningContext) -> Bool {
        context.facts.intel.isEmpty && !context.facts.enrichersRun.contains(enricherName)
    }

    /// What a match of each kind says (1 = the most): a published persona mailbox, phone or
    /// handle is specific; a domain or URL less so; a single IP (shared VPN exits, rotating)
    /// and a range least.
    static let weights: [String: Double] = [
        "email": 1, "phone": 1, "github": 0.9, "linkedin": 0.9, "account": 0.6, "sha256": 1, "sha1": 1, "md5": 1,
        "domain": 0.7, "url": 0.7, "ip": 0.4, "ip-range": 0.4, "asn": 0.4,
    ]

    static func weight(_ match: IntelMatch) -> Double {
        let kind = weights[match.kind ?? ""] ?? 0.5
        let confidence = match.confidence.map { min(1, max(0.2, Double($0) / 100)) } ?? 1
        return kind * confidence
    }

    static func scoredAsDPRKNetwork(_ match: IntelMatch, _ context: ScreeningContext) -> Bool {
        guard ["ip", "ip-range", "asn"].contains(match.kind ?? "") else { return false }
        let ip = String(match.observed.split(separator: " ").first ?? "")
        return context.facts.network[ip]?.networkClasses.contains("dprk") == true
    }

    static func evidence(_ match: IntelMatch) -> Evidence {
        var source = "feed \(match.feed), object \(match.objectID)"
        if let confidence = match.confidence { source += ", confidence \(confidence)" }
        if let description = match.description, !description.isEmpty { source += " (\(description.prefix(160)))" }
        var observed = match.observed
        if let value = match.indicatorValue, match.kind == "ip-range" || match.kind == "domain" || match.kind == "organization" {
            observed += " matches \(value)"
        }
        if let similarity = match.similarity, similarity < 1 { observed += String(format: " (similarity %.2f)", similarity) }
        return Evidence(field: match.field, observed: observed, expected: "not listed in a threat-intelligence feed", source: source)
    }
}

/// An identifier of the application (email, handle, phone, IP, domain, URL, résumé file) is
/// listed in an imported threat-intelligence feed.
public struct IntelFeedMatchIndicator: Indicator {
    public init() {}

    public let descriptor = IndicatorDescriptor(
        code: "INTEL-FEED-MATCH",
        title: "An identifier of this application is listed in a threat-intelligence feed",
        category: .intel,
        defaultPoints: 50,
        strength: .strong,
        inputs: ["candidate emails, phones, links and profiles; event IPs; résumé emails, phones, links and file hash; imported feeds"],
        rationale: """
            Security vendors and investigators publish the mailboxes, GitHub and LinkedIn accounts and networks of \
            DPRK IT-worker personas (S22, S23, S45; Zscaler and Unit 42 indicator lists). An exact match to a listed \
            persona identifier is strong; points are weighted by kind (a mailbox, phone or handle 1; a domain or URL \
            0.7; an IP or range 0.4, since VPN exits are shared and age quickly) and by the feed's confidence. \
            Feeds can be wrong and identities are stolen: a listed identifier may belong to a victim. The finding names \
            the feed and the object so the security team can check the source.
            """,
        verify: "Give the finding to the security team with the feed object named; verify identity live (video ID check) before any decision.",
        references: [PublicSources.s22, PublicSources.s23, PublicSources.s1]
    )

    public func evaluate(_ context: ScreeningContext) -> IndicatorOutcome {
        if Intel.notConsulted(context) { return .skipped(reason: Intel.skipReason) }
        let all = context.facts.intel.filter { $0.kind != "organization" }
        // An address the network classification already puts in DPRK space is scored once, by
        // NET-DPRK-ADDRESS, not again here.
        let matches = all.filter { !Intel.scoredAsDPRKNetwork($0, context) }
        guard !matches.isEmpty else {
            return .passed(note: all.isEmpty ? nil : "listed addresses already scored by NET-DPRK-ADDRESS")
        }
        let scale = matches.map(Intel.weight).max() ?? 1
        let feeds = Set(matches.map(\.feed)).sorted().joined(separator: ", ")
        return .fired(explanation: "\(matches.count) identifier match(es) in threat-intelligence feed(s) \(feeds).",
                      evidence: matches.map(Intel.evidence), scale: scale)
    }

    public var examples: [IndicatorExample] {
        [
            IndicatorExample("candidate email is a published persona mailbox", fires: true, record: """
                {"candidate": {"emails": ["persona@example.com"]}}
                """, facts: { facts in
                    facts.enrichersRun.insert(Intel.enricherName)
                    var match = IntelMatch(field: "candidate.emails[0]", observed: "persona@example.com", feed: "zscaler-wagemole",
                                           objectID: "wagemole_emails.txt:3", confidence: nil, description: "Zscaler ThreatLabz")
                    match.kind = "email"
                    facts.intel = [match]
                }),
            IndicatorExample("event IP inside a listed range", fires: true, record: """
                {"events": [{"type": "application_submitted", "at": "2026-01-05T10:00:00Z", "ip": "175.45.177.10"}]}
                """, facts: { facts in
                    facts.enrichersRun.insert(Intel.enricherName)
                    var match = IntelMatch(field: "events[0](application_submitted).ip", observed: "175.45.177.10", feed: "vetter-curated",
                                           objectID: "dprk.tsv:5", confidence: 90)
                    match.kind = "ip-range"
                    match.indicatorValue = "175.45.176.0/22"
                    facts.intel = [match]
                }),
            IndicatorExample("listed range already classified as DPRK space (scored by NET-DPRK-ADDRESS)", fires: false, record: """
                {"events": [{"type": "application_submitted", "at": "2026-01-05T10:00:00Z", "ip": "175.45.177.10"}]}
                """, facts: { facts in
                    facts.enrichersRun.insert(Intel.enricherName)
                    var network = NetworkFact(ip: "175.45.177.10", source: "networks.tsv")
                    network.networkClasses = ["dprk"]
                    facts.network["175.45.177.10"] = network
                    var match = IntelMatch(field: "events[0](application_submitted).ip", observed: "175.45.177.10", feed: "vetter-curated",
                                           objectID: "dprk.tsv:5", confidence: 90)
                    match.kind = "ip-range"
                    facts.intel = [match]
                }),
            IndicatorExample("feeds consulted, nothing listed", fires: false, record: """
                {"candidate": {"emails": ["jane@example.com"]}}
                """, facts: { facts in facts.enrichersRun.insert(Intel.enricherName) }),
            IndicatorExample("only a front-company match (scored by INTEL-FRONT-COMPANY)", fires: false, record: """
                {"candidate": {"emails": ["jane@example.com"]}}
                """, facts: { facts in
                    facts.enrichersRun.insert(Intel.enricherName)
                    var match = IntelMatch(field: "resume.employment[0].employer", observed: "Volasys Silver Star", feed: "vetter-curated", objectID: "x:1")
                    match.kind = "organization"
                    facts.intel = [match]
                }),
        ]
    }
}

/// An employer in the résumé, a reference's company or the payee matches a sanctioned or
/// charged front company listed in a feed (fuzzy, reporting the listed name it matched).
public struct IntelFrontCompanyIndicator: Indicator {
    public init() {}

    public let descriptor = IndicatorDescriptor(
        code: "INTEL-FRONT-COMPANY",
        title: "An employer, reference company or payee matches a listed DPRK front company",
        category: .intel,
        defaultPoints: 35,
        strength: .strong,
        inputs: ["résumé employment history (employers)", "references[].company", "onboarding.payment.accountHolder", "imported feeds (organization entries)"],
        rationale: """
            OFAC and the DOJ have designated or charged companies that employ or front for DPRK IT workers \
            (Yanbian Silverstar, Volasys Silver Star, Chinyong, Korea Sobaeksu Trading, Shenyang Geumpungri and others; \
            S1 and the OFAC actions of 2023–2025). Such a company as a past employer, a reference's employer, an \
            employer of record or a payee is worth verifying. Names are compared as companies (legal forms and \
            punctuation ignored, one typo tolerated) and the listed name matched is shown. People's names are never \
            compared with the list; a company name alone is not an identity.
            """,
        verify: "Check the company against the OFAC SDN list and the source cited; confirm the employment with the company through an independent contact.",
        references: [PublicSources.s1, PublicSources.s6]
    )

    public func evaluate(_ context: ScreeningContext) -> IndicatorOutcome {
        if Intel.notConsulted(context) { return .skipped(reason: Intel.skipReason) }
        let matches = context.facts.intel.filter { $0.kind == "organization" }
        guard !matches.isEmpty else { return .passed() }
        let scale = matches.map { ($0.similarity ?? 1) >= 0.95 ? 1.0 : 0.7 }.max() ?? 1
        return .fired(explanation: "A company named in the application matches a listed front company.",
                      evidence: matches.map(Intel.evidence), scale: scale)
    }

    public var examples: [IndicatorExample] {
        [
            IndicatorExample("past employer matches a designated company", fires: true, record: "{}",
                             resumeText: "Experience\nSoftware Engineer, Yanbian Silverstar Network Technology, 2019 - 2022\n",
                             facts: { facts in
                                 facts.enrichersRun.insert(Intel.enricherName)
                                 var match = IntelMatch(field: "resume.employment[0].employer", observed: "Yanbian Silverstar Network Technology",
                                                        feed: "vetter-curated", objectID: "front-companies.tsv:4",
                                                        description: "S7, S11 (OFAC 2018; DOJ 2023-10-18)")
                                 match.kind = "organization"
                                 match.indicatorValue = "Yanbian Silverstar Network Technology Co., Ltd."
                                 match.similarity = 1
                                 facts.intel = [match]
                             }),
            IndicatorExample("feeds consulted, employers not listed", fires: false, record: "{}",
                             resumeText: "Experience\nSoftware Engineer, Acme Corp, 2019 - 2022\n",
                             facts: { facts in facts.enrichersRun.insert(Intel.enricherName) }),
        ]
    }
}
