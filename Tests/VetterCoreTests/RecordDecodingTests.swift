import Foundation
import Testing
import VetterCore
import VetterTesting

struct RecordDecodingTests {
    func problems(_ json: String) -> [FieldProblem] {
        ApplicationDecoder().decode(Data(json.utf8)).problems
    }

    @Test func reportsEveryProblemWithItsPath() {
        let found = problems("""
            {"id": "a1", "received_at": "yesterday",
             "candidate": {"emails": "x@example.com", "phones": [5], "address": {"country": "USA"}, "claimed_timezone": "Mars/Olympus"},
             "events": [{"type": "interview", "at": "2026-10-01T10:00:00Z", "utc_offset_minutes": "+9", "observations": {"location_check": "dubious"}},
                        {"type": "email_reply", "at": "3026-01-01T00:00:00Z", "ip": "999.1.1.1"}],
             "onboarding": {"shipping_address_changed_after_offer": "yes"}}
            """)
        let paths = Set(found.map(\.path))
        #expect(paths == [
            "received_at", "candidate.phones[0]", "candidate.address.country", "candidate.claimed_timezone",
            "events[0].utc_offset_minutes", "events[0].observations.location_check", "events[1].at", "events[1].ip", "onboarding.shipping_address_changed_after_offer",
        ])
        #expect(found.first { $0.path == "events[1].at" }?.message.contains("out of range") == true)
        #expect(found.first { $0.path == "candidate.claimed_timezone" }?.message.contains("unknown IANA time zone") == true)
        #expect(found.first { $0.path == "events[0].observations.location_check" }?.message == "must be passed, failed or not_asked")
    }

    @Test func missingIDIsAProblem() {
        #expect(problems(#"{"candidate": {}}"#).map(\.path) == ["id"])
    }

    @Test func malformedJSON() {
        let found = problems(#"{"id": "a1", "candidate": {"name": "Jane" "#)
        #expect(found.count == 1)
        #expect(found[0].message.hasPrefix("malformed JSON"))
    }

    @Test func invalidUTF8() {
        let found = ApplicationDecoder().decode(Data([0x7B, 0x22, 0x69, 0x64, 0x22, 0x3A, 0x22, 0xFF, 0xFE, 0x22, 0x7D])).problems
        #expect(found.map(\.message) == ["the file is not valid UTF-8 text"])
    }

    @Test func unknownKeysAreWarningsNotErrors() {
        let result = ApplicationDecoder().decode(Data(#"{"id": "a1", "ats_source": "greenhouse", "candidate": {"name": "A B", "pronouns": "she/her"}}"#.utf8))
        #expect(result.problems.isEmpty)
        #expect(result.unknownKeys == ["ats_source", "candidate.pronouns"])
    }

    @Test func problemsNeverQuoteTheValue() {
        let found = problems(#"{"id": "a1", "candidate": {"emails": ["jane.secret.person at example"]}}"#)
        #expect(found.count == 1)
        #expect(!found[0].description.contains("secret"))
    }

    @Test func schemaFileDocumentsEveryField() throws {
        // The JSON Schema in Config/ and the decoder must agree on the field names.
        let url = Fixtures.config.appendingPathComponent("schema/application.v1.schema.json")
        let schema = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let properties = try #require(schema["properties"] as? [String: Any])
        #expect(Set(properties.keys) == ["schema", "id", "received_at", "job", "candidate", "resume", "events", "onboarding", "references"])
        let text = try String(contentsOf: url, encoding: .utf8)
        for field in ["claimed_timezone", "utc_offset_minutes", "browser_timezone", "camera_accommodation", "location_check", "candidate_initiated",
                      "shipping_address_changed_after_offer", "account_fingerprint", "requires_residence", "json_resume"] {
            #expect(text.contains("\"\(field)\""), "schema lacks \(field)")
        }
    }
}
