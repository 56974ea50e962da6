import Foundation

/// What enrichers add to an application before the indicators run.
public struct Facts: Sendable {
    /// The claimed location and the zones it allows.
    public var claimedLocation: ClaimedLocation?
    /// Parsed candidate phone numbers, in record order.
    public var phones: [PhoneFact] = []
    /// Candidate emails whose domain is on the disposable-address list (nil: list not loaded).
    public var disposableEmails: [String]?
    /// Network facts per IP address, added by an IP-intelligence enricher.
    public var network: [String: NetworkFact] = [:]
    /// Matches of this application's identifiers in the identity store.
    public var reuse: [ReuseMatch] = []
    /// Matches against threat-intelligence feeds.
    public var intel: [IntelMatch] = []
    /// Notes about inputs, e.g. which IP database answered; shown in the coverage section.
    public var notes: [String] = []
    /// Enrichers that ran, by name; indicators use this to tell "no data" from "not configured".
    public var enrichersRun: Set<String> = []
    /// Metadata of the résumé file when it comes from somewhere other than ``ScreeningContext/resume``
    /// (indicator examples, an upstream system). The document indicators read the résumé's own
    /// metadata first.
    public var documentMetadata: DocumentMetadata?

    public init() {}
}

/// What an IP-intelligence source says about one address.
public struct NetworkFact: Sendable, Equatable {
    public var ip: String
    public var country: String?
    public var region: String?
    public var city: String?
    public var latitude: Double?
    public var longitude: Double?
    public var timeZone: String?
    public var asn: Int?
    public var asOrganization: String?
    /// `hosting`, `vpn`, `tor`, `residential`, `mobile`, `corporate-vpn`, `dprk`, …
    public var networkClasses: Set<String> = []
    /// Which database answered, with its build date.
    public var source: String

    public init(ip: String, source: String) {
        self.ip = ip
        self.source = source
    }
}

/// An identifier of this application also seen on another application in the store.
public struct ReuseMatch: Sendable, Equatable {
    /// `email`, `phone`, `address`, `bank-account`, `ip`, `ip24`, `device`, `resume-hash`, `resume-near-duplicate`, …
    public var kind: String
    /// The field of this application that matched.
    public var field: String
    public var otherApplicationID: String
    public var otherReceivedAt: Date?
    /// Whether the other application is under a different name.
    public var differentIdentity: Bool
    /// Similarity for near-duplicates (Jaccard), 1 for exact matches.
    public var similarity: Double
    /// The field of the other application that matched (`onboarding.shippingAddress`), when known.
    public var otherField: String?
    /// For near-duplicate résumés: passages of *this* application's résumé text that the other
    /// résumé shares (the store keeps no text, so they are always quoted from the current run).
    public var sharedPassages: [String]

    public init(
        kind: String,
        field: String,
        otherApplicationID: String,
        otherReceivedAt: Date? = nil,
        differentIdentity: Bool,
        similarity: Double = 1,
        otherField: String? = nil,
        sharedPassages: [String] = []
    ) {
        self.kind = kind
        self.field = field
        self.otherApplicationID = otherApplicationID
        self.otherReceivedAt = otherReceivedAt
        self.differentIdentity = differentIdentity
        self.similarity = similarity
        self.otherField = otherField
        self.sharedPassages = sharedPassages
    }
}

/// An identifier of this application found in a threat-intelligence feed.
public struct IntelMatch: Sendable, Equatable {
    public var field: String
    public var observed: String
    public var feed: String
    public var objectID: String
    public var confidence: Int?
    public var description: String?
    /// The kind of the feed indicator: `email`, `domain`, `ip`, `ip-range`, `url`, `github`,
    /// `linkedin`, `account`, `phone`, `organization`, `sha256`, …
    public var kind: String?
    /// The feed's value that matched (for ranges the CIDR; for organisations the listed name).
    public var indicatorValue: String?
    public var validUntil: Date?
    /// For fuzzy (organisation) matches, 0…1.
    public var similarity: Double?

    public init(field: String, observed: String, feed: String, objectID: String, confidence: Int? = nil, description: String? = nil) {
        self.field = field
        self.observed = observed
        self.feed = feed
        self.objectID = objectID
        self.confidence = confidence
        self.description = description
    }
}

/// One application as the indicators see it: the record, the résumé, and the facts the
/// enrichers added.
public struct ScreeningContext: Sendable {
    public var application: Application
    public var resume: ResumeDocument?
    /// Why the résumé could not be read, when it could not.
    public var resumeProblem: String?
    public var facts: Facts
    /// The moment the screening is about ("now"), injected so that results are repeatable.
    public var asOf: Date
    /// Work a ``GroupEnricher`` did ahead, in parallel (``GroupEnricher/prepare(_:)``), by the
    /// enricher's name, for its sequential step to use and remove. Never part of a report.
    public var prepared: [String: any Sendable] = [:]

    public init(application: Application, resume: ResumeDocument? = nil, resumeProblem: String? = nil, facts: Facts = Facts(), asOf: Date) {
        self.application = application
        self.resume = resume
        self.resumeProblem = resumeProblem
        self.facts = facts
        self.asOf = asOf
    }
}

/// Adds facts to a context. Enrichers run before the indicators, in order.
public protocol Enricher: Sendable {
    var name: String { get }
    /// Whether the answer depends on the applications screened before this one (an identity
    /// store that records each application). A batch runs such enrichers one application at a
    /// time, in input order, so that its results do not depend on timing. Default: false.
    var isSequential: Bool { get }
    func enrich(_ context: inout ScreeningContext) async
}

extension Enricher {
    public var isSequential: Bool { false }
}

/// An enricher that can take several applications at once, in input order, with the same result
/// as taking them one at a time (an identity store that looks up and records a whole group in
/// one transaction, so that a batch does not commit once per application).
public protocol GroupEnricher: Enricher {
    func enrich(group contexts: inout [ScreeningContext]) async
    /// The part of the work that depends on this application alone (an identity store's keyed
    /// identifiers and résumé signature), which a batch runs in its parallel workers before the
    /// sequential step, leaving that step only what must be done in order. The result goes in
    /// `context.prepared[name]`. Default: nothing; the sequential step does all the work.
    func prepare(_ context: inout ScreeningContext)
}

extension GroupEnricher {
    public func prepare(_ context: inout ScreeningContext) {}
}
