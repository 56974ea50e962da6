import Foundation
import Testing
import VetterTesting
#if canImport(Glibc)
import Glibc
#endif

/// Runs the built `vetter batch`, kills it with SIGKILL at random points, resumes, and checks
/// that the output holds exactly one record per input, in order.
struct BatchEndToEndTests {
    static var binary: URL {
        let products = Bundle.main.bundleURL.pathExtension == "xctest" ? Bundle.main.bundleURL.deletingLastPathComponent() : Bundle.main.bundleURL
        for folder in [products, products.deletingLastPathComponent()] {
            let url = folder.appendingPathComponent("vetter")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return Fixtures.root.appendingPathComponent(".build/debug/vetter")
    }

    func start(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        process.currentDirectoryURL = Fixtures.root
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    func completeLines(_ url: URL) -> Int {
        guard let data = try? Data(contentsOf: url) else { return 0 }
        return data.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
    }

    @Test func killedManyTimesAndResumedGivesExactlyOneRecordPerInputInOrder() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let count = 300
        var input = (0..<count).map(syntheticLine)
        input[42] = "{malformed"
        let inURL = folder.appendingPathComponent("in.jsonl")
        try Data((input.joined(separator: "\n") + "\n").utf8).write(to: inURL)
        let out = folder.appendingPathComponent("out.jsonl")
        let store = folder.appendingPathComponent("store.sqlite").path
        let arguments = ["batch", inURL.path, "--output", out.path, "--store", store, "--quiet", "--jobs", "2"]
        var generator = SystemRandomNumberGenerator()
        var kills = 0
        for attempt in 0..<15 {
            let before = completeLines(out)
            if before >= count { break }
            let process = try start(arguments + (attempt == 0 ? [] : ["--resume"]))
            // Kill after a random number of new lines (or a random short wait), whichever comes first.
            let target = before + Int.random(in: 1...25, using: &generator)
            let deadline = Date().addingTimeInterval(Double.random(in: 0.05...3, using: &generator))
            while process.isRunning, completeLines(out) < target, Date() < deadline { usleep(2_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL); kills += 1 }
            process.waitUntilExit()
        }
        let final = try start(arguments + ["--resume"])
        final.waitUntilExit()
        // The exit code describes the lines this run wrote: 2 when the error record was among them, else 0.
        #expect([0, 2].contains(final.terminationStatus))
        #expect(kills > 0)
        let result = try lines(out)
        #expect(result.count == count)
        for (i, line) in result.enumerated() {
            if i == 42 {
                #expect(line["schema"] as? String == "vetter.batch-error/v1" && line["position"] as? Int == 42)
            } else {
                #expect(line["application_id"] as? String == "app-\(i)", "line \(i)")
            }
        }
    }

    @Test func missingInputAndUnwritableOutputFailBeforeWork() throws {
        let missing = try start(["batch", "/nonexistent/in.jsonl", "--output", "/tmp/never.jsonl"])
        missing.waitUntilExit()
        #expect(missing.terminationStatus == 66)
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let inURL = folder.appendingPathComponent("in.jsonl")
        try Data((syntheticLine(1) + "\n").utf8).write(to: inURL)
        let unwritable = try start(["batch", inURL.path, "--output", "/nonexistent-dir/out.jsonl"])
        unwritable.waitUntilExit()
        #expect(unwritable.terminationStatus == 73)
    }

    @Test func reportsFolderHasMarkdownHTMLAndAnIndex() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let inURL = folder.appendingPathComponent("in.jsonl")
        try Data(((0..<3).map(syntheticLine).joined(separator: "\n") + "\n").utf8).write(to: inURL)
        let reports = folder.appendingPathComponent("reports")
        let run = try start(["batch", inURL.path, "--output", folder.appendingPathComponent("o.jsonl").path, "--reports-dir", reports.path, "--quiet"])
        run.waitUntilExit()
        #expect(run.terminationStatus == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: reports.path).sorted()
        #expect(files.filter { $0.hasSuffix(".md") }.count == 3)
        #expect(files.filter { $0.hasSuffix(".html") }.count == 4)
        let index = try String(contentsOf: reports.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(index.contains("000001-app-1.html"))
    }
}
