import Foundation
import Testing
import VetterBatch
import VetterCore
import VetterTesting

/// The first fenced JSON block after `heading` in a Greenhouse docs file of the corpus.
func corpusJSON(_ file: String, after heading: String) throws -> JSONValue {
    let url = Fixtures.corpus.appendingPathComponent("ats/greenhouse-official-api-docs/\(file)")
    let text = try String(contentsOf: url, encoding: .utf8)
    let start = try #require(text.range(of: heading))
    let rest = text[start.upperBound...]
    let open = try #require(rest.range(of: "```json\n"))
    let close = try #require(rest[open.upperBound...].range(of: "\n```"))
    return try JSONValue.parse(Data(rest[open.upperBound..<close.lowerBound].utf8))
}

func decodes(_ record: MappedRecord) -> ApplicationDecoder.Result { ApplicationDecoder().decode(record.record) }

func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("vetter-batch-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

func drain(_ source: inout some BatchSource) -> [BatchItem] {
    var items: [BatchItem] = []
    while let item = source.next() { items.append(item) }
    return items
}

struct GreenhouseAdapterTests {
    @Test func zulipWebhookFixtureMapsToAValidRecord() throws {
        let url = Fixtures.corpus.appendingPathComponent("ats/greenhouse-zulip-webhook-fixtures/candidate_created.json")
        let body = try JSONValue.parse(Data(contentsOf: url))
        let mapped = try GreenhouseMapper.webhook(body).get()
        let decoded = decodes(mapped)
        #expect(decoded.problems.isEmpty, "\(decoded.problems)")
        let application = try #require(decoded.application)
        #expect(application.id == "greenhouse-265293")
        #expect(application.candidate.name == "Hector Porter")
        #expect(application.candidate.emails.count == 1)
        #expect(application.candidate.phones.count == 1)
        #expect(application.job?.title == "Designer")
        #expect(application.receivedAt == DateParsing.iso8601("2013-03-22T00:00:00Z"))
        // Fields with no place in the record are named, never their values.
        #expect(mapped.unmapped.contains("payload.application.candidate.custom_fields.favorite_color"))
        #expect(mapped.unmapped.contains("payload.application.candidate.tags"))
        #expect(mapped.unmapped.contains { $0.hasPrefix("payload.application.candidate.attachments[resume]") }, "no local résumé copy")
        #expect(!mapped.unmapped.joined().contains("Blue"))
    }

    @Test func officialWebhookExampleMaps() throws {
        let body = try corpusJSON("webhooks___application_events.md", after: "## Application created")
        let mapped = try GreenhouseMapper.webhook(body).get()
        #expect(decodes(mapped).problems.isEmpty, "\(decodes(mapped).problems)")
        #expect(mapped.id?.hasPrefix("greenhouse-") == true)
    }

    @Test func otherWebhookActionsAreRefusedWithAReason() throws {
        let url = Fixtures.corpus.appendingPathComponent("ats/greenhouse-zulip-webhook-fixtures/candidate_hired.json")
        let body = try JSONValue.parse(Data(contentsOf: url))
        guard case .failure(let error) = GreenhouseMapper.webhook(body) else { Issue.record("hire_candidate mapped"); return }
        #expect(error.message.contains("hire_candidate"))
    }

    @Test func harvestCandidatesGiveOneRecordPerApplication() throws {
        let list = try corpusJSON("harvest___candidates.md", after: "## GET: List Candidates")
        guard case .array(let candidates) = list else { Issue.record("not a list"); return }
        let mapped = candidates.flatMap { GreenhouseMapper.harvest(candidate: $0) }
        let expected = candidates.reduce(0) { n, c in if case .array(let a)? = c["applications"] { n + a.count } else { n } }
        #expect(mapped.count == expected)
        #expect(expected > 0)
        for record in mapped {
            let decoded = decodes(record)
            #expect(decoded.problems.isEmpty, "\(record.id ?? "?"): \(decoded.problems)")
        }
        let first = try #require(mapped.first)
        #expect(first.unmapped.contains("candidate.company"))
        #expect(first.unmapped.contains("candidate.attachments[other types]"))
    }

    @Test func harvestResumeAttachmentIsFoundInTheAttachmentsFolder() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("77"), withIntermediateDirectories: true)
        try Data("Jane Doe\nEngineer at Example 2019-2023\n".utf8).write(to: folder.appendingPathComponent("77/cv.txt"))
        let candidate = try JSONValue.parse(Data("""
            {"id": 77, "first_name": "Jane", "last_name": "Doe",
             "attachments": [{"filename": "cv.txt", "type": "resume", "url": "https://example.invalid/x"}],
             "applications": [{"id": 1, "applied_at": "2026-01-02T03:04:05Z", "jobs": [{"id": 9, "name": "Engineer"}]}]}
            """.utf8))
        let mapped = try #require(GreenhouseMapper.harvest(candidate: candidate, attachments: folder).first)
        #expect(mapped.record["resume"]?["path"]?.stringValue == "77/cv.txt")
        #expect(mapped.unmapped.isEmpty, "\(mapped.unmapped)")
    }
}

