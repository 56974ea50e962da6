import Foundation

/// The name on the record against the résumé header and interview display names.
public struct NameConsistencyIndicator: Indicator {
    public init() {}

    public let descriptor = IndicatorDescriptor(
        code: "ID-NAME-MISMATCH",
        title: "Name differs across the candidate's own artefacts",
        category: .identity,
        defaultPoints: 20,
        strength: .moderate,
        inputs: ["candidate.name", "résumé header name", "events[].observations.display_name"],
        rationale: """
            The record's name is compared with the name at the top of the résumé and the display name used in \
            interviews, tolerating initials, nicknames, diacritics, word order and transliteration. S1 lists name \
            inconsistencies across profiles; S30 and S36 describe display names that differ from the CV. One \
            artefact counts half; two or more count in full. Married names and chosen names differ legitimately. \
            Only inconsistency is weighed, never a name's origin. The payee's name is checked by ONB-PAYEE-NAME, so \
            one difference is not counted twice.
            """,
        verify: "Ask the candidate about the name difference, then match the name on a government ID at a live video check.",
        references: [PublicSources.s1, PublicSources.s30, PublicSources.s36]
    )

    public func evaluate(_ context: ScreeningContext) -> IndicatorOutcome {
        guard let name = context.application.candidate.name else { return .skipped(reason: "no candidate name on the record") }
        var compared: [(field: String, value: String, source: String)] = []
        if let header = context.resume?.fields.name?.value {
            let line = context.resume?.fields.name?.span.map { ", line \($0.line)" } ?? ""
            compared.append(("resume.name", header, "résumé \(context.resume?.sourceName ?? "")\(line)"))
        }
        for (index, event) in context.application.events.enumerated() {
            if let display = event.observations?.displayName {
                compared.append(("events[\(index)].observations.display_name", display, "\(event.type) event"))
            }
        }
        guard !compared.isEmpty else { return .skipped(reason: "no résumé name or interview display name to compare") }
        let mismatched = compared.filter { !NameMatching.isConsistent(name, $0.value) }
        guard !mismatched.isEmpty else { return .passed() }
        let distinctArtefacts = Set(mismatched.map { $0.field.hasPrefix("events") ? "interview" : $0.field })
        return .fired(
            explanation: "The name used on \(mismatched.count == 1 ? "one artefact" : "\(mismatched.count) artefacts") does not match the name on the application.",
            evidence: mismatched.map { Evidence(field: $0.field, observed: $0.value, expected: name, source: $0.source) },
            scale: distinctArtefacts.count >= 2 ? 1 : 0.5
        )
    }

    public var examples: [IndicatorExample] {
        [
            IndicatorExample("interview display name is someone else", fires: true, record: """
                {"candidate": {"name": "Jane Q. Smith"}, "events": [{"type": "interview", "at": "2026-10-08T16:00:00Z",
                 "observations": {"display_name": "Kevin Tran"}}]}
                """),
            IndicatorExample("résumé header is another name", fires: true, record: #"{"candidate": {"name": "Jane Smith"}}"#,
                             resumeText: "Michael Okafor\nmichael@example.com\n"),
            IndicatorExample("initial and surname initial", fires: false, record: """
                {"candidate": {"name": "Jane Q. Smith"}, "events": [{"type": "interview", "at": "2026-10-08T16:00:00Z",
                 "observations": {"display_name": "Jane S."}}]}
                """),
            IndicatorExample("nickname, diacritics and order", fires: false, record: """
                {"candidate": {"name": "José Álvarez"}, "events": [{"type": "interview", "at": "2026-10-08T16:00:00Z",
                 "observations": {"display_name": "Alvarez Jose"}}]}
                """, resumeText: "Pepe Alvarez\npepe@example.com\n"),
            IndicatorExample("transliteration from Cyrillic", fires: false, record: #"{"candidate": {"name": "Dmitriy Ivanov"}}"#,
                             resumeText: "Дмитрий Иванов\n"),
        ]
    }
}
