import Testing
import VetterCore
import VetterTesting

/// Employer, title and dates of roles laid out the ways résumés lay them out.
@Suite("Employment extraction from text")
struct EmploymentExtractionTests {
    struct Layout: CustomTestStringConvertible, Sendable {
        var name: String
        var text: String
        var employer: String
        var title: String
        var start: PartialDate
        var end: PartialDate?
        var testDescription: String { name }
    }

    static let layouts: [Layout] = [
        Layout(name: "employer, place, title on one line; dates below",
               text: "Experience\nGilmore Financial, New Orleans, LA, Certified Public Accountant\nOct. 2021 – Current\nMeet with clients",
               employer: "Gilmore Financial", title: "Certified Public Accountant", start: PartialDate(year: 2021, month: 10)),
        Layout(name: "title at employer with dates",
               text: "Work Experience\nSenior Engineer at Northwind Traders Ltd, Jan 2019 - Mar 2022\n• Built things",
               employer: "Northwind Traders Ltd", title: "Senior Engineer", start: PartialDate(year: 2019, month: 1), end: PartialDate(year: 2022, month: 3)),
        Layout(name: "employer, place, title and dates on lines of their own",
               text: "Experience\nContoso Pay Inc. (ContosoPay)\nSeoul, S.Korea\nFounding Member & Site Reliability Engineer\nMar. 2021 - Jun. 2023\n• Designed the platform",
               employer: "Contoso Pay Inc. (ContosoPay)", title: "Founding Member & Site Reliability Engineer",
               start: PartialDate(year: 2021, month: 3), end: PartialDate(year: 2023, month: 6)),
        Layout(name: "title after the dates",
               text: "Experience\nKasa\nSeoul, S.Korea\nJun. 2018 - Jan. 2021\nDirector of Infrastructure\n• Migrated clusters",
               employer: "Kasa", title: "Director of Infrastructure", start: PartialDate(year: 2018, month: 6), end: PartialDate(year: 2021, month: 1)),
        Layout(name: "title | employer | dates",
               text: "Employment History\nData Analyst | Fabrikam Group | 2016 - 2019",
               employer: "Fabrikam Group", title: "Data Analyst", start: PartialDate(year: 2016), end: PartialDate(year: 2019)),
        Layout(name: "a description line before the next heading is not the employer",
               text: "Experience\nAcme Corp, Office Manager\nSep. 2015 – Aug. 2019\nSimplified credit management by automating reminders for the team\nMarsshine Engineering, Practice Manager\nAug. 2019 – Present",
               employer: "Marsshine Engineering", title: "Practice Manager", start: PartialDate(year: 2019, month: 8)),
    ]

    @Test(arguments: layouts)
    func layout(_ layout: Layout) throws {
        let fields = TextFieldExtractor().extract(from: layout.text)
        let entry = try #require(fields.employment.first { $0.start == layout.start })
        #expect(entry.employer == layout.employer)
        #expect(entry.title == layout.title)
        if let end = layout.end { #expect(entry.end == end) } else { #expect(entry.isCurrent) }
    }
}

@Suite("Inline résumé text with CRLF line ends")
struct InlineCRLFTests {
    @Test("an inline résumé with CRLF line ends is read as the same résumé with LF")
    func crlfInlineTextReadsLikeLF() throws {
        let lf = """
            Jordan Example
            jordan@example.com

            Experience
            Globex Corporation - Software Engineer - Mar 2019 - Present
            Initech - Junior Developer - 2016 - 2019

            Education
            BSc Computer Science, State University, 2012 - 2016

            Skills
            Swift, Go, SQL
            """
        var application = Application(id: "CRLF-1", candidate: Candidate(name: "Jordan Example"))
        application.resume = .text(lf)
        let screener = try Fixtures.screener()
        let fromLF = try #require(screener.prepare(application).context.resume)
        application.resume = .text(lf.replacingOccurrences(of: "\n", with: "\r\n"))
        let fromCRLF = try #require(screener.prepare(application).context.resume)
        #expect(fromLF.fields.employment.count == 2)
        #expect(fromCRLF.text == fromLF.text)
        #expect(fromCRLF.fields.employment.map(\.employer) == fromLF.fields.employment.map(\.employer))
        #expect(fromCRLF.fields.employment.map(\.start) == fromLF.fields.employment.map(\.start))
        #expect(fromCRLF.fields.skills == ["Swift", "Go", "SQL"])
        #expect(fromCRLF.fields.education.count == 1)
    }
}
