import Foundation

/// Indicators that read only the résumé file's own metadata (``DocumentMetadata``). No public
/// source documents file-metadata signals for DPRK IT workers, so they are weak by design.
public enum DocumentIndicators {
    /// Register with `IndicatorCatalog.core + DocumentIndicators.document` (or add to the core list).
    public static let document: [any Indicator] = [DocumentAuthorMismatchIndicator(), DocumentCreatedOffsetIndicator()]

    /// The metadata the document indicators read: the résumé's own, else metadata supplied as a fact.
    static func metadata(_ context: ScreeningContext) -> DocumentMetadata? {
        context.resume?.metadata ?? context.facts.documentMetadata
    }

    static let noPublicSource = """
        No public source documents résumé file-metadata signals for DPRK IT workers (the indicator catalog, §3, \
        marks such checks as inference, untested); this is recorded as a fact to verify and weighs little.
        """
}

/// The résumé file's author or last-modified-by name is not the candidate's.
public struct DocumentAuthorMismatchIndicator: Indicator {
    public init() {}

    public let descriptor = IndicatorDescriptor(
        code: "DOC-AUTHOR-MISMATCH",
        title: "Résumé file written or last saved under another name",
        category: .document,
        defaultPoints: 5,
        strength: .weak,
        inputs: ["résumé file metadata: author, last modified by", "candidate.name"],
        rationale: DocumentIndicators.noPublicSource + " " + """
            Résumé writers, friends, templates and shared or company computers all leave other names in these \
            fields, so a different name is common and innocent. It matters only as a lead when other findings \
            point to one person applying under several names. Fonts and language tags are never scored.
            """,
        verify: "Ask who prepared the résumé; a résumé writer, template or shared computer explains it.",
        references: [PublicSources.s1, PublicSources.s58]
    )

    /// Values that name no person: tool defaults and placeholders.
    static let placeholders: Set<String> = [
        "none", "user", "admin", "administrator", "owner", "author", "unknown", "windows user", "microsoft office user",
        "office user", "microsoft", "default", "resume", "cv", "apache fop", "pc", "hp", "dell", "lenovo", "guest",
    ]

    static func isPersonName(_ value: String) -> Bool {
        let v = value.trimmingWhitespaceAndNewlines()
        guard !v.isEmpty, v.count <= 80, !placeholders.contains(v.lowercased()), v.contains(where: \.isLetter) else { return false }
        return !v.contains("@") && !v.contains("/") && !v.contains("\\")
    }

    public func evaluate(_ context: ScreeningContext) -> IndicatorOutcome {
        guard let metadata = DocumentIndicators.metadata(context) else { return .skipped(reason: "no résumé file metadata") }
        guard let candidate = context.application.candidate.name ?? context.resume?.fields.name?.value else {
            return .skipped(reason: "no candidate name")
        }
        let names = [("author", metadata.author), ("last modified by", metadata.lastModifiedBy)]
            .compactMap { label, value in value.flatMap { Self.isPersonName($0) ? (label, $0) : nil } }
        guard !names.isEmpty else { return .skipped(reason: "the résumé file names no author") }
        let different = names.filter { !NameMatching.isConsistent($0.1, candidate) }
        guard !different.isEmpty else { return .passed() }
        return .fired(
            explanation: "The résumé file's \(different.map(\.0).joined(separator: " and ")) is another name than the candidate's.",
            evidence: different.map {
                Evidence(field: "resume.metadata.\($0.0 == "author" ? "author" : "last_modified_by")", observed: $0.1, expected: candidate,
                         source: "résumé file metadata")
            }
        )
    }

    public var examples: [IndicatorExample] {
        [
            IndicatorExample("file authored under another name", fires: true, record: #"{"candidate": {"name": "Alex Morgan"}}"#) {
                var m = DocumentMetadata(); m.author = "Chen Wei"; m.lastModifiedBy = "Chen Wei"; $0.documentMetadata = m
            },
            IndicatorExample("file authored by the candidate", fires: false, record: #"{"candidate": {"name": "Alex Morgan"}}"#) {
                var m = DocumentMetadata(); m.author = "Alex Morgan"; m.lastModifiedBy = "alex morgan"; $0.documentMetadata = m
            },
            IndicatorExample("placeholder author", fires: false, record: #"{"candidate": {"name": "Alex Morgan"}}"#) {
                var m = DocumentMetadata(); m.author = "Microsoft Office User"; $0.documentMetadata = m
            },
        ]
    }
}

