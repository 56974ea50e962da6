import Foundation

/// A self-contained HTML report (no scripts, no external resources). Every value from the
/// record is escaped, so a name or field holding markup shows as text.
public struct HTMLRenderer: ReportRenderer {
    public init() {}

    /// Escapes text for HTML element content and quoted attribute values.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }

    /// A score or points value as the other renderers write it.
    public static func number(_ value: Double) -> String { ReportText.number(value) }

    public func render(_ report: Report) -> String {
        let e = Self.escape
        var out: [String] = []
        out.append("<!doctype html>")
        out.append("<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Vetter report: \(e(report.applicationID))</title>")
        out.append("<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left}.band{font-weight:bold}</style>")
        out.append("</head><body>")
        out.append("<h1>Vetter screening report: <code>\(e(report.applicationID))</code></h1>")
        out.append("<p class=\"band band-\(e(report.band.rawValue))\">Band: \(e(report.band.rawValue.uppercased())) · score \(ReportText.number(report.score)) (review at \(ReportText.number(report.thresholds.review)), escalate at \(ReportText.number(report.thresholds.escalate)))</p>")
        out.append("<p><em>\(e(report.notice))</em></p>")
        out.append("<h2>Findings</h2>")
        if report.findings.isEmpty { out.append("<p>No findings: nothing inconsistent in the data that was checked.</p>") }
        for finding in report.findings {
            out.append("<section><h3>\(e(finding.id)): \(e(finding.title))</h3>")
            out.append("<p>\(ReportText.number(finding.points)) points · \(e("\(finding.category)")) · \(e("\(finding.strength)"))</p>")
            out.append("<p>\(e(finding.explanation))</p>")
            out.append("<table><tr><th>field</th><th>observed</th><th>expected</th><th>source</th></tr>")
            for ev in finding.evidence {
                out.append("<tr><td><code>\(e(ev.field))</code></td><td>\(e(ev.observed))</td><td>\(e(ev.expected ?? ""))</td><td>\(e(ev.source))</td></tr>")
            }
            out.append("</table>")
            out.append("<p><strong>Verify:</strong> \(e(finding.verify))</p>")
            let sources = finding.references.map { r -> String in
                if let url = r.url, url.hasPrefix("https://") || url.hasPrefix("http://") {
                    return "<a href=\"\(e(url))\">\(e(r.id))</a> \(e(r.title))"
                }
                return "\(e(r.id)) \(e(r.title))"
            }
            out.append("<p><strong>Sources:</strong> \(sources.joined(separator: "; "))</p></section>")
        }
        out.append("<h2>Coverage</h2><ul>")
        for input in report.coverage.inputs { out.append("<li>\(e(input))</li>") }
        let passed = ReportText.passed(report)
        if !passed.isEmpty { out.append("<li>Checked, consistent: \(passed.map { "<code>\(e($0.code))</code>" }.joined(separator: ", "))</li>") }
        for entry in ReportText.skipped(report) {
            out.append("<li>Not checked, <code>\(e(entry.code))</code>: \(e(entry.reason ?? entry.status.rawValue))</li>")
        }
        out.append("</ul>")
        out.append("<hr><p>\(e(ReportText.policyLine(report)))</p>")
        out.append("</body></html>")
        return out.joined(separator: "\n") + "\n"
    }
}
