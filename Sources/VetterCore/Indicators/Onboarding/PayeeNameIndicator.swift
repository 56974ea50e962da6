import Foundation

/// Salary paid to an account held in another name.
public struct PayeeNameIndicator: Indicator {
    public init() {}

    public let descriptor = IndicatorDescriptor(
        code: "ONB-PAYEE-NAME",
        title: "Pay account is in another person's name",
        category: .onboarding,
        defaultPoints: 25,
        strength: .moderate,
        inputs: ["onboarding.payment.account_holder", "candidate.name"],
        rationale: """
            Payments into facilitator or third-party accounts are documented (S1; S34; catalog G5), and only such \
            third-party payees are a defensible payment signal: the provider (Wise, Payoneer, PayPal) or a bank \
            abroad is never scored by itself. Names are compared tolerantly (initials, order, diacritics, transliteration).
            """,
        verify: "Ask the candidate to confirm the account is theirs, for example with a bank letter in their name.",
        references: [PublicSources.s1, PublicSources.s34]
    )

    public func evaluate(_ context: ScreeningContext) -> IndicatorOutcome {
        guard let holder = context.application.onboarding?.payment?.accountHolder else { return .skipped(reason: "no pay account holder") }
        guard let name = context.application.candidate.name else { return .skipped(reason: "no candidate name") }
        if NameMatching.isConsistent(name, holder) { return .passed() }
        return .fired(
            explanation: "The pay account is held in a name that does not match the candidate's.",
            evidence: [Evidence(field: "onboarding.payment.account_holder", observed: holder, expected: name, source: "onboarding record")]
        )
    }

    public var examples: [IndicatorExample] {
        [
            IndicatorExample("account held by someone else", fires: true, record: """
                {"candidate": {"name": "Jane Q. Smith"}, "onboarding": {"payment": {"account_holder": "Pedro Alvarez"}}}
                """),
            IndicatorExample("initial and surname", fires: false, record: """
                {"candidate": {"name": "Jane Q. Smith"}, "onboarding": {"payment": {"account_holder": "J. Smith"}}}
                """),
        ]
    }
}
