import Foundation

extension IndicatorCatalog {
    /// The identity-store findings. They read ``Facts/reuse``, filled by the identity-store
    /// enricher (module VetterStore); without it they are skipped.
    public static let reuse: [any Indicator] = [
        ReuseIdentifierIndicator(),
        ReuseResumeNearDuplicateIndicator(),
        ReuseClusterIndicator(),
        ReuseShippingOrOnboardingIPIndicator(),
    ]
}

/// Helpers shared by the reuse indicators.
enum Reuse {
    static let enricherName = "identity-store"

    /// The store was not consulted: the finding cannot be made.
    static func notConsulted(_ context: ScreeningContext) -> Bool {
        context.facts.reuse.isEmpty && !context.facts.enrichersRun.contains(enricherName)
    }

    static let skipReason = "identity store not configured (screen --store)"

    /// What a kind of identifier says when it recurs under another name (1 = the most).
    static let weights: [String: Double] = [
        "bank-account": 1, "payment-handle": 1, "phone": 1, "email": 1, "resume-hash": 1, "photo-hash": 0.8,
        "linkedin": 0.9, "github": 0.9, "address": 0.7, "device": 0.3, "ip": 0.3, "template": 0.2, "ip24": 0.15,
    ]

    static let labels: [String: String] = [
        "bank-account": "bank account", "payment-handle": "payment handle", "phone": "phone number", "email": "email mailbox",
        "resume-hash": "identical résumé file", "photo-hash": "embedded photo", "linkedin": "LinkedIn handle",
        "github": "GitHub handle", "address": "postal address", "device": "browser/device fingerprint", "ip": "IP address",
        "template": "document template identity", "ip24": "IP network (/24)",
    ]

    static func date(_ date: Date?) -> String {
        guard let date else { return "date unknown" }
        return String(DateParsing.string(date).prefix(10))
    }

    /// "A-17 (2025-03-02)": the other application named by id and date only.
    static func other(_ match: ReuseMatch) -> String {
        "application \(match.otherApplicationID) (\(date(match.otherReceivedAt)))"
    }

    static let identifierKinds: Set<String> = Set(weights.keys)

    static func isOnboardingField(_ field: String?) -> Bool {
        guard let field else { return false }
        if field.hasPrefix("onboarding.shippingAddress") { return true }
        let onboardingEvents = ["onboarding", "first_login", "portal_login", "device_enrolled", "vpn_login", "sso_login"]
        return field.hasPrefix("events[") && field.hasSuffix(".ip") && onboardingEvents.contains { field.contains("(\($0)") }
    }
}

/// The same identifier (phone, email, bank account, address, handle, IP…) already seen under
/// a name that cannot be this applicant's.
public struct ReuseIdentifierIndicator: Indicator {
    public init() {}

    public let descriptor = IndicatorDescriptor(
        code: "REUSE-IDENTIFIER",
        title: "An identifier of this application was used by another application under a different name",
        category: .reuse,
        defaultPoints: 40,
        strength: .strong,
        inputs: ["identity store matches of candidate emails, phones, address, payment account, profile handles, résumé file, event IPs and devices"],
        rationale: """
            One phone, mailbox or payment account shared by several different identities is the strongest automated \
            signal in the advisories (S1: the same documentation and payment accounts across accounts; S23: one worker \
            with a dozen personas; S49). Points are weighted by kind: a bank account, phone or email says far more than \
            an IP address or network, which offices, universities and mobile carriers share. Families, housemates and \
            recruiting agencies legitimately share details: the finding is a link to verify, not a conclusion. \
            Identifiers are compared as keyed hashes; the report names the other application by id and date only.
            """,
        verify: "Open the other application(s) named and check whether the shared detail has an ordinary explanation (family, agency, shared office); ask the candidate about it.",
        references: [PublicSources.s1, PublicSources.s6, PublicSources.s22, PublicSources.s23]
    )

