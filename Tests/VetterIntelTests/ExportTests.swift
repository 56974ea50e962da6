import Foundation
import Testing
import VetterCore
import VetterIntel
import VetterStore
import VetterTesting

@Suite struct ExportTests {
    static let record = """
        {"id": "APP-77", "candidate": {"name": "Sam Doe", "emails": ["Persona.Dev@gmail.com"], "phones": ["+1 415 555 0100"],
          "links": ["https://github.com/PersonaDev", "https://www.linkedin.com/in/persona-dev"]},
         "events": [{"type": "application_submitted", "at": "2026-10-01T10:00:00Z", "ip": "203.0.113.7"},
                    {"type": "interview", "at": "2026-10-02T10:00:00Z", "ip": "2001:db8::7"}]}
        """

    static func reportLine(_ id: String, band: String) -> String {
        """
        {"schema": "vetter.report/v1", "application_id": "\(id)", "band": "\(band)", "score": 72, "generated_at": "2026-10-03T10:00:00Z",
         "findings": [{"id": "INTEL-FEED-MATCH", "evidence": [{"field": "candidate.emails[0]", "observed": "x",
           "source": "feed zscaler, object indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f, confidence 85"}]},
          {"id": "REUSE-IDENTIFIER", "evidence": []}]}
        """.replacingOccurrences(of: "\n", with: " ")
    }

    static func items() throws -> [ExportItem] {
        let application = try #require(ApplicationDecoder().decode(Data(record.utf8)).application)
        var other = application
        other.id = "APP-78"
        let lines = [reportLine("APP-77", band: "escalate"), reportLine("APP-78", band: "review")].joined(separator: "\n")
        return try IntelExport.items(reportsJSONL: Data(lines.utf8), applications: [application, other])
    }

    @Test func onlyEscalatedAndHashedByDefault() throws {
        let items = try Self.items()
        #expect(items.map(\.applicationID) == ["APP-77"])
        #expect(items[0].feedObjectIDs == ["indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"])
        #expect(items[0].identifiers.map { $0.kind } == ["email", "phone", "github", "linkedin", "ip", "ip"])
        let stix = try JSONSerialization.data(withJSONObject: IntelExport.stix(items, clear: false))
        let text = String(decoding: stix, as: UTF8.self)
        for secret in ["persona", "PersonaDev", "4155550100", "203.0.113.7", "APP-77"] {
            #expect(!text.lowercased().contains(secret.lowercased()), "hashed export leaks \(secret)")
        }
        #expect(text.contains(IntelExport.hashed("email", "personadev@gmail.com")))
        let misp = String(decoding: try JSONSerialization.data(withJSONObject: IntelExport.misp(items, clear: false)), as: UTF8.self)
        #expect(!misp.lowercased().contains("persona"))
        let clear = String(decoding: try JSONSerialization.data(withJSONObject: IntelExport.stix(items, clear: true)), as: UTF8.self)
        #expect(clear.contains("personadev@gmail.com"))
        #expect(clear.contains("203.0.113.7"))
    }

    /// Runs Scripts/validate-exports.sh (OASIS stix2-validator and pymisp) on hashed and clear
    /// exports. A validation failure fails the test; tools that cannot be installed (no
    /// network, no python3-venv) are recorded as a known issue with the reason.
    @Test func exportsValidateWithReferenceTools() throws {
        let items = try Self.items()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vetter-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var files: [String] = []
        for clear in [false, true] {
            let stix = folder.appendingPathComponent("export-\(clear).stix.json")
            let misp = folder.appendingPathComponent("export-\(clear).misp.json")
            try JSONSerialization.data(withJSONObject: IntelExport.stix(items, clear: clear), options: .prettyPrinted).write(to: stix)
            try JSONSerialization.data(withJSONObject: IntelExport.misp(items, clear: clear), options: .prettyPrinted).write(to: misp)
            files += [stix.path, misp.path]
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [Fixtures.root.appendingPathComponent("Scripts/validate-exports.sh").path] + files
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let log = String(decoding: data, as: UTF8.self)
        switch process.terminationStatus {
        case 0:
            #expect(log.contains("STIX 2.1 valid"))
            #expect(log.contains("MISP event loaded"))
        case 3:
            withKnownIssue("validation tools unavailable: \(log)") { Issue.record("validate-exports.sh could not install its tools") }
        default:
            Issue.record("exports do not validate:\n\(log)")
        }
    }
}
