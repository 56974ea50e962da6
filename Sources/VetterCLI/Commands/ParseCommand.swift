import ArgumentParser
import Foundation
import VetterCore
import VetterDocuments

/// `vetter parse FILE`: what was read from one document (text, fields with their spans,
/// metadata, warnings), so a user can see why a field is missing.
struct ParseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Show what Vetter reads from a résumé file: text, fields with spans, metadata, warnings."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Argument(help: "Résumé files (PDF, DOCX, .doc, HTML, Europass XML/JSON, HR Open JSON, JSON Resume, text, Markdown). With several files and --format json, one JSON document per line.")
    var files: [String]

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    @Flag(help: "Do not print the extracted text (text format only).")
    var noText = false

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("Give at least one résumé file.") }
    }

    func run() async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = files.count == 1 ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        var failure: Int32?
        for file in files {
            let document: ResumeDocument
            do {
                document = try DocumentReaders.all.read(contentsOf: URL(fileURLWithPath: file))
            } catch {
                printError(error.message)
                failure = max(failure ?? 0, error.code == .unreadable ? ExitStatus.noInput : ExitStatus.dataError)
                continue
            }
            switch format {
            case .json:
                print(String(decoding: try encoder.encode(document), as: UTF8.self))
            case .text:
                print(Self.render(document, includeText: !noText))
            }
        }
        if let failure { throw ExitCode(failure) }
    }

    static func render(_ d: ResumeDocument, includeText: Bool) -> String {
        var out: [String] = []
        out.append("File: \(d.sourceName)")
        out.append("Format: \(d.format)")
        if let sha = d.sha256 { out.append("SHA-256: \(sha)") }
        func where_(_ span: TextSpan?) -> String { span.map { "  [line \($0.line), chars \($0.start)-\($0.end)]" } ?? "  [no span]" }
        out.append("\nFields")
        out.append("  name: " + (d.fields.name.map { $0.value + where_($0.span) } ?? "(not found)"))
        out.append("  location: " + (d.fields.location.map { $0.value + where_($0.span) } ?? "(not found)"))
        for (label, values) in [("email", d.fields.emails), ("phone", d.fields.phones), ("link", d.fields.links)] {
            if values.isEmpty { out.append("  \(label): (not found)") }
            for v in values { out.append("  \(label): \(v.value)\(where_(v.span))") }
        }
        if d.fields.employment.isEmpty { out.append("  employment: (none found; is there an \"Experience\" heading and a date range per role?)") }
        for e in d.fields.employment {
            out.append("  employment: \(e.label)\(e.isPartTime ? " (part-time/contract)" : "")\(where_(e.span))")
        }
        for e in d.fields.education {
            let label = [e.degree, e.school].compactMap { $0 }.joined(separator: ", ")
            out.append("  education: \(label.isEmpty ? "entry" : label) (\(e.start?.description ?? "?") to \(e.end?.description ?? "?"))\(where_(e.span))")
        }
        if !d.fields.skills.isEmpty { out.append("  skills: \(d.fields.skills.joined(separator: ", "))") }

        let m = d.metadata
        out.append("\nMetadata (evidence about the file, weighed lightly)")
        let rows: [(String, String?)] = [
            ("title", m.title), ("author", m.author), ("last modified by", m.lastModifiedBy), ("creator", m.creator),
            ("producer", m.producer), ("application", m.application),
            ("created", m.createdRaw ?? m.created.map { ISO8601DateFormatter().string(from: $0) }),
            ("created UTC offset", m.createdUTCOffsetMinutes.map { UTCOffset.format(minutes: $0) }),
            ("modified", m.modifiedRaw ?? m.modified.map { ISO8601DateFormatter().string(from: $0) }),
            ("modified UTC offset", m.modifiedUTCOffsetMinutes.map { UTCOffset.format(minutes: $0) }),
            ("pages", m.pageCount.map(String.init)), ("template", m.template), ("template identity", m.templateIdentity),
            ("revision", m.revision.map(String.init)), ("total editing minutes", m.totalEditingMinutes.map(String.init)),
            ("languages", m.languages.isEmpty ? nil : m.languages.joined(separator: ", ")),
            ("embedded files", m.embeddedFiles.isEmpty ? nil : m.embeddedFiles.joined(separator: ", ")),
            ("image hashes", m.imageHashes.isEmpty ? nil : m.imageHashes.joined(separator: ", ")),
        ]
        let present = rows.compactMap { k, v in v.map { "  \(k): \($0)" } }
        out.append(contentsOf: present.isEmpty ? ["  (none)"] : present)
        out.append("\nWarnings")
        out.append(contentsOf: d.warnings.isEmpty ? ["  (none)"] : d.warnings.map { "  \($0)" })
        if includeText {
            out.append("\nText")
            for (i, line) in d.text.components(separatedBy: "\n").enumerated() {
                out.append(String(format: "%4d | ", i + 1) + line)
            }
        }
        return out.joined(separator: "\n")
    }
}