    public func evaluate(_ context: ScreeningContext) -> IndicatorOutcome {
        if Reuse.notConsulted(context) { return .skipped(reason: Reuse.skipReason) }
        let hits = context.facts.reuse.filter { $0.differentIdentity && Reuse.identifierKinds.contains($0.kind) }
        guard !hits.isEmpty else { return .passed(note: "no identifier shared with another identity") }
        var seen: Set<String> = []
        var evidence: [Evidence] = []
        for match in hits.sorted(by: { (Reuse.weights[$0.kind] ?? 0) > (Reuse.weights[$1.kind] ?? 0) })
        where seen.insert("\(match.kind)|\(match.otherApplicationID)").inserted {
            evidence.append(Evidence(
                field: match.field,
                observed: "same \(Reuse.labels[match.kind] ?? match.kind) as \(Reuse.other(match))",
                expected: "not shared with an application under another name",
                source: "identity store"))
        }
        let scale = hits.compactMap { Reuse.weights[$0.kind] }.max() ?? 0.3
        let others = Set(hits.map(\.otherApplicationID)).sorted()
        let kinds = Set(hits.map { Reuse.labels[$0.kind] ?? $0.kind }).sorted().joined(separator: ", ")
        return .fired(
            explanation: "This application shares its \(kinds) with \(others.count) application(s) under a different name (\(others.prefix(5).joined(separator: ", "))); verify why.",
            evidence: evidence, scale: scale)
    }

    public var examples: [IndicatorExample] {
        [
            IndicatorExample("phone already used by an application under another name", fires: true,
                             record: #"{"candidate": {"name": "Jane Smith", "phones": ["+1 512 555 0100"]}}"#,
                             facts: { $0.reuse = [ReuseMatch(kind: "phone", field: "candidate.phones[0]", otherApplicationID: "A-17", differentIdentity: true)] }),
            IndicatorExample("IP shared with another name fires weakly", fires: true,
                             record: #"{"candidate": {"name": "Jane Smith"}}"#,
                             facts: { $0.reuse = [ReuseMatch(kind: "ip", field: "events[0](application_submitted).ip", otherApplicationID: "A-9", differentIdentity: true)] }),
            IndicatorExample("same person applying again with the same email", fires: false,
                             record: #"{"candidate": {"name": "Jane Smith", "emails": ["jane@example.com"]}}"#,
                             facts: { $0.reuse = [ReuseMatch(kind: "email", field: "candidate.emails[0]", otherApplicationID: "A-3", differentIdentity: false)] }),
            IndicatorExample("store consulted, nothing shared", fires: false,
                             record: #"{"candidate": {"name": "Jane Smith"}}"#,
                             facts: { $0.enrichersRun.insert("identity-store") }),
        ]
    }
}

/// A résumé whose text is nearly the same (Jaccard ≥ 0.8 on rarer word shingles) as one
/// submitted under another name.
public struct ReuseResumeNearDuplicateIndicator: Indicator {
    public init() {}

    public let descriptor = IndicatorDescriptor(
        code: "REUSE-RESUME-NEAR-DUPLICATE",
        title: "The résumé is a near-duplicate of one submitted under another name",
        category: .reuse,
        defaultPoints: 35,
        strength: .strong,
        inputs: ["résumé text (MinHash over word shingles, compared with stored signatures)"],
        rationale: """
            The FBI advises cross-checking applicants for similar résumé content (S6); copied résumé text across personas \
            is documented (S1, S50). Similarity is the Jaccard estimate over 4-word shingles after dropping shingles that \
            many stored résumés share (template boilerplate, stock skills lists), so only specific wording counts. Résumé \
            writing services and bootcamp templates can produce similar text: the shared passages are shown to judge.
            """,
        verify: "Compare the shared passages with the other application's résumé; ask the candidate to walk through the shared projects in detail.",
        references: [PublicSources.s1, PublicSources.s6, PublicSources.s50]
    )

    public func evaluate(_ context: ScreeningContext) -> IndicatorOutcome {
        if Reuse.notConsulted(context) { return .skipped(reason: Reuse.skipReason) }
        let hits = context.facts.reuse.filter { $0.kind == "resume-near-duplicate" && $0.differentIdentity && $0.similarity >= 0.8 }
        guard !hits.isEmpty else { return .passed() }
        var evidence: [Evidence] = []
        for match in hits.sorted(by: { $0.similarity > $1.similarity }).prefix(5) {
            evidence.append(Evidence(
                field: "resume.text",
                observed: String(format: "%.0f%% similar to the résumé of %@", match.similarity * 100, Reuse.other(match)),
                expected: "an original résumé", source: "identity store (MinHash signatures)"))
            for passage in match.sharedPassages.prefix(2) {
                evidence.append(Evidence(field: "resume.text", observed: "shared passage: “\(passage)”", source: "this résumé"))
            }
        }
        let best = hits.map(\.similarity).max() ?? 0.8
        return .fired(
            explanation: String(format: "The résumé is %.0f%% similar to one submitted under a different name; compare the shared passages.", best * 100),
            evidence: evidence)
    }

