import Foundation
import Testing
import VetterTesting

extension CommandLineTests {
    @Test func feedsImportScreenExport() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vetter-feeds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store = folder.appendingPathComponent("s.sqlite").path
        let imported = try run(["feeds", "import", "Config/feeds/dprk-it-workers.tsv", "--store", store])
        #expect(imported.status == 0)
        #expect(imported.stdout.contains("imported feed dprk-it-workers (vetter-feed): 80 indicators"))

        let refused = try run(["feeds", "import", Fixtures.corpus.appendingPathComponent("ioc/misp-galaxy/threat-actor.json").path, "--store", store])
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("MISP galaxy cluster file"))
        #expect(refused.stderr.contains("nothing imported"))

        let list = try run(["feeds", "list", "--store", store])
        #expect(list.stdout.contains("dprk-it-workers\tvetter-feed\t80 indicators"))

        let record = folder.appendingPathComponent("app.json")
        try Data("""
            {"id": "cli-intel-1", "candidate": {"name": "Sam Doe", "emails": ["smartkings626@gmail.com"]}}
            """.utf8).write(to: record)
        let screened = try run(["screen", record.path, "--store", store, "--format", "json"])
        #expect(screened.stdout.contains("INTEL-FEED-MATCH"))
        let reports = folder.appendingPathComponent("results.jsonl")
        try Data(screened.stdout.utf8).write(to: reports)
        let export = try run(["export", "--stix", "--reports", reports.path, record.path])
        #expect(export.status == 0)
        #expect(export.stdout.contains("\"sighting\""))
        #expect(!export.stdout.contains("smartkings626"))

        let removed = try run(["feeds", "remove", "dprk-it-workers", "--store", store])
        #expect(removed.status == 0)
        #expect(try run(["feeds", "list", "--store", store]).stdout.contains("no feeds"))
    }
}