struct LeverAdapterTests {
    @Test func opportunityMaps() throws {
        let value = try JSONValue.parse(Data("""
            {"id": "opp-1", "name": "Sam Lee", "headline": "Acme", "emails": ["sam@example.com"],
             "phones": [{"type": "mobile", "value": "+1 415 555 0100"}], "location": "Oakland",
             "links": ["https://github.com/samlee-example", "https://sam.example.com"],
             "createdAt": 1767225600000, "tags": ["backend"], "origin": "applied",
             "applications": [{"id": "app-1", "posting": "post-9"}]}
            """.utf8))
        let mapped = try LeverMapper.opportunity(value).get()
        let application = try #require(decodes(mapped).application, "\(decodes(mapped).problems)")
        #expect(application.id == "lever-opp-1")
        #expect(application.receivedAt == DateParsing.iso8601("2026-01-01T00:00:00Z"))
        #expect(application.candidate.profiles.map(\.kind) == ["github"])
        #expect(application.candidate.links == ["https://sam.example.com"])
        #expect(application.job?.id == "post-9")
        #expect(mapped.unmapped == ["headline", "origin", "tags"])
    }

    @Test func leverListResponseIsDetected() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("lever.json")
        try Data(#"{"data": [{"id": "a", "name": "A B", "emails": [], "createdAt": 1767225600000, "contact": "c1"}, {"id": "b", "contact": "c2"}], "hasNext": false}"#.utf8).write(to: file)
        var source = try BatchSources.open(file)
        let items = drain(&source)
        #expect(items.count == 2)
    }
}

struct CSVAdapterTests {
    let mappingText = """
        schema: vetter.csv-mapping/v1
        columns:
          App ID: id
          Applied: received_at
          Name: candidate.name
          Email: candidate.emails
          Remote: job.remote
          Submitted IP: events.application_submitted.ip
        ignore: [Notes]
        """

    func write(_ csv: String, in folder: URL) throws -> URL {
        let url = folder.appendingPathComponent("apps.csv")
        try Data(csv.utf8).write(to: url)
        return url
    }

