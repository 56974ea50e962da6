import Foundation
import Testing
import VetterCore
@testable import VetterDocuments

@Suite("Corpus: every format reads")
struct FormatTests {
    @Test(arguments: [
        ("latex-sb2nov/sourabh_bajaj_resume.pdf", "pdf"),
        ("latex-deedy-two-column/deedy_resume-openfont.pdf", "pdf"),
        ("soupboss-word-pairs/01-Accountant.docx", "docx"),
        ("hackmyresume-expected-modern/resume.doc", "word-2003-xml"),
        ("hackmyresume-expected-modern/resume.html", "html"),
        ("hackmyresume-expected-modern/resume.md", "markdown"),
        ("hackmyresume-expected-modern/resume.txt", "text"),
        ("hackmyresume-expected-modern/resume.json", "json-resume"),
        ("europass-cedefop-examples/europass-cv-example-v2.0.xml", "europass"),
        ("europass-cedefop-examples/europass-cv-example-v3.3.0.xml", "europass"),
        ("europass-cedefop-examples/europass-cv-example-v3.3.0.json", "europass"),
        ("hropen-4.2.1-candidate-samples/Candidate_general.json", "hr-open"),
        ("hropen-4.2.1-candidate-samples/Candidate_UC2_embedded_resume.DERIVED.doc", "doc"),
        ("microformats-h-resume-tests/h-resume-v2-work.html", "html"),
        ("sync-fixtures/sample-resume.pdf", "pdf"),
        ("soupboss-word-pairs/image-only__DevOps-Sample2.pdf", "pdf"),
    ])
    func reads(file: String, format: String) throws {
        let document = try Corpus.read(file)
        #expect(document.format.rawValue == format)
        #expect(!document.text.isEmpty)
        #expect(document.sha256?.count == 64)
    }

    @Test func wordXMLSavedAsDocIsDetectedByContent() throws {
        let data = try Corpus.data("hackmyresume-expected-modern/resume.doc")
        let document = try DocumentReaders.all.read(data, filename: "renamed.pdf")
        #expect(document.format == .wordML)
    }

    @Test func pdfMetadataKeepsOffsetAsWritten() throws {
        let awesome = try Corpus.read("latex-awesome-cv/resume.pdf").metadata
        #expect(awesome.createdRaw == "D:20260210234447+09'00'")
        #expect(awesome.createdUTCOffsetMinutes == 540)
        #expect(awesome.pageCount == 3)
        #expect(awesome.producer == "LuaTeX-1.21.0")
        let zulu = try Corpus.read("latex-sb2nov/sourabh_bajaj_resume.pdf").metadata
        #expect(zulu.createdRaw == "D:20240616051326Z")
        let laverne = try Corpus.read("open-resume-examples/laverne-resume.pdf").metadata
        #expect(laverne.createdUTCOffsetMinutes == -480)
        #expect(laverne.author != nil)
    }

    @Test func docxMetadata() throws {
        let m = try Corpus.read("soupboss-word-pairs/01-Accountant.docx").metadata
        #expect(m.author != nil && m.lastModifiedBy != nil)
        #expect(m.createdRaw == "2025-08-27T17:46:00Z")
        #expect(m.createdUTCOffsetMinutes == 0)
        #expect(m.template == "Normal.dotm")
        #expect(m.application?.hasPrefix("Microsoft Office Word") == true)
        #expect(m.languages.contains("en-US"))
        #expect(m.pageCount == 2)
    }
}

