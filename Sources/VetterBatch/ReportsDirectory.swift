import Foundation
import VetterCore

/// `--reports-dir`: one Markdown and one HTML report per application, and `index.html` sorted by band.
public enum ReportsDirectory {
    /// A file name from the position and the application id, safe on any file system.
    public static func baseName(position: Int, id: String) -> String {
        let safe = String(id.unicodeScalars.map { CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0) ? Character($0) : "_" }.prefix(80))
        return String(format: "%06d-", position) + (safe.isEmpty ? "application" : safe)
    }

    static func write(_ report: Report, position: Int, to directory: URL) {
        let base = baseName(position: position, id: report.applicationID)
        try? Data(MarkdownRenderer().render(report).utf8).write(to: directory.appendingPathComponent(base + ".md"), options: .atomic)
        try? Data(HTMLRenderer().render(report).utf8).write(to: directory.appendingPathComponent(base + ".html"), options: .atomic)
    }

    /// Builds `index.html` from the results file (so a resumed run indexes every application).
    public static func writeIndex(results: URL, to directory: URL) throws {
        struct Entry { var position: Int; var id: String; var band: String; var score: Double; var error: String? }
        var entries: [Entry] = []
        guard let reader = LineReader(url: results) else { return }
        var position = 0
        while let line = reader.nextLine() {
            defer { position += 1 }
            guard let object = (try? JSONSerialization.jsonObject(with: line)) as? [String: Any] else { continue }
            if let error = object["error"] as? String {
                entries.append(Entry(position: position, id: object["input_id"] as? String ?? "", band: "error", score: -1, error: error))
            } else {
                entries.append(Entry(position: position, id: object["application_id"] as? String ?? "", band: object["band"] as? String ?? "", score: object["score"] as? Double ?? 0))
            }
        }
        let order = ["escalate": 0, "review": 1, "clear": 2, "error": 3]
        entries.sort { (order[$0.band] ?? 4, -$0.score, $0.position) < (order[$1.band] ?? 4, -$1.score, $1.position) }
        let e = HTMLRenderer.escape
        var html = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Vetter batch reports</title>
            <style>body{font-family:sans-serif;margin:2em}td,th{padding:.2em .8em;text-align:left}.escalate{color:#a00}.review{color:#a60}</style>
            </head><body><h1>Vetter batch reports</h1>
            <p>\(e(Report.notice))</p>
            <table><thead><tr><th>band</th><th>score</th><th>application</th><th>position</th><th>reports</th></tr></thead><tbody>

            """
        for entry in entries {
            let base = baseName(position: entry.position, id: entry.id)
            let links = entry.error == nil ? "<a href=\"\(e(base)).html\">HTML</a> · <a href=\"\(e(base)).md\">Markdown</a>" : e(entry.error ?? "")
            html += "<tr class=\"\(e(entry.band))\"><td>\(e(entry.band))</td><td>\(entry.score >= 0 ? HTMLRenderer.number(entry.score) : "")</td><td>\(e(entry.id))</td><td>\(entry.position)</td><td>\(links)</td></tr>\n"
        }
        html += "</tbody></table></body></html>\n"
        try Data(html.utf8).write(to: directory.appendingPathComponent("index.html"), options: .atomic)
    }
}