    @Test func rowsMapWithQuotesAndAnUnknownColumnIsAnErrorForItsRowOnly() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = try write("""
            App ID,Applied,Name,Email,Remote,Submitted IP,Notes,Extra
            a1,2026-01-01T10:00:00Z,"Doe, Jane",jane@example.com;j@example.org,yes,198.51.100.7,"multi
            line note",
            a2,2026-01-01T11:00:00Z,Sam,sam@example.com,no,,,surprise
            a3,2026-01-01T12:00:00Z,Kim,kim@example.com,maybe,,,

            """, in: folder)
        var source = try CSVSource(url: url, mapping: CSVMapping.parse(mappingText))
        let items = drain(&source)
        #expect(items.count == 3)
        guard case .mapped(let first) = items[0].payload else { Issue.record("row 2 not mapped"); return }
        let application = try #require(decodes(first).application, "\(decodes(first).problems)")
        #expect(application.candidate.name == "Doe, Jane")
        #expect(application.candidate.emails.count == 2)
        #expect(application.job?.remote == true)
        #expect(application.events.first?.ip == "198.51.100.7")
        guard case .failure(let unknown) = items[1].payload else { Issue.record("unknown column accepted"); return }
        #expect(unknown.contains("Extra") && !unknown.contains("surprise"))
        guard case .failure(let bad) = items[2].payload else { Issue.record("bad boolean accepted"); return }
        #expect(bad.contains("Remote") && !bad.contains("maybe"))
    }

    /// An interview scorecard's columns land under the interview event's observations, typed.
    @Test func interviewObservationsMapUnderTheEvent() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let mapping = try CSVMapping.parse("""
            schema: vetter.csv-mapping/v1
            columns:
              App ID: id
              Interviewed: events.interview.at
              Camera: events.interview.camera_on
              Location check: events.interview.location_check
              Shown as: events.interview.display_name
            """)
        let url = try write("""
            App ID,Interviewed,Camera,Location check,Shown as
            b1,2026-02-03T16:00:00Z,no,failed,J. Doe
            b2,2026-02-03T17:00:00Z,sometimes,passed,
            b3,2026-02-03T18:00:00Z,yes,dubious,

            """, in: folder)
        var source = try CSVSource(url: url, mapping: mapping)
        let items = drain(&source)
        #expect(items.count == 3)
        guard case .mapped(let first) = items[0].payload else { Issue.record("row 2 not mapped"); return }
        let application = try #require(decodes(first).application, "\(decodes(first).problems)")
        let interview = try #require(application.events.first)
        #expect(interview.type == "interview")
        #expect(interview.observations == InterviewObservations(cameraOn: false, displayName: "J. Doe", locationCheck: .failed))
        guard case .failure(let bad) = items[1].payload else { Issue.record("bad boolean accepted"); return }
        #expect(bad.contains("Camera") && !bad.contains("sometimes"))
        // An unknown outcome maps, and the record's decoder names the field.
        guard case .mapped(let third) = items[2].payload else { Issue.record("row 4 not mapped"); return }
        #expect(decodes(third).problems.map(\.path) == ["events[0].observations.location_check"])
    }

    @Test func aMappedColumnMissingFromTheHeaderStopsBeforeWork() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = try write("App ID,Name\na1,Jane\n", in: folder)
        #expect(throws: BatchSetupError.self) { try CSVSource(url: url, mapping: CSVMapping.parse(mappingText)) }
    }

    @Test func mappingRejectsUnknownTargets() {
        #expect(throws: BatchSetupError.self) { try CSVMapping.parse("columns:\n  Name: candidate.nationality\n") }
        #expect(throws: BatchSetupError.self) { try CSVMapping.parse(#"{"columns": {"Name": "candidate.name"}, "extra": 1}"#) }
        #expect((try? CSVMapping.parse(#"{"columns": {"Name": "candidate.name"}}"#))?.columns == ["Name": "candidate.name"])
    }
}

struct DirectoryAndJSONLinesTests {
    @Test func directoryTakesRecordsAndLoneResumesButNotReferencedResumes() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(#"{"schema": "vetter.application/v1", "id": "r1", "resume": {"path": "cv-r1.txt"}}"#.utf8).write(to: folder.appendingPathComponent("a.json"))
        try Data("CV of r1\n".utf8).write(to: folder.appendingPathComponent("cv-r1.txt"))
        try Data("Alone résumé\n".utf8).write(to: folder.appendingPathComponent("lone.txt"))
        var source = try DirectorySource(directory: folder)
        let names = drain(&source).map(\.label)
        #expect(names == ["a.json", "lone.txt"])
    }

    @Test func jsonLinesSkipsBlankLinesAndCountsRecords() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("in.jsonl")
        try Data("{\"id\":\"a\"}\n\n{\"id\":\"b\"}\r\n{broken\n{\"id\":\"c\"}".utf8).write(to: url)
        var source = try JSONLinesSource(url: url)
        #expect(source.count == 4)
        let items = drain(&source)
        #expect(items.map(\.position) == [0, 1, 2, 3])
        #expect(items.map(\.label) == ["line 1", "line 3", "line 4", "line 5"])
    }

    @Test func missingInputIsASetupError() {
        #expect(throws: BatchSetupError.self) { try BatchSources.open(URL(fileURLWithPath: "/nonexistent/in.jsonl")) }
    }

    @Test func htmlEscapesRecordValues() throws {
        #expect(HTMLRenderer.escape("<script>\"a\" & 'b'</script>") == "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;")
    }
}
