import Foundation

extension ScreeningContext {
    /// The résumé's employment entries with a start, or a skip reason.
    func datedEmployment() -> ([(index: Int, entry: EmploymentEntry)], String?) {
        guard let resume else { return ([], resumeProblem.map { "résumé not read: \($0)" } ?? "no résumé") }
        let dated = resume.fields.employment.enumerated().filter { $0.element.start != nil }.map { (index: $0.offset, entry: $0.element) }
        return dated.isEmpty ? ([], "no dated employment entries in the résumé") : (dated, nil)
    }

    /// "now" as a month index.
    var asOfMonth: Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        let c = calendar.dateComponents([.year, .month], from: asOf)
        return (c.year ?? 2000) * 12 + (c.month ?? 1) - 1
    }

    func resumeSource(_ entry: EmploymentEntry) -> String {
        let line = entry.span.map { ", line \($0.line)" } ?? ""
        return "résumé \(resume?.sourceName ?? "")\(line)"
    }
}
