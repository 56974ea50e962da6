import Foundation
import Testing
import VetterBatch
import VetterCore
import VetterTesting

func syntheticLine(_ i: Int) -> String {
    #"{"schema":"vetter.application/v1","id":"app-\#(i)","candidate":{"name":"Person \#(i)","emails":["p\#(i)@example.com"]},"resume":{"text":"Engineer at Example Corp 2018-2022\nPerson \#(i)"}}"#
}

func lines(_ url: URL) throws -> [[String: Any]] {
    try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).dropLast().map {
        try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
}

struct RunnerTests {
    func run(_ input: String, folder: URL, resume: Bool = false, failFast: Bool = false, jobs: Int = 2) async throws -> (BatchStats, URL) {
        let inURL = folder.appendingPathComponent("in.jsonl")
        try Data(input.utf8).write(to: inURL)
        let out = folder.appendingPathComponent("out.jsonl")
        var source = try JSONLinesSource(url: inURL)
        let runner = BatchRunner(screener: try Fixtures.screener(), jobs: jobs, failFast: failFast)
        let stats = try await runner.run(&source, output: try OutputFile(url: out, resume: resume, overwrite: !resume))
        return (stats, out)
    }

    @Test func oneLinePerInputInOrderWithErrorRecords() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var input = (0..<40).map(syntheticLine)
        input[7] = "{not json"
        input[20] = #"{"schema":"vetter.application/v1","id":"bad","received_at":"yesterday"}"#
        let (stats, out) = try await run(input.joined(separator: "\n") + "\n", folder: folder, jobs: 3)
        let result = try lines(out)
        #expect(result.count == 40)
        #expect(stats.written == 40 && stats.errors == 2)
        for (i, line) in result.enumerated() {
            switch i {
            case 7:
                #expect(line["schema"] as? String == "vetter.batch-error/v1")
                #expect(line["position"] as? Int == 7)
                #expect(line["input_id"] as? String == "line 8")
            case 20:
                #expect(line["input_id"] as? String == "bad")
                #expect((line["error"] as? String)?.contains("received_at") == true)
                #expect((line["error"] as? String)?.contains("yesterday") == false)
            default:
                #expect(line["schema"] as? String == "vetter.report/v1")
                #expect(line["application_id"] as? String == "app-\(i)")
            }
        }
    }

    @Test func failFastStopsAtTheFirstErrorAndResumeFinishes() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var input = (0..<30).map(syntheticLine)
        input[5] = "[1,2"
        let text = input.joined(separator: "\n")
        let (stats, out) = try await run(text, folder: folder, failFast: true)
        #expect(stats.stoppedEarly)
        let first = try lines(out)
        #expect(first.count == 6)
        #expect(first.last?["schema"] as? String == "vetter.batch-error/v1")
        let (again, _) = try await run(text, folder: folder, resume: true)
        #expect(again.resumed == 6)
        let all = try lines(out)
        #expect(all.count == 30)
        #expect(all.enumerated().allSatisfy { i, l in i == 5 || l["application_id"] as? String == "app-\(i)" })
    }

    @Test func resumeCutsATornLastLine() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = (0..<12).map(syntheticLine).joined(separator: "\n")
        let (_, out) = try await run(input, folder: folder)
        let full = try Data(contentsOf: out)
        // Keep 4 whole lines and half of the fifth, as a crash mid-write would.
        let newlines = full.indices.filter { full[$0] == 0x0A }
        let torn = full.prefix(newlines[3] + 1 + (newlines[4] - newlines[3]) / 2)
        try torn.write(to: out)
        let (stats, _) = try await run(input, folder: folder, resume: true)
        #expect(stats.resumed == 4)
        #expect(stats.written == 8)
        let result = try lines(out)
        #expect(result.map { $0["application_id"] as? String } == (0..<12).map { "app-\($0)" })
    }

    @Test func existingOutputIsNotOverwrittenWithoutAFlag() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("out.jsonl")
        try Data("{}\n".utf8).write(to: out)
        #expect(throws: BatchSetupError.self) { try OutputFile(url: out, resume: false) }
        #expect(throws: BatchSetupError.self) { try OutputFile(url: URL(fileURLWithPath: "/nonexistent-dir/out.jsonl"), resume: false) }
    }
}
