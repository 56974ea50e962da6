import Foundation
import Testing
import VetterCore
@testable import VetterDocuments

/// Per-field accuracy over the corpus files that have a published expectation (MANIFEST.md,
/// "Published expected outputs"). A value counts only in files whose text contains it.
@Suite("Corpus: field accuracy")
struct AccuracyTests {
    struct Expectation {
        var file: String
        var name: String
        var email: String?
        var phone: String?
        /// Jobs as (start, end or nil for current), from the published twin.
        var jobs: [(PartialDate?, PartialDate?)] = []
    }

    static func jobs(_ fields: ResumeFields) -> [(PartialDate?, PartialDate?)] {
        fields.employment.map { ($0.start, $0.isCurrent ? nil : $0.end) }
    }

    static func expectations() throws -> [Expectation] {
        var list: [Expectation] = []
        let jane = try Corpus.read("fresh-test-resumes/jrs__jane-fullstacker.json").fields
        for f in ["resume.txt", "resume.md", "resume.html", "resume.pdf", "resume.doc"] {
            list.append(Expectation(file: "hackmyresume-expected-modern/" + f, name: "Jane Q. Fullstacker",
                                    email: "jdoe@onecoolstartup.io", phone: "1-650-999-7777", jobs: jobs(jane)))
        }
        let betty = try Corpus.read("europass-cedefop-examples/CV-Europass-20171212-Smith-EN.embedded-attachment.DERIVED.xml").fields
        for f in ["CV-Europass-20171212-Smith-EN.pdf", "europass-cv-example-v3.3.0.xml", "europass-cv-example-v3.3.0.json", "europass-cv-example-v2.0.xml"] {
            list.append(Expectation(file: "europass-cedefop-examples/" + f, name: "Betty Smith", email: "smith@kotmail.com",
                                    phone: "+44 2012345679", jobs: jobs(betty)))
        }
        let peter = try Corpus.read("hropen-4.2.1-candidate-samples/Candidate_UC2_resumeextraction_response.json").fields
        list.append(Expectation(file: "hropen-4.2.1-candidate-samples/Candidate_UC2_embedded_resume.DERIVED.doc", name: "Peter Apple",
                                email: "talenttech.banana@gmail.com", jobs: jobs(peter)))
        list.append(Expectation(file: "pyresparser/OmkarResume.pdf", name: "Omkar Pathak", email: "omkarpathak27@gmail.com", phone: "8087996634"))
        for f in ["h-resume-v2-contact.html", "hresume-v1-contact.html", "h-resume-v2-work.html", "h-resume-v2-education.html"] {
            list.append(Expectation(file: "microformats-h-resume-tests/" + f, name: "Tim Berners-Lee", email: "timbl@w3.org", phone: "+1 (617) 253 5702"))
        }
        return list
    }

    struct Score {
        var right = 0, total = 0
        var rate: Double { total == 0 ? 1 : Double(right) / Double(total) }
        mutating func add(_ ok: Bool) { total += 1; if ok { right += 1 } }
    }

    @Test func perFieldAccuracy() throws {
        var name = Score(), email = Score(), phone = Score(), dates = Score()
        for e in try Self.expectations() {
            let d = try Corpus.read(e.file)
            let flat = d.text.replacingOccurrences(of: "\n", with: " ")
            if flat.contains(e.name) { name.add(Compare.folded(d.fields.name?.value ?? "") == Compare.folded(e.name)) }
            if let em = e.email, flat.contains(em) { email.add(d.fields.emails.contains { $0.value.lowercased() == em.lowercased() }) }
            if let ph = e.phone, Compare.digits(flat).contains(Compare.digits(ph)) {
                phone.add(d.fields.phones.contains { Compare.samePhone($0.value, ph) })
            }
            let got = Self.jobs(d.fields)
            for job in e.jobs { dates.add(got.contains { $0.0 == job.0 && $0.1 == job.1 }) }
        }
        let line = String(format: "field accuracy: name %d/%d (%.0f%%), email %d/%d (%.0f%%), phone %d/%d (%.0f%%), employment start+end %d/%d (%.0f%%)",
                          name.right, name.total, name.rate * 100, email.right, email.total, email.rate * 100,
                          phone.right, phone.total, phone.rate * 100, dates.right, dates.total, dates.rate * 100)
        print(line)
        try? line.write(toFile: FileManager.default.temporaryDirectory.appendingPathComponent("vetter-accuracy.txt").path, atomically: true, encoding: .utf8)
        #expect(name.total >= 14)
        #expect(name.rate >= 0.95)
        #expect(email.rate >= 0.95)
        #expect(phone.rate >= 0.95)
        #expect(dates.rate >= 0.85)
    }
}
