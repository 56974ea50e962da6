import Foundation

/// An email address on a disposable-address domain.
public struct DisposableEmailIndicator: Indicator {
    public init() {}

    public let descriptor = IndicatorDescriptor(
        code: "CONTACT-DISPOSABLE-EMAIL",
        title: "Email address on a disposable-address service",
        category: .contact,
        defaultPoints: 10,
        strength: .weak,
        inputs: ["candidate.emails", "Config/reference/disposable-email-domains.txt"],
        rationale: """
            Disposable (throw-away) mail services are built to be abandoned, which fits S1's "incorrect or changing \
            contact information". The domain list is the CC0 disposable-email-domains list. Ordinary free-mail \
            (Gmail, Outlook, Proton) is universal and is never scored (catalog D4).
            """,
        verify: "Ask for a durable email address and confirm it with a code sent to it.",
        references: [PublicSources.s1]
    )

    public func evaluate(_ context: ScreeningContext) -> IndicatorOutcome {
        guard !context.application.candidate.emails.isEmpty else { return .skipped(reason: "no email address") }
        guard let disposable = context.facts.disposableEmails else { return .skipped(reason: "disposable-domain list not loaded") }
        guard !disposable.isEmpty else { return .passed() }
        let emails = context.application.candidate.emails
        return .fired(
            explanation: "The email address is on a disposable-address domain.",
            evidence: disposable.map { email in
                Evidence(
                    field: "candidate.emails[\(emails.firstIndex(of: email) ?? 0)]",
                    observed: "domain \(EmailAddress.domain(email) ?? "?")",
                    expected: "a durable mail domain",
                    source: "disposable-email-domains list"
                )
            }
        )
    }

    public var examples: [IndicatorExample] {
        [
            IndicatorExample("mailinator address", fires: true, record: #"{"candidate": {"emails": ["dev.hire@mailinator.com"]}}"#),
            IndicatorExample("gmail address", fires: false, record: #"{"candidate": {"emails": ["jane.smith@gmail.com"]}}"#),
            IndicatorExample("proton address", fires: false, record: #"{"candidate": {"emails": ["jane@proton.me"]}}"#),
        ]
    }
}
