import Foundation
import Testing
import VetterCore
import VetterTesting

struct BadInputTests {
    func write(_ bytes: Data, name: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vetter-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(name)
        try bytes.write(to: url)
        return url
    }

    @Test func missingFileIsNotFound() async throws {
        let screener = try Fixtures.screener()
        await #expect(throws: InputError.self) { try await Fixtures.screener().screen(fileAt: URL(fileURLWithPath: "/nonexistent/app.json")) }
        do {
            _ = try await screener.screen(fileAt: URL(fileURLWithPath: "/nonexistent/app.json"))
        } catch {
            #expect(error.kind == .notFound)
            #expect(error.description == "/nonexistent/app.json: (record): file not found or unreadable")
        }
    }

    @Test func wrongTypesNameFileAndField() async throws {
        let screener = try Fixtures.screener()
        let url = try write(Data(#"{"id": 7, "events": {}}"#.utf8), name: "bad.json")
        do {
            _ = try await screener.screen(fileAt: url)
            Issue.record("a bad record was screened")
        } catch {
            #expect(error.kind == .invalid)
            let lines = error.description.split(separator: "\n")
            #expect(lines.count == 2)
            #expect(lines.allSatisfy { $0.hasPrefix(url.path + ": ") })
            #expect(error.description.contains("id: expected a string, found a number"))
            #expect(error.description.contains("events: expected an array, found an object"))
        }
    }

    @Test func missingResumeFileStillScreensTheRest() async throws {
        let screener = try Fixtures.screener()
        let url = try write(Data(#"{"id": "a1", "candidate": {"name": "Jane Smith"}, "resume": {"path": "gone.pdf"}}"#.utf8), name: "app.json")
        let outcome = try await Fixtures.screener().screen(fileAt: url)
        #expect(outcome.report.applicationID == "a1")
        #expect(outcome.warnings == ["\(url.path): resume.path: gone.pdf: file not found; screened without it"])
        #expect(outcome.report.coverage.inputs.first?.hasPrefix("Résumé could not be read") == true)
        let timeline = outcome.report.coverage.checks.first { $0.code == "TIMELINE-OVERLAP" }
        #expect(timeline?.status == .skipped)
    }

    @Test func emptyAndBinaryResumes() async throws {
        let screener = try Fixtures.screener()
        let empty = try write(Data(), name: "empty.txt")
        await #expect(throws: InputError.self) { try await Fixtures.screener().screen(fileAt: empty) }
        let binary = try write(Data([0xFF, 0xD8, 0xFF, 0x00, 0x01]), name: "photo.jpg")
        do {
            _ = try await screener.screen(fileAt: binary)
        } catch {
            #expect(error.description.contains("unsupported document format"))
        }
    }

    @Test func errorsNeverQuoteResumeText() async throws {
        let screener = try Fixtures.screener()
        let url = try write(Data(#"{"id": "a1", "resume": {"text": 42}, "candidate": {"name": "Secret Name"}}"#.utf8), name: "app.json")
        do {
            _ = try await screener.screen(fileAt: url)
        } catch {
            #expect(!error.description.contains("Secret"))
            #expect(error.description.contains("resume.text: expected a string"))
        }
    }
}
