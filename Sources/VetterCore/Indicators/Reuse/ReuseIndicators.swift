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

    static func isOnboardingField(_ field: String?) -> Bool { ReuseFields.isOnboarding(field) }

    /// Points scale of a link explained by a household of two (see ``householdPartner(_:)``).
    static let householdScale = 0.15

    /// The one application under another name that declares the same home address as this one,
    /// when exactly one does: a household of two (family, partners, housemates). Catalog G2 and
    /// H4 name them as the false positives of a shared address or connection; a laptop farm is
    /// several hires at an address that is not their declared home.
    static func householdPartner(_ context: ScreeningContext) -> String? {
        let sharers = Set(context.facts.reuse.filter {
            $0.kind == "address" && $0.differentIdentity && $0.field == "candidate.address" && $0.otherField == "candidate.address"
        }.map(\.otherApplicationID))
        return sharers.count == 1 ? sharers.first : nil
    }

    /// Whether the shipping address of this application is its declared home.
    static func shipsHome(_ context: ScreeningContext) -> Bool {
        guard let shipping = context.application.onboarding?.shippingAddress, let home = context.application.candidate.address else { return false }
        return AddressComparison.isSamePlace(shipping, home)
    }

    /// A link to the household partner through what a household shares: the declared home
    /// (also as this hire's shipping address) or the home connection (an IP, its network).
    static func isHouseholdLink(_ match: ReuseMatch, partner: String?, context: ScreeningContext) -> Bool {
        guard let partner, match.otherApplicationID == partner else { return false }
        switch match.kind {
        case "address": return match.field == "candidate.address" || (match.field.hasPrefix("onboarding.shippingAddress") && shipsHome(context))
        case "ip", "ip24": return true
        default: return false
        }
    }
}

/// Which fields of a stored identifier belong to the hire's onboarding and work, as opposed to
/// the application. Shared by the reuse indicators and the identity store's cluster links.
public enum ReuseFields {
    /// Event types of onboarding and work (the hire's own connection), not of applying.
    public static let workEventTypes = ["onboarding", "first_login", "portal_login", "device_enrolled", "vpn_login", "sso_login"]

    /// The laptop-shipping address, or the IP of an onboarding or work event
    /// (`events[7](onboarding_form).ip`).
    public static func isOnboarding(_ field: String?) -> Bool {
        guard let field else { return false }
        if field.hasPrefix("onboarding.shippingAddress") { return true }
        return isWorkEventIP(field)
    }

    /// The IP of an onboarding or work event (`events[7](onboarding_form).ip`).
    public static func isWorkEventIP(_ field: String?) -> Bool {
        guard let field else { return false }
        guard field.hasPrefix("events["), field.hasSuffix(".ip") else { return false }
        // Whether "(" followed by a work event type occurs in the field, compared on bytes.
        let bytes = Array(field.utf8)
        for open in bytes.indices where bytes[open] == UInt8(ascii: "(") {
            let rest = bytes[(open + 1)...]
            if workEventTypeBytes.contains(where: { rest.starts(with: $0) }) { return true }
        }
        return false
    }