@Suite("Corpus: renderings and twins agree")
struct AgreementTests {
    @Test func europassPDFTextAgreesWithEmbeddedXML() throws {
        let pdf = try Corpus.read("europass-cedefop-examples/CV-Europass-20171212-Smith-EN.pdf")
        #expect(pdf.metadata.embeddedFiles.contains("Europass-XML-Attachment.xml"))
        let xml = try Corpus.read("europass-cedefop-examples/CV-Europass-20171212-Smith-EN.embedded-attachment.DERIVED.xml").fields
        // Fields read from the PDF's text alone, without its attachment.
        let fromText = TextFieldExtractor().extract(from: pdf.text)
        #expect(fromText.emails.map(\.value) == xml.emails.map(\.value))
        for phone in xml.phones { #expect(fromText.phones.contains { Compare.samePhone($0.value, phone.value) }) }
        #expect(pdf.text.contains(xml.name?.value ?? "∅"))
        // The reader uses the attachment, with spans into the PDF text.
        #expect(pdf.fields.name?.value == xml.name?.value)
        #expect(pdf.fields.name?.span != nil)
        #expect(pdf.fields.employment.map(\.start) == xml.employment.map(\.start))
    }

    @Test func hrOpenResponseMatchesItsRequestAndTheEmbeddedDoc() throws {
        let response = try Corpus.read("hropen-4.2.1-candidate-samples/Candidate_UC2_resumeextraction_response.json").fields
        let json = try JSONSerialization.jsonObject(with: Corpus.data("hropen-4.2.1-candidate-samples/Candidate_UC2_resumeextraction_response.json")) as! [String: Any]
        let jobs = ((json["profiles"] as! [[String: Any]])[0]["employment"] as! [[String: Any]])
        #expect(response.employment.count == jobs.count)
        #expect(response.employment.map { $0.start?.description } == jobs.map { ($0["start"] as? String).map { String($0.prefix(7)) } })
        let request = try Corpus.read("hropen-4.2.1-candidate-samples/Candidate_UC2_resumeextraction_request.json").fields
        #expect(request.name?.value == response.name?.value)
        // The résumé inside the request, read with antiword, against the published extraction.
        let doc = try Corpus.read("hropen-4.2.1-candidate-samples/Candidate_UC2_embedded_resume.DERIVED.doc").fields
        #expect(doc.name?.value == response.name?.value)
        #expect(doc.emails.map(\.value) == response.emails.map(\.value))
    }

    @Test func janeFullstackerRenderingsAgree() throws {
        let truth = try Corpus.read("fresh-test-resumes/jrs__jane-fullstacker.json").fields
        for file in ["resume.txt", "resume.md", "resume.html", "resume.pdf", "resume.doc", "resume.json"] {
            let d = try Corpus.read("hackmyresume-expected-modern/" + file)
            #expect(d.fields.name?.value == truth.name?.value, "\(file)")
            if d.text.contains("jdoe@onecoolstartup.io") {
                #expect(d.fields.emails.map(\.value).contains("jdoe@onecoolstartup.io"), "\(file)")
            }
            if d.text.contains("999-7777") {
                #expect(d.fields.phones.contains { Compare.samePhone($0.value, "1-650-999-7777") }, "\(file)")
            }
        }
    }

    @Test func resumeMatcherLayoutsExtractTheSameFields() throws {
        let layouts = ["single-column", "two-column", "modern-single-column", "modern-two-column"]
        let fields = try layouts.map { try Corpus.read("resume-matcher-templates/\($0).pdf").fields }
        let names = Set(fields.map { Compare.folded($0.name?.value ?? "") })
        let emails = Set(fields.map { $0.emails.map(\.value) })
        let phones = Set(fields.map { $0.phones.map { Compare.digits($0.value) } })
        #expect(names.count == 1 && names.first?.isEmpty == false)
        #expect(emails.count == 1 && emails.first?.isEmpty == false)
        #expect(phones.count == 1 && phones.first?.isEmpty == false)
    }

    @Test(arguments: ["01-Accountant", "01-Desktop_Support", "02-Office_Coordinator"])
    func docxAndPDFTwinsAgree(stem: String) throws {
        let docx = try Corpus.read("soupboss-word-pairs/\(stem).docx")
        let pdf = try Corpus.read("soupboss-word-pairs/\(stem).pdf")
        #expect(docx.fields.name?.value != nil)
        #expect(docx.fields.name?.value == pdf.fields.name?.value)
        #expect(docx.fields.emails.map(\.value) == pdf.fields.emails.map(\.value))
        #expect(docx.fields.phones.map { Compare.digits($0.value) } == pdf.fields.phones.map { Compare.digits($0.value) })
        #expect(docx.metadata.author == pdf.metadata.author)
    }

    @Test func rolesKeepEmployerTitleAndDatesApart() throws {
        for file in ["soupboss-word-pairs/01-Accountant.docx", "soupboss-word-pairs/01-Accountant.pdf"] {
            let jobs = try Corpus.read(file).fields.employment
            #expect(jobs.map(\.employer) == ["Gilmore Financial", "Harrison Money Management", "Harrison Money Management"], "\(file)")
            #expect(jobs.map(\.title) == ["Certified Public Accountant", "Accountant", "Junior Accountant"], "\(file)")
        }
        // Awesome-CV: employer, place, title and dates on separate lines; the range dash is a soft hyphen in its font.
        let awesome = try Corpus.read("latex-awesome-cv/resume.pdf").fields.employment
        let first = try #require(awesome.first)
        #expect(first.employer == "Dunamu Inc." && first.title == "DevOps Engineer")
        #expect(first.start == PartialDate(year: 2023, month: 9) && first.end == PartialDate(year: 2024, month: 3))
        #expect(awesome.contains { $0.employer == "Kasa" && $0.title == "Founding Member & Director of Infrastructure Division" })
        #expect(awesome.count >= 8)
    }

    @Test func microformatsMatchTheirExpectedParse() throws {
        for stem in ["h-resume-v2-contact", "h-resume-v2-work", "h-resume-v2-education", "hresume-v1-contact"] {
            let d = try Corpus.read("microformats-h-resume-tests/\(stem).html").fields
            let expected = try JSONSerialization.jsonObject(with: Corpus.data("microformats-h-resume-tests/\(stem).expected.json")) as! [String: Any]
            let item = (expected["items"] as! [[String: Any]])[0]["properties"] as! [String: Any]
            let name = (item["name"] as? [String])?.first
                ?? (((item["contact"] as? [[String: Any]])?.first?["properties"] as? [String: Any])?["name"] as? [String])?.first
            #expect(d.name?.value == name, "\(stem)")
            if let work = (item["experience"] as? [[String: Any]])?.first?["properties"] as? [String: Any] {
                #expect(d.employment.first?.title == (work["title"] as? [String])?.first)
                #expect(d.employment.first?.start == PartialDates.iso((work["start"] as? [String])?.first))
            }
            if let edu = (item["education"] as? [[String: Any]])?.first?["properties"] as? [String: Any] {
                #expect(d.education.first?.end == PartialDates.iso((edu["end"] as? [String])?.first))
            }
        }
    }
}
