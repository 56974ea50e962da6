import Foundation

/// The candidate's own phone or email given again for one of their references.
public struct SharedWithReferenceIndicator: Indicator {
    public init() {}

    public let descriptor = IndicatorDescriptor(
        code: "CONTACT-SHARED-WITH-REFERENCE",
        title: "A reference uses the candidate's own phone or email",
        category: .contact,
        defaultPoints: 30,
        strength: .strong,
        inputs: ["candidate.emails", "candidate.phones", "references[]"],
        rationale: """
            A reference reachable only at the candidate's own number or mailbox cannot vouch independently. S1 warns of \
            verification contacts controlled by the applicant and advises verifying through contacts the candidate did \
            not supply; S23 documents references supplied through other personas. Emails are compared as mailboxes \
            (case, and dots and +tags where the provider ignores them); phones by their digits.
            """,
        verify: "Contact the reference through their employer's main switchboard or official directory, not the details supplied.",
        references: [PublicSources.s1, PublicSources.s23, PublicSources.s29]
    )

    public func evaluate(_ context: ScreeningContext) -> IndicatorOutcome {
        let application = context.application
        guard !application.references.isEmpty else { return .skipped(reason: "no references") }
        let emails = Set(application.candidate.emails.map(EmailAddress.canonical))
        let phones = Set(application.candidate.phones.map(PhoneNumbers.comparable).filter { $0.count >= 7 })
        guard !emails.isEmpty || !phones.isEmpty else { return .skipped(reason: "no candidate email or phone") }
        var evidence: [Evidence] = []
        for (index, reference) in application.references.enumerated() {
            if let email = reference.email, emails.contains(EmailAddress.canonical(email)) {
                evidence.append(Evidence(field: "references[\(index)].email", observed: "same mailbox as candidate.emails",
                                         expected: "the reference's own address", source: "application record"))
            }
            if let phone = reference.phone, Self.samePhone(PhoneNumbers.comparable(phone), phones) {
                evidence.append(Evidence(field: "references[\(index)].phone", observed: "same number as candidate.phones",
                                         expected: "the reference's own number", source: "application record"))
            }
        }
        guard !evidence.isEmpty else { return .passed() }
        return .fired(explanation: "A reference's contact details are the candidate's own.", evidence: evidence)
    }

    /// Equal digits, or one is the other without its country code.
    static func samePhone(_ digits: String, _ set: Set<String>) -> Bool {
        guard digits.count >= 7 else { return false }
        return set.contains { $0 == digits || ($0.count != digits.count && ($0.hasSuffix(digits) || digits.hasSuffix($0)) && min($0.count, digits.count) >= 9) }
    }

    public var examples: [IndicatorExample] {
        [
            IndicatorExample("reference email is the candidate's with a +tag", fires: true, record: """
                {"candidate": {"emails": ["jane.smith@gmail.com"]}, "references": [{"name": "Bob Lee", "email": "Jane.Smith+ref@gmail.com"}]}
                """),
            IndicatorExample("reference phone is the candidate's, written differently", fires: true, record: """
                {"candidate": {"phones": ["+1 512 555 0100"]}, "references": [{"name": "Bob Lee", "phone": "(512) 555-0100"}]}
                """),
            IndicatorExample("independent reference", fires: false, record: """
                {"candidate": {"emails": ["jane@example.com"], "phones": ["+1 512 555 0100"]},
                 "references": [{"name": "Bob Lee", "email": "bob@example.org", "phone": "+1 512 555 0199"}]}
                """),
        ]
    }
}