    private static let workEventTypeBytes = workEventTypes.map { Array($0.utf8) }
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
            an IP address or network, which offices, universities and mobile carriers share; addresses of VPN, hosting, \
            carrier and corporate exits are not recorded at all. Families, housemates and recruiting agencies \
            legitimately share details (catalog I1, G2, H4): when the only other name is the one application that \
            declares the same home address, the home address and home connection they share count \
            \(Int(Reuse.householdScale * 100))% (a household), and the finding says so. It is a link to verify, not a \
            conclusion. Identifiers are compared as keyed hashes; the report names the other application by id and date only.
            """,
        verify: "Open the other application(s) named and check whether the shared detail has an ordinary explanation (family, agency, shared office); ask the candidate about it.",
        references: [PublicSources.s1, PublicSources.s6, PublicSources.s22, PublicSources.s23]
    )

    public func evaluate(_ context: ScreeningContext) -> IndicatorOutcome {
        if Reuse.notConsulted(context) { return .skipped(reason: Reuse.skipReason) }
        let hits = context.facts.reuse.filter { $0.differentIdentity && Reuse.identifierKinds.contains($0.kind) }
        guard !hits.isEmpty else { return .passed(note: "no identifier shared with another identity") }
        let partner = Reuse.householdPartner(context)
        func weight(_ match: ReuseMatch) -> Double {
            Reuse.isHouseholdLink(match, partner: partner, context: context) ? min(Reuse.householdScale, Reuse.weights[match.kind] ?? 0) : Reuse.weights[match.kind] ?? 0
        }
        var seen: Set<String> = []
        var evidence: [Evidence] = []
        for match in hits.sorted(by: { weight($0) > weight($1) })
        where seen.insert("\(match.kind)|\(match.otherApplicationID)").inserted {
            let household = Reuse.isHouseholdLink(match, partner: partner, context: context)
            evidence.append(Evidence(
                field: match.field,
                observed: "same \(Reuse.labels[match.kind] ?? match.kind) as \(Reuse.other(match))"
                    + (household ? " (the one other application declaring this home address: a household?)" : ""),
                expected: "not shared with an application under another name",
                source: "identity store"))
        }
        let scale = hits.map(weight).max() ?? 0.3
        let others = Set(hits.map(\.otherApplicationID)).sorted()
        let kinds = Set(hits.map { Reuse.labels[$0.kind] ?? $0.kind }).sorted().joined(separator: ", ")
        if let partner, hits.allSatisfy({ Reuse.isHouseholdLink($0, partner: partner, context: context) }) {
            return .fired(
                explanation: "This application shares its \(kinds) with one application under a different name (\(partner)) that declares the same home address: most often a household; verify.",
                evidence: evidence, scale: scale)
        }
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
            IndicatorExample("household of two: the home address and connection shared with the one other applicant declaring that home fire weakly", fires: true,
                             record: #"{"candidate": {"name": "Jane Smith", "address": {"lines": ["1 Main St"], "country": "US"}}}"#,
                             facts: { $0.reuse = [
                                 ReuseMatch(kind: "address", field: "candidate.address", otherApplicationID: "A-5", differentIdentity: true, otherField: "candidate.address"),
                                 ReuseMatch(kind: "ip", field: "events[0](application_submitted).ip", otherApplicationID: "A-5", differentIdentity: true,
                                            otherField: "events[0](application_submitted).ip"),
                             ] }),
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
            applications are needed; networks and templates, which many unrelated people share, do not join a cluster, \
            and neither does an IP shared while applying (recruiting agencies, campuses and carrier NAT: catalog C3's \
            false positives): an IP links only the onboarding or work connections of two hires (H4). The application \
            under review is never a member of its own cluster. Agencies and families can still form small clusters \
            through other details: review the links with `vetter links`.
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
            IndicatorExample("a cluster reached only through shared IPs of onboarding connections", fires: true, record: #"{"candidate": {"name": "Jane Smith"}}"#,
                             facts: { $0.reuse = [
                                 ReuseMatch(kind: "cluster", field: "via direct match", otherApplicationID: "A-1", differentIdentity: true),
                                 ReuseMatch(kind: "cluster", field: "via ip shared with A-1", otherApplicationID: "A-2", differentIdentity: true),
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

    /// Hires at one address or connection that make a farm on their own (this one included).
    static let farmHires = 3
    /// Points scale when only one other hire shares the onboarding connection or this hire's home.
    static let pairScale = 0.25

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
            onboarding count. Full points when the equipment goes to another hire's shipping address that is not this \
            hire's declared home (a drop point, G1 with G2), or when three or more hires share the address or the \
            onboarding connection. Couples, families and housemates are the named false positives (G2, H4): a link to \
            the one other applicant who declares the same home address does not count, and one other hire sharing only \
            the connection or this hire's own home carries \(Int(pairScale * 100))%. Addresses of VPN, hosting, carrier \
            and corporate exits are not recorded by the store, so an employer's VPN shared by many hires links nobody. \
            Apartment buildings and coworking spaces remain legitimate explanations.
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
        let all = context.facts.reuse.filter {
            $0.differentIdentity && ($0.kind == "address" || $0.kind == "ip")
                && Reuse.isOnboardingField($0.field) && Reuse.isOnboardingField($0.otherField)
        }
        guard !all.isEmpty else { return .passed() }
        let partner = Reuse.householdPartner(context)
        let hits = all.filter { !Reuse.isHouseholdLink($0, partner: partner, context: context) }
        guard !hits.isEmpty else {
            return .passed(note: "the shipping address or onboarding connection is shared only with the one other hire who declares the same home (a household)")
        }
        // Every other hire at this address or connection, the household partner included.
        let others = Set(all.map(\.otherApplicationID))
        // A farm: equipment sent to someone else's drop point (a shipping address shared with
        // another hire that is not this hire's declared home), or three or more hires at one
        // address or connection. One other hire on one connection can be a household or a couple.
        let dropPoint = hits.contains { $0.kind == "address" } && !Reuse.shipsHome(context)
        let farm = dropPoint || others.count >= Self.farmHires - 1
        let evidence = (farm ? all : hits).prefix(10).map {
            Evidence(field: $0.field, observed: "same \($0.kind == "ip" ? "onboarding IP" : "shipping address") as the onboarding of \(Reuse.other($0))",
                     expected: "one hire per address", source: "identity store")
        }
        let what = hits.contains { $0.kind == "address" } ? "shipping address" : "onboarding IP"
        if !farm {
            return .fired(
                explanation: "The \(what) is shared with one other hire under a different name (\(others.sorted().joined())); two hires at one home are often a couple or housemates: verify the hire's residence.",
                evidence: Array(evidence), scale: Self.pairScale)
        }
        return .fired(
            explanation: "The \(what) already served \(others.count) other hire(s) under a different name\(dropPoint ? ", and it is not this hire's home address" : ""); verify the hire's residence.",
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
            IndicatorExample("household: both hires declare the same home, ship to it and share its connection", fires: false,
                             record: #"{"candidate": {"name": "Jane Smith", "address": {"lines": ["1 Main St"], "city": "Austin", "country": "US"}}, "onboarding": {"shipping_address": {"lines": ["1 Main St"], "city": "Austin", "country": "US"}}}"#,
                             facts: { $0.reuse = [
                                 ReuseMatch(kind: "address", field: "candidate.address", otherApplicationID: "A-8", differentIdentity: true, otherField: "candidate.address"),
                                 ReuseMatch(kind: "address", field: "onboarding.shippingAddress", otherApplicationID: "A-8", differentIdentity: true,
                                            otherField: "onboarding.shippingAddress"),
                                 ReuseMatch(kind: "ip", field: "events[3](onboarding_form).ip", otherApplicationID: "A-8", differentIdentity: true,
                                            otherField: "events[2](onboarding_form).ip"),
                             ] }),
            IndicatorExample("three hires ship to one home address", fires: true,
                             record: #"{"candidate": {"name": "Jane Smith", "address": {"lines": ["1 Main St"], "city": "Austin", "country": "US"}}, "onboarding": {"shipping_address": {"lines": ["1 Main St"], "city": "Austin", "country": "US"}}}"#,
                             facts: { $0.reuse = [
                                 ReuseMatch(kind: "address", field: "onboarding.shippingAddress", otherApplicationID: "A-8", differentIdentity: true,
                                            otherField: "onboarding.shippingAddress"),
                                 ReuseMatch(kind: "address", field: "onboarding.shippingAddress", otherApplicationID: "A-9", differentIdentity: true,
                                            otherField: "onboarding.shippingAddress"),
                             ] }),
            IndicatorExample("one other hire on the same onboarding connection fires weakly", fires: true,
                             record: #"{"candidate": {"name": "Jane Smith"}, "events": [{"type": "onboarding_form", "at": "2026-10-01T15:00:00Z", "ip": "192.0.2.9"}]}"#,
                             facts: { $0.reuse = [ReuseMatch(kind: "ip", field: "events[0](onboarding_form).ip", otherApplicationID: "A-8",
                                                             differentIdentity: true, otherField: "events[4](onboarding_form).ip")] }),
            IndicatorExample("same hire re-onboarded", fires: false,
                             record: #"{"candidate": {"name": "Jane Smith"}, "onboarding": {"shippingAddress": {"lines": ["1 Main St"], "country": "US"}}}"#,
                             facts: { $0.reuse = [ReuseMatch(kind: "address", field: "onboarding.shippingAddress", otherApplicationID: "A-8",
                                                             differentIdentity: false, otherField: "onboarding.shippingAddress")] }),
        ]
    }
}
