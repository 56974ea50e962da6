import Foundation

/// A scored finding: one indicator that fired, with everything needed to explain its points.
public struct Finding: Sendable, Equatable, Codable {
    /// The indicator's stable code, e.g. `TZ-BROWSER-MISMATCH`.
    public var id: String
    public var title: String
    public var category: IndicatorCategory
    /// Points counted in the score, after the category cap.
    public var points: Double
    /// Points the policy gives this finding before any cap.
    public var policyPoints: Double
    public var strength: IndicatorStrength
    public var evidence: [Evidence]
    /// One plain sentence stating the fact to verify.
    public var explanation: String
    /// The verification step a recruiter can take.
    public var verify: String
    public var references: [SourceReference]

    enum CodingKeys: String, CodingKey {
        case id, title, category, points, strength, evidence, explanation, verify, references
        case policyPoints = "policy_points"
    }
}

/// Points per category, showing where a cap applied.
public struct CategoryTotal: Sendable, Equatable, Codable {
    public var category: IndicatorCategory
    /// Sum of the findings' policy points.
    public var raw: Double
    public var cap: Double?
    /// What the category adds to the score.
    public var points: Double
}

/// Whether one indicator ran.
public struct CoverageEntry: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable {
        case fired, passed, skipped, disabled
    }

    public var code: String
    public var status: Status
    /// Why it was skipped, or a note on a pass.
    public var reason: String?
}

/// What ran and what could not.
public struct Coverage: Sendable, Equatable, Codable {
    public var checks: [CoverageEntry]
    /// Notes on the inputs: the résumé that was read or could not be, databases used.
    public var inputs: [String]
}

/// Which policy scored the report.
public struct PolicyInfo: Sendable, Equatable, Codable {
    public var name: String
    public var version: String
    public var digest: String
}

/// The `vetter.report/v1` document: the same content behind the terminal, Markdown and JSON renderings.
public struct Report: Sendable, Equatable, Codable {
    public static let schemaID = "vetter.report/v1"
    /// The fixed statement every rendering carries.
    public static let notice = "This report supports a human decision and is not one. Each finding is a fact to verify, not an accusation; do not reject anyone on this report alone."

    public var schema: String = Report.schemaID
    public var applicationID: String
    public var score: Double
    public var band: Band
    /// Findings ordered by points, highest first.
    public var findings: [Finding]
    public var categories: [CategoryTotal]
    public var coverage: Coverage
    public var policy: PolicyInfo
    public var thresholds: Thresholds
    public var toolVersion: String
    public var generatedAt: Date
    public var notice: String = Report.notice

    public struct Thresholds: Sendable, Equatable, Codable {
        public var review: Double
        public var escalate: Double
    }

    enum CodingKeys: String, CodingKey {
        case schema, score, band, findings, categories, coverage, policy, thresholds, notice
        case applicationID = "application_id"
        case toolVersion = "tool_version"
        case generatedAt = "generated_at"
    }
}
