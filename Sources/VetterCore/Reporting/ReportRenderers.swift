import Foundation

/// Output formats for a report.
public enum ReportFormat: String, Sendable, CaseIterable {
    case text, json, markdown
}

/// Renders a report for people or machines.
public protocol ReportRenderer: Sendable {
    func render(_ report: Report) -> String
}

/// Formatting shared by the human renderings.
enum ReportText {
    static func number(_ value: Double) -> String {
        value.rounded() == value ? String(Int(value)) : String(format: "%.1f", value)
    }

    static func evidence(_ e: Evidence) -> String {
        var line = "\(e.field): \(e.observed)"
        if let expected = e.expected { line += "; expected \(expected)" }
        return line + " [\(e.source)]"
    }

    static func reference(_ r: SourceReference) -> String {
        "\(r.id) \(r.title)" + (r.url.map { " <\($0)>" } ?? "")
    }

    static func skipped(_ report: Report) -> [CoverageEntry] {
        report.coverage.checks.filter { $0.status == .skipped || $0.status == .disabled }
    }

    static func passed(_ report: Report) -> [CoverageEntry] {
        report.coverage.checks.filter { $0.status == .passed }
    }

    static func capped(_ report: Report) -> [CategoryTotal] {
        report.categories.filter { $0.raw > $0.points }
    }

    static func policyLine(_ report: Report) -> String {
        "Policy \(report.policy.name) v\(report.policy.version) (sha256 \(report.policy.digest.prefix(12))) · vetter \(report.toolVersion) · \(DateParsing.string(report.generatedAt))"
    }
}

/// The `vetter.report/v1` JSON document, keys sorted so that files diff cleanly.
public struct JSONReportRenderer: ReportRenderer {
    public init() {}

    public func render(_ report: Report) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        guard let data = try? encoder.encode(report), let text = String(data: data, encoding: .utf8) else { return "{}" }
        return text
    }
}

/// A short report for a terminal, with colour only when asked for.
public struct TerminalRenderer: ReportRenderer {
    public var colour: Bool

    public init(colour: Bool) {
        self.colour = colour
    }

    private func paint(_ text: String, _ code: String) -> String {
        colour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    private func bandLabel(_ band: Band) -> String {
        switch band {
        case .clear: paint("CLEAR", "1;32")
        case .review: paint("REVIEW", "1;33")
        case .escalate: paint("ESCALATE", "1;31")
        }
    }

    public func render(_ report: Report) -> String {
        var out: [String] = []
        out.append(paint("Vetter screening report", "1") + " · application \(report.applicationID)")
        out.append("Band: \(bandLabel(report.band))   Score: \(ReportText.number(report.score))   (review at \(ReportText.number(report.thresholds.review)), escalate at \(ReportText.number(report.thresholds.escalate)))")
        out.append("")
        if report.findings.isEmpty {
            out.append("No findings: nothing inconsistent in the data that was checked.")
        } else {
            out.append(paint("Findings", "1") + " (highest points first)")
            for (index, finding) in report.findings.enumerated() {
                let capped = finding.points < finding.policyPoints ? " (\(ReportText.number(finding.policyPoints)) before the \(finding.category) cap)" : ""
                out.append("\(index + 1). [\(ReportText.number(finding.points)) pts] \(paint(finding.id, "1")) · \(finding.title) · \(finding.category), \(finding.strength)\(capped)")
                out.append("   \(finding.explanation)")
                for evidence in finding.evidence {
                    out.append("   - \(ReportText.evidence(evidence))")
                }
                out.append("   Verify: \(finding.verify)")
                out.append("   Sources: \(finding.references.map(\.id).joined(separator: ", "))")
            }
        }
        out.append("")
        out.append(paint("Coverage", "1"))
        for input in report.coverage.inputs { out.append("  \(input)") }
        let passed = ReportText.passed(report)
        if !passed.isEmpty {
            out.append("  Checked, consistent: \(passed.map(\.code).joined(separator: ", "))")
        }
        let skipped = ReportText.skipped(report)
        if !skipped.isEmpty {
            out.append("  Not checked:")
            for entry in skipped { out.append("  - \(entry.code): \(entry.reason ?? entry.status.rawValue)") }
        }
        out.append("")
        out.append(paint(ReportText.policyLine(report), "2"))
        out.append(report.notice)
        return out.joined(separator: "\n") + "\n"
    }
}

/// A Markdown report, for tickets and case files.
public struct MarkdownRenderer: ReportRenderer {
    public init() {}

    private func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }

    public func render(_ report: Report) -> String {
        var out: [String] = []
        out.append("# Vetter screening report: `\(report.applicationID)`")
        out.append("")
        out.append("**Band: \(report.band.rawValue)** · score \(ReportText.number(report.score)) (review at \(ReportText.number(report.thresholds.review)), escalate at \(ReportText.number(report.thresholds.escalate)))")
        out.append("")
        out.append("> \(report.notice)")
        out.append("")
        out.append("## Findings")
        out.append("")
        if report.findings.isEmpty { out.append("No findings: nothing inconsistent in the data that was checked.") }
        for finding in report.findings {
            out.append("### \(finding.id): \(finding.title)")
            out.append("")
            out.append("*\(ReportText.number(finding.points)) points* · \(finding.category) · \(finding.strength)" +
                (finding.points < finding.policyPoints ? " · \(ReportText.number(finding.policyPoints)) before the category cap" : ""))
            out.append("")
            out.append(finding.explanation)
            out.append("")
            out.append("| field | observed | expected | source |")
            out.append("|---|---|---|---|")
            for e in finding.evidence {
                out.append("| `\(escape(e.field))` | \(escape(e.observed)) | \(escape(e.expected ?? "")) | \(escape(e.source)) |")
            }
            out.append("")
            out.append("**Verify:** \(finding.verify)")
            out.append("")
            out.append("**Sources:** " + finding.references.map { r in r.url.map { "[\(r.id)](\($0)) \(r.title)" } ?? "\(r.id) \(r.title)" }.joined(separator: "; "))
            out.append("")
        }
        if !report.categories.isEmpty {
            out.append("## Points by category")
            out.append("")
            out.append("| category | findings | cap | counted |")
            out.append("|---|---|---|---|")
            for c in report.categories {
                out.append("| \(c.category) | \(ReportText.number(c.raw)) | \(c.cap.map(ReportText.number) ?? "none") | \(ReportText.number(c.points)) |")
            }
            out.append("")
        }
        out.append("## Coverage")
        out.append("")
        for input in report.coverage.inputs { out.append("- \(escape(input))") }
        let passed = ReportText.passed(report)
        if !passed.isEmpty { out.append("- Checked, consistent: \(passed.map { "`\($0.code)`" }.joined(separator: ", "))") }
        for entry in ReportText.skipped(report) {
            out.append("- Not checked, `\(entry.code)`: \(escape(entry.reason ?? entry.status.rawValue))")
        }
        out.append("")
        out.append("---")
        out.append(ReportText.policyLine(report))
        return out.joined(separator: "\n") + "\n"
    }
}

extension ReportFormat {
    /// The renderer for this format.
    public func renderer(colour: Bool) -> any ReportRenderer {
        switch self {
        case .text: TerminalRenderer(colour: colour)
        case .json: JSONReportRenderer()
        case .markdown: MarkdownRenderer()
        }
    }
}
