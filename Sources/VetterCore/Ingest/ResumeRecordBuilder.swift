import Foundation

/// Builds an application record from what a résumé says, for `vetter screen resume.txt`.
public enum ResumeRecordBuilder {
    public static func application(from document: ResumeDocument, id: String) -> Application {
        var candidate = Candidate()
        candidate.name = document.fields.name?.value
        candidate.emails = Array(Set(document.fields.emails.map(\.value))).sorted()
        candidate.phones = Array(Set(document.fields.phones.map(\.value))).sorted()
        candidate.links = document.fields.links.map(\.value)
        if let location = document.fields.location?.value {
            let parts = location.split(separator: ",").map { $0.trimmingWhitespace() }
            if let last = parts.last, last.count == 2, Countries.isKnown(last) {
                candidate.address = PostalAddress(city: parts.first, region: parts.count > 2 ? parts[1] : nil, country: last.uppercased())
            }
        }
        return Application(id: id, candidate: candidate, resume: .path(document.sourceName))
    }
}
