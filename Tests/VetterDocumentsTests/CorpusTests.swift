import Foundation
import Testing
import VetterCore
@testable import VetterDocuments

@Suite("Corpus dump (diagnostic)")
struct CorpusDump {
    @Test func dump() throws {
        guard ProcessInfo.processInfo.environment["VETTER_DUMP"] != nil else { return }
        var out = ""
        let files = FileManager.default.enumerator(at: Corpus.resumes, includingPropertiesForKeys: nil)!.compactMap { $0 as? URL }
            .filter { !$0.hasDirectoryPath }.sorted { $0.path < $1.path }
        for f in files {
            out += "=== \(f.path.replacingOccurrences(of: Corpus.resumes.path, with: ""))\n"
            do {
                let d = try DocumentReaders.all.read(contentsOf: f)
                out += "format=\(d.format) name=\(d.fields.name?.value ?? "-") emails=\(d.fields.emails.map(\.value)) phones=\(d.fields.phones.map(\.value)) loc=\(d.fields.location?.value ?? "-")\n"
                for e in d.fields.employment { out += "  job: \(e.label)\n" }
                for e in d.fields.education { out += "  edu: \(e.school ?? "-") | \(e.degree ?? "-") \(e.start?.description ?? "") \(e.end?.description ?? "")\n" }
                let m = d.metadata
                out += "  meta: author=\(m.author ?? "-") lmb=\(m.lastModifiedBy ?? "-") creator=\(m.creator ?? "-") producer=\(m.producer ?? "-") created=\(m.createdRaw ?? "-") off=\(m.createdUTCOffsetMinutes.map(String.init) ?? "-") pages=\(m.pageCount ?? -1) emb=\(m.embeddedFiles) langs=\(m.languages) imgs=\(m.imageHashes.count) tmpl=\(m.templateIdentity ?? "-")\n"
                out += "  warnings=\(d.warnings)\n"
                out += "  text: \(d.text.prefix(300).replacingOccurrences(of: "\n", with: " ⏎ "))\n"
            } catch {
                out += "ERROR \(error)\n"
            }
        }
        try out.write(toFile: "/tmp/vetter-corpus-dump.txt", atomically: true, encoding: .utf8)
    }
}
