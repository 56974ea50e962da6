import Foundation

/// The family an indicator belongs to. Policies cap points per category so that one weak
/// cause counted several ways cannot escalate on its own.
public struct IndicatorCategory: RawRepresentable, Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let location = IndicatorCategory(rawValue: "location")
    public static let network = IndicatorCategory(rawValue: "network")
    public static let contact = IndicatorCategory(rawValue: "contact")
    public static let identity = IndicatorCategory(rawValue: "identity")
    public static let timeline = IndicatorCategory(rawValue: "timeline")
    public static let onboarding = IndicatorCategory(rawValue: "onboarding")
    public static let interview = IndicatorCategory(rawValue: "interview")
    public static let document = IndicatorCategory(rawValue: "document")
    public static let reuse = IndicatorCategory(rawValue: "reuse")
    public static let intel = IndicatorCategory(rawValue: "threat-intel")

    /// The categories this version defines, whether or not an indicator of each is linked in.
    public static let all: [IndicatorCategory] = [.location, .network, .contact, .identity, .timeline, .onboarding, .interview, .document, .reuse, .intel]

    public var description: String { rawValue }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// How much an indicator says when it fires, as rated in the public catalog.
public enum IndicatorStrength: String, Sendable, Codable, CaseIterable {
    case weak, moderate, strong
}

/// A public source behind an indicator.
public struct SourceReference: Sendable, Equatable, Codable, Hashable {
    /// The catalog's source id (`S1`), stable across versions.
    public var id: String
    public var title: String
    public var url: String?

    public init(id: String, title: String, url: String? = nil) {
        self.id = id
        self.title = title
        self.url = url
    }
}

/// An example record an indicator must fire on, or must not.
public struct IndicatorExample: Sendable {
    public var name: String
    public var shouldFire: Bool
    /// A `vetter.application/v1` record in JSON, without `id` (the test adds one).
    public var record: String
    /// A résumé text to screen with the record, when the example needs one.
    public var resumeText: String?
    /// Facts that an enricher outside the core would add (IP data, store matches).
    public var facts: (@Sendable (inout Facts) -> Void)?

    public init(_ name: String, fires shouldFire: Bool, record: String, resumeText: String? = nil, facts: (@Sendable (inout Facts) -> Void)? = nil) {
        self.name = name
        self.shouldFire = shouldFire
        self.record = record
        self.resumeText = resumeText
        self.facts = facts
    }
}

/// Everything an indicator says about itself: the report and `vetter explain` read this.
public struct IndicatorDescriptor: Sendable, Codable, Equatable {
    /// Stable code such as `TZ-BROWSER-MISMATCH`. Never reused for another meaning.
    public var code: String
    public var title: String
    public var category: IndicatorCategory
    public var defaultPoints: Int
    public var strength: IndicatorStrength
    /// The record fields or enrichments it reads, in plain words.
    public var inputs: [String]
    /// Why it is evidence, what legitimately triggers it, and the fairness note.
    public var rationale: String
    /// The verification step a recruiter can take.
    public var verify: String
    public var references: [SourceReference]
    /// Named weaker (or stronger) forms of the indicator and their default points, for example
    /// `generic` for a VPN that is not one the advisories name. A policy sets them under
    /// `indicators.<CODE>.variants`; a finding of a variant counts its points instead of `defaultPoints`.
    public var variants: [String: Int]

    public init(
        code: String,
        title: String,
        category: IndicatorCategory,
        defaultPoints: Int,
        strength: IndicatorStrength,
        inputs: [String],
        rationale: String,
        verify: String,
        references: [SourceReference],
        variants: [String: Int] = [:]
    ) {
        self.code = code
        self.title = title
        self.category = category
        self.defaultPoints = defaultPoints
        self.strength = strength
        self.inputs = inputs
        self.rationale = rationale
        self.verify = verify
        self.references = references
        self.variants = variants
    }
}

/// One thing observed: which field, what was seen, what was expected, where the value came from.
public struct Evidence: Sendable, Equatable, Codable {
    public var field: String
    public var observed: String
    public var expected: String?
    public var source: String

    public init(field: String, observed: String, expected: String? = nil, source: String) {
        self.field = field
        self.observed = observed
        self.expected = expected
        self.source = source
    }
}

/// What an indicator concluded about one application.
public enum IndicatorOutcome: Sendable {
    /// It fired: the evidence and one plain sentence stating the fact to verify.
    /// `scale` (0…1) lowers the points for a weaker form of the indicator. `variant` names one of
    /// the descriptor's `variants`, whose points (the policy's, or the variant's default) replace
    /// the indicator's before `scale` applies.
    case fired(explanation: String, evidence: [Evidence], scale: Double = 1, variant: String? = nil)
    /// Its inputs were present and nothing was inconsistent.
    case passed(note: String? = nil)
    /// Its inputs were missing; the reason goes to the coverage section.
    case skipped(reason: String)
}

/// A self-describing check that turns a screening context into a finding.
///
/// Indicators measure inconsistency and reuse, never who a person is. Each carries the
/// examples it must and must not fire on; one parameterized test runs them all.
public protocol Indicator: Sendable {
    var descriptor: IndicatorDescriptor { get }
    var examples: [IndicatorExample] { get }
    func evaluate(_ context: ScreeningContext) -> IndicatorOutcome
}
