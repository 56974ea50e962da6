import Foundation
import Testing
import VetterTesting

/// Runs the built `vetter` binary and checks output and exit codes.
struct CommandLineTests {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static var binary: URL {
        // The test bundle sits in the build products folder next to the executable.
        let products = Bundle.main.bundleURL.pathExtension == "xctest" ? Bundle.main.bundleURL.deletingLastPathComponent() : Bundle.main.bundleURL
        for folder in [products, products.deletingLastPathComponent()] {
            let url = folder.appendingPathComponent("vetter")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return Fixtures.root.appendingPathComponent(".build/debug/vetter")
    }

    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Run {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        process.currentDirectoryURL = Fixtures.root
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = nil
        env.merge(environment) { $1 }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    @Test func screenPrintsAPlainReport() throws {
        let result = try run(["screen", "Samples/applications/review-onboarding-changes.json"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("Band: REVIEW"))
        #expect(result.stdout.contains("Verify:"))
        #expect(result.stdout.contains("Not checked:"))
        #expect(result.stdout.contains("supports a human decision"))
        #expect(!result.stdout.contains("\u{1B}["), "colour when piped")
    }

    @Test func jsonAndMarkdownFormats() throws {
        let json = try run(["screen", "Samples/applications/review-timeline.json", "--format", "json"])
        #expect(json.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["band"] as? String == "review")
        let markdown = try run(["screen", "Samples/applications/review-timeline.json", "--format", "markdown"])
        #expect(markdown.stdout.hasPrefix("# Vetter screening report"))
    }

    @Test func failOnMakesTheBandDecideTheExitCode() throws {
        #expect(try run(["screen", "Samples/applications/review-timeline.json", "--fail-on", "review"]).status == 3)
        #expect(try run(["screen", "Samples/applications/review-timeline.json", "--fail-on", "escalate"]).status == 0)
        #expect(try run(["screen", "Samples/applications/clear-traveller.json", "--fail-on", "review"]).status == 0)
    }

    @Test func badInputGivesOneLineErrorsAndDocumentedCodes() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vetter-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let bad = folder.appendingPathComponent("bad.json")
        try Data(#"{"id": "x", "events": [{"type": "interview", "at": "soon", "browser_timezone": "Nowhere/Land"}]}"#.utf8).write(to: bad)
        let result = try run(["screen", bad.path])
        #expect(result.status == 65)
        #expect(result.stdout.isEmpty)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { $0.hasPrefix("vetter: \(bad.path): events[0].") })
        #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Stack"))

        let missing = try run(["screen", folder.appendingPathComponent("nope.json").path])
        #expect(missing.status == 66)

        let noResume = folder.appendingPathComponent("app.json")
        try Data(#"{"id": "x", "resume": {"path": "missing.txt"}}"#.utf8).write(to: noResume)
        let partial = try run(["screen", noResume.path, "--format", "json"])
        #expect(partial.status == 2)
        #expect(partial.stderr.contains("resume.path: missing.txt: file not found"))
        #expect(partial.stdout.contains("\"application_id\" : \"x\""))
    }

    @Test func documentsScreenAndParse() throws {
        let pdf = try run(["screen", "Samples/resumes/amara-okafor.pdf", "--format", "json"])
        #expect(pdf.status == 0)
        #expect(pdf.stdout.contains("Résumé read: amara-okafor.pdf (pdf)"))
        let parsed = try run(["parse", "Samples/resumes/amara-okafor.docx", "--format", "json"])
        #expect(parsed.status == 0)
        #expect(parsed.stdout.contains("Amara Okafor"))
    }

    @Test func usageErrorsUseCode64() throws {
        #expect(try run(["screen"]).status == 64)
        #expect(try run(["screen", "Samples/applications/clear-traveller.json", "--format", "pdf"]).status == 64)
    }

    @Test func indicatorsAndExplain() throws {
        let list = try run(["indicators"])
        #expect(list.status == 0)
        #expect(list.stdout.contains("TZ-BROWSER-MISMATCH"))
        let explain = try run(["explain", "onb-payee-name"])
        #expect(explain.status == 0)
        #expect(explain.stdout.contains("[fires]") && explain.stdout.contains("[does not fire]"))
        #expect(try run(["explain", "NO-SUCH-CODE"]).status == 64)
    }

    @Test func policyCheckAndOverride() throws {
        #expect(try run(["policy", "check", "Config/policy.yaml"]).status == 0)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vetter-policy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let bad = folder.appendingPathComponent("p.yaml")
        try Data("name: p\nversion: 1\nbands: {review: 5, escalate: 9}\nindicators:\n  INT-CAMERA-OFF: {pionts: 3}\n".utf8).write(to: bad)
        let check = try run(["policy", "check", bad.path])
        #expect(check.status == 78)
        #expect(check.stderr.contains("line 5: unknown key 'indicators.INT-CAMERA-OFF.pionts'"))
        let strict = folder.appendingPathComponent("strict.yaml")
        try Data("name: strict\nversion: 1\nbands: {review: 5, escalate: 9}\n".utf8).write(to: strict)
        let screened = try run(["screen", "Samples/applications/clear-night-shift.json", "--policy", strict.path, "--format", "json"])
        #expect(screened.stdout.contains("\"band\" : \"escalate\""))
        #expect(screened.stdout.contains("\"name\" : \"strict\""))
    }

    /// The generator's shares are checked before anything is written.
    @Test func evalGenerateRefusesSharesOutsideZeroToOne() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vetter-eval-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let checks = try run(["eval", "generate", folder.path, "--size", "10", "--location-checks", "1.5"])
        #expect(checks.status == 64)
        #expect(checks.stderr.contains("--location-checks must be between 0 and 1"))
        let pdf = try run(["eval", "generate", folder.path, "--size", "10", "--pdf-share=-0.1"])
        #expect(pdf.status == 64)
        #expect(pdf.stderr.contains("--pdf-share must be between 0 and 1"))
        #expect(!FileManager.default.fileExists(atPath: folder.path))
        let ok = try run(["eval", "generate", folder.path, "--size", "10", "--location-checks", "1", "--pdf-share", "1"])
        #expect(ok.status == 0)
        let manifest = try String(contentsOf: folder.appendingPathComponent("population.json"), encoding: .utf8)
        #expect(manifest.contains("\"locationCheckRate\" : 1") && manifest.contains("\"pdfShare\" : 1"))
    }
}