/// The résumé file's creation time carries a UTC offset that the claimed location does not use.
public struct DocumentCreatedOffsetIndicator: Indicator {
    public init() {}

    public let descriptor = IndicatorDescriptor(
        code: "DOC-CREATED-OFFSET",
        title: "Résumé file created in another time zone than the claimed location",
        category: .location,
        defaultPoints: 5,
        strength: .weak,
        inputs: ["résumé file metadata: creation time with its UTC offset", "candidate.address or candidate.claimed_timezone"],
        rationale: DocumentIndicators.noPublicSource + " " + """
            The offset is the clock of the computer that made the file, which may be a résumé writer's, a template's \
            or a laptop still set to a former home or a holiday time zone. It is a weak, clearly labelled source that \
            joins the time-zone checks. Files that give no offset, or UTC ("Z", +00:00, as browsers and servers \
            write), are never counted.
            """,
        verify: "Ask where the résumé was written; compare with the other location evidence before drawing anything from it.",
        references: [PublicSources.s1, PublicSources.s58]
    )

    public func evaluate(_ context: ScreeningContext) -> IndicatorOutcome {
        guard let metadata = DocumentIndicators.metadata(context), let offset = metadata.createdUTCOffsetMinutes else {
            return .skipped(reason: "the résumé file gives no creation-time UTC offset")
        }
        guard offset != 0 else { return .skipped(reason: "the résumé file's creation time is in UTC, which says nothing about location") }
        guard let claim = context.facts.claimedLocation, !claim.allowedZones.isEmpty else {
            return .skipped(reason: "no claimed location with a time zone")
        }
        let at = metadata.created ?? context.application.receivedAt ?? context.asOf
        let allowed = claim.allowedOffsets(at: at)
        if allowed.contains(offset) { return .passed() }
        return .fired(
            explanation: "The résumé file was created on a computer set to \(UTCOffset.format(minutes: offset)), not a time zone of \(claim.basis).",
            evidence: [Evidence(
                field: "resume.metadata.created",
                observed: metadata.createdRaw ?? UTCOffset.format(minutes: offset),
                expected: allowed.sorted().map { UTCOffset.format(minutes: $0) }.joined(separator: " or ") + " for \(claim.basis)",
                source: "résumé file metadata (weak)"
            )]
        )
    }

    public var examples: [IndicatorExample] {
        let austin = #"{"candidate": {"name": "Alex Morgan", "address": {"city": "Austin", "region": "TX", "country": "US"}}}"#
        return [
            IndicatorExample("created at +09:00, lives in Austin", fires: true, record: austin) {
                var m = DocumentMetadata(); m.createdRaw = "D:20240115093000+09'00'"; m.createdUTCOffsetMinutes = 540
                m.created = Date(timeIntervalSince1970: 1_705_278_600); $0.documentMetadata = m
            },
            IndicatorExample("created at -06:00, lives in Austin", fires: false, record: austin) {
                var m = DocumentMetadata(); m.createdRaw = "D:20240115093000-06'00'"; m.createdUTCOffsetMinutes = -360
                m.created = Date(timeIntervalSince1970: 1_705_332_600); $0.documentMetadata = m
            },
            IndicatorExample("created in UTC (Z), lives in Austin", fires: false, record: austin) {
                var m = DocumentMetadata(); m.createdRaw = "D:20240115093000Z"; m.createdUTCOffsetMinutes = 0
                m.created = Date(timeIntervalSince1970: 1_705_311_000); $0.documentMetadata = m
            },
            IndicatorExample("no offset written, lives in Austin", fires: false, record: austin) {
                var m = DocumentMetadata(); m.createdRaw = "D:20240115093000"; $0.documentMetadata = m
            },
        ]
    }
}