    public var examples: [IndicatorExample] {
        [
            IndicatorExample("near-duplicate under another name", fires: true, record: #"{"candidate": {"name": "Jane Smith"}}"#,
                             facts: { $0.reuse = [ReuseMatch(kind: "resume-near-duplicate", field: "resume.text", otherApplicationID: "A-4",
                                                             differentIdentity: true, similarity: 0.91, sharedPassages: ["led the migration of the billing platform"])] }),
            IndicatorExample("near-duplicate of the same person's earlier résumé", fires: false, record: #"{"candidate": {"name": "Jane Smith"}}"#,
                             facts: { $0.reuse = [ReuseMatch(kind: "resume-near-duplicate", field: "resume.text", otherApplicationID: "A-4",
                                                             differentIdentity: false, similarity: 0.95)] }),
            IndicatorExample("similar below the threshold", fires: false, record: #"{"candidate": {"name": "Jane Smith"}}"#,
                             facts: { $0.reuse = [ReuseMatch(kind: "resume-near-duplicate", field: "resume.text", otherApplicationID: "A-4",
                                                             differentIdentity: true, similarity: 0.6)] }),
        ]
    }
}

/// Three or more applications linked through shared identifiers, with more than one name.
public struct ReuseClusterIndicator: Indicator {
    public init() {}

    public let descriptor = IndicatorDescriptor(
        code: "REUSE-CLUSTER",
        title: "The application belongs to a cluster of linked applications under several names",
        category: .reuse,
        defaultPoints: 30,
        strength: .strong,
        inputs: ["identity store: applications connected through shared phones, emails, addresses, payment accounts, handles, résumés or IPs"],
        rationale: """
            Workers run several identities each and share them within teams (S1, S23, S49); a graph over applicants that \
            joins identifiers shows such a network as one connected group with several names (catalog I1). Three or more \
            applications are needed; networks and templates, which many unrelated people share, do not join a cluster. \
            Agencies and families can form small clusters: review the links with `vetter links`.
            """,
        verify: "Run `vetter links APPLICATION_ID` and review how the applications are connected before contacting the candidate.",
        references: [PublicSources.s1, PublicSources.s23]
    )

    public func evaluate(_ context: ScreeningContext) -> IndicatorOutcome {
        if Reuse.notConsulted(context) { return .skipped(reason: Reuse.skipReason) }
        let members = context.facts.reuse.filter { $0.kind == "cluster" }
        var byID: [String: ReuseMatch] = [:]
        for member in members { byID[member.otherApplicationID] = byID[member.otherApplicationID] ?? member }
        let different = byID.values.filter(\.differentIdentity)
        guard byID.count >= 2, !different.isEmpty else { return .passed() }
        let evidence = byID.values.sorted { $0.otherApplicationID < $1.otherApplicationID }.prefix(10).map {
            Evidence(field: "identity store", observed: "\(Reuse.other($0)) linked \($0.field)\($0.differentIdentity ? ", different name" : "")",
                     source: "identity store")
        }
        let scale = min(1, 0.6 + 0.1 * Double(different.count))
        return .fired(
            explanation: "This application is linked with \(byID.count) others (\(different.count) under a different name) through shared identifiers; review the cluster.",
            evidence: Array(evidence), scale: scale)
    }

    public var examples: [IndicatorExample] {
        [
            IndicatorExample("three applications, two names", fires: true, record: #"{"candidate": {"name": "Jane Smith"}}"#,
                             facts: { $0.reuse = [
                                 ReuseMatch(kind: "cluster", field: "via direct match", otherApplicationID: "A-1", differentIdentity: true),
                                 ReuseMatch(kind: "cluster", field: "via phone shared with A-1", otherApplicationID: "A-2", differentIdentity: true),
                             ] }),
            IndicatorExample("only one other application", fires: false, record: #"{"candidate": {"name": "Jane Smith"}}"#,
                             facts: { $0.reuse = [ReuseMatch(kind: "cluster", field: "via direct match", otherApplicationID: "A-1", differentIdentity: true)] }),
            IndicatorExample("the same person's three applications", fires: false, record: #"{"candidate": {"name": "Jane Smith"}}"#,
                             facts: { $0.reuse = [
                                 ReuseMatch(kind: "cluster", field: "via direct match", otherApplicationID: "A-1", differentIdentity: false),
                                 ReuseMatch(kind: "cluster", field: "via email shared with A-1", otherApplicationID: "A-2", differentIdentity: false),
                             ] }),
        ]
    }
}

/// A laptop-shipping address or an onboarding IP that already served another hire under a
/// different name (a "laptop farm").
public struct ReuseShippingOrOnboardingIPIndicator: Indicator {
    public init() {}

    public let descriptor = IndicatorDescriptor(
        code: "REUSE-SHIPPING-OR-ONBOARDING-IP",
        title: "The shipping address or onboarding IP already served another hire under a different name",
        category: .reuse,
        defaultPoints: 40,
        strength: .strong,
        inputs: ["onboarding.shippingAddress", "IPs of onboarding and first-login events", "identity store"],
        rationale: """
            Facilitators host many company laptops at one residence ("laptop farms": S1, S6, S13) and several workers' \
            devices share one internet point of presence (catalog H4, S22). Only other applications that reached \
            onboarding count. Housemates, couples, apartment buildings and coworking spaces are legitimate explanations.
            """,
        verify: "Check whether the address or IP is a shared building or coworking space; confirm the hire's residence independently before shipping equipment.",
        references: [PublicSources.s1, PublicSources.s6, PublicSources.s22]
    )

    public func evaluate(_ context: ScreeningContext) -> IndicatorOutcome {
        if Reuse.notConsulted(context) { return .skipped(reason: Reuse.skipReason) }
        guard context.application.onboarding != nil
            || context.application.events.contains(where: { Reuse.isOnboardingField("events[0](\($0.type)).ip") }) else {
            return .skipped(reason: "no onboarding data")
        }
        let hits = context.facts.reuse.filter {
            $0.differentIdentity && ($0.kind == "address" || $0.kind == "ip")
                && Reuse.isOnboardingField($0.field) && Reuse.isOnboardingField($0.otherField)
        }
        guard !hits.isEmpty else { return .passed() }
        let evidence = hits.prefix(10).map {
            Evidence(field: $0.field, observed: "same \($0.kind == "ip" ? "onboarding IP" : "shipping address") as the onboarding of \(Reuse.other($0))",
                     expected: "one hire per address", source: "identity store")
        }
        let others = Set(hits.map(\.otherApplicationID))
        return .fired(
            explanation: "The \(hits.contains { $0.kind == "address" } ? "shipping address" : "onboarding IP") already served \(others.count) other hire(s) under a different name; verify the hire's residence.",
            evidence: Array(evidence))
    }

    public var examples: [IndicatorExample] {
        [
            IndicatorExample("shipping address used for another hire", fires: true,
                             record: #"{"candidate": {"name": "Jane Smith"}, "onboarding": {"shippingAddress": {"lines": ["1 Main St"], "country": "US"}}}"#,
                             facts: { $0.reuse = [ReuseMatch(kind: "address", field: "onboarding.shippingAddress", otherApplicationID: "A-8",
                                                             differentIdentity: true, otherField: "onboarding.shippingAddress")] }),
            IndicatorExample("shipping address equals another applicant's home address only", fires: false,
                             record: #"{"candidate": {"name": "Jane Smith"}, "onboarding": {"shippingAddress": {"lines": ["1 Main St"], "country": "US"}}}"#,
                             facts: { $0.reuse = [ReuseMatch(kind: "address", field: "onboarding.shippingAddress", otherApplicationID: "A-8",
                                                             differentIdentity: true, otherField: "candidate.address")] }),
            IndicatorExample("same hire re-onboarded", fires: false,
                             record: #"{"candidate": {"name": "Jane Smith"}, "onboarding": {"shippingAddress": {"lines": ["1 Main St"], "country": "US"}}}"#,
                             facts: { $0.reuse = [ReuseMatch(kind: "address", field: "onboarding.shippingAddress", otherApplicationID: "A-8",
                                                             differentIdentity: false, otherField: "onboarding.shippingAddress")] }),
        ]
    }
}
